"""Helpers shared by the fault, security and soak tests: read what is on screen, find the key."""

from __future__ import annotations

import html
import re
from typing import Any

from tests.harness import wait_until

# A key that looks real and is easy to grep for (never the sim's demo key, which tests share).
SECRET_KEY = "Prf9SecretKeyZz0123456789abcdQWE"

_TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")


def svg_text(svg: str) -> str:
    """All text drawn in a Textual SVG screenshot, spans joined, entities decoded."""
    return html.unescape("".join(_TEXT.findall(svg))).replace("\xa0", " ")


def screen_text(app: Any) -> str:
    """What the user sees now, plus toasts (run_test records them without drawing them)."""
    shown = svg_text(app.export_screenshot())
    notes = " ".join(str(n.message) for n in app._notifications)
    return f"{shown}\n{notes}"


def key_fragments(key: str) -> list[str]:
    """The key and long slices of it: a half-masked key is still a leak."""
    return [key, key[:12], key[-12:], key[8:20]]


def assert_no_key(blob: str | bytes, key: str = SECRET_KEY, where: str = "") -> None:
    text = blob.decode("utf-8", "replace") if isinstance(blob, bytes) else blob
    for frag in key_fragments(key):
        assert frag not in text, f"key fragment {frag!r} found in {where}"


async def workers_done(app: Any, timeout: float = 5.0) -> None:
    """Screen workers finished (the App's monitor loops never do, so they are left out)."""
    await wait_until(
        lambda: all(w.is_finished for w in app.workers if w.group != "monitors"), timeout
    )
