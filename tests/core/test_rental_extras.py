"""RentalsService beyond buying and polling, against the simulator: rentals adopted from the
server take their details from rental/info, ISO countries are named, auto-extend, reset, stock
and single-service lines."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.api.errors import ApiError
from smspool_tui.core.errors import NotConfirmed
from tests.core.test_rentals import Rig, _offer
from tests.harness import SimHandle, start_sim


@pytest.fixture
def sim() -> Iterator[SimHandle]:
    handle = start_sim(seed=3, rental_message_every=0)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
async def rig(sim: SimHandle, tmp_path: Path) -> AsyncIterator[Rig]:
    r = Rig(sim, tmp_path)
    yield r
    await r.close()


async def test_rental_bought_elsewhere_adopts_price_service_and_days_from_info(
    rig: Rig,
) -> None:
    svc = rig.service()
    svc.country_name = {"US": "United States"}.get
    desk = rig.sim.engine.rental_desk
    acorns = rig.sim.engine.catalog.service("Acorns")
    now = rig.sim.clock.now().timestamp()
    web = desk.create(desk.offers[7], 30, Decimal(10), now - 86400, acorns)
    await svc.poll_once()
    rental = svc.get(web.code)
    assert rental is not None
    assert rental.country == "United States"  # not "US"
    assert rental.cost == Decimal("10.00") and rental.service_name == "Acorns"
    assert rental.service_id == acorns.id
    assert rental.days is None  # its length is not known: not guessed from what is left
    assert rig.sim.engine.count("rental/info") == 1
    await svc.refresh_mine()
    assert rig.sim.engine.count("rental/info") == 1  # asked once, not every reconcile
    again = rig.service()  # a restart keeps what rental/info said
    assert again.get(web.code).cost == Decimal("10.00")
    assert again.get(web.code).service_name == "Acorns"


async def test_iso_country_is_named_once_the_catalog_knows_it(rig: Rig) -> None:
    svc = rig.service()
    desk = rig.sim.engine.rental_desk
    web = desk.create(desk.offers[6], 30, Decimal(20), rig.sim.clock.now().timestamp())
    await svc.poll_once()
    assert svc.get(web.code).country == "US"  # no catalog yet
    svc.country_name = {"US": "United States"}.get  # the country list arrived later
    assert svc.get(web.code).country == "United States"
    assert [r.country for r in svc.rentals()] == ["United States"]


async def test_auto_extend_flip_with_a_lost_answer_is_not_confirmed_nor_repeated(
    rig: Rig,
) -> None:
    rig.sim.engine.set_balance(Decimal("100"))
    svc = rig.service()
    rental = await svc.purchase(await _offer(svc, 9), 30)
    rig.sim.engine.force_fault("500", path="rental/auto_extend")
    with pytest.raises(NotConfirmed, match="check it before changing it again"):
        await svc.set_auto_extend(rental.code, True)
    assert rig.sim.engine.count("rental/auto_extend") == 1  # a repeat would flip it back
    assert svc.state.status_due[rental.code] == 0.0  # re-read at the next cycle
    assert svc.busy_reason() is None


async def test_reset_and_stock_and_line_services(rig: Rig) -> None:
    rig.sim.engine.set_balance(Decimal("100"))
    svc = rig.service()
    single = await _offer(svc, 7)
    services = await svc.line_services(single)
    assert [s.name for s in services][:2] == ["Acorns", "Discord"]  # by name
    whatsapp = next(s for s in services if s.name == "WhatsApp")
    priced = await svc.service_prices(single, whatsapp)
    assert [(p.days, p.price) for p in priced.prices] == [(30, Decimal(15))]
    assert await svc.stock(single, 30, whatsapp.id) == 250
    assert await svc.stock(await _offer(svc, 10), 30) == 0
    rental = await svc.purchase(single, 30, whatsapp.id, price=Decimal(15), service_name="WhatsApp")
    assert "reset succesfully" in await svc.reset(rental.code)
    ru = await svc.purchase(await _offer(svc, 4, extendable=False), 3)
    with pytest.raises(ApiError, match="cannot reset the port"):
        await svc.reset(ru.code)
