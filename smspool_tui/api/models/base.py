"""The lenient field types every SMSPool model is built from.

The live API and its doc disagree on types (ids int vs str, money str vs number, unix times int vs
str, dicts vs arrays), so every field goes through a lenient "before" validator. Unknown fields are
kept (`extra="allow"`) because SMSPool adds fields without notice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field

# --- lenient scalar coercions -------------------------------------------------------------------


def _to_str(value: Any) -> Any:
    # Phone numbers and ids arrive as ints on some endpoints; bool is not a number here.
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


def _to_opt_str(value: Any) -> Any:
    return None if value is None else _to_str(value)


def _to_int(value: Any) -> Any:
    if isinstance(value, str) and value.strip() == "":
        return None
    return value


def to_decimal(value: Any) -> Decimal | None:
    """Money from "0.24", 0.24, 24 or ""; "" and null mean "no value"."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("money must not be a boolean")
    if isinstance(value, int | float):
        return Decimal(str(value))  # via str so 0.1 stays 0.1
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {text[:20]!r}") from None
    raise ValueError("money must be a string or a number")


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%d %B %Y %H:%M:%S", "%d %b %Y %H:%M:%S")


def to_datetime(value: Any) -> datetime | None:
    """Aware UTC time from a unix int/str or a zone-less "YYYY-MM-DD HH:MM:SS" (read as UTC)."""
    if value is None or isinstance(value, datetime):
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value
    if isinstance(value, bool):
        raise ValueError("time must not be a boolean")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC) if value > 0 else None
    if not isinstance(value, str):
        raise ValueError("time must be a string or a number")
    text = value.strip()
    if text in ("", "0"):
        return None
    if text.lstrip("-").replace(".", "", 1).isdigit():
        return to_datetime(float(text))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"unknown time format: {text[:30]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_price_table(value: Any) -> dict[int, Decimal] | None:
    """`{"30": 20}` as an object or as a JSON string (the doc, and `single_service`)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text in ("", "null"):
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError("price table is not valid JSON") from None
        if value is None:
            return None
    if isinstance(value, list) and not value:  # PHP encodes an empty table as []
        return {}
    if not isinstance(value, dict):
        raise ValueError("price table must be an object")
    table: dict[int, Decimal] = {}
    for days, price in value.items():
        amount = to_decimal(price)
        if amount is not None:
            table[int(days)] = amount
    return table


def code_or_none(*placeholders: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        value = _to_opt_str(value)
        return None if value is None or value in placeholders else value

    return convert


Str = Annotated[str, BeforeValidator(_to_str)]
OptStr = Annotated[str | None, BeforeValidator(_to_opt_str)]
OptInt = Annotated[int | None, BeforeValidator(_to_int)]
Money = Annotated[Decimal, BeforeValidator(to_decimal)]
OptMoney = Annotated[Decimal | None, BeforeValidator(to_decimal)]
Time = Annotated[datetime | None, BeforeValidator(to_datetime)]
PriceTable = Annotated[dict[int, Decimal], BeforeValidator(lambda v: to_price_table(v) or {})]
OptPriceTable = Annotated[dict[int, Decimal] | None, BeforeValidator(to_price_table)]


def alias(*names: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(*names))


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
