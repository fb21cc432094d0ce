"""Orders and rentals picked up from the server show country names, not ISO codes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness import SimHandle, open_session, start_sim


@pytest.fixture
def demo_sim() -> Iterator[SimHandle]:
    handle = start_sim(seed=3)
    handle.engine.seed_demo()  # one rental and two orders the app has never seen
    try:
        yield handle
    finally:
        handle.stop()


async def test_rentals_from_the_server_get_names_after_the_catalog_warms(
    demo_sim: SimHandle, tmp_path: Path
) -> None:
    session = open_session(demo_sim, tmp_path)
    try:
        assert session.rentals is not None
        await session.rentals.refresh_mine()
        [first] = session.journal.rentals()
        assert first.country == "US"  # no country list cached yet: the code stays
        await session.warm_catalog()
        await session.rentals.refresh_mine()
        [again] = session.journal.rentals()
        assert again.country == "United States"
    finally:
        await session.aclose()
