"""Desktop notifications: which terminal gets which escape, the OS notifier when there is no
such terminal, nothing (and no error) when neither is there, per-kind settings, and the code
kept out unless the user asks for it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smspool_tui.clock import FakeClock
from smspool_tui.config import DesktopNotifications
from smspool_tui.core import events as ev
from smspool_tui.core.notify import Kind, Notice, NoticeSource, Notifier, system, terminal
from smspool_tui.core.order_model import Order, OrderState

CODE = Notice(Kind.CODE, "Code received", "Telegram · US: a code arrived", "Telegram · US: 123456")


class Out:
    def __init__(self) -> None:
        self.written: list[str] = []
        self.spawned: list[list[str]] = []

    def notifier(self, env: dict[str, str], prefs: DesktopNotifications | None = None) -> Notifier:
        prefs = prefs or DesktopNotifications()
        return Notifier(
            lambda: prefs,
            escape=terminal.detect(env),
            write=self.written.append,
            os_notifier=system.detect(env, "linux", which=lambda tool: f"/usr/bin/{tool}"),
            spawn=self.spawned.append,
        )


@pytest.mark.parametrize(
    ("env", "escape"),
    [
        ({"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1"}, terminal.Escape.OSC99),
        ({"TERM_PROGRAM": "iTerm.app", "TERM": "xterm-256color"}, terminal.Escape.OSC9),
        ({"TERM_PROGRAM": "ghostty", "TERM": "xterm-ghostty"}, terminal.Escape.OSC777),
        ({"TERM_PROGRAM": "WezTerm"}, terminal.Escape.OSC777),
        ({"TERM": "foot"}, terminal.Escape.OSC777),
        ({"TERM": "xterm-256color"}, None),  # unknown: nothing guessed
        ({"TERM": "tmux-256color", "TMUX": "/tmp/t,1,0", "KITTY_WINDOW_ID": "1"}, None),
        ({"TERM": "screen", "STY": "1.pts", "TERM_PROGRAM": "iTerm.app"}, None),
    ],
)
def test_the_terminal_escape_is_chosen_conservatively(
    env: dict[str, str], escape: terminal.Escape | None
) -> None:
    assert terminal.detect(env) is escape


def test_each_escape_is_one_whole_sequence_with_no_control_characters_inside() -> None:
    nasty = "evil\x1b]52;c;AAAA\x07\x9c;title"
    assert terminal.render(terminal.Escape.OSC9, "T", nasty) == "\x1b]9;T: evil ]52;c;AAAA ;title\a"
    osc777 = terminal.render(terminal.Escape.OSC777, "a;b", "x;y")
    assert osc777 == "\x1b]777;notify;a,b;x;y\a"
    kitty = terminal.render(terminal.Escape.OSC99, "Title", "Body", ident=4)
    assert kitty == "\x1b]99;i=4:d=0:p=title;Title\x1b\\\x1b]99;i=4:d=1:p=body;Body\x1b\\"


def test_a_capable_terminal_gets_the_escape_and_the_os_tool_is_not_run() -> None:
    out = Out()
    n = out.notifier({"TERM_PROGRAM": "iTerm.app", "DISPLAY": ":0"})
    assert n.notify(CODE) == "terminal"
    assert out.written == ["\x1b]9;Code received: Telegram · US: a code arrived\a"]
    assert out.spawned == []


def test_without_such_a_terminal_the_os_notifier_is_used() -> None:
    out = Out()
    n = out.notifier({"TERM": "xterm-256color", "DISPLAY": ":0"})
    assert n.notify(CODE) == "os"
    assert out.spawned == [
        [
            "/usr/bin/notify-send",
            "--app-name=smspool-tui",
            "--",
            "Code received",
            "Telegram · US: a code arrived",
        ]
    ]
    assert out.written == []
    mac = system.detect({}, "darwin", which=lambda tool: f"/usr/bin/{tool}")
    assert mac is not None and mac.command("T", "B")[-2:] == ["T", "B"]


@pytest.mark.parametrize(
    "env",
    [
        {},  # CI: no TERM, no display
        {"TERM": "xterm", "SSH_CONNECTION": "1 2 3 4", "DISPLAY": ":10"},  # SSH: not the remote
        {"TERM": "tmux-256color", "TMUX": "x"},  # tmux without passthrough, no desktop
    ],
)
def test_with_nothing_available_it_says_none_and_never_raises(env: dict[str, str]) -> None:
    out = Out()
    n = out.notifier(env)
    assert n.notify(CODE) == "none"
    assert out.written == [] and out.spawned == []
    assert "toast and bell only" in n.available()


def test_a_broken_backend_is_reported_as_none_not_raised() -> None:
    def boom(_text: str) -> None:
        raise OSError("terminal gone")

    prefs = DesktopNotifications()
    n = Notifier(
        lambda: prefs, escape=terminal.Escape.OSC9, write=boom, os_notifier=None, spawn=None
    )
    assert n.notify(CODE) == "none"


def test_kinds_turned_off_and_the_backend_choice_are_obeyed() -> None:
    out = Out()
    prefs = DesktopNotifications(code=False)
    n = out.notifier({"TERM_PROGRAM": "iTerm.app", "DISPLAY": ":0"}, prefs)
    assert n.notify(CODE) == "off"
    assert n.notify(Notice(Kind.WATCH, "Watch fired", "x")) == "terminal"
    prefs.backend = "os"
    assert n.notify(Notice(Kind.WATCH, "Watch fired", "x")) == "os"
    prefs.backend = "off"
    assert n.notify(Notice(Kind.WATCH, "Watch fired", "x")) == "off"
    assert len(out.written) == 1 and len(out.spawned) == 1


def test_the_code_is_shown_only_when_the_user_enables_it() -> None:
    out = Out()
    prefs = DesktopNotifications()
    n = out.notifier({"TERM_PROGRAM": "WezTerm"}, prefs)
    n.notify(CODE)
    assert "123456" not in out.written[-1]
    prefs.show_code = True
    n.notify(CODE)
    assert "123456" in out.written[-1]


def order(status: OrderState, code: str | None = None) -> Order:
    return Order("o1", "Telegram", "United States", "+15551234", status=status, code=code)


def test_sources_say_what_each_event_means() -> None:
    clock = FakeClock()
    src = NoticeSource(clock)
    [code] = src.notices(ev.CodeArrived(order(OrderState.RECEIVED, "987654")))
    assert code.kind is Kind.CODE and "987654" not in code.body and "987654" in code.text(True)
    # An order that ran out without a code, seen between two snapshots (not at the first).
    assert src.notices(ev.OrdersChanged((order(OrderState.PENDING),))) == []
    [gone] = src.notices(ev.OrdersChanged((order(OrderState.EXPIRED),)))
    assert gone.kind is Kind.EXPIRED
    assert src.notices(ev.OrdersChanged((order(OrderState.EXPIRED),))) == []


def test_offline_is_said_once_after_a_minute() -> None:
    clock = FakeClock()
    src = NoticeSource(clock)
    down = ev.MonitorHealth("orders", False, "offline - retrying in 5s", 5)
    assert src.notices(down) == []
    clock.advance(59)
    assert src.tick() == [] and src.notices(ev.MonitorHealth("balance", False, "offline")) == []
    clock.advance(timedelta(seconds=2).total_seconds())
    [notice] = src.tick()
    assert notice.kind is Kind.OFFLINE
    assert src.tick() == []  # once, not every tick, nor again for the second monitor
    src.notices(ev.MonitorHealth("orders", True, "online"))
    src.notices(ev.MonitorHealth("balance", True, "online"))
    src.notices(down)
    clock.advance(61)
    assert len(src.tick()) == 1  # a new outage is a new notice


def test_inside_tmux_the_escape_goes_through_passthrough_only_when_asked() -> None:
    env = {"TERM": "tmux-256color", "TMUX": "/tmp/tmux-1/default,1,0", "KITTY_WINDOW_ID": "3"}
    written: list[str] = []
    prefs = DesktopNotifications()
    n = Notifier.for_environment(lambda: prefs, env, write=written.append, spawn=None)
    assert n.notify(CODE) == "none"  # "auto": passthrough may be off, so nothing is sent
    prefs.backend = "terminal"
    assert n.notify(CODE) == "tmux"
    inner = terminal.render(terminal.Escape.OSC99, CODE.title, CODE.body, ident=1)
    assert written == ["\x1bPtmux;" + inner.replace("\x1b", "\x1b\x1b") + "\x1b\\"]
    assert terminal.detect_behind_tmux({"TERM": "xterm", "KITTY_WINDOW_ID": "3"}) is None
