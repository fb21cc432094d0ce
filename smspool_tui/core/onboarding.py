"""Check an API key before anyone saves it: one balance call, errors turned into sentences.

Textual-free so the same check serves onboarding, the settings screen and tests. The key never
appears in a message: a wrong key is described, not echoed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import SecretStr

from smspool_tui.api.errors import (
    ApiError,
    AuthError,
    BadResponse,
    RateLimited,
    ServerError,
    TransportError,
)
from smspool_tui.config import check_api_key

SETTINGS_URL = "https://www.smspool.net/my/settings"
DEFAULT_TIMEOUT = 10.0


class KeyCheckError(Exception):
    """The key could not be confirmed; `str()` is a sentence for the user, `kind` is for code."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def explain(error: ApiError) -> KeyCheckError:
    """Map an API error from a balance call to what the user should do about it."""
    if isinstance(error, AuthError):
        return KeyCheckError(
            f"SMSPool did not accept this key. Copy it again from {SETTINGS_URL}.", "auth"
        )
    if isinstance(error, TransportError):
        return KeyCheckError(
            "Could not reach SMSPool. Check your network connection and try again.", "network"
        )
    if isinstance(error, RateLimited):
        return KeyCheckError("SMSPool is rate limiting requests. Wait a moment and retry.", "busy")
    if isinstance(error, ServerError | BadResponse):
        return KeyCheckError(
            "SMSPool is not answering properly right now. Try again in a minute.", "server"
        )
    return KeyCheckError(f"SMSPool refused the check: {error.message}", "refused")


async def check_key(
    base_url: str,
    key: SecretStr | str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    client_options: dict[str, Any] | None = None,
) -> tuple[SecretStr, Decimal]:
    """Return (the cleaned key, the account balance) or raise KeyCheckError.

    A key of the wrong shape is refused here, before any request leaves the machine. The key
    stays a SecretStr on both sides, so no frame or repr on the way holds it in the clear.
    """
    raw = key.get_secret_value() if isinstance(key, SecretStr) else key
    try:
        clean = SecretStr(check_api_key(raw))
    except ValueError as exc:
        raise KeyCheckError(f"That does not look like a key: {exc}.", "format") from None
    options = {"retries": 1, **(client_options or {})}
    from smspool_tui.api.client import SMSPoolClient  # httpx: not needed for the first frame

    async with SMSPoolClient(clean, base_url=base_url, timeout=timeout, **options) as client:
        try:
            balance = await client.balance()
        except ApiError as exc:
            raise explain(exc) from None
    return clean, balance
