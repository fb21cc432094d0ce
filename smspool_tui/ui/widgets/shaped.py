"""Toggles whose state reads without colour (NO_COLOR): the chosen one is marked, not shaded."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class ShapedRadio(RadioButton):
    """A radio button drawn ● when chosen and empty when not (Textual draws ● for both)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "●" if self.value else " "


class OnOffBox(Checkbox):
    """A checkbox marked ✓ when on and blank when off (Textual draws X for both)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "✓" if self.value else " "
