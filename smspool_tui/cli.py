"""Command line: `smspool-tui [--demo] [--config PATH] [--base-url URL] [COMMAND]`.

No command runs the TUI; `sim` the simulator; the others (get, balance, orders, ...) are the
headless commands for scripts (smspool_tui/headless). Textual is imported only on the path that
runs the app, so `--version`, `--help`, `sim` and the headless commands start fast and work
without a terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from smspool_tui import __version__
from smspool_tui.core.errors import JournalUnavailable
from smspool_tui.headless.exits import EXIT_HELP
from smspool_tui.headless.parser import COMMANDS, add_commands


def _global_flags() -> argparse.ArgumentParser:
    """--config, --base-url and --demo also after a command (`get telegram --demo`); SUPPRESS
    keeps an absent flag from overriding one given before the command."""
    flags = argparse.ArgumentParser(add_help=False)
    flags.add_argument("--config", type=Path, metavar="PATH", default=argparse.SUPPRESS,
                       help="settings file (TOML)")  # fmt: skip
    flags.add_argument("--base-url", metavar="URL", default=argparse.SUPPRESS,
                       help="API address (default https://api.smspool.net)")  # fmt: skip
    flags.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                       help="against the built-in simulator: fake money")  # fmt: skip
    return flags


def _where_settings_live() -> str:
    """The key and the settings file, for --help (platformdirs only: config.py loads pydantic)."""
    import os

    import platformdirs

    config = os.environ.get("SMSPOOL_CONFIG_FILE") or str(
        platformdirs.user_config_path("smspool-tui") / "config.toml"
    )
    return (
        "API key:        SMSPOOL_API_KEY in the environment, else the one the app saved in\n"
        f"settings file:  {config}\n"
        "                (another file: --config PATH or SMSPOOL_CONFIG_FILE)\n\n"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smspool-tui",
        description="A keyboard-driven terminal client for SMSPool: buy numbers and rentals, "
        "and watch codes arrive live. With no COMMAND it opens the app; the commands are for "
        "scripts and share its journal.",
        epilog="example:  code=$(smspool-tui get telegram --country GB --yes)\n\n"
        + _where_settings_live()
        + EXIT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"smspool-tui {__version__}")
    parser.add_argument("--config", type=Path, metavar="PATH", help="settings file (TOML)")
    parser.add_argument(
        "--base-url", metavar="URL", help="API address (default https://api.smspool.net)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against the built-in simulator: fake money, nothing touches your account",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_commands(commands, parents=[_global_flags()])
    sim = commands.add_parser(
        "sim",
        help="run the SMSPool simulator on a loopback port",
        description="A fake SMSPool over HTTP for trying the app or scripts with fake money: "
        "point them at it with --base-url http://HOST:PORT.",
    )
    sim.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    sim.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sim.add_argument(
        "--key", help="the one API key it accepts (default: a demo key, printed at start)"
    )
    sim.add_argument(
        "--seed", type=int, default=0, help="seed of its catalog and timings (default 0)"
    )
    flags: list[tuple[str, float, str, str]] = [
        ("--sms-delay", 8.0, "S", "seconds until a bought number gets its SMS (default 8)"),
        ("--fail-rate", 0.0, "P", "share of requests answered with an error, 0 to 1 (default 0)"),
        ("--cancel-lock", 60.0, "S", "seconds after purchase before a cancel opens (default 60)"),
    ]
    for flag, default, metavar, text in flags:
        sim.add_argument(flag, type=float, default=default, metavar=metavar, help=text)
    return parser


def run_sim(args: argparse.Namespace) -> int:
    from smspool_tui.sim.runner import serve

    if not 0.0 <= args.fail_rate <= 1.0:
        print("smspool-tui sim: --fail-rate must be between 0 and 1", file=sys.stderr)
        return 2
    return serve(
        port=args.port,
        host=args.host,
        key=args.key,
        seed=args.seed,
        sms_delay=args.sms_delay,
        fail_rate=args.fail_rate,
        cancel_lock=args.cancel_lock,
    )


NO_TERMINAL = (
    "smspool-tui: the app needs a terminal to read keys from, and standard input is not one.\n"
    "From a script or cron use the command line instead, for example:\n"
    "  smspool-tui balance\n"
    "  code=$(smspool-tui get telegram --country GB --yes)\n"
    "See `smspool-tui --help` for every command."
)


def has_terminal() -> bool:
    """Whether keys can be read: without a terminal (stdin from /dev/null, cron) the app
    would read end-of-file forever and never exit."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError):
        return False


def prepare_app(args: argparse.Namespace, *, needs_terminal: bool = False) -> Any:
    """The App the TUI would run, or None after printing why not (bad config, no terminal)."""
    from smspool_tui.config import ConfigError, default_paths, load_settings

    server = None
    if needs_terminal and args.demo and not has_terminal():
        print(NO_TERMINAL, file=sys.stderr)
        return None
    if args.demo:
        from smspool_tui.demo import demo_environment

        loaded, paths, server = demo_environment()
    else:
        paths = default_paths()
        try:
            loaded = load_settings(
                args.config or paths.config_file, overrides={"base_url": args.base_url}
            )
        except ConfigError as exc:
            print(f"smspool-tui: {exc}", file=sys.stderr)
            return None
        if needs_terminal and not has_terminal():  # after the config, whose errors say more
            print(NO_TERMINAL, file=sys.stderr)
            return None
    from smspool_tui.ui.app import make_app

    app = make_app(loaded, paths, demo=args.demo)
    app.demo_server = server
    return app


def _exit_on_signals(app: Any = None) -> None:
    """SIGTERM and SIGHUP (a closed terminal) end the process through its normal exit, so every
    `finally` runs and the demo's simulator and throwaway folder are removed. While the App runs
    it is asked to exit (restoring the terminal); otherwise, or on a second signal, SystemExit."""
    asked: list[int] = []

    def handler(signum: int, _frame: object) -> None:
        code = 128 + signum
        if app is not None and app.is_running and not asked:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                raise SystemExit(code) from None
            asked.append(signum)
            loop.call_soon_threadsafe(lambda: app.exit(return_code=code))
            return
        raise SystemExit(code)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


def run_app(args: argparse.Namespace) -> int:
    _exit_on_signals()  # the demo starts in prepare_app: a signal from here on cleans it up
    app = prepare_app(args, needs_terminal=True)
    if app is None:
        return 2
    _exit_on_signals(app)
    try:
        app.run()
    except JournalUnavailable as exc:  # the App catches it; this is the net under the net
        print(f"smspool-tui: {exc}", file=sys.stderr)
        return 2
    finally:
        if app.demo_server is not None:
            app.demo_server.stop()
    if app.startup_problem:  # shown on screen; repeated here, where it stays readable
        print(f"smspool-tui: {app.startup_problem}", file=sys.stderr)
        return 2
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "sim":
            return run_sim(args)
        if args.command == "completion":
            from smspool_tui.headless.completion import script

            print(script(build_parser(), args.shell))
            return 0
        if args.command in COMMANDS:
            from smspool_tui.headless.parser import run

            _exit_on_signals()  # `get --demo` killed while waiting still removes its folder
            return run(args)
        return run_app(args)
    except KeyboardInterrupt:
        return 130
