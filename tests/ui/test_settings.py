"""Settings: live changes, saved 0600 and reloaded from disk; invalid values refused in place."""

from __future__ import annotations

import stat
from decimal import Decimal
from pathlib import Path

from textual import events
from textual.widgets import Checkbox, Input, Select

from smspool_tui.config import PricingChoice, load_settings
from smspool_tui.ui.screens.confirm import ConfirmScreen
from smspool_tui.ui.screens.onboarding import OnboardingScreen
from smspool_tui.ui.screens.settings import SettingsScreen
from tests.harness import SimHandle, make_paths, make_test_app, wait_until


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def _type_into(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    if len(text) > 6:  # a key is pasted, not typed (and typing 32 keys costs seconds)
        field.post_message(events.Paste(text))
        await pilot.pause()
        await pilot.press("enter")
    else:
        await pilot.press(*text, "enter")
    await pilot.pause()


async def test_settings_round_trip_to_disk(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    config = make_paths(tmp_path).config_file
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await _type_into(pilot, "#set-poll_interval", "12")
        assert app.settings.poll_interval == 12
        assert app.session.orders.poll_interval == 12  # the monitor follows at once
        await _type_into(pilot, "#set-max_price", "1.25")
        assert app.settings.max_price == Decimal("1.25")
        app.screen.query_one("#set-pricing_option", Select).value = PricingChoice.CHEAPEST.value
        await pilot.pause()
        app.screen.query_one("#set-notify-bell", Checkbox).focus()
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#set-theme", Select).value = "nord"
        await pilot.pause()
        assert app.theme == "nord"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    reloaded = load_settings(config, environ={}).settings
    assert reloaded.poll_interval == 12
    assert reloaded.max_price == Decimal("1.25")
    assert reloaded.pricing_option is PricingChoice.CHEAPEST
    assert reloaded.notifications.bell is True
    assert reloaded.theme == "nord"
    assert reloaded.api_key is not None and reloaded.api_key.get_secret_value() == sim.key


async def test_invalid_values_are_refused_in_place(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    config = make_paths(tmp_path).config_file
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await _type_into(pilot, "#set-poll_interval", "500")
        assert "Not saved" in _text(app, "#set-poll_interval-error")
        assert "between 2 and 60" in _text(app, "#set-poll_interval-error")
        assert app.settings.poll_interval == 5
        await _type_into(pilot, "#set-max_price", "0")
        assert "more than 0" in _text(app, "#set-max_price-error")
        assert app.settings.max_price is None
        # Fixing the value clears the message.
        await _type_into(pilot, "#set-poll_interval", "30")
        assert _text(app, "#set-poll_interval-error") == ""
    assert load_settings(config, environ={}).settings.poll_interval == 30


async def test_key_is_never_shown_only_its_last_four(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        status = _text(app, "#set-key-status")
        assert "…" + sim.key[-4:] in status
        assert sim.key[:-4] not in app.export_screenshot()


async def test_replace_key_checks_before_saving(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    config = make_paths(tmp_path).config_file
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await _type_into(pilot, "#set-key-new", "Q" * 32)
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        assert "did not accept" in _text(app, "#set-key-error")
        assert not config.exists()
        await _type_into(pilot, "#set-key-new", "short")
        assert "32 letters and digits" in _text(app, "#set-key-error")
        old_session = app.session
        await _type_into(pilot, "#set-key-new", sim.key)
        await app.screen.workers.wait_for_complete()
        await wait_until(lambda: app.session is not old_session)
        assert "New key saved" in _text(app, "#set-key-error")
    assert load_settings(config, environ={}).key_source == "file"


async def test_remove_key_asks_then_signs_out(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    config = make_paths(tmp_path).config_file
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.settings.api_key is not None
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(lambda: isinstance(app.screen, OnboardingScreen))
        assert app.session is None
    assert load_settings(config, environ={}).settings.api_key is None


async def test_demo_settings_save_to_the_demo_path_only(tmp_path: Path) -> None:
    app = make_test_app(None, tmp_path, monitors=False)
    user_config = make_paths(tmp_path).config_file
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+t")
        await wait_until(lambda: app.session is not None and app.screen.id != "_default")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await _type_into(pilot, "#set-poll_interval", "9")
        assert app.loaded.path.exists()
        assert app.screen.query_one("#set-key-remove").disabled
    assert not user_config.exists()


async def test_unknown_theme_in_the_file_falls_back(sim: SimHandle, tmp_path: Path) -> None:
    app = make_test_app(sim, tmp_path, monitors=False, theme="no-such-theme")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert app.screen.query_one("#set-theme", Select).value == "textual-dark"


async def test_key_from_environment_is_shown_locked_and_never_saved(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    app.loaded.key_source = "env"
    app.loaded.overridden = frozenset({"api_key"})
    config = make_paths(tmp_path).config_file
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert "SMSPOOL_API_KEY" in _text(app, "#set-key-status")
        assert app.screen.query_one("#set-key-new").disabled
        await _type_into(pilot, "#set-poll_interval", "8")
    assert sim.key not in config.read_text()
    assert "poll_interval = 8" in config.read_text()


async def test_refusal_clears_as_soon_as_a_valid_value_is_typed(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_until(lambda: isinstance(app.screen, SettingsScreen))
        await _type_into(pilot, "#set-poll_interval", "500")
        assert "between 2 and 60" in _text(app, "#set-poll_interval-error")
        field = app.screen.query_one("#set-poll_interval", Input)
        await pilot.press("backspace", "backspace")  # "5": valid, not submitted yet
        await pilot.pause()
        assert field.value == "5" and _text(app, "#set-poll_interval-error") == ""
        await pilot.press("backspace", "1", "5", "enter")
        await pilot.pause()
        assert "Saved to" in _text(app, "#set-saved") and app.settings.poll_interval == 15
        await pilot.press("backspace", "backspace")  # emptied: nothing saved any more
        await pilot.pause()
        assert "Saved to" not in _text(app, "#set-saved")


async def test_an_open_menu_pushes_the_rows_below_instead_of_covering_them(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_until(lambda: isinstance(app.screen, SettingsScreen))
        below = app.screen.query_one("#set-max_price", Input)
        before = below.region.y
        pricing = app.screen.query_one("#set-pricing_option", Select)
        pricing.focus()
        await pilot.press("enter")
        await wait_until(lambda: pricing.expanded)
        await pilot.pause()
        overlay = pricing.query_one("SelectOverlay")
        assert below.region.y > before and not overlay.region.overlaps(below.region)


async def test_a_theme_chosen_in_the_palette_survives_a_restart(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = make_test_app(sim, tmp_path, monitors=False)
    config = make_paths(tmp_path).config_file
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "nord"  # what the palette's Theme command does
        await pilot.pause()
    saved = load_settings(config, environ={}).settings.theme
    assert saved == "nord"
    again = make_test_app(sim, tmp_path, monitors=False, theme=saved)  # as the CLI loads it
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_until(lambda: isinstance(again.screen, SettingsScreen))
        assert again.theme == "nord"
        assert again.screen.query_one("#set-theme", Select).value == "nord"
