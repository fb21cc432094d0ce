"""Missed SMS: messages that reached the account's one-time numbers without completing an order
(`sms/missed`, shape unverified). Each comes with the code or the link picked out: the server's
own pick when it sends one, else ours from the text (core/codes.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from smspool_tui.api.models.orders import MissedSms
from smspool_tui.core.codes import extract_code, first_link


@dataclass(frozen=True, slots=True)
class MissedMessage:
    number: str
    text: str
    code: str | None = None
    link: str | None = None
    email: str | None = None
    received_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # fields we do not know, kept as sent


def from_row(row: MissedSms) -> MissedMessage:
    return MissedMessage(
        number=row.phonenumber,
        text=row.message,
        code=row.code or extract_code(row.message),
        link=row.url or first_link(row.message),
        email=row.email,
        received_at=row.timestamp,
        extra=dict(row.model_extra or {}),
    )


def newest_first(rows: list[MissedSms]) -> list[MissedMessage]:
    messages = [from_row(r) for r in rows]
    dated = [m for m in messages if m.received_at is not None]
    if len(dated) == len(messages):
        messages.sort(key=lambda m: m.received_at or datetime.min, reverse=True)
    return messages  # undated: as the server listed them
