"""Footer refreshes per cursor move on the Orders board (goal: only when the keys change).

A headless app shows a board of 20 orders (15 waiting for a code, then 5 with one) and the
cursor walks down it with the arrow key. Every `refresh_bindings` recomposes the Footer (about
20 ms), so the board should call it only where the enabled keys change: once, at the first
order with a code. Prints the calls per move and the time per move.
Run: `python benchmarks/bench_footer.py`.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from _common import Bench, verdict

from smspool_tui.core.events import OrdersChanged
from smspool_tui.core.order_model import Order, OrderState

WAITING, WITH_CODE = 15, 5
GOAL = 0.1  # refreshes per move: 1 change in 19 moves is 0.05


def board(now) -> tuple[Order, ...]:  # type: ignore[no-untyped-def]
    minute = timedelta(minutes=1)
    waiting = [
        Order(f"W{i:02d}", "Telegram", "United States", f"1415555{i:04d}", cost=Decimal("0.33"),
              purchased_at=now - minute, expires_at=now + 19 * minute,
              cancel_opens_at=now - minute)
        for i in range(WAITING)
    ]  # fmt: skip
    coded = [
        Order(f"C{i:02d}", "WhatsApp", "Germany", f"49151{i:06d}", OrderState.RECEIVED,
              code=f"{100000 + i}", cost=Decimal("0.67"), purchased_at=now - 4 * minute,
              expires_at=now + 16 * minute, cancel_opens_at=now - minute)
        for i in range(WITH_CODE)
    ]  # fmt: skip
    return tuple(waiting + coded)


async def run(bench: Bench) -> tuple[int, int, list[float]]:
    app = bench.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.emit(OrdersChanged(board(app.clock.now())))  # type: ignore[attr-defined]
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#orders-table")
        table.focus()
        await pilot.pause()
        calls: list[int] = []
        refresh = screen.refresh_bindings
        screen.refresh_bindings = lambda: (calls.append(1), refresh())[1]  # type: ignore[method-assign]
        times: list[float] = []
        moves = WAITING + WITH_CODE - 1
        for _ in range(moves):
            start = time.perf_counter()
            await pilot.press("down")
            await pilot._wait_for_screen()
            times.append((time.perf_counter() - start) * 1000)
        await pilot.pause()
        return len(calls), moves, times


def main() -> None:
    bench = Bench(monitors=False)
    try:
        calls, moves, times = asyncio.run(run(bench))
    finally:
        bench.close()
    per_move = calls / moves
    print(f"cursor moves on a board of {WAITING + WITH_CODE} orders: {moves}")
    print(
        f"  per move median {statistics.median(times):.1f} ms (Pilot.press, includes its idle wait)"
    )
    print(f"  footer refreshes per move {per_move:.2f} ({calls} refresh_bindings calls)")
    print(
        f"  goal   <= {GOAL} footer refreshes per cursor move (only when keys change):"
        f" {verdict(per_move <= GOAL)}"
    )


if __name__ == "__main__":
    main()
