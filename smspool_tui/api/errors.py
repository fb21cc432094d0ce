"""Exceptions raised by the API client, and the mapping from server answers to them.

Every error carries a short, plain-text message fit for a status bar: HTML is stripped, entities
unescaped, and the client scrubs the API key out before raising.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from http import HTTPStatus


class ApiError(Exception):
    """Base class: the server (or the way to it) refused or failed a request."""

    #: Whether trying the same read again later can help.
    retryable: bool = False

    def __init__(
        self, message: str, *, status: int | None = None, payload: object | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.payload = payload

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        # The payload stays out of repr: it is the server's body and is not ours to echo.
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"

    def _replace_message(self, message: str) -> None:
        self.message = message
        self.args = (message,)


class AuthError(ApiError):
    """Invalid or missing API key (HTTP 401/403, or a 400 naming the `key` parameter)."""


class NotFound(ApiError):
    """The order or rental does not exist (HTTP 404)."""


class BadRequest(ApiError):
    """Any other refusal of the request itself (HTTP 400 and friends)."""


class PreorderRefused(BadRequest):
    """`preorder/create` refused the bid: below the service's minimum price, or below the
    current highest offer. Carries whichever of the two the server named (as Decimal)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        payload: object | None = None,
        minimum_price: Decimal | None = None,
        highest_offer: Decimal | None = None,
    ) -> None:
        super().__init__(message, status=status, payload=payload)
        self.minimum_price = minimum_price
        self.highest_offer = highest_offer


class OutOfStock(ApiError):
    """No number available right now."""


class PriceNotFound(ApiError):
    """No pool at or below the requested max price."""


class InsufficientBalance(ApiError):
    """The account balance does not cover the purchase."""


class CancelTooEarly(ApiError):
    """SMSPool locks cancelling for the first minutes of an order."""


class RateLimited(ApiError):
    """HTTP 429; `retry_after` is the server's hint in seconds, if it gave one."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 429,
        payload: object | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, payload=payload)
        self.retry_after = retry_after


class ServerError(ApiError):
    """HTTP 5xx, including Cloudflare's HTML error pages."""

    retryable = True


class TransportError(ApiError):
    """Timeout, refused or reset connection: the request may not have reached the server."""

    retryable = True


class BadResponse(ApiError):
    """A 2xx answer we cannot read: not JSON, or JSON of the wrong shape."""

    retryable = True


# Cloudflare's own status codes have no HTTPStatus member.
_EXTRA_PHRASES = {
    520: "Unknown error",
    521: "Web server is down",
    522: "Connection timed out",
    523: "Origin is unreachable",
    524: "A timeout occurred",
    525: "SSL handshake failed",
    526: "Invalid SSL certificate",
}

_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")
_NO_X_FOUND_RE = re.compile(r"\bno\b[\w\s]*\bfound\b")


def clean_text(text: str) -> str:
    """Plain text from a server message that may hold HTML (`<p>Pool <b>Foxtrot</b>: ...`)."""
    text = _TAG_RE.sub(" ", text)
    text = html.unescape(text)
    text = _SPACE_RE.sub(" ", text).strip()
    # Tag removal leaves "Foxtrot :" where the HTML had "</b>:".
    return re.sub(r"\s+([:;,.!?])", r"\1", text)


