"""The terminal's own notification escapes, and which terminal understands which.

Conservative on purpose: an escape a terminal does not know may be printed as garbage or, worse,
mean something else (ConEmu reads OSC 9;N as its own commands), so only terminals known to show a
notification for it are named here. Inside tmux or screen nothing is sent by default: tmux
drops OSC sequences unless `allow-passthrough` is on, and we cannot ask whether it is. A user
who turned it on chooses backend "terminal": then, inside tmux, the outer terminal (named by the
variables it exported before tmux started) gets the escape wrapped in tmux's passthrough.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping

ESC = "\x1b"
ST = ESC + "\\"
MAX_TITLE = 60
MAX_BODY = 200
# C0 and C1 controls (ESC, BEL, ST ...) would end the escape early or start another one.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class Escape(enum.StrEnum):
    OSC9 = "osc9"  # iTerm2: ESC ] 9 ; body BEL
    OSC777 = "osc777"  # ghostty, WezTerm, foot, urxvt: ESC ] 777 ; notify ; title ; body BEL
    OSC99 = "osc99"  # kitty's own protocol, title and body as two chunks


def clean(text: str, limit: int) -> str:
    flat = _CONTROLS.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def in_multiplexer(env: Mapping[str, str]) -> bool:
    term = env.get("TERM", "")
    return bool(env.get("TMUX") or env.get("STY")) or term.startswith(("screen", "tmux"))


def detect(env: Mapping[str, str]) -> Escape | None:
    """The escape this terminal shows as a notification, or None (unknown, or behind tmux)."""
    if in_multiplexer(env):
        return None
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    if env.get("KITTY_WINDOW_ID") or term == "xterm-kitty":
        return Escape.OSC99
    if program == "iTerm.app" or env.get("ITERM_SESSION_ID"):
        return Escape.OSC9
    if program in ("ghostty", "WezTerm") or term in ("xterm-ghostty", "wezterm"):
        return Escape.OSC777
    if term.startswith(("foot", "rxvt-unicode")):
        return Escape.OSC777
    return None


def detect_behind_tmux(env: Mapping[str, str]) -> Escape | None:
    """The outer terminal's escape when running inside tmux (TERM and TERM_PROGRAM are tmux's
    own there, so only the variables the outer terminal exported can tell)."""
    if not env.get("TMUX"):
        return None
    if env.get("KITTY_WINDOW_ID"):
        return Escape.OSC99
    if env.get("ITERM_SESSION_ID") or env.get("LC_TERMINAL") == "iTerm2":
        return Escape.OSC9
    if env.get("WEZTERM_PANE") or env.get("GHOSTTY_RESOURCES_DIR"):
        return Escape.OSC777
    return None


def tmux_passthrough(sequence: str) -> str:
    """tmux forwards a DCS "tmux;" string to the outer terminal, each ESC inside doubled."""
    return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ST}"


def render(escape: Escape, title: str, body: str, ident: int = 1) -> str:
    """The bytes to write: one complete sequence (or two for kitty), never a partial one."""
    title, body = clean(title, MAX_TITLE), clean(body, MAX_BODY)
    if escape is Escape.OSC9:
        text = f"{title}: {body}" if body else title
        return f"{ESC}]9;{text}\a"
    if escape is Escape.OSC777:
        # `;` separates the title from the body; the body may keep its own.
        return f"{ESC}]777;notify;{title.replace(';', ',')};{body}\a"
    # kitty: d=0 says more chunks follow; p=body marks the second as the body.
    head = f"{ESC}]99;i={ident}:d=0:p=title;{title}{ST}"
    return head + f"{ESC}]99;i={ident}:d=1:p=body;{body}{ST}"
