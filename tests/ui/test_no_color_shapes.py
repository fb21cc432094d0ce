"""NO_COLOR: the chosen pricing option and a key that cannot act differ in shape, not shade."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from smspool_tui.core.events import OrdersChanged
from tests.harness import SimHandle, make_test_app, wait_until
from tests.ui.buyflow import open_purchase
from tests.ui.test_orders_board import board_orders


async def test_chosen_pricing_radio_is_marked(
    monkeypatch: pytest.MonkeyPatch, sim: SimHandle, tmp_path: Path
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_test_app(sim, tmp_path, monitors=False)
    assert app.no_color
    async with app.run_test(size=(100, 40)) as pilot:
        await open_purchase(pilot)
        chosen = [
            r
            for r in app.screen.query("#purchase-option RadioButton")
            if r.value  # type: ignore[attr-defined]
        ]
        assert len(chosen) == 1
        for radio in app.screen.query("#purchase-option RadioButton"):
            mark = "●" in str(radio.render())
            assert mark is radio.value  # type: ignore[attr-defined]


async def test_a_key_that_cannot_act_is_struck_through(
    monkeypatch: pytest.MonkeyPatch, sim: SimHandle, tmp_path: Path
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.emit(OrdersChanged(board_orders(sim.clock.now())))
        table = app.screen.query_one("OrderTable")
        await wait_until(lambda: table.row_count == 5)
        table.focus()
        await pilot.pause()
        keys = {k.key: k for k in app.screen.query(FooterKey)}
        off, on = keys["c"], keys["x"]  # the first row has no code yet; it can be cancelled
        assert off.has_class("-disabled") and not on.has_class("-disabled")

        def struck(key: FooterKey) -> bool:
            text = key.render()
            return any(s.style and "strike" in str(s.style) for s in text.spans) or (
                "strike" in str(text.style)
            )

        assert struck(off) and not struck(on)
