"""Where CSV exports go: a folder that outlives the run.

A signed-in user's exports sit beside the journal (data dir / exports). The demo's data dir is
deleted on quit, so its exports go to ~/Downloads (or the current folder without one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def export_folder(app: Any) -> Path:
    if getattr(app, "demo", False):
        downloads = Path.home() / "Downloads"
        return downloads if downloads.is_dir() else Path.cwd()
    return Path(app.paths.data_dir) / "exports"
