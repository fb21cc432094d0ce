from __future__ import annotations

import httpx

from smspool_tui.demo import demo_environment


def test_demo_environment_is_private_and_removed_on_stop() -> None:
    loaded, paths, handle = demo_environment()
    try:
        assert loaded.key_source == "demo"
        assert paths.data_dir.is_relative_to(handle.root)
        assert paths.config_file.is_relative_to(handle.root)
        reply = httpx.get(f"{handle.url}/country/retrieve_all", timeout=5)
        assert reply.status_code == 200 and len(reply.json()) > 100
    finally:
        handle.stop()
    assert not handle.root.exists()
