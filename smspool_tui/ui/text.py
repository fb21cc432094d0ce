"""The one sanitizer for server text and the one money formatter the screens use.

Server text (service and country names, SMS bodies, error messages) goes through `plain`
before it is shown: an SMS must never move the cursor or change colours, and it is never
parsed as markup. Money is `Decimal`; `money` shows it as dollars.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

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


def short_money(value: Decimal) -> str:
    """$12 for whole dollars (the rental catalog's usual), $12.50 otherwise."""
    return f"${value:,.0f}" if value == value.to_integral_value() else f"${value:,.2f}"


def error_text(exc: BaseException) -> str:
    """An exception as one safe line for a toast: its message, or its type if it has none."""
    return plain(str(exc) or type(exc).__name__)
