"""Response parsers: JSON body -> models. They raise ValueError/ValidationError on a wrong shape,
which the client turns into BadResponse."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from .models import Purchase, RentalMessage, RentalOffer, RentalStatus, to_decimal

M = TypeVar("M", bound=BaseModel)


_adapters: dict[type[BaseModel], TypeAdapter[Any]] = {}


def list_of(model: type[M]) -> Callable[[object], list[M]]:
    adapter = _adapters.setdefault(model, TypeAdapter(list[model]))  # type: ignore[valid-type]

    def parse(body: object) -> list[M]:
        # The server's "no rows" is sometimes {} instead of [] (PHP empty array).
        if body == {}:
            return []
        return adapter.validate_python(body)

    return parse


def one(model: type[M]) -> Callable[[object], M]:
    def parse(body: object) -> M:
        if not isinstance(body, dict):
            raise ValueError("expected a JSON object")
        return model.model_validate(body)

    return parse


def parse_balance(body: object) -> Decimal:
    if not isinstance(body, dict) or "balance" not in body:
        raise ValueError("no balance in answer")
    # SMSPool has been seen to send "" for a zero balance.
    amount = to_decimal(body["balance"])
    return amount if amount is not None else Decimal(0)


def parse_rental_catalog(body: object, extendable: bool) -> list[RentalOffer]:
    if isinstance(body, dict) and "data" in body:
        body = body["data"]
    rows: list[object]
    if isinstance(body, list):
        rows = body
    elif isinstance(body, dict):
        # The doc's legacy shape: {"<rental id>": {...}} with the id only in the key.
        rows = []
        for key, value in body.items():
            if key in ("success", "message"):
                continue
            if not isinstance(value, dict):
                raise ValueError("rental entry is not an object")
            rows.append({"ID": key, **value})
    else:
        raise ValueError("rental catalog is neither a list nor an object")
    offers = TypeAdapter(list[RentalOffer]).validate_python(rows)
    for offer in offers:
        offer.extendable = extendable
    return offers


def parse_rental_messages(body: object) -> list[RentalMessage]:
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    messages = body.get("messages") or []
    if isinstance(messages, dict):
        # The doc's legacy shape keys messages "0", "1", ...: keep the server's order.
        items = sorted(messages.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0)
        messages = [value for _, value in items]
    return TypeAdapter(list[RentalMessage]).validate_python(messages)


def parse_rental_status(body: object) -> RentalStatus:
    if not isinstance(body, dict) or not isinstance(body.get("status"), dict):
        raise ValueError("no status object in answer")
    return RentalStatus.model_validate(body["status"])


# Where a several-number answer might keep its orders (the `quantity` > 1 shape is unverified).
_BATCH_KEYS = ("orders", "data", "numbers", "results")
# Fields a batch entry inherits from the envelope when it does not carry its own.
_SHARED = ("cc", "country", "service", "pool", "expires_in", "expiration", "message")


def parse_purchase(body: object) -> Purchase:
    """purchase/sms: one order, a token, or (quantity > 1) several orders, read tolerantly: an
    array of orders, an object with a list of orders, or one order whose ids and numbers are
    lists. Several become `batch` entries; an entry without an order id stays without one, so
    the caller treats the answer as unclear instead of guessing."""
    if isinstance(body, list):
        entries = [e for e in body if isinstance(e, dict)]
        if not entries:
            raise ValueError("purchase answer holds no order")
        return _batch({}, entries)
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    for key in _BATCH_KEYS:
        rows = body.get(key)
        if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            return _batch(body, rows)
    ids = body.get("order_id")
    if isinstance(ids, list):
        numbers = body.get("phonenumber") if isinstance(body.get("phonenumber"), list) else []
        full = body.get("number") if isinstance(body.get("number"), list) else []
        rows = []
        for i, oid in enumerate(ids):
            row: dict[str, object] = {"order_id": oid}
            if i < len(numbers):
                row["phonenumber"] = numbers[i]
            if i < len(full):
                row["number"] = full[i]
            rows.append(row)
        rest = {k: v for k, v in body.items() if k not in ("order_id", "phonenumber", "number")}
        return _batch(rest, rows)
    return Purchase.model_validate(body)


def _batch(envelope: dict[str, object], rows: list[dict[str, object]]) -> Purchase:
    if len(rows) == 1 and not envelope:
        return Purchase.model_validate(rows[0])
    shared = {k: envelope[k] for k in _SHARED if k in envelope}
    entries = [Purchase.model_validate({**shared, **row}) for row in rows]
    top = {k: v for k, v in envelope.items() if k not in _BATCH_KEYS}
    top.pop("order_id", None)
    return Purchase.model_validate({**top, "batch": entries})
