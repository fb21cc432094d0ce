"""One registry of what the user can do, read from the live BINDINGS, feeding help and the palette.

Help and the command palette both call `binding_rows` / `screen_classes`, so a binding added to
any screen shows up in both without anyone editing a list.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

from smspool_tui.ui.screens.lazy import screen_class

if TYPE_CHECKING:
    from textual.app import App, SystemCommand

SCREENS_PACKAGE = "smspool_tui.ui.screens"
MODE_TITLES = {
    "orders": "Orders board",
    "browse": "Browse services",
    "history": "Order history",
    "rentals": "Rentals",
    "settings": "Settings",
    "stats": "Stats: spend and success",
    "watches": "Watches: stock and price alerts",
}
MAX_BUY_HITS = 12
EXACT = 1000.0  # above any fuzzy score (Textual's matcher scores are not capped at 1)
COUNTRY_ALIASES = {"UK": "GB"}  # what people type vs the ISO code SMSPool uses
# Textual's own palette entries that ours replace: "Quit" (ours asks first) and "Keys" (Help).
REPLACED_SYSTEM_COMMANDS = frozenset({"Quit", "Keys"})
# What a focused widget is called in Help, in words a user knows.
WIDGET_NAMES = {"DataTable": "the table", "Input": "a text field", "OptionList": "the list"}


@dataclass(frozen=True, slots=True)
class KeyRow:
    where: str  # "Everywhere", or the screen's title
    key: str  # as the footer shows it
    description: str
    action: str


def own_bindings(cls: type[DOMNode]) -> list[Binding]:
    """BINDINGS declared by `cls` and its bases up to (not including) Textual's own classes."""
    found: dict[str, Binding] = {}
    for base in reversed(cls.__mro__):
        if not base.__module__.startswith("smspool_tui"):
            continue
        for item in base.__dict__.get("BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            for key in binding.key.split(","):
                found[key.strip()] = Binding(
                    key.strip(),
                    binding.action,
                    binding.description,
                    show=binding.show,
                    key_display=binding.key_display,
                    tooltip=binding.tooltip,
                )
    return [b for b in found.values() if b.description]


def screen_classes() -> list[type[Screen[Any]]]:
    """Every Screen subclass defined under smspool_tui.ui.screens (modules imported on demand)."""
    package = importlib.import_module(SCREENS_PACKAGE)
    classes: dict[str, type[Screen[Any]]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{SCREENS_PACKAGE}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Screen)
                and value.__module__ == module.__name__
            ):
                classes[value.__qualname__] = value
    return sorted(classes.values(), key=lambda c: (c.__module__, c.__qualname__))


def _words(name: str) -> str:
    """ "QuitConfirm" -> "Quit confirm": a class name as a reader would say it."""
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", name) or [name]
    return " ".join([words[0]] + [w.lower() for w in words[1:]])


def screen_title(cls: type[DOMNode]) -> str:
    title = getattr(cls, "TITLE", None)
    if isinstance(title, str) and title:
        return title
    return _words(cls.__name__.removesuffix("Screen") or cls.__name__)


def widget_name(cls: type[DOMNode]) -> str:
    for base in cls.__mro__:
        if base.__name__ in WIDGET_NAMES:
            return WIDGET_NAMES[base.__name__]
    return _words(cls.__name__).lower()


def offered(app: Any, cls: type[DOMNode], action: str) -> bool:
    """Whether the palette offers `action` of `cls`: a screen lists in HIDDEN_IN_DEMO what
    cannot be done in the demo (its key is the simulator's)."""
    return not (getattr(app, "demo", False) and action in getattr(cls, "HIDDEN_IN_DEMO", ()))


def system_commands(
    commands: Iterable[SystemCommand],
) -> Iterator[SystemCommand]:
    """Textual's system commands without the ones ours replace (no second Quit, no Keys
    beside Help)."""
    return (c for c in commands if c.title not in REPLACED_SYSTEM_COMMANDS)


def _rows(app: App[Any], where: str, bindings: list[Binding]) -> Iterator[KeyRow]:
    for binding in bindings:
        key = app.get_key_display(binding)
        text = binding.description
        if binding.tooltip and binding.tooltip != text:
            text = f"{text}: {binding.tooltip}"
        yield KeyRow(where, key, text, binding.action)


