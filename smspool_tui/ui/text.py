"""The one sanitizer for server text and the one money, phone-number and time formatter the
screens use.

Server text (service and country names, SMS bodies, error messages) goes through `plain`
before it is shown: an SMS must never move the cursor or change colours, and it is never
parsed as markup. Money is `Decimal`; `money` shows it as dollars.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

# C0/C1 controls and ESC sequences: an SMS body must never move the cursor or change colours.
_ANSI_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.")
NONE = "—"


def plain(text: object, *, one_line: bool = True) -> str:
    """Server text made safe to show: escape sequences and control characters removed.

    With `one_line`, newlines and tabs become spaces (table cells); otherwise newlines stay."""
    value = _ANSI_RE.sub("", "" if text is None else str(text))
    out: list[str] = []
    for ch in value:
        if ch in "\n\r\t":
            out.append(" " if one_line or ch == "\t" else ("\n" if ch == "\n" else ""))
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            continue
        else:
            out.append(ch)
    result = "".join(out)
    return " ".join(result.split()) if one_line else result.strip()


def money(value: Decimal | None, *, exact: bool = False) -> str:
    """$1,234.50, or "—" for unknown. `exact` keeps the digits the server sent ($0.125):
    for records of what was paid (history, order details), where rounding would mislead."""
    if value is None:
        return NONE
    return f"${value}" if exact else f"${value:,.2f}"


def error_text(exc: BaseException) -> str:
    """An exception as one safe line for a toast: its message, or its type if it has none."""
    return plain(str(exc) or type(exc).__name__)


# ---- phone numbers ---------------------------------------------------------------------------
# `phonenumbers` costs ~50 ms to import: loaded on the first number shown, never by the CLI or a
# screen without numbers.


def _digits(number: object) -> str:
    return "".join(ch for ch in plain(number) if ch.isdigit())  # never digits of an escape


@functools.lru_cache(maxsize=4096)
def _parsed(digits: str) -> Any:
    """The number as phonenumbers reads it ("+" + country code + national), or None."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        return None
    return parsed if phonenumbers.is_possible_number(parsed) else None


@functools.lru_cache(maxsize=4096)
def phone(number: object) -> str:
    """A number as people read it, the country prefix apart: "+44 7436 745016". SMSPool's
    numbers carry the country code; one that doesn't parse is shown as it came (sanitized)."""
    digits = _digits(number)
    parsed = _parsed(digits) if digits else None
    if parsed is None:
        return plain(number)
    import phonenumbers

    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def copy_number(number: object, form: str = "national") -> str:
    """What a verification form wants pasted: the national digits ("7436745016"), or E.164
    ("+447436745016"); the digits as they came when the number does not parse."""
    digits = _digits(number)
    parsed = _parsed(digits) if digits else None
    if parsed is None:
        return digits or plain(number)
    if form == "e164":
        return f"+{parsed.country_code}{parsed.national_number}"
    import phonenumbers

    return str(phonenumbers.national_significant_number(parsed))


# ---- times -----------------------------------------------------------------------------------
# Times are kept in UTC; screens show them in the user's zone, or UTC when [display] utc is set
# (the App applies the setting once at start, `use_utc`).
_TIMES = {"utc": False}


def use_utc(flag: bool) -> None:
    _TIMES["utc"] = bool(flag)


def _shown(when: datetime) -> datetime:
    # astimezone() with no zone converts to the system's local zone (TZ honoured).
    return when.astimezone(UTC) if _TIMES["utc"] else when.astimezone()


def local_time(when: datetime | None, fmt: str = "%Y-%m-%d %H:%M", *, zone: bool = False) -> str:
    """A stored (aware) time in the user's zone; `zone` adds its name ("CET") where a screen
    shows it once."""
    if when is None:
        return NONE
    shown = _shown(when)
    text = shown.strftime(fmt)
    return f"{text} {zone_name(when)}" if zone else text


def zone_name(when: datetime) -> str:
    """The zone times are shown in, as people write it ("UTC", "CET", "EST")."""
    return _shown(when).tzname() or "local time"
