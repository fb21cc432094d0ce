"""An OptionList filtered fuzzily as the user types, fast enough for a keystroke on 1,000+ rows.

Per keystroke: a compiled subsequence regex on precomputed lowercase names throws out most rows
in C, `textual.fuzzy` scores the survivors (and gives the matched offsets, which we highlight
ourselves: `Matcher.highlight` parses server text as markup), and only the best `cap` rows are
turned into Options. When the query grows, only the previous hits are searched again.

The option list is rebuilt only when what it shows changes: the empty view (all rows) is kept
while the query stays empty, and a keystroke that yields the same rows (and highlights) leaves
it alone. `rebuilds` counts the rebuilds (tests check it).

Both the list and the filter Input have a fixed size, so a change of their virtual size (more or
fewer rows, a longer query) needs no screen layout: `FixedScroll` drops Textual's layout refresh
for it (ScrollView keeps its own virtual size and shows or hides its scrollbars itself).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from textual.content import Content
from textual.fuzzy import FuzzySearch
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from smspool_tui.ui.text import plain

DEFAULT_CAP = 50
_MATCH_STYLE = "bold reverse"


clean = plain  # the one sanitizer (ui/text.py); purchase.py still imports it by this name


_EMPTY_VIEW = ("", ())  # the signature of the unfiltered view


class FixedScroll:
    """Mixin for a ScrollView whose own size is fixed by CSS (never `auto`).

    Textual declares `virtual_size` with `layout=True`, so every keystroke that grows the
    Input's text or changes the number of options re-lays-out the whole screen (about half of a
    keystroke on Browse). A ScrollView takes no size from its virtual size, so a repaint is
    enough; the scrollbars are toggled by `ScrollView._scroll_update`, which lays out itself."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class FilterInput(FixedScroll, Input):  # type: ignore[misc]
    """An Input with a fixed height and width (the browse filter)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One row: `key` becomes the option id; `boost` lifts favourites and recents."""

    key: str
    name: str
    boost: float = 0.0
    note: str = ""


class FuzzyList(FixedScroll, OptionList):  # type: ignore[misc]
    DEFAULT_CSS = """
    FuzzyList { height: 1fr; }
    """

    def __init__(self, *, cap: int = DEFAULT_CAP, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cap = cap
        self.query_text = ""
        self.hit_count = 0
        self._entries: list[Entry] = []
        self._lower: list[str] = []
        self._pinned: list[int] = []  # entry indexes shown first when there is no query
        self._all_options: list[Option] = []
        self._last: tuple[str, list[int]] = ("", [])
        self._shown: object = None  # signature of what the options show now
        self.rebuilds = 0
        self._search = FuzzySearch()

    # ---- data --------------------------------------------------------------------------------

    def set_entries(self, entries: list[Entry], pinned: list[str] | tuple[str, ...] = ()) -> None:
        """Replace the rows; `pinned` keys (recents, the chosen country) lead the empty view."""
        keep = self.highlighted_key
        self._entries = [Entry(e.key, plain(e.name), e.boost, e.note) for e in entries]
        self._lower = [e.name.lower() for e in self._entries]
        index = {e.key: i for i, e in enumerate(self._entries)}
        self._pinned = [index[k] for k in pinned if k in index]
        order = self._pinned + [i for i in range(len(self._entries)) if i not in set(self._pinned)]
        self._all_options = [self._option(i) for i in order]
        self._last = ("", [])
        self._shown = None
        self.apply_filter(self.query_text, keep=keep)

    def _option(self, i: int, offsets: tuple[int, ...] = ()) -> Option:
        entry = self._entries[i]
        content = Content(entry.name)
        for offset in offsets:
            if offset < len(entry.name) and not entry.name[offset].isspace():
                content = content.stylize(_MATCH_STYLE, offset, offset + 1)
        if entry.note:
            content = content + Content.styled(f"  {entry.note}", "dim")
        return Option(content, id=entry.key)

    def entry(self, key: str) -> Entry | None:
        return next((e for e in self._entries if e.key == key), None)

    # ---- filtering ---------------------------------------------------------------------------

    def _candidates(self, query: str) -> list[int]:
        previous, hits = self._last
        pool = hits if previous and query.startswith(previous) else range(len(self._entries))
        pattern = re.compile(".*?".join(re.escape(ch) for ch in query))
        lower = self._lower
        return [i for i in pool if pattern.search(lower[i])]

    def _shortlist(self, query: str, candidates: list[int]) -> list[int]:
        """Short queries match most rows: rank them cheaply first and fuzzy-score the best few.

        Prefix and whole-substring hits (and boosted rows) come first, so the best fuzzy hits are
        among the first `4 * cap`; scoring every row of a one-letter query costs too much.
        """
        limit = 4 * self.cap
        if len(candidates) <= limit:
            return candidates
        lower, entries = self._lower, self._entries

        def rank(i: int) -> tuple[float, int]:
            at = lower[i].find(query)
            near = 0 if at == 0 else 1 if at > 0 and not lower[i][at - 1].isalnum() else 2
            return (near - entries[i].boost - (0 if at >= 0 else -1), at)

        return sorted(candidates, key=rank)[:limit]

    def apply_filter(self, query: str, *, keep: str | None = None) -> int:
        """Show the rows matching `query` best first; returns how many matched in all."""
        query = query.strip().lower()
        self.query_text = query
        if not query:
            self._last = ("", [])
            self.hit_count = len(self._entries)
            self._show(_EMPTY_VIEW, lambda: self._all_options, keep)
            return self.hit_count
        candidates = self._candidates(query)
        self._last = (query, candidates)
        scored: list[tuple[float, int, tuple[int, ...]]] = []
        for i in self._shortlist(query, candidates):
            score, offsets = self._search.match(query, self._entries[i].name)
            if score > 0:
                scored.append((score + self._entries[i].boost, i, tuple(offsets)))
        scored.sort(key=lambda s: (-s[0], self._lower[s[1]]))
        self.hit_count = len(candidates)
        best = scored[: self.cap]
        signature = tuple((i, offsets) for _, i, offsets in best)
        self._show(signature, lambda: [self._option(i, offsets) for _, i, offsets in best], keep)
        return self.hit_count

    def _show(
        self, signature: object, options: Callable[[], list[Option]], keep: str | None
    ) -> None:
        """Rebuild the options only when `signature` (rows and highlights) differs."""
        if signature != self._shown:
            self._shown = signature
            self.rebuilds += 1
            self.set_options(options())
        self._highlight(keep)

    def _highlight(self, key: str | None) -> None:
        if not self.option_count:
            self.highlighted = None
            return
        if key is not None:
            try:
                self.highlighted = self.get_option_index(key)
                return
            except Exception:  # OptionDoesNotExist: the row was filtered out
                pass
        self.highlighted = 0

    @property
    def highlighted_key(self) -> str | None:
        if self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id