def _merge_keys(rows: list[KeyRow]) -> list[KeyRow]:
    """Keys bound to the same action on the same screen share one row: "n, esc  No"."""
    merged: dict[tuple[str, str, str], KeyRow] = {}
    for row in rows:
        slot = (row.where, row.action, row.description)
        if slot in merged:
            old = merged[slot]
            if row.key in old.key.split(", "):  # two names of one key ("$" twice): once
                continue
            merged[slot] = KeyRow(old.where, f"{old.key}, {row.key}", old.description, old.action)
        else:
            merged[slot] = row
    return list(merged.values())


def binding_rows(app: App[Any], current: Screen[Any] | None = None) -> list[KeyRow]:
    """The app's keys, then the current screen's (with its focused widget), then every other
    screen's, each read from the classes' BINDINGS."""
    rows: list[KeyRow] = list(_rows(app, "Everywhere", own_bindings(type(app))))
    # Textual's own ctrl+q (and our ctrl+c) take the same path as q: name them on q's row.
    extra = ", ".join(app.get_key_display(Binding(k, "")) for k in ("ctrl+q", "ctrl+c"))
    rows = [replace(r, key=f"{r.key}, {extra}") if r.action == "quit" else r for r in rows]
    rows.append(
        KeyRow(
            "Everywhere",
            app.get_key_display(Binding("ctrl+p", "")),
            "Command palette",
            "command_palette",
        )
    )
    if current is not None:
        where = f"{screen_title(type(current))} (this screen)"
        rows += _rows(app, where, own_bindings(type(current)))
        focused = current.focused
        if focused is not None:
            extra = [b for b in own_bindings(type(focused))]
            extra += [
                b
                for bs in type(focused)._merge_bindings().key_to_bindings.values()
                for b in bs
                if b.description and b.show and not b.system
            ]
            rows += _rows(app, f"{where}, in {widget_name(type(focused))}", extra)
    for cls in screen_classes():
        if current is not None and cls is type(current):
            continue
        rows += _rows(app, screen_title(cls), own_bindings(cls))
    return _merge_keys(rows)


# ---- the command palette ---------------------------------------------------------------------


class SmsPoolCommands(Provider):
    """Go to each screen, run each key of the current screen, and the app's own actions."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        app: Any = self.app
        commands: list[tuple[str, Any, str]] = []
        if getattr(app, "session", None) is not None:
            for mode, title in MODE_TITLES.items():
                commands.append((f"Go to {title}", partial(app.switch_mode, mode), f"Open {title}"))
            bids = "Bids for numbers out of stock; x cancels one (refunded)"
            commands.append(("Pre-orders: your bids", partial(open_preorders, app), bids))
        commands.append(("Help: all keys", app.action_help, "Every binding of every screen"))
        commands.append(("Quit smspool-tui", app.action_quit, "Asks first if work is queued"))
        screen = self.screen
        for binding in own_bindings(type(screen)):
            if not offered(app, type(screen), binding.action):
                continue
            title = f"{screen_title(type(screen))}: {binding.description}"
            run = partial(app.run_action, binding.action, screen)
            commands.append((title, run, f"Key: {app.get_key_display(binding)}"))
        if getattr(app, "session", None) is None:
            return commands
        # The other top-level screens' keys too: go there, then do it.
        for mode, entry in getattr(app, "MODES", {}).items():
            factory = screen_class(entry)
            if factory is None or isinstance(screen, factory):
                continue
            where = screen_title(factory)
            for binding in own_bindings(factory):
                if not offered(app, factory, binding.action):
                    continue
                run = partial(run_in_mode, app, mode, binding.action)
                help_text = f"Key: {app.get_key_display(binding)} on {where}"
                commands.append((f"{where}: {binding.description}", run, help_text))
        return commands

    async def discover(self) -> Hits:
        for title, run, help_text in self._commands():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)


async def run_in_mode(app: Any, mode: str, action: str) -> None:
    await app.switch_mode(mode)
    await app.run_action(action, app.screen)


class BuyCommands(Provider):
    """ "Buy <service> in <country>": type a service (and optionally "in <country>") to jump to
    the purchase modal. Uses the catalog's lists (cached on disk, fetched once if missing)."""

    async def startup(self) -> None:
        self.services: list[Any] = []
        self.countries: list[Any] = []
        self.last_country: int | None = None
        session = getattr(self.app, "session", None)
        catalog = getattr(session, "catalog", None)
        if catalog is None:
            return
        from smspool_tui.api.errors import ApiError  # api/__init__ loads pydantic models

        try:
            self.services = list(catalog.cached_services() or await catalog.services())
            self.countries = list(catalog.cached_countries() or await catalog.countries())
        except ApiError:  # the palette works without buy hits when offline
            self.services, self.countries = [], []
        self.last_country = catalog.last_country  # the country bought in last

    def _default_countries(self) -> list[Any]:
        by_id = {c.id: c for c in self.countries}
        first = by_id.get(self.last_country) if self.last_country is not None else None
        return ([first] if first else []) + [c for c in self.countries[:3] if c is not first]

    async def search(self, query: str) -> Hits:
        if not self.services:
            return
        text = query.strip()
        lowered = text.lower()
        autopilot = lowered.startswith(("autopilot", "auto "))
        if lowered.startswith("buy "):
            text = text[4:]
        elif autopilot:
            text = text.partition(" ")[2].lstrip(": ")
        service_q, _, country_q = text.partition(" in ")
        service_m = self.matcher(service_q.strip() or text)
        services = sorted(
            ((service_m.match(s.name), s) for s in self.services), key=lambda h: -h[0]
        )
        services = [(score, s) for score, s in services if score > 0][:4]
        if country_q.strip():
            country_m = self.matcher(country_q.strip())
            code = COUNTRY_ALIASES.get(country_q.strip().upper(), country_q.strip().upper())
            countries = sorted(
                (
                    # "uk", "US", "de": a country code beats any fuzzy name match.
                    (EXACT if (c.short_name or "").upper() == code else country_m.match(c.name), c)
                    for c in self.countries
                ),
                key=lambda h: -h[0],
            )
            countries = [(score, c) for score, c in countries if score > 0][:4]
        else:
            countries = [(0.5, c) for c in self._default_countries()]
        count = 0
        whole = self.matcher(query)
        for s_score, service in services if not lowered.startswith("buy ") else ():
            where = countries[0][1] if country_q.strip() and countries else None
            title = f"Autopilot: {service.name}" + (f" in {where.name}" if where else "")
            run = partial(open_autopilot, self.app, service, where)
            # Below the buy hits unless the query asks for the autopilot.
            score = whole.match(title) + EXACT if autopilot else whole.match(title) / 2
            yield Hit(score or s_score / 2, whole.highlight(title), run, text=title,
                      help="Get a code hands-off (asks first)")  # fmt: skip
        for s_score, service in services:
            for c_score, country in countries:
                title = f"Buy {service.name} in {country.name}"
                run = partial(open_purchase, self.app, service, country)
                score = max(whole.match(title), (s_score + c_score) / 2)
                if c_score >= EXACT:
                    score = c_score + s_score  # the country code the user typed comes first
                yield Hit(score, whole.highlight(title), run, text=title, help="Opens the purchase")
                count += 1
                if count >= MAX_BUY_HITS:
                    return


