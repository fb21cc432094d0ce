"""An Input that claims only the characters it accepts, so a screen's letter keys (`y`, `n`)
still reach its bindings while the field has focus (Textual drops any binding whose key the
focused Input would consume, priority or not)."""

from __future__ import annotations

import re

from textual.widgets import Input


class DigitsInput(Input):
    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character is None or not character.isprintable():
            return False
        return self.restrict is None or re.fullmatch(self.restrict, character) is not None
