"""Mode screens imported on first visit: the first frame only needs the orders board."""

from __future__ import annotations

import importlib
from typing import Any

from textual.screen import Screen


class LazyScreen:
    """A MODES entry: called by Textual to build the screen; `load()` gives the class."""

    def __init__(self, module: str, name: str) -> None:
        self.module = f"smspool_tui.ui.screens.{module}"
        self.name = name

    def load(self) -> type[Screen[Any]]:
        return getattr(importlib.import_module(self.module), self.name)

    def __call__(self) -> Screen[Any]:
        return self.load()()


def screen_class(factory: object) -> type[Screen[Any]] | None:
    """The screen class behind a MODES entry (a class or a LazyScreen)."""
    if isinstance(factory, LazyScreen):
        return factory.load()
    return factory if isinstance(factory, type) else None
