"""Owner-only files, https only (loopback excepted), TLS verification always on."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from smspool_tui.api.client import SMSPoolClient
from smspool_tui.clock import FakeClock
from smspool_tui.config import LoadedSettings, Settings, check_base_url, save_settings
from smspool_tui.core.journal import Journal
from tests.faults.common import SECRET_KEY

ROOT = Path(__file__).parents[2] / "smspool_tui"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_config_file_and_dir_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "config.toml"
    loaded = LoadedSettings(
        settings=Settings(api_key=SECRET_KEY), path=path, key_source="onboarding"
    )
    save_settings(loaded)
    assert path.exists() and SECRET_KEY in path.read_text()  # it really saved the key here
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_journal_file_and_dir_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "journal.sqlite3"
    journal = Journal(path, now=FakeClock().now)
    try:
        journal.record_intent("sms", {"country_id": 1})
        # While the journal is open after a write, SQLite keeps its WAL and shared-memory files
        # beside it (they vanish on close): they hold the same numbers and codes.
        extras = {p.name: mode(p) for p in path.parent.glob("journal.sqlite3-*")}
        assert extras == {"journal.sqlite3-wal": 0o600, "journal.sqlite3-shm": 0o600}
    finally:
        journal.close()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


@pytest.mark.parametrize(
    "url",
    ["http://api.smspool.net", "http://example.com:8080", "http://10.0.0.5", "ftp://x", "api"],
)
def test_plain_http_is_refused_off_loopback(url: str) -> None:
    with pytest.raises(ValueError):
        check_base_url(url)
    with pytest.raises(ValueError):
        Settings(base_url=url)


@pytest.mark.parametrize(
    "url",
    ["https://api.smspool.net", "http://127.0.0.1:8123", "http://localhost:9", "http://[::1]:80"],
)
def test_https_and_loopback_are_accepted(url: str) -> None:
    assert Settings(base_url=url).base_url


def test_tls_verification_is_never_turned_off_in_code() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in ROOT.rglob("*.py")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if re.search(r"verify\s*=\s*(False|0|None)|CERT_NONE|check_hostname\s*=\s*False", line)
    ]
    assert offenders == []


async def test_the_http_client_verifies_certificates() -> None:
    client = SMSPoolClient(SECRET_KEY)
    try:
        pool = client._http._transport._pool  # httpx -> httpcore connection pool
        ctx = pool._ssl_context
        assert ctx.verify_mode.name == "CERT_REQUIRED"
        assert ctx.check_hostname is True
        assert SECRET_KEY not in repr(client)
    finally:
        await client.aclose()
