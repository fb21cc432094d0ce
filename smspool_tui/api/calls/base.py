"""What every group of endpoint calls stands on: the client's one way to send a read or a write.

The groups (catalog, sms, rentals, preorders) are mixed into `SMSPoolClient`, which owns the
connection, the key, retries and the rate limit; a group only names paths, params and parsers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .._transport import Params

T = TypeVar("T")


class Caller:
    async def _get(self, path: str, params: Params, parse: Callable[[object], T]) -> T:
        raise NotImplementedError

    async def _post(
        self, path: str, params: Params, parse: Callable[[object], T], *, retry: bool = True
    ) -> T:
        """`retry=False` for anything that spends money or changes an order: sent exactly once."""
        raise NotImplementedError
