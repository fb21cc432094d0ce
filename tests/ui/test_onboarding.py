"""First run: key checked with a balance call, saved 0600 only when it works, demo in-process."""

from __future__ import annotations

import socket
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input

from smspool_tui.config import load_settings
from smspool_tui.core.onboarding import KeyCheckError, check_key
from smspool_tui.ui.screens.confirm import ProblemScreen
from smspool_tui.ui.screens.onboarding import OnboardingScreen
from smspool_tui.ui.screens.orders import OrdersScreen
from smspool_tui.ui.widgets.header import StatusHeader
from tests.harness import SimHandle, make_paths, make_test_app, wait_until

WRONG_KEY = "Z" * 32


def _first_run_app(tmp_path: Path, base_url: str):
    return make_test_app(None, tmp_path, monitors=False, base_url=base_url)


def _message(app) -> str:
    return str(app.screen.query_one("#onb-message").render())


def _free_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def _paste_and_submit(pilot, text: str) -> None:
    key_input = pilot.app.screen.query_one("#onb-key", Input)
    key_input.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.press("enter")


async def test_good_key_is_checked_saved_private_and_opens_orders(
    sim: SimHandle, tmp_path: Path
) -> None:
    app = _first_run_app(tmp_path, sim.url)
    config = make_paths(tmp_path).config_file
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, OnboardingScreen)
        assert app.screen.query_one("#onb-key", Input).password
        await _paste_and_submit(pilot, f"  {sim.key}\n")
        await wait_until(lambda: isinstance(app.screen, OrdersScreen))
        await pilot.pause()
        assert app.balance == Decimal("50.00")
        assert "50.00" in str(app.screen.query_one("#hdr-balance").render())
        assert app.session is not None
        # The key never shows on screen.
        assert sim.key not in app.export_screenshot()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    reloaded = load_settings(config, environ={})
    assert reloaded.settings.api_key is not None
    assert reloaded.settings.api_key.get_secret_value() == sim.key
    assert reloaded.key_source == "file"
    assert reloaded.settings.base_url == sim.url


async def test_wrong_key_explains_and_saves_nothing(sim: SimHandle, tmp_path: Path) -> None:
    app = _first_run_app(tmp_path, sim.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await _paste_and_submit(pilot, WRONG_KEY)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, OnboardingScreen)
        assert "did not accept this key" in _message(app)
        assert WRONG_KEY not in app.export_screenshot()
        assert sim.engine.requests, "the key was checked with the server"
        assert app.session is None
    assert not make_paths(tmp_path).config_file.exists()


async def test_wrong_length_is_refused_before_any_request(sim: SimHandle, tmp_path: Path) -> None:
    app = _first_run_app(tmp_path, sim.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"abc123", "enter")
        await pilot.pause()
        assert "32 letters and digits" in _message(app)
        assert isinstance(app.screen, OnboardingScreen)
    assert sim.engine.requests == []
    assert not make_paths(tmp_path).config_file.exists()


async def test_network_down_says_so(tmp_path: Path) -> None:
    app = _first_run_app(tmp_path, _free_port_url())
    async with app.run_test(size=(100, 30)) as pilot:
        await _paste_and_submit(pilot, "A" * 32)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Could not reach SMSPool" in _message(app)
        assert isinstance(app.screen, OnboardingScreen)
    assert not make_paths(tmp_path).config_file.exists()


async def test_goto_keys_are_off_until_a_key_works(sim: SimHandle, tmp_path: Path) -> None:
    app = _first_run_app(tmp_path, sim.url)
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#onb-check").focus()
        await pilot.press("o", "b", "s")
        assert isinstance(app.screen, OnboardingScreen)


async def test_demo_runs_in_process_and_writes_nothing_of_the_user(tmp_path: Path) -> None:
    app = _first_run_app(tmp_path, "https://api.smspool.net")
    user_config = make_paths(tmp_path).config_file
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await wait_until(lambda: isinstance(app.screen, OrdersScreen))
        await pilot.pause()
        assert app.demo
        assert "DEMO" in str(app.screen.query_one(StatusHeader).query_one("#hdr-mode").render())
        assert app.loaded.path != user_config
        assert app.loaded.path.is_relative_to(Path(app.paths.data_dir).parent)
        server = app.demo_server
        assert server is not None
    assert not user_config.exists()
    with pytest.raises(OSError):  # the simulator stopped with the app
        socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), timeout=1)


async def test_key_from_environment_is_used_and_never_written(
    sim: SimHandle, tmp_path: Path
) -> None:
    config = make_paths(tmp_path).config_file
    loaded = load_settings(config, environ={"SMSPOOL_API_KEY": sim.key})
    assert loaded.key_source == "env"
    loaded.settings.poll_interval = 7
    from smspool_tui.config import save_settings

    save_settings(loaded)
    assert sim.key not in config.read_text()
    assert load_settings(config, environ={}).settings.api_key is None


async def test_check_key_core(sim: SimHandle) -> None:
    key, balance = await check_key(sim.url, f" {sim.key} ", timeout=5)
    assert (key.get_secret_value(), balance) == (sim.key, Decimal("50.00"))
    assert sim.key not in repr(key)
    with pytest.raises(KeyCheckError) as bad:
        await check_key(sim.url, WRONG_KEY, timeout=5)
    assert bad.value.kind == "auth" and WRONG_KEY not in str(bad.value)
    with pytest.raises(KeyCheckError) as short:
        await check_key(sim.url, "short", timeout=5)
    assert short.value.kind == "format"


async def test_unwritable_data_dir_is_reported_not_a_crash(sim: SimHandle, tmp_path: Path) -> None:
    app = _first_run_app(tmp_path, sim.url)
    blocker = make_paths(tmp_path).data_dir
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the data directory should be")
    async with app.run_test(size=(100, 30)) as pilot:
        await _paste_and_submit(pilot, sim.key)
        await wait_until(lambda: isinstance(app.screen, ProblemScreen))
        text = str(app.screen.query_one("#problem-text").render())
        assert str(blocker / "journal.sqlite3") in text and "writable" in text
        await pilot.press("enter")  # the message goes; onboarding is still there to retry
        await wait_until(lambda: isinstance(app.screen, OnboardingScreen))
        assert app.session is None and app.is_running


async def test_loading_indicator_while_checking(
    monkeypatch: pytest.MonkeyPatch, sim: SimHandle, tmp_path: Path
) -> None:
    import asyncio

    from smspool_tui.ui.screens import onboarding

    release = asyncio.Event()
    started: list[str] = []  # one entry per key check that began

    async def slow_check(base_url: str, key: object, *, timeout: float) -> tuple[str, Decimal]:
        started.append(base_url)
        await release.wait()
        raise KeyCheckError("Could not reach SMSPool.", "network")

    monkeypatch.setattr(onboarding, "check_key", slow_check)
    app = _first_run_app(tmp_path, sim.url)
    async with app.run_test(size=(100, 30)) as pilot:
        indicator = app.screen.query_one("#onb-loading")
        assert not indicator.display
        await _paste_and_submit(pilot, sim.key)
        await wait_until(lambda: indicator.display)
        assert len(started) == 1
        assert app.focused is app.screen.query_one("#onb-key", Input)  # enter reaches the field
        await pilot.press("enter")  # a second enter while busy starts nothing
        await pilot.pause()
        await pilot.pause()
        assert len(started) == 1, "a second key check started while one was running"
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not indicator.display
        assert "Could not reach SMSPool" in _message(app)
