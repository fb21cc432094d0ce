"""Names a person types -> the ids SMSPool wants: "telegram", "GB", "united kingdom", "uk", an
id. A unique match wins; several or none is a usage error that says what was meant."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

# What people type for countries whose SMSPool name they don't spell out.
_COUNTRY_ALIASES = {"uk": "GB", "usa": "US", "america": "US", "britain": "GB", "england": "GB"}


class NotResolved(ValueError):
    """A usage error: the message says what was not found and what was probably meant."""


@dataclass(frozen=True, slots=True)
class Named:
    id: int
    name: str
    code: str | None = None  # ISO code, for countries


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def resolve(what: str, query: str, items: Sequence[Named]) -> Named:
    """The one item `query` names (id, ISO code, exact name, or a unique partial match)."""
    q = _norm(query)
    if not q:
        raise NotResolved(f"empty {what}")
    if q.isdigit():
        for item in items:
            if item.id == int(q):
                return item
    alias = _COUNTRY_ALIASES.get(q, "") if what == "country" else ""
    for item in items:
        if item.code and item.code.lower() in (q, alias.lower()):
            return item
    exact = [i for i in items if _norm(i.name) == q]
    if len(exact) == 1:
        return exact[0]
    starts = [i for i in items if _norm(i.name).startswith(q)]
    if len(starts) == 1:
        return starts[0]
    words = [i for i in items if any(w.startswith(q) for w in _norm(i.name).split())]
    if len(words) == 1:
        return words[0]
    inside = [i for i in items if q in _norm(i.name)]
    if len(inside) == 1:
        return inside[0]
    several = starts or words or inside
    if several:
        names = ", ".join(i.name for i in several[:6])
        more = f" and {len(several) - 6} more" if len(several) > 6 else ""
        raise NotResolved(f'"{query}" matches several {what}s: {names}{more}; say which')
    close = difflib.get_close_matches(q, [_norm(i.name) for i in items], n=3, cutoff=0.6)
    by_norm = {_norm(i.name): i.name for i in items}
    hint = f"; did you mean {' or '.join(by_norm[c] for c in close)}?" if close else ""
    raise NotResolved(f'no {what} called "{query}"{hint}')
