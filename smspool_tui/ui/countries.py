"""What people type for a country vs the ISO code SMSPool uses ("uk" is "GB")."""

from __future__ import annotations

COUNTRY_ALIASES = {"UK": "GB"}


def country_code(text: str) -> str:
    """ "uk" -> "GB", "us" -> "US": the ISO code a user means by a short country text."""
    code = text.strip().upper()
    return COUNTRY_ALIASES.get(code, code)
