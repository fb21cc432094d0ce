"""The real API client against the simulator over loopback: every method parses its answers."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from smspool_tui.api import errors
from smspool_tui.api.client import SMSPoolClient
from smspool_tui.clock import FakeClock
from smspool_tui.sim.engine import DEMO_KEY, SimEngine
from smspool_tui.sim.server import SimServer


@pytest.fixture
def sim(engine: SimEngine) -> Iterator[SimServer]:
    engine.set_balance(Decimal("100"))
    engine.seed_demo()
    with SimServer(engine) as srv:
        yield srv


async def _no_sleep(_: float) -> None:
    return None


async def test_every_method_round_trips(sim: SimServer, clock: FakeClock) -> None:
    async with SMSPoolClient(DEMO_KEY, base_url=sim.url, sleep=_no_sleep) as c:
        assert len(await c.countries()) > 140 and len(await c.services()) >= 800
        assert await c.pools() and await c.balance() == Decimal("100.00")
        assert (await c.price("US", "Telegram")).price > 0
        assert await c.suggested_countries(907) and await c.pool_prices("US", 907)
        assert await c.success_rates(907) and (await c.stock("US", 907)).amount > 0
        bought = await c.purchase_sms("US", 907)
        with pytest.raises(errors.CancelTooEarly):
            await c.cancel_sms(bought.order_id)
        clock.advance(20)
        assert (await c.check_sms(bought.order_id)).sms
        assert (await c.check_resend(bought.order_id)).resends == 3  # left
        assert (await c.resend_sms(bought.order_id)).order_id == bought.order_id
        assert len(await c.active_orders()) == 3 and len(await c.history()) == 3
        with pytest.raises(errors.NotFound):
            await c.cancel_sms("ZZZZZZZZ")
        assert (await c.cancel_all()).success and (await c.archive_orders()).success
        with pytest.raises(errors.PriceNotFound):
            await c.purchase_sms("US", 907, max_price=Decimal("0.01"))
        assert await c.rental_catalog(True) and await c.rental_catalog(False)
        rental = await c.purchase_rental(7, 30, service_id=1108)
        assert (await c.refund_rental(rental.rental_code)).success
        rental = await c.purchase_rental(6, 30)
        clock.advance(45)
        assert len(await c.rental_messages(rental.rental_code)) == 2
        assert (await c.rental_status(rental.rental_code)).available
        with pytest.raises(errors.ApiError):
            await c.refund_rental(rental.rental_code)
        assert (await c.extend_rental(rental.rental_code, 30)).expiration_date
        assert len(await c.my_rentals()) == 2
        assert (await c.rental_info(rental.rental_code)).rental_code == rental.rental_code
        assert (await c.rental_pricing(7)).pricing


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("500", errors.ServerError),
        ("502html", errors.ServerError),
        ("malformed", errors.BadResponse),
        ("403", errors.AuthError),
        ("422_out_of_stock", errors.OutOfStock),
        ("wrongtype", errors.BadResponse),
    ],
)
async def test_faults_map_to_client_errors(
    sim: SimServer, engine: SimEngine, kind: str, error: type[Exception]
) -> None:
    engine.force_fault(kind, count=10)
    async with SMSPoolClient(DEMO_KEY, base_url=sim.url, sleep=_no_sleep, retries=1) as c:
        with pytest.raises(error):
            await c.balance()
