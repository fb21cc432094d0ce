"""The ledger against the simulator's own books, after mixed runs on one FakeClock: codes,
cancels, expiries, a charged resend, rentals and orders bought elsewhere (request/history)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

from smspool_tui.core.journal import RentalRecord
from smspool_tui.core.order_model import OrderState
from smspool_tui.core.rentals import RentalsService
from smspool_tui.core.stats import Filters, Period, StatsService
from smspool_tui.sim import wire
from smspool_tui.sim.engine import Route, SimEngine
from tests.core import test_orders_sim as base
from tests.core.conftest import Rig
from tests.core.test_orders_sim import buy

# the simulator fixtures of the orders tests
start_sim, clients, sim_rig = base.start_sim, base.clients, base.sim_rig

WHATSAPP = 1012
GB = 2
RESEND_CHARGE = Decimal("0.05")
SimRig = Callable[..., tuple[Rig, SimEngine]]


def charge_resends(engine: SimEngine) -> None:
    """The simulator's resends are free; make them cost RESEND_CHARGE, in its wallet too."""
    plain = engine.routes["sms/resend"]

    def charged(p: dict[str, str], now: float) -> wire.SimResponse:
        answer = plain.handler(p, now)
        body = json.loads(answer.body)
        if answer.status == 200 and body.get("success") == 1:
            engine.wallet.charge(RESEND_CHARGE)
            body["charge"] = str(RESEND_CHARGE)
            return wire.respond(body)
        return answer

    engine.routes["sms/resend"] = Route(charged, plain.public, plain.required)


def sim_books(engine: SimEngine) -> tuple[Decimal, Decimal, int]:
    """(spent, refunded, orders with a code before expiry) as the simulator keeps them."""
    refunded = sum((o.cost for o in engine.orders.values() if o.refunded_at), Decimal(0))
    bought = sum((o.cost for o in engine.orders.values()), Decimal(0))
    resends = sum(o.resends for o in engine.orders.values()) * RESEND_CHARGE
    codes = sum(1 for o in engine.orders.values() if any(s.at <= o.expires for s in o.sms))
    return bought - refunded + resends, refunded, codes


def rental_books(engine: SimEngine) -> dict[str, Decimal]:
    """What the simulator charged and refunded for rentals, by its rental/history words."""
    books = {"activate": Decimal(0), "extend": Decimal(0), "refund": Decimal(0)}
    for line in engine.rental_desk.log:
        books[str(line["action"])] += Decimal(str(line["cost"]))
    return books


async def rent_extend_and_refund(r: Rig) -> None:
    """Two rentals bought in the app, one extended and the other refunded."""
    rentals = RentalsService(r.client, r.journal, r.clock)  # type: ignore[arg-type]
    offers = {o.id: o for o in await rentals.catalog(True)}
    kept = await rentals.purchase(offers[6], 30)
    back = await rentals.purchase(offers[9], 30)  # its line refunds 28 days or more
    await rentals.extend_options(kept.code)  # the prices the user chose from
    await rentals.extend(kept.code, 30)
    await rentals.refund(back.code)


async def test_ledger_matches_the_simulator_after_a_mixed_run(sim_rig: SimRig) -> None:
    r, engine = sim_rig(
        seed=3, sms_delay=8.0, order_ttl=300, cancel_lock=20.0, no_sms_rate=0.5,
        rental_message_every=0, balance=Decimal("200.00"),
    )  # fmt: skip
    charge_resends(engine)
    start = engine.balance
    await r.started()
    ids = [await buy(r) for _ in range(4)]
    await rent_extend_and_refund(r)
    ids += [await buy(r, WHATSAPP, "WhatsApp") for _ in range(3)]
    await r.run_for(40, step=2.0)
    got = [i for i in ids if r.svc.get(i).code]  # type: ignore[union-attr]
    waiting = [i for i in ids if not r.svc.get(i).code]  # type: ignore[union-attr]
    assert got and len(waiting) >= 2, "the seed must give both kinds"
    await r.svc.resend(got[0])
    await r.svc.cancel(waiting[0])
    await r.run_for(300, step=10.0)  # the rest expire, the resend's code arrives
    assert r.svc.get(waiting[0]).status is OrderState.CANCELLED  # type: ignore[union-attr]
    assert r.svc.get(waiting[1]).status is OrderState.EXPIRED  # type: ignore[union-attr]

    report = await StatsService(r.journal, r.clock).report()
    spent, refunded, codes = sim_books(engine)
    t = report.total
    assert (t.orders, t.codes) == (len(ids), codes)
    assert t.spent == spent  # the wallet, rentals included, is checked below
    assert t.refunded == refunded
    assert t.cost_per_code == (spent / codes).quantize(Decimal("0.0001"))
    by_service = {f.name: f for f in report.by_service}
    assert by_service["Telegram"].orders == 4 and by_service["WhatsApp"].orders == 3
    assert sum((f.spent for f in report.by_service), Decimal(0)) == spent
    assert sum((f.spent for f in report.by_pool), Decimal(0)) == spent
    assert sum(b.spent for b in report.by_day) == spent
    # each code came about sms_delay (8 s, +-25%) after its purchase, seen on a 2 s cycle
    assert t.timed == codes and t.median_seconds_to_code is not None
    assert 4 <= t.median_seconds_to_code <= 14
    assert t.p90_seconds_to_code is not None and t.p90_seconds_to_code >= t.median_seconds_to_code
    assert report.health.cancels_day == 1 and report.health.no_code_day == len(waiting)
    assert all(f.small_sample and f.sample.startswith("n=") for f in report.by_service)
    ledger = await StatsService(r.journal, r.clock).ledger()
    assert sum((row.charged for row in ledger), Decimal(0)) == spent
    assert sum((row.resend_charges for row in ledger), Decimal(0)) == RESEND_CHARGE
    # rentals apart, to the cent: what the app journaled equals the simulator's books
    books = rental_books(engine)
    rent = report.rentals
    assert (rent.rentals, rent.extends, rent.refunds, rent.unpriced) == (2, 1, 1, 0)
    assert (rent.purchased, rent.extended, rent.refunded) == (
        books["activate"], books["extend"], books["refund"],
    )  # fmt: skip
    assert t.spent + rent.spent == start - engine.balance  # every cent the wallet lost
    # one more bought on the web dashboard: only rental/history knows it
    answer = engine.handle("POST", "purchase/rental", {"id": "9", "days": "7"}, engine.api_key)
    assert answer.status == 200, answer.body
    stats = StatsService(r.journal, r.clock)
    assert await stats.import_rental_history(r.client) == 1  # the app's own lines matched
    assert await stats.import_rental_history(r.client) == 0  # no duplicates
    rent = (await stats.report()).rentals
    books = rental_books(engine)
    assert (rent.rentals, rent.purchased, rent.extended) == (3, books["activate"], books["extend"])
    assert rent.refunded == books["refund"]
    assert t.spent + rent.spent == start - engine.balance
    assert {e.source for e in r.journal.rental_events()} == {"app", "history"}


