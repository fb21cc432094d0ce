"""What screens may ask of the App: one small protocol instead of the App's private fields.

Screens type `self.smsapp` as `SmsApp`, so they depend on this module, never on `ui/app.py`
(which imports the screens: that was an import cycle). The session lifecycle lives on the App;
screens only ask for it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pydantic import SecretStr
    from textual.signal import Signal

    from smspool_tui.clock import Clock
    from smspool_tui.config import LoadedSettings, Paths, Settings
    from smspool_tui.core.autopilot import Plan
    from smspool_tui.core.session import Session
    from smspool_tui.ui.autopilot_glue import AutopilotGlue


class SmsApp(Protocol):
    """The App as screens see it."""

    loaded: LoadedSettings
    paths: Paths
    demo: bool  # running against the in-process simulator
    session: Session | None  # None until a key works (onboarding) or after sign-out
    balance: Decimal | None
    core_events: Signal[object]  # every core event, re-published on the UI thread
    autopilot: AutopilotGlue  # the autopilot run the board shows (one at a time)

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...

    def start_autopilot(self, plan: Plan) -> bool:
        """Run an autopilot plan the user confirmed with `y`; False if one is running."""
        ...

    async def sign_in(self, key: SecretStr | None = None, balance: Decimal | None = None) -> bool:
        """Adopt a checked key (saved by the caller), open the session, show the board."""
        ...

    async def start_demo(self) -> None:
        """Switch to the in-process simulator with throwaway settings, then sign in."""
        ...

    async def replace_key(self, key: SecretStr, balance: Decimal) -> bool:
        """Swap the session for one with the new (checked) key; False if it could not open."""
        ...

    async def sign_out(self) -> None:
        """Stop everything that used the key and ask for a key again."""
        ...
