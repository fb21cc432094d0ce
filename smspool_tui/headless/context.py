"""Opening a session for one command, and turning every failure into a message and an exit
code. The key is never printed: it is not in any message built here, and the client redacts
it from the server's words."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from typing import TYPE_CHECKING, Any

from smspool_tui.api.errors import (
    ApiError,
    AuthError,
    InsufficientBalance,
    OutOfStock,
    PriceNotFound,
    RateLimited,
    ServerError,
    TransportError,
)
from smspool_tui.config import ConfigError, LoadedSettings, Paths, default_paths, load_settings
from smspool_tui.core.errors import DuplicateRisk, JournalUnavailable
from smspool_tui.headless.exits import Exit
from smspool_tui.headless.output import Out
from smspool_tui.headless.resolve import NotResolved

if TYPE_CHECKING:
    from smspool_tui.core.session import Session


class Stop(Exception):
    """End the command with this exit code; the message is already said (or is said here)."""

    def __init__(self, code: Exit, message: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def exit_for(exc: BaseException) -> tuple[Exit, str]:
    """The exit code and the one-line message for a failure."""
    from smspool_tui.core.orders import PurchaseOutcomeUnknown

    text = exc.message if isinstance(exc, ApiError) else str(exc)
    if isinstance(exc, Stop):
        return exc.code, exc.message
    if isinstance(exc, PurchaseOutcomeUnknown | DuplicateRisk):
        return Exit.UNKNOWN, f"{text} (see `smspool-tui orders`)"
    if isinstance(exc, AuthError):
        return Exit.KEY, (
            f"SMSPool refused the API key ({text}); fix it in the config file or SMSPOOL_API_KEY"
        )
    if isinstance(exc, InsufficientBalance):
        return Exit.BALANCE, f"not enough balance: {text}"
    if isinstance(exc, OutOfStock | PriceNotFound):
        return Exit.NOTHING_TO_BUY, f"nothing to buy: {text}"
    if isinstance(exc, TransportError | ServerError | RateLimited):
        return Exit.UNREACHABLE, f"SMSPool is unreachable: {text}"
    if isinstance(exc, NotResolved | ConfigError | JournalUnavailable):
        return Exit.USAGE, text
    if isinstance(exc, ApiError):
        return Exit.ERROR, f"SMSPool refused: {text}"
    return Exit.ERROR, f"unexpected error ({type(exc).__name__}): {text}"


def load(args: argparse.Namespace) -> tuple[LoadedSettings, Paths, Callable[[], None]]:
    """Settings and paths for this run (the demo gets its own simulator and throwaway dirs);
    the callable ends whatever was started for it."""
    if getattr(args, "demo", False):
        from smspool_tui.demo import demo_environment

        loaded, paths, handle = demo_environment()
        return loaded, paths, handle.stop
    paths = default_paths()
    loaded = load_settings(args.config or paths.config_file, overrides={"base_url": args.base_url})
    return loaded, paths, lambda: None


@contextmanager
def _ending(stop: Callable[[], None]) -> Iterator[None]:
    try:
        yield
    finally:
        stop()


def run_command(
    args: argparse.Namespace,
    out: Out,
    body: Callable[[Session, Out], Awaitable[Exit]],
    *,
    needs_key: bool = True,
) -> int:
    """Open the session, run the command's body, close; every failure becomes an exit code."""
    try:
        loaded, paths, stop = load(args)
    except (ConfigError, JournalUnavailable) as exc:
        out.error(str(exc))
        return Exit.USAGE
    with _ending(stop):
        if needs_key and loaded.settings.api_key is None:
            out.error("no API key: set SMSPOOL_API_KEY, or add it in the app (smspool-tui, then s)")
            return Exit.KEY
        try:
            return int(asyncio.run(_with_session(loaded, paths, out, body)))
        except KeyboardInterrupt:
            out.say("interrupted")
            return Exit.INTERRUPTED


async def _with_session(
    loaded: LoadedSettings,
    paths: Paths,
    out: Out,
    body: Callable[[Session, Out], Awaitable[Exit]],
) -> Exit:
    from smspool_tui.core.session import Session

    try:
        session = Session.open(loaded, paths)
    except JournalUnavailable as exc:
        out.error(str(exc))
        return Exit.USAGE
    try:
        return await body(session, out)
    except Exception as exc:  # every failure is a message and an exit code, never a traceback
        code, message = exit_for(exc)
        if message:
            out.error(message)
        return code
    finally:
        await session.aclose()


@asynccontextmanager
async def orders_monitor(session: Session, emit: Callable[[object], None]) -> AsyncIterator[None]:
    """The orders poller running for the block (it brings codes and sends queued cancels)."""
    task = asyncio.create_task(session.orders.run(emit))
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


def json_flag(parser: Any) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output on stdout")
