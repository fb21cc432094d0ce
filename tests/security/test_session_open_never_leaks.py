"""A session that cannot open says which file and what to do, never with a traceback, and the
key reaches neither the screen, nor the output, nor any file; with TEXTUAL_LOG set, typing or
pasting the key writes it to no log line (worker descriptions, Input message reprs, Paste)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import textual.constants
from textual import events

from smspool_tui.ui.screens.confirm import ProblemScreen
from smspool_tui.ui.screens.onboarding import OnboardingScreen
from smspool_tui.ui.screens.orders import OrdersScreen
from smspool_tui.ui.screens.settings import SettingsScreen
from tests.faults.common import SECRET_KEY, assert_no_key, screen_text
from tests.harness import make_loaded, make_paths, start_sim, wait_until

SIZE = (100, 30)
DEAD_URL = "http://127.0.0.1:9"


def _newer_journal(root: Path) -> Path:
    path = make_paths(root).data_dir / "journal.sqlite3"
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=99")
    return path


def _data_dir_under_a_file(root: Path) -> Path:
    # chmod 0500 does not stop root, which runs these tests; a file as the parent stops anyone.
    blocker = make_paths(root).data_dir
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the data folder's parent should be")
    return blocker


def _keyed_app(root: Path, data_dir: Path | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    from smspool_tui.ui.app import make_app

    paths = make_paths(root)
    if data_dir is not None:
        paths = paths.model_copy(update={"data_dir": data_dir})
    app = make_app(make_loaded(None, root, api_key=SECRET_KEY, base_url=DEAD_URL), paths, **kwargs)
    app.animation_level = "none"
    return app


def _files_hold_no_key(root: Path, *, key: str = SECRET_KEY, except_: tuple[Path, ...] = ()) -> int:
    seen = 0
    for path in root.rglob("*"):
        if path.is_file() and path not in except_:
            assert_no_key(path.read_bytes(), key=key, where=str(path))
            seen += 1
    return seen


@pytest.mark.parametrize("broken", ["newer-schema", "data-dir-under-a-file"])
async def test_a_session_that_cannot_open_says_why_and_quits_with_2(
    tmp_path: Path, broken: str
) -> None:
    if broken == "newer-schema":
        journal = _newer_journal(tmp_path)
        app = _keyed_app(tmp_path)
        expected = [str(journal), "newer than this app", "Upgrade smspool-tui"]
    else:
        blocker = _data_dir_under_a_file(tmp_path)
        app = _keyed_app(tmp_path, data_dir=blocker / "data")
        expected = [str(blocker / "data" / "journal.sqlite3"), "writable"]
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: isinstance(app.screen, ProblemScreen))
        await pilot.pause()
        shown = screen_text(app)
        for words in expected:
            assert words in app.startup_problem
        assert "cannot start" in shown and "journal" in shown
        assert_no_key(shown, where="the problem screen")
        assert app.session is None
        await pilot.press("enter")
        await wait_until(lambda: not app.is_running)
    assert app.return_code == 2
    assert _files_hold_no_key(tmp_path) >= 1


async def test_an_unexpected_error_at_open_is_shown_without_the_key(tmp_path: Path) -> None:
    def explode(loaded, paths):  # type: ignore[no-untyped-def]
        key = loaded.settings.api_key.get_secret_value()
        raise RuntimeError(f"client refused {key}")  # the worst case: the key in the text

    app = _keyed_app(tmp_path, session_factory=explode)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: isinstance(app.screen, ProblemScreen))
        await pilot.pause()
        shown = screen_text(app)
        assert "RuntimeError: client refused" in shown
        assert_no_key(shown, where="the problem screen")
        assert_no_key(app.startup_problem or "", where="the startup problem")
        await pilot.press("enter")
        await wait_until(lambda: not app.is_running)
    assert app.return_code == 2


# The real `cli.main()`, headless, with a pilot that presses enter once the message is up.
CLI_DISMISSING_THE_PROBLEM = """
import sys
from textual.app import App
from smspool_tui import cli
from smspool_tui.ui.screens.confirm import ProblemScreen

real_run = App.run

async def dismiss(pilot):
    while not isinstance(pilot.app.screen, ProblemScreen):
        await pilot.pause(0.01)
    await pilot.pause()
    await pilot.press("enter")

App.run = lambda self, **kw: real_run(self, headless=True, auto_pilot=dismiss)
cli.has_terminal = lambda: True  # headless here: the pilot is the terminal
sys.exit(cli.main([]))
"""


def test_cli_start_on_a_newer_journal_exits_2_with_one_message(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).parents[2]),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "SMSPOOL_API_KEY": SECRET_KEY,
        "SMSPOOL_BASE_URL": DEAD_URL,
        "TEXTUAL_LOG": str(tmp_path / "textual.log"),
    }
    from smspool_tui.config import default_paths

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        journal = default_paths().data_dir / "journal.sqlite3"
    finally:
        os.environ.clear()
        os.environ.update(saved)
    journal.parent.mkdir(parents=True)
    with sqlite3.connect(journal) as db:
        db.execute("PRAGMA user_version=99")
    proc = subprocess.run(
        [sys.executable, "-c", CLI_DISMISSING_THE_PROBLEM],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert f"Cannot open the journal {journal}" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert_no_key(proc.stdout + proc.stderr, where="the output")
    assert (tmp_path / "textual.log").stat().st_size > 0
    assert _files_hold_no_key(tmp_path) >= 2


async def test_typing_the_key_into_onboarding_and_settings_logs_it_nowhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # TEXTUAL_LOG is read once at import; the log writer looks the constant up on each call.
    log = tmp_path / "textual.log"
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(log))
    other = SECRET_KEY[::-1]  # the replacement key, also valid on the sim below
    sim = start_sim(api_key=SECRET_KEY)
    sim.engine.api_key = SECRET_KEY
    try:
        from smspool_tui.ui.app import make_app

        loaded = make_loaded(None, tmp_path, base_url=sim.url)
        app = make_app(loaded, make_paths(tmp_path), monitors=False)
        app.animation_level = "none"
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, OnboardingScreen)
            await pilot.press(*SECRET_KEY, "enter")  # typed, one real key press at a time
            await wait_until(lambda: isinstance(app.screen, OrdersScreen))
            await pilot.press("s")
            await wait_until(lambda: isinstance(app.screen, SettingsScreen))
            await pilot.press("ctrl+k")
            sim.engine.api_key = other
            app.screen.query_one("#set-key-new").post_message(events.Paste(other))
            await pilot.pause()
            await pilot.press("enter")
            await wait_until(lambda: "New key saved" in screen_text(app))
            for key in (SECRET_KEY, other):
                assert_no_key(screen_text(app), key=key, where="the settings screen")
    finally:
        sim.stop()
    text = log.read_text()
    # The log really holds what used to leak, so an empty or unrelated log cannot pass.
    assert "SecretInput.Changed(" in text and "SecretInput.Submitted(" in text
    assert "check the API key" in text and "check the new API key" in text
    assert "Paste(length=32)" in text
    config = make_paths(tmp_path).config_file
    assert other in config.read_text()  # saved there on purpose (0600), and only there
    for key in (SECRET_KEY, other):
        assert_no_key(text, key=key, where="TEXTUAL_LOG")
        assert _files_hold_no_key(tmp_path, key=key, except_=(config,)) >= 2
