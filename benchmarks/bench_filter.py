"""Time per filter keystroke on the Browse screen with 1,000 services (goal: under 16 ms).

A headless SmsPoolApp opens Browse over a warm catalog cache holding 1,000 services, then types
queries one character at a time. Each keystroke is timed from handing the Key event to the driver
until the filter has run on it (Input.Changed -> fuzzy filter -> OptionList.set_options), the
messages it caused are processed and the screen has been repainted. Pilot.press is not used for
the timing: it sleeps in 20 ms steps waiting for idle, which would swamp the figure.
Run: `python benchmarks/bench_filter.py`.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from pathlib import Path

from _common import Bench, verdict
from textual import events

from smspool_tui.sim.catalog import COUNTRIES, SERVICES

GOAL_MS = 16.0
labels: list[str] = []
cpu_ms: list[float] = []  # CPU time per keystroke: less swayed by other load on the machine
SERVICES_COUNT = 1000
QUERIES = ("telegram", "tg", "whatsapp", "the very long", "xyz", "g")


def warm_cache(cache_dir: Path, now: float) -> None:
    """Write a fresh catalog cache: the sim's services padded to 1,000 with variants."""
    services = [{"id": s.id, "name": s.name, "favourite": bool(s.favourite)} for s in SERVICES]
    n = 0
    while len(services) < SERVICES_COUNT:
        base = SERVICES[n % len(SERVICES)]
        services.append({"id": 5000 + n, "name": f"{base.name} Pro {n}", "favourite": False})
        n += 1
    countries = [
        {"id": c.id, "name": c.name, "short_name": c.short_name, "region": c.region}
        for c in COUNTRIES
    ]
    cache_dir.mkdir(parents=True, exist_ok=True)
    for kind, items in (("services", services), ("countries", countries)):
        payload = {"version": 1, "saved_at": now, "items": items}
        (cache_dir / f"{kind}.json").write_text(json.dumps(payload))


async def run(bench: Bench) -> list[float]:
    app = bench.app()
    warm_cache(bench.root / "cache", time.time())
    timings: list[float] = []
    labels.clear()
    cpu_ms.clear()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("slash")  # the list has focus on arrival; / focuses the filter
        screen = app.screen
        services = screen.services_list  # type: ignore[attr-defined]
        assert services.option_count == SERVICES_COUNT, services.option_count
        for query in QUERIES:
            for i, ch in enumerate(query, 1):
                start = time.perf_counter()
                cpu = time.process_time()
                key = events.Key("space" if ch == " " else ch, ch)
                app._driver.send_message(key)  # type: ignore[union-attr]
                while services.query_text != query[:i].strip():
                    await asyncio.sleep(0)
                await pilot._wait_for_screen()  # the messages the keystroke caused
                app.screen._on_timer_update()  # paint now (what the refresh timer would do)
                timings.append((time.perf_counter() - start) * 1000)
                cpu_ms.append((time.process_time() - cpu) * 1000)
                labels.append(query[:i])
            assert services.query_text == query
            await pilot.press("escape")  # clear for the next query
            await pilot.pause()
    return timings


def main() -> None:
    bench = Bench(monitors=False)
    try:
        timings = asyncio.run(run(bench))
    finally:
        bench.close()
    worst = sorted(zip(timings, labels, strict=True), reverse=True)[:5]
    print("slowest keystrokes: " + ", ".join(f"{q!r} {ms:.1f} ms" for ms, q in worst))
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"filter keystroke on {SERVICES_COUNT} services, {len(timings)} keystrokes:")
    print(f"  median {statistics.median(timings):6.2f} ms")
    print(f"  p95    {p95:6.2f} ms")
    print(f"  max    {timings[-1]:6.2f} ms")
    cpu = sorted(cpu_ms)
    cpu_p95 = cpu[int(len(cpu) * 0.95) - 1]
    print(
        f"  cpu    median {statistics.median(cpu):.2f} ms, p95 {cpu_p95:.2f} ms"
        f" (load average now {os.getloadavg()[0]:.2f})"
    )
    print(f"  goal   < {GOAL_MS:.0f} ms per keystroke (p95): {verdict(p95 < GOAL_MS)}")


if __name__ == "__main__":
    main()