def open_preorders(app: Any) -> None:
    """The pre-orders list (bids for numbers out of stock)."""
    from smspool_tui.ui.screens.preorders import PreordersScreen

    app.push_screen(PreordersScreen())


def open_autopilot(app: Any, service: Any, country: Any | None) -> None:
    """The autopilot's confirm screen for this service (and country, if one was typed)."""
    from smspool_tui.ui.screens.autopilot_confirm import AutopilotConfirm

    where = [(country.id, country.name)] if country is not None else []
    app.push_screen(AutopilotConfirm(int(service.id), service.name, where))


def open_purchase(app: Any, service: Any, country: Any) -> None:
    """Look up this country's offer (price, pool, odds), then open the purchase modal."""

    async def load() -> None:
        from smspool_tui.api.errors import ApiError
        from smspool_tui.ui.screens.purchase import PurchaseRequest, PurchaseScreen

        request = PurchaseRequest.simple(service.id, service.name, country.id, country.name)
        try:
            offers = await app.session.catalog.country_offers(int(service.id))
        except ApiError as exc:  # the modal still opens; say why there is no price
            app.notify(f"No price list: {exc}", severity="warning", markup=False)
            offers = []
        for index, offer in enumerate(offers):
            if offer.country_id == country.id:
                rest = tuple(offers[index + 1 : index + 4])
                request = PurchaseRequest(service.id, service.name, offer, alternatives=rest)
                app.push_screen(PurchaseScreen(request))
                return
        if offers:
            # Not sold there (or not priced): show where it is sold instead of a blind modal.
            from smspool_tui.ui.screens.prices import PricesScreen

            app.notify(
                f"No {service.name} price listed for {country.name}; here is where it is sold.",
                markup=False,
            )
            app.push_screen(PricesScreen(int(service.id), service.name))
            return
        app.push_screen(PurchaseScreen(request))

    app.run_worker(load(), name="palette-buy", group="palette", exit_on_error=False)
