"""The demo environment: the simulator in-process plus a throwaway config and journal.

Used by `smspool-tui --demo` and by onboarding's "try the demo". No Textual here, so the CLI and
the UI both depend on this module and neither depends on the other.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from smspool_tui.config import LoadedSettings, Paths

if TYPE_CHECKING:
    from smspool_tui.sim.server import SimServer


class DemoHandle:
    """The in-process simulator and the demo's throwaway folder; `stop()` removes both."""

    def __init__(self, server: SimServer, root: Path) -> None:
        self.server = server
        self.root = root
        self.url: str = server.url
        self._stopped = False

    def stop(self) -> None:
        # Both the App (on unmount) and the CLI (on exit) stop it; the second call is a no-op.
        if self._stopped:
            return
        self._stopped = True
        self.server.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def demo_environment() -> tuple[LoadedSettings, Paths, DemoHandle]:
    """Start the simulator in-process; the demo gets its own throwaway config and journal."""
    from smspool_tui.config import Settings
    from smspool_tui.sim.runner import start_demo

    server, key = start_demo()
    root = Path(tempfile.mkdtemp(prefix="smspool-tui-demo-"))
    paths = Paths(
        config_file=root / "config.toml", data_dir=root / "data", cache_dir=root / "cache"
    )
    settings = Settings(api_key=key, base_url=server.url)
    loaded = LoadedSettings(settings=settings, path=paths.config_file, key_source="demo")
    return loaded, paths, DemoHandle(server, root)
