"""Command line: `smspool-tui [--demo] [--config PATH] [--base-url URL]` and `smspool-tui sim`.

Textual is imported only on the path that runs the app, so `--version`, `--help` and `sim`
start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from smspool_tui import __version__
from smspool_tui.core.errors import JournalUnavailable


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smspool-tui",
        description="A keyboard-driven terminal client for SMSPool: buy numbers and rentals, "
        "and watch codes arrive live.",
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
    sim = commands.add_parser("sim", help="run the SMSPool simulator on a loopback port")
    sim.add_argument("--port", type=int, default=8765)
    sim.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sim.add_argument("--key", help="the one valid API key (default: a demo key, printed)")
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--sms-delay", type=float, default=8.0, metavar="S")
    sim.add_argument("--fail-rate", type=float, default=0.0, metavar="P")
    sim.add_argument("--cancel-lock", type=float, default=60.0, metavar="S")
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


def prepare_app(args: argparse.Namespace) -> Any:
    """The App the TUI would run, or None after printing why not (bad config)."""
    from smspool_tui.config import ConfigError, default_paths, load_settings

    server = None
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
    from smspool_tui.ui.app import make_app

    app = make_app(loaded, paths, demo=args.demo)
    app.demo_server = server
    return app


def run_app(args: argparse.Namespace) -> int:
    app = prepare_app(args)
    if app is None:
        return 2
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
        return run_app(args)
    except KeyboardInterrupt:
        return 130
