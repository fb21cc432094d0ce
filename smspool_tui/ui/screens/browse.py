"""Browse: find a service (and optionally a country) by typing, then open its prices.

Two lists side by side (services wide on the left, countries on the right) under one filter
Input, rather than one list with a country selector: both choices stay visible at a glance, and
`tab` flips which list the filter drives without leaving the keyboard.

Keys follow the app's one focus rule: the list has focus on every visit, so the screen keys
(o, h, r, s, q) work; `/` focuses the filter, where letters type and the movement keys still
move the list; `esc` leaves the filter (keeping it), and `esc` on the list clears it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from smspool_tui.ui.screens.base import BaseScreen
from smspool_tui.ui.widgets.fuzzy_list import Entry, FilterInput, FuzzyList

if TYPE_CHECKING:
    from smspool_tui.core.catalog import CatalogService

ANY_COUNTRY = "any"
FAVOURITE_BOOST = 3.0  # lifts a favourite past plain word-start hits ("tg" -> Telegram)
RECENT_BOOST = 4.0
_MOVES = {
    "up": "cursor_up",
    "down": "cursor_down",
    "pageup": "page_up",
    "pagedown": "page_down",
    "home": "first",
    "end": "last",
}


class BrowseScreen(BaseScreen):
    TITLE = "Browse"
    AUTO_FOCUS = "#browse-services"
    BINDINGS = [
        Binding("enter", "open", "Open", priority=True, id="browse.open"),
        Binding("tab", "switch_list", "Switch list", priority=True, id="browse.tab"),
        Binding("escape", "leave_filter", "Back to list", id="browse.leave_filter"),
        Binding("escape", "clear_filter", "Clear filter", id="browse.clear_filter"),
        Binding("slash", "focus_filter", "Filter", id="browse.filter"),
        Binding("p", "prices", "Prices", id="browse.prices"),
        Binding("f5", "reload", "Reload", show=False, id="browse.reload"),
        *(
            Binding(key, f"move('{action}')", show=False, priority=True)
            for key, action in _MOVES.items()
        ),
    ]

    active: var[str] = var("services")

    def __init__(self) -> None:
        super().__init__()
        self._queries = {"services": "", "countries": ""}
        self.country_id: int | None = None
        self.country_name: str | None = None
        self.services_loaded = False
        self._recent_seen: list[int] = []
        self._dirty: set[str] = set()  # lists whose query changed since the last filter run

    def compose_body(self) -> ComposeResult:
        yield FilterInput(placeholder="Type to filter services", id="browse-filter")
        with Horizontal(id="browse-lists"):
            with Vertical(id="browse-services-pane", classes="-active"):
                yield FuzzyList(id="browse-services")
            with Vertical(id="browse-countries-pane"):
                yield FuzzyList(id="browse-countries")
        yield Static("", id="browse-status")

    # ---- setup -------------------------------------------------------------------------------

    @property
    def catalog(self) -> CatalogService | None:
        session = self.smsapp.session
        return None if session is None else session.catalog

    @property
    def services_list(self) -> FuzzyList:
        return self.query_one("#browse-services", FuzzyList)

    @property
    def countries_list(self) -> FuzzyList:
        return self.query_one("#browse-countries", FuzzyList)

    @property
    def filter(self) -> Input:
        return self.query_one("#browse-filter", Input)

    def on_mount(self) -> None:
        super().on_mount()
        catalog = self.catalog
        if catalog is None:
            self._status("No API key yet: press s to add one in Settings.")
            return
        last = catalog.last_country
        countries = catalog.cached_countries()
        services = catalog.cached_services()
        if countries:
            self._fill_countries(countries)
            name = catalog.country_by_id(last)
            if name is not None:
                self._choose_country(last, name, remember=False)
        if services:
            self._fill_services(services)
        self._update_titles()
        if not services:
            self.services_list.loading = True
            self._status("Loading services and countries…")
        if not countries:
            self.countries_list.loading = True
        fresh = catalog.is_fresh("services") and catalog.is_fresh("countries")
        if not fresh:
            self.refresh_catalog()

    @work(name="browse-catalog", group="browse-catalog", exclusive=True, exit_on_error=False)
    async def refresh_catalog(self, refresh: bool = False) -> None:
        catalog = self.catalog
        if catalog is None:
            return
        try:
            services = await catalog.services(refresh=refresh)
            countries = await catalog.countries(refresh=refresh)
        except Exception as exc:  # shown; the cached lists stay usable
            have = self.services_loaded
            tail = " (showing the cached lists)" if have else ""
            self._status(f"Could not load the catalog: {exc}{tail}. Press f5 to retry.")
            self.services_list.loading = False
            self.countries_list.loading = False
            return
        self._fill_services(services)
        self._fill_countries(countries)
        self.services_list.loading = False
        self.countries_list.loading = False
        self._update_titles()
        self._status("")

    def _fill_services(self, services: list[Any]) -> None:
        catalog = self.catalog
        recent = catalog.recent_services if catalog else []
        recent_keys = [str(sid) for sid in recent]
        rank = set(recent_keys)
        entries = [
            Entry(
                str(s.id),
                s.name,
                (RECENT_BOOST if str(s.id) in rank else 0.0)
                + (FAVOURITE_BOOST if s.favourite else 0.0),
                "recent" if str(s.id) in rank else "",
            )
            for s in sorted(services, key=lambda s: s.name.strip().lower())
        ]
        self._recent_seen = list(recent)
        self.services_list.set_entries(entries, pinned=recent_keys)
        self.services_loaded = True

    def _fill_countries(self, countries: list[Any]) -> None:
        catalog = self.catalog
        last = catalog.last_country if catalog else None
        entries = [Entry(ANY_COUNTRY, "Any country")]
        entries += [
            Entry(str(c.id), c.name, 0.0, c.short_name or "")
            for c in sorted(countries, key=lambda c: c.name.lower())
        ]
        pinned = [ANY_COUNTRY] + ([str(last)] if last is not None else [])
        self.countries_list.set_entries(entries, pinned=pinned)

    # ---- display -----------------------------------------------------------------------------

    def _status(self, text: str) -> None:
        self.query_one("#browse-status", Static).update(text)
        self.query_one("#browse-status", Static).display = bool(text)

    def _update_titles(self) -> None:
        services = self.services_list
        pane = self.query_one("#browse-services-pane")
        shown = min(services.hit_count, services.cap) if services.query_text else services.hit_count
        more = f" (first {shown})" if shown < services.hit_count else ""
        _retitle(pane, f"Services · {services.hit_count}{more}")
        country = escape(self.country_name) if self.country_name else "any"
        _retitle(self.query_one("#browse-countries-pane"), f"Country · {country}")

    def watch_active(self, active: str) -> None:
        self.query_one("#browse-services-pane").set_class(active == "services", "-active")
        self.query_one("#browse-countries-pane").set_class(active == "countries", "-active")
        self.filter.placeholder = f"Press / to filter {active}"

    @property
    def active_list(self) -> FuzzyList:
        return self.services_list if self.active == "services" else self.countries_list

    # ---- filtering ---------------------------------------------------------------------------

    @on(Input.Changed, "#browse-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        """Coalesce: keystrokes queued before the next frame cost one filter run."""
        self._queries[self.active] = event.value
        self._dirty.add(self.active)
        self.post_message(self.Refilter())  # queued ones fold into one (can_replace)
        self.refresh_footer()  # "esc Clear filter" comes and goes with the text

    class Refilter(Message):
        """Run the pending filters; several queued before the first runs count once."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, BrowseScreen.Refilter)

    def on_browse_screen_refilter(self, _message: Refilter) -> None:
        self._run_filters()

    def _run_filters(self) -> None:
        """Filter the lists whose query changed (keys that act on a list call it first, so
        a key typed right after the query never acts on the rows of an older one)."""
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, set()
        for name in dirty:
            lst = self.services_list if name == "services" else self.countries_list
            lst.apply_filter(self._queries[name])
        self._update_titles()

    @on(Input.Submitted, "#browse-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    @on(OptionList.OptionSelected)
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def _set_filter(self, value: str) -> None:
        with self.filter.prevent(Input.Changed):
            self.filter.value = value
        self.filter.cursor_position = len(value)

    # ---- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = self.focused is self.filter
        if action in ("focus_filter", "prices"):
            return not typing  # while typing these keys are letters
        if action == "leave_filter":
            return typing
        if action == "clear_filter":  # hidden when there is nothing to clear
            return not typing and bool(self._queries[self.active])
        return True

    def action_move(self, action: str) -> None:
        self._run_filters()
        getattr(self.active_list, f"action_{action}")()

    def action_switch_list(self) -> None:
        self._run_filters()
        self.active = "countries" if self.active == "services" else "services"
        self._set_filter(self._queries[self.active])
        if self.focused is not self.filter:
            self.active_list.focus()

    def action_leave_filter(self) -> None:
        self._run_filters()
        self.active_list.focus()

    def action_clear_filter(self) -> None:
        self.filter.value = ""  # Input.Changed refilters

    def action_focus_filter(self) -> None:
        self.filter.focus()

    def action_prices(self) -> None:
        self._run_filters()
        if self.active == "countries":
            self.active = "services"
            self._set_filter(self._queries["services"])
        self._open_prices()

    def action_open(self) -> None:
        self._run_filters()
        if self.active == "countries":
            self._pick_country()
        else:
            self._open_prices()

    def _pick_country(self) -> None:
        key = self.countries_list.highlighted_key
        if key is None:
            return
        if key == ANY_COUNTRY:
            self._choose_country(None, None)
        else:
            entry = self.countries_list.entry(key)
            self._choose_country(int(key), entry.name if entry else key)
        self.active = "services"
        self._set_filter(self._queries["services"])
        self._update_titles()

    def _choose_country(
        self, country_id: int | None, name: str | None, remember: bool = True
    ) -> None:
        self.country_id, self.country_name = country_id, name
        catalog = self.catalog
        if remember and catalog is not None:
            if country_id is None:
                catalog.forget_country()
            else:
                catalog.remember(country_id=country_id)
        self._update_titles()

    def _open_prices(self) -> None:
        key = self.services_list.highlighted_key
        catalog = self.catalog
        if key is None or catalog is None:
            return
        entry = self.services_list.entry(key)
        name = entry.name if entry else key
        catalog.remember(service_id=int(key))
        from smspool_tui.ui.screens.prices import PricesScreen  # lazy: keeps startup light

        self.app.push_screen(
            PricesScreen(int(key), name, country_id=self.country_id, country_name=self.country_name)
        )

    def action_reload(self) -> None:
        self._status("Refreshing the catalog…")
        self.refresh_catalog(refresh=True)  # a fresh cache would otherwise answer, not the server

    def on_screen_resume(self) -> None:
        if self.focused is self.filter:  # every visit starts on the list (the focus rule)
            self.active_list.focus()
        # Recents may have changed while the prices screen was open: bring them to the top.
        catalog = self.catalog
        services = catalog.cached_services() if catalog else None
        if services and catalog and catalog.recent_services != self._recent_seen:
            self._fill_services(services)


def _retitle(widget: Widget, title: str) -> None:
    """Set a border title only when it changes: each set repaints the whole pane."""
    if str(widget.border_title or "") != title:
        widget.border_title = title
