"""Suite-wide isolation: no test reads or writes the real user's config, data or cache."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("SMSPOOL_CONFIG_FILE", str(home / "config" / "config.toml"))
    monkeypatch.setenv("SMSPOOL_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("SMSPOOL_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    for name in ("SMSPOOL_API_KEY", "SMSPOOL_BASE_URL", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
