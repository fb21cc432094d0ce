"""Exit codes of the headless commands (documented in --help and the README)."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0  # done (the code was received)
    ERROR = 1  # unexpected error
    USAGE = 2  # usage or config error, or a purchase refused for want of --yes
    NO_CODE = 3  # no code within the wait (cancelled and refunded, or kept with --keep)
    NOTHING_TO_BUY = 4  # out of stock, no price under the cap or the budget
    BALANCE = 5  # insufficient balance
    KEY = 6  # API key missing or rejected
    UNREACHABLE = 7  # SMSPool unreachable (network, server errors after retries)
    UNKNOWN = 8  # purchase outcome unknown: it may exist, check `orders`
    EXHAUSTED = 9  # autopilot budget or attempts used up without a code
    INTERRUPTED = 130  # ctrl-c


EXIT_HELP = """exit codes:
  0   done (code received)          5   insufficient balance
  1   unexpected error              6   API key missing or rejected
  2   usage/config error, or no     7   SMSPool unreachable
      --yes off a terminal          8   purchase outcome unknown (check `orders`)
  3   no code within the wait       9   autopilot budget or attempts used up
  4   nothing to buy                130 interrupted (ctrl-c)"""
