"""A share link instead of an order id (create_token), end to end against the simulator."""

from __future__ import annotations

from collections.abc import Callable

from smspool_tui.core.journal import Journal
from smspool_tui.core.order_model import Order
from smspool_tui.core.orders.purchase_options import PurchaseOptions
from smspool_tui.sim.engine import SimEngine
from tests.core import test_orders_sim as base
from tests.core.conftest import Rig
from tests.core.test_orders_sim import TELEGRAM, US

clients, start_sim, sim_rig = base.clients, base.start_sim, base.sim_rig
SimRig = Callable[..., tuple[Rig, SimEngine]]


async def test_a_token_purchase_is_a_token_row_kept_in_the_journal(sim_rig: SimRig) -> None:
    r, engine = sim_rig()
    await r.started()
    before = engine.balance
    order = await r.svc.purchase(
        US, TELEGRAM, country_name="United States", service_name="Telegram",
        options=PurchaseOptions(create_token=True),
    )  # fmt: skip
    await r.idle()
    sent = [q for q in engine.requests if q.path == "purchase/sms"][-1].params
    assert sent["create_token"] == "1"
    assert order.is_token and order.share_url is not None
    assert order.share_url.startswith("https://api.smspool.net/token/")
    assert order.order_id == "token:" + order.share_url.rsplit("/", 1)[1]
    assert engine.balance < before  # it was bought
    assert order.cancel_in(r.clock.now()) is None  # nothing to cancel by id
    stored = r.journal.get_order(order.order_id)
    assert stored is not None and stored.share_url == order.share_url
    assert not r.svc.ledger.open()
    # The poller never asks sms/check about a token: it has no order id.
    await r.run_for(30 * 60, step=30)
    checked = [q.params.get("orderid") for q in engine.requests if q.path == "sms/check"]
    assert order.order_id not in checked
    assert r.svc.get(order.order_id) is not None  # off the board after its time, in the journal
    assert order.order_id not in {o.order_id for o in r.svc.orders_snapshot()}


def test_share_url_survives_a_restart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, tzinfo=UTC)
    journal = Journal(tmp_path / "j.sqlite", now=lambda: now)
    url = "https://api.smspool.net/token/TESTTOKEN0000000000000000000000A"
    token = Order("token:T", "Telegram", "United States", "15550100104", share_url=url)
    journal.upsert_order(token)
    journal.upsert_order(Order("token:T", "Telegram", "United States", "15550100104"))
    journal.close()
    again = Journal(tmp_path / "j.sqlite", now=lambda: now)
    stored = again.get_order("token:T")
    assert stored is not None and stored.share_url == url and stored.is_token
    again.close()
