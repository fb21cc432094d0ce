"""The header: health said once and never over the balance; where a rejected key is fixed;
no LIVE before a key exists (issue 19)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from smspool_tui.core import events as ev
from smspool_tui.ui.widgets.header import header_health
from tests.harness import SimHandle, make_test_app


def test_health_says_each_problem_once_with_the_soonest_retry() -> None:
    text = header_health(["offline - retrying in 4s", "offline - retrying in 8s"])
    assert text == "offline · retry in 4s"
    assert header_health([]) == ""


def test_a_rejected_key_says_where_it_is_fixed() -> None:
    rejected = "API key rejected (s: Settings) - retrying in 30s"
    assert header_health([rejected], "file") == "API key rejected (s: Settings)"
    from_env = header_health(["offline - retrying in 4s", rejected], "env")
    assert from_env == "API key rejected: fix SMSPOOL_API_KEY"
    assert "s: Settings" not in header_health([rejected], "flag")


async def test_health_never_pushes_the_balance_out_at_80_columns(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    app.loaded.key_source = "env"
    async with app.run_test(size=(80, 24)) as pilot:
        app.emit(ev.BalanceChanged(Decimal("1234.50")))
        app.emit(ev.MonitorHealth("orders", False, "offline - retrying in 4s", 4))
        app.emit(ev.MonitorHealth("balance", False, "offline - retrying in 8s", 8))
        rejected = "API key rejected (s: Settings) - retrying in 30s"
        app.emit(ev.MonitorHealth("rentals", False, rejected, 30))
        await pilot.pause()
        header = app.screen.query_one("StatusHeader")
        balance = header.query_one("#hdr-balance")
        health = header.query_one("#hdr-health")
        assert balance.region.right <= 80 and "$1,234.50" in str(balance.render())
        shown = str(health.render())
        assert shown == "API key rejected: fix SMSPOOL_API_KEY"
        assert health.region.width >= len(shown), "not cut"
        app.emit(ev.MonitorHealth("rentals", True, "online"))
        await pilot.pause()
        assert str(health.render()) == "offline · retry in 4s"


async def test_onboarding_shows_no_live_before_a_key(tmp_path: Path) -> None:
    app = make_test_app(None, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "OnboardingScreen"
        mode = app.screen.query_one("#hdr-mode")
        assert not mode.display and "LIVE" not in str(mode.render())
        assert not app.screen.query_one("#hdr-balance").display
