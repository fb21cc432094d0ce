"""A masked Input for the API key whose messages never carry the value.

With TEXTUAL_LOG set, Textual writes the repr of every message it dispatches to that file, and
`Input.Changed/Submitted/Blurred` are dataclasses whose repr holds `value`. The subclasses here
keep every field (handlers read `event.value` as before, and `@on(Input.Submitted)` still
matches through the MRO) but their repr says only how long the value is.
"""

from __future__ import annotations

from typing import Any

import rich.repr
from textual import events
from textual.widgets import Input


def _masked(message: Any) -> str:
    return f"{type(message).__qualname__}(input={message.input!r}, length={len(message.value)})"


class SecretInput(Input):
    """Always a password field; its Changed/Submitted/Blurred reprs hide the value."""

    class Changed(Input.Changed):
        def __repr__(self) -> str:
            return _masked(self)

        __str__ = __repr__

    class Submitted(Input.Submitted):
        def __repr__(self) -> str:
            return _masked(self)

        __str__ = __repr__

    class Blurred(Input.Blurred):
        def __repr__(self) -> str:
            return _masked(self)

        __str__ = __repr__

    def __init__(self, **kwargs: Any) -> None:
        kwargs["password"] = True
        super().__init__(**kwargs)


def _paste_repr(self: events.Paste) -> rich.repr.Result:
    yield "length", len(self.text)


# A pasted key reaches the App as a driver `Paste` event, logged with its text before any widget
# sees it; what was pasted is nobody's debugging business, so the log shows only its length.
events.Paste.__rich_repr__ = _paste_repr  # type: ignore[method-assign]
