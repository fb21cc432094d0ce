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
from smspool_tui.ui.widgets.key_footer import label_of

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
# Textual's own palette entries that ours replace: "Quit" (ours asks first) and "Keys" (Help);
# "Maximize the focused widget" is a developer's word for nothing a user asked for.
REPLACED_SYSTEM_COMMANDS = frozenset({"Quit", "Keys", "Maximize"})
# The dialogs' names in Help, as a user meets them; None: its keys are on its own footer
# (a yes/no question, an error, Help itself), not worth a heading.
SCREEN_NAMES: dict[str, str | None] = {
    "AutopilotConfirm": "Autopilot, before it starts",
    "ConfirmScreen": None,
    "QuitConfirm": None,
    "ProblemScreen": None,
    "HelpScreen": None,
    "InboxScreen": "Inbox (enter on a rental)",
    "OnboardingScreen": "Welcome (first start)",
    "OrderDetailScreen": "Order details (enter on an order)",
    "PurchaseScreen": "Buying a number (enter on a price)",
    "RentalConfirmScreen": "Buying or extending a rental",
}
# Keys that move between places, not things to do: not palette commands.
NAVIGATION_KEYS = frozenset({"escape"})
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
    found: dict[tuple[str, str], Binding] = {}  # one key may serve two actions (check_action)
    for base in reversed(cls.__mro__):
        if not base.__module__.startswith("smspool_tui"):
            continue
        for item in base.__dict__.get("BINDINGS", []):
            binding = item if isinstance(item, Binding) else Binding(*item)
            for key in binding.key.split(","):
                found[key.strip(), binding.action] = Binding(
                    key.strip(),
                    binding.action,
                    label_of(binding),
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
    named = SCREEN_NAMES.get(cls.__name__)
    if named:
        return named
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


def can_act(node: DOMNode | None, action: str) -> bool:
    """False if `node` hides this action now (its check_action says False): not listed."""
    if node is None:
        return True
    name, _, _ = action.partition("(")
    try:
        return node.check_action(name, ()) is not False
    except Exception:  # a screen not composed yet: list it
        return True


def _rows(
    app: App[Any], where: str, bindings: list[Binding], node: DOMNode | None = None
) -> Iterator[KeyRow]:
    for binding in bindings:
        key = app.get_key_display(binding)
        text = binding.description
        if binding.tooltip and binding.tooltip != text:
            text = f"{text}: {binding.tooltip}"
        if not can_act(node, binding.action):
            text += " (not now)"  # e.g. the autopilot's keys while none runs
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
        rows += _rows(app, where, own_bindings(type(current)), current)
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
    # The top-level screens in the order of their keys, then the dialogs.
    tops = [screen_class(entry) for entry in getattr(app, "MODES", {}).values()]
    others = [c for c in screen_classes() if c not in tops]
    for cls in [c for c in tops if c is not None] + others:
        if current is not None and cls is type(current):
            continue
        if cls.__name__ in SCREEN_NAMES and SCREEN_NAMES[cls.__name__] is None:
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
            commands += [
                ("Go to Prices (pick a service)", partial(pick_service, app), "Opens Browse"),
                ("Go to Inbox (a rental's messages)", partial(open_inbox, app), "Opens Rentals"),
            ]
            bids = "Bids for numbers out of stock; x cancels one (refunded)"
            commands.append(("Pre-orders: your bids", partial(open_preorders, app), bids))
        commands.append(("Help: all keys", app.action_help, "Every binding of every screen"))
        commands.append(("Quit smspool-tui", app.action_quit, "Asks first if work is queued"))
        screen = self.screen
        for binding in own_bindings(type(screen)):
            if binding.key in NAVIGATION_KEYS or not can_act(screen, binding.action):
                continue
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
                if binding.key in NAVIGATION_KEYS or not offered(app, factory, binding.action):
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


async def pick_service(app: Any) -> None:
    """Prices belong to one service: Browse with the filter ready to type its name."""
    await app.switch_mode("browse")
    await app.run_action("focus_filter", app.screen)
    app.notify("Type a service, then enter shows its prices.")


async def open_inbox(app: Any) -> None:
    """The highlighted rental's inbox, or Rentals with a word on how to open one."""
    await app.switch_mode("rentals")
    screen = app.screen
    if can_act(screen, "open_inbox") and screen.check_action("open_inbox", ()):
        await app.run_action("open_inbox", screen)
    else:
        app.notify("Pick one of your rentals (t: Mine/Catalog), then enter opens its inbox.")


def open_preorders(app: Any) -> None:
    """The pre-orders list (bids for numbers out of stock)."""
    from smspool_tui.ui.screens.preorders import PreordersScreen

    app.push_screen(PreordersScreen())
