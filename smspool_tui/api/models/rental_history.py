"""rental/history: the account's rental spend, one row per purchase ("activate"), extension and
refund, wherever it was made (this app, the web dashboard, another machine).

Recorded shape (FX 033/001): `[{"ID": 3168, "rental": "ABCDEFGH", "action": "activate",
"cost": "10.00", "timestamp": "2025-11-25 21:32:03"}]`. Only "activate" has been seen; the other
action words are guesses, so any word is kept and `kind` says what it is known to mean.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field, TypeAdapter

from .base import ApiModel, OptInt, OptMoney, Str, Time, alias

RentalAction = Literal["purchase", "extend", "refund", "other"]

_KINDS: dict[str, RentalAction] = {
    "activate": "purchase",
    "activation": "purchase",
    "purchase": "purchase",
    "buy": "purchase",
    "extend": "extend",
    "extension": "extend",
    "renew": "extend",
    "auto_extend": "extend",
    "refund": "refund",
    "refunded": "refund",
}


class RentalHistoryEntry(ApiModel):
    id: OptInt = alias("ID", "id")
    rental_code: Str = Field(default="", validation_alias=AliasChoices("rental", "rental_code"))
    action: Str = ""
    cost: OptMoney = None
    timestamp: Time = None

    @property
    def kind(self) -> RentalAction:
        return _KINDS.get(self.action.strip().lower(), "other")


_ENTRIES = TypeAdapter(list[RentalHistoryEntry])


def parse_rental_history(body: object) -> list[RentalHistoryEntry]:
    # an empty history may come as {} (PHP's empty array) and a list may be wrapped in "data"
    if isinstance(body, dict):
        if not body:
            return []
        if isinstance(body.get("data"), list):
            body = body["data"]
        else:
            raise ValueError("rental history is not a list")
    return _ENTRIES.validate_python(body)
