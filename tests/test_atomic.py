"""The one atomic writer: all or nothing, owner-only, and `exclusive` never overwrites."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from smspool_tui.atomic import atomic_writer, write_atomic


def test_write_is_owner_only_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temp left behind


def test_a_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(target, text=True) as handle:
        handle.write("half a fi")
        raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_exclusive_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    with atomic_writer(target, text=True, exclusive=True) as handle:
        handle.write("a,b\r\n")
    assert target.read_bytes() == b"a,b\r\n"
    with pytest.raises(FileExistsError), atomic_writer(target, exclusive=True) as raw:
        raw.write(b"again")
    assert target.read_bytes() == b"a,b\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]
