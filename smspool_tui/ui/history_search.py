"""What a History search means: "+44 367" is the digits of a number, "uk" or "gb" a country.

The journal matches one substring; numbers are stored as bare digits and countries by name,
so the words a user types are turned into that substring first (and the screen says so).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from smspool_tui.ui.countries import country_code

_NUMBERISH = re.compile(r"^\+?[\d\s().-]{3,}$")


def history_query(text: str, country_name: Callable[[str], str | None] | None = None) -> str:
    """The substring to search for: digits of a number, a country's name for its code."""
    text = text.strip()
    if _NUMBERISH.match(text) and sum(c.isdigit() for c in text) >= 3:
        return re.sub(r"\D", "", text)
    if country_name is not None and len(text) in (2, 3) and text.isalpha():
        name = country_name(country_code(text))
        if name:
            return name
    return text
