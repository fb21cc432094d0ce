"""Run by test_kill: the real app, headless, buying orders and rentals until it is SIGKILLed.

    python -m tests.faults.kill_driver BASE_URL API_KEY ROOT

Prints "bought <id>" / "rented <code>" as answers come back, and "go" just before each purchase
request leaves, so the test can aim its kill at a request in flight.
"""

from __future__ import annotations

import sys
from pathlib import Path

from smspool_tui.clock import SystemClock
from smspool_tui.core.session import Session
from smspool_tui.ui.app import make_app
from tests.harness import make_loaded, make_paths


def main() -> None:
    url, key, root = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    loaded = make_loaded(None, root, api_key=key, base_url=url, poll_interval=2)
    paths = make_paths(root)
    session = Session.open(loaded, paths, clock=SystemClock())
    app = make_app(loaded, paths, session=session)

    async def buy_forever(pilot) -> None:  # type: ignore[no-untyped-def]
        offer = next(o for o in await session.rentals.catalog(True) if o.id == 9)
        for i in range(1000):
            print("go", flush=True)
            if i % 3 == 1:
                rental = await session.rentals.purchase(offer, 7)
                print("rented", rental.code, flush=True)
            else:
                # A purchase cut off by the last kill is still open: "buy another anyway" is
                # what this driver means (the test checks nothing is lost or doubled).
                order = await session.orders.purchase(
                    "US",
                    "Telegram",
                    country_name="US",
                    service_name="Telegram",
                    allow_duplicate=True,
                )
                print("bought", order.order_id, flush=True)

    app.run(headless=True, size=(100, 30), auto_pilot=buy_forever)


if __name__ == "__main__":
    main()
