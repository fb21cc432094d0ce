"""The headless subcommands' arguments, and the dispatch from a parsed command to its code."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smspool_tui.headless.exits import EXIT_HELP, Exit

if TYPE_CHECKING:
    from smspool_tui.core.session import Session
    from smspool_tui.headless.output import Out

Body = Callable[[argparse.Namespace, "Session", "Out"], Awaitable[Exit]]


def _money(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().lstrip("$"))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not an amount: {text!r} (like 0.50)") from None
    if not value.is_finite() or value <= 0:
        raise argparse.ArgumentTypeError("an amount must be more than 0")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("seconds must be more than 0")
    return value


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a count: {text!r} (1 or more)")
    return int(text)


def _json(p: argparse.ArgumentParser, what: str = "one JSON document") -> None:
    p.add_argument("--json", action="store_true", help=f"print {what} on stdout")


def add_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    parents: list[argparse.ArgumentParser],
) -> None:
    fmt = argparse.RawDescriptionHelpFormatter

    class _Commands:
        """add_parser with the global flags and the exit codes on every command."""

        @staticmethod
        def add_parser(name: str, **kw: object) -> argparse.ArgumentParser:
            kw.setdefault("epilog", EXIT_HELP)
            kw.setdefault("formatter_class", fmt)
            return subparsers.add_parser(name, parents=parents, **kw)  # type: ignore[arg-type]

    commands = _Commands()
    p = commands.add_parser("balance", help="the account balance")
    _json(p)

    p = commands.add_parser(
        "get",
        help="buy a number and print its code (the last line of stdout)",
        description="Buy one number for SERVICE, wait for the SMS and print the bare code as "
        "the last line of stdout. Several --country flags, --budget, --attempts or --race make "
        "it an autopilot run. Off a terminal nothing is bought without --yes.",
        epilog="example:  code=$(smspool-tui get telegram --country GB --yes)\n\n" + EXIT_HELP,
    )
    p.add_argument("service", metavar="SERVICE", help="name (e.g. telegram), or id")
    p.add_argument(
        "--country",
        action="append",
        metavar="C",
        help="name, ISO code or id; repeat for an autopilot's order of preference",
    )
    p.add_argument("--pool", type=int, metavar="P", help="pool id")
    p.add_argument("--max-price", type=_money, metavar="X", help="most to pay per number")
    p.add_argument(
        "--wait",
        type=_seconds,
        metavar="SECONDS",
        help="how long to wait for the code (default: until the order expires)",
    )
    p.add_argument("--budget", type=_money, metavar="B", help="autopilot: most money at stake")
    p.add_argument("--attempts", type=_count, metavar="N", help="autopilot: most numbers bought")
    p.add_argument("--race", type=_count, metavar="N", help="autopilot: numbers live at once")
    p.add_argument("--yes", action="store_true", help="buy without asking")
    p.add_argument(
        "--keep",
        action="store_true",
        help="no code in time: keep the order instead of cancelling it",
    )
    _json(p, "JSON Lines, one object per event")  # fmt: skip

    p = commands.add_parser("orders", help="active and recent orders")
    _json(p)
    p = commands.add_parser("wait", help="wait for an order's code")
    p.add_argument("order_id", metavar="ORDER_ID")
    p.add_argument("--timeout", type=_seconds, metavar="S")
    _json(p, "JSON Lines")
    p = commands.add_parser("cancel", help="cancel an order (refunded)")
    p.add_argument("order_id", metavar="ORDER_ID")
    _json(p, "JSON Lines")
    p = commands.add_parser("history", help="past orders")
    p.add_argument("--limit", type=_count, default=50, metavar="N")
    _json(p)
    p = commands.add_parser("rentals", help="my rentals")
    _json(p)
    p = commands.add_parser("inbox", help="a rental's messages")
    p.add_argument("rental_code", metavar="RENTAL_CODE")
    p.add_argument("--follow", action="store_true", help="keep printing new messages")
    _json(p, "JSON Lines, one object per message")
    p = commands.add_parser("prices", help="where SERVICE is sold and for how much")
    p.add_argument("service", metavar="SERVICE")
    p.add_argument("--country", metavar="C", help="the pools of one country")
    _json(p)
    add_stats(commands)
    p = subparsers.add_parser("completion", help="shell completion script (bash, zsh or fish)")
    p.add_argument("shell", choices=("bash", "zsh", "fish"))


COMMANDS = frozenset(
    {"balance", "get", "orders", "wait", "cancel", "history", "rentals", "inbox", "prices", "stats"}
)


def body_for(command: str, args: argparse.Namespace) -> Body:
    from smspool_tui.headless import commands as c

    if command == "get":
        from smspool_tui.headless.autopilot_cmd import get_autopilot, is_autopilot
        from smspool_tui.headless.get import get_one

        return get_autopilot if is_autopilot(args) else get_one
    if command == "stats":
        from smspool_tui.headless.stats_cmd import stats

        return stats
    table: dict[str, Body] = {
        "balance": c.balance,
        "orders": c.orders,
        "wait": c.wait,
        "cancel": c.cancel,
        "history": c.history,
        "rentals": c.rentals,
        "inbox": c.inbox,
        "prices": c.prices,
    }
    return table[command]


def run(args: argparse.Namespace) -> int:
    """Run one headless command (Textual is never imported on this path)."""
    from smspool_tui.headless.context import run_command
    from smspool_tui.headless.output import Out

    out = Out(bool(getattr(args, "json", False)))
    body = body_for(args.command, args)

    async def bound(session: Session, out: Out) -> Exit:
        return await body(args, session, out)

    return run_command(args, out, bound)


# core.stats.Period's values: parsing --help must not import the core.
PERIODS = ("day", "week", "month", "all")


def add_stats(commands: Any) -> None:
    """The `stats` subparser (called from parser.add_commands)."""
    p = commands.add_parser(
        "stats",
        help="what you spent, and where codes really arrive",
        description="Money (spent, refunded, cost per code) and success (codes per purchase, "
        "median and p90 seconds to the code) by service, country and pool, from the journal "
        "after importing request/history. n=3? marks a figure over fewer than 10 orders.",
    )
    p.add_argument("--period", choices=PERIODS, default="all")
    p.add_argument("--service", metavar="NAME", help="only this service (as in the journal)")
    p.add_argument("--country", metavar="NAME", help="only this country (as in the journal)")
    p.add_argument("--offline", action="store_true", help="do not import request/history first")
    p.add_argument("--csv", type=Path, metavar="FILE", help="also write the ledger rows as CSV")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