def status_phrase(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = _EXTRA_PHRASES.get(status, "Error")
    return phrase.capitalize()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if now is None:  # a date means nothing without the caller's clock
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def message_from_body(body: object) -> str:
    """The human text of a failure body, from shape A (`message`) or shape B (`errors[]`)."""
    if not isinstance(body, Mapping):
        return ""
    message = body.get("message")
    if isinstance(message, str) and message.strip():
        return clean_text(message)
    parts: list[str] = []
    errors = body.get("errors")
    if isinstance(errors, list):
        for item in errors:
            if not isinstance(item, Mapping):
                continue
            text = clean_text(str(item.get("message") or ""))
            param = item.get("param")
            if text and param:
                text = f"{text} ({param})"
            if text:
                parts.append(text)
    return "; ".join(parts)


def _names_key_param(body: object) -> bool:
    if not isinstance(body, Mapping):
        return False
    errors = body.get("errors")
    return isinstance(errors, list) and any(
        isinstance(e, Mapping) and e.get("param") == "key" for e in errors
    )


def _class_from_text(text: str) -> type[ApiError] | None:
    """Classify a refusal by its wording; the server often sends no machine-readable type."""
    low = text.lower()
    if "cannot be cancelled yet" in low:
        return CancelTooEarly
    if "invalid api key" in low:
        return AuthError
    if "balance" in low:
        return InsufficientBalance
    if "out of stock" in low or "find an available" in low:
        return OutOfStock
    if "suitable pool" in low or "no price was found" in low:
        return PriceNotFound
    if (
        "could not find" in low
        or "not found" in low
        or "does not exist" in low
        or "could not be found" in low
        or _NO_X_FOUND_RE.search(low)
    ):
        return NotFound
    return None


_TYPE_CLASSES: dict[str, type[ApiError]] = {
    "OUT_OF_STOCK": OutOfStock,
    "PRICE_NOT_FOUND": PriceNotFound,
    "BALANCE_ERROR": InsufficientBalance,
}


def _amount(value: object) -> Decimal | None:
    """A refusal's money field: `minimum_price` is a number, `highest_offer` a string."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        amount = Decimal(str(value).strip().lstrip("$"))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _preorder_refusal(status: int, message: str, body: object) -> PreorderRefused | None:
    if not isinstance(body, Mapping) or not ({"minimum_price", "highest_offer"} & body.keys()):
        return None
    return PreorderRefused(
        message or f"Bid refused ({status})",
        status=status,
        payload=body,
        minimum_price=_amount(body.get("minimum_price")),
        highest_offer=_amount(body.get("highest_offer")),
    )


def error_for_failure(
    status: int,
    body: object,
    headers: Mapping[str, str] | None = None,
    *,
    now: datetime | None = None,
) -> ApiError:
    """The exception for a JSON failure: an HTTP error status, or 2xx with `success: 0`."""
    message = message_from_body(body)
    if status == 429:
        retry_after = parse_retry_after((headers or {}).get("retry-after"), now)
        return RateLimited(
            message or "Too many requests, slow down", payload=body, retry_after=retry_after
        )
    if status >= 500:
        return ServerError(
            message or f"Server error {status} ({status_phrase(status)})",
            status=status,
            payload=body,
        )
    if status in (401, 403) or _names_key_param(body):
        return AuthError(message or "The API key was refused", status=status, payload=body)
    if status == 404:
        return NotFound(message or "Not found", status=status, payload=body)
    refusal = _preorder_refusal(status, message, body)
    if refusal is not None:
        return refusal
    kind = body.get("type") if isinstance(body, Mapping) else None
    cls = _TYPE_CLASSES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        cls = _class_from_text(message) or BadRequest
    return cls(message or f"Request refused ({status})", status=status, payload=body)


def error_for_non_json(
    status: int, headers: Mapping[str, str] | None = None, *, now: datetime | None = None
) -> ApiError:
    """The exception for a body that is not JSON (typically a Cloudflare HTML page)."""
    phrase = status_phrase(status)
    if status == 429:
        return RateLimited(
            "Too many requests, slow down",
            retry_after=parse_retry_after((headers or {}).get("retry-after"), now),
        )
    if status >= 500:
        return ServerError(f"Server error {status} ({phrase})", status=status)
    if status in (401, 403):
        return AuthError(f"Access denied {status} ({phrase})", status=status)
    if status == 404:
        return NotFound(f"Not found {status} ({phrase})", status=status)
    if status >= 400:
        return BadRequest(f"Request refused {status} ({phrase})", status=status)
    return BadResponse("The server sent a response that is not valid JSON", status=status)