async def test_filters_and_periods_never_depend_on_today(sim_rig: SimRig) -> None:
    r, _ = sim_rig(seed=3, sms_delay=5.0, order_ttl=300)
    await r.started()
    await buy(r)
    await r.run_for(3 * 86400, step=3600.0)  # three days pass on the fake clock
    await r.svc.purchase(GB, WHATSAPP, country_name="United Kingdom", service_name="WhatsApp")
    await r.run_for(20, step=2.0)
    stats = StatsService(r.journal, r.clock)
    day = await stats.report(Filters(Period.DAY))
    assert (day.total.orders, [f.name for f in day.by_service]) == (1, ["WhatsApp"])
    assert (await stats.report(Filters(Period.WEEK))).total.orders == 2
    only = await stats.report(Filters(service="Telegram"))
    assert only.total.orders == 1 and only.by_country[0].name == "United States"
    assert (await stats.report(Filters(country="United Kingdom"))).total.codes == 1
    assert {b.label for b in (await stats.report()).by_day} == {
        b.purchased_at[:10] for b in await stats.ledger()
    }


async def test_history_import_adds_orders_bought_elsewhere_once(sim_rig: SimRig) -> None:
    r, engine = sim_rig(seed=3, sms_delay=5.0, order_ttl=120)
    await r.started()
    await buy(r)
    await r.run_for(150, step=10.0)
    await r.stop()  # the app is closed; another machine buys two numbers, both over by now
    for _ in range(2):
        answer = engine.handle(
            "POST", "purchase/sms", {"country": "1", "service": "907"}, engine.api_key
        )
        assert answer.status == 200
    elsewhere = set(engine.orders) - {o.order_id for o in r.journal.orders()}
    r.clock.advance(200)
    stats = StatsService(r.journal, r.clock)
    assert await stats.import_history(r.svc) == 2
    assert await stats.import_history(r.svc) == 0  # no duplicates
    report = await stats.report()
    assert report.total.orders == 3
    assert report.total.spent + report.total.refunded == sum(
        (o.cost for o in engine.orders.values()), Decimal(0)
    )
    assert len(elsewhere) == 2
    assert elsewhere <= {row.order_id for row in await stats.ledger()}


def test_rentals_apart_from_orders(journal_path: object, make_rig: Callable[..., Rig]) -> None:
    r = make_rig()
    r.journal.save_rental(RentalRecord("R1", cost=Decimal("3.50"), status="active"))
    r.journal.save_rental(RentalRecord("R2", cost=Decimal("2.25"), status="refunded"))
    report = StatsService(r.journal, r.clock).report_now()
    assert report.total.orders == 0 and report.total.spent == 0
    rent = report.rentals
    assert (rent.rentals, rent.spent, rent.refunded) == (2, Decimal("3.50"), Decimal("2.25"))


def test_resend_charge_parsing() -> None:
    from smspool_tui.core.stats.queries import resend_charge

    assert resend_charge("Your number has been requested again! charge=0.05") == Decimal("0.05")
    assert resend_charge("charge=0") == 0 and resend_charge("garbled") == 0
