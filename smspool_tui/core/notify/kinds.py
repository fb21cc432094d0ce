"""What a desktop notification is about, and what it says."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.StrEnum):
    """One per setting in `[desktop_notifications]` (the values are the field names)."""

    CODE = "code"
    RENTAL_MESSAGE = "rental_message"
    WATCH = "watch"
    AUTOPILOT = "autopilot"
    EXPIRED = "expired"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class Notice:
    """`body` is safe for a lock screen; `private_body` (with the code or the message text) is
    used instead only when the user turned `show_code` on."""

    kind: Kind
    title: str
    body: str
    private_body: str | None = None

    def text(self, show_private: bool) -> str:
        return self.private_body if show_private and self.private_body else self.body
