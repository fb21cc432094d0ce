"""The autopilot's pieces without a server: the plan's checks, the score, account health, the
journal step that adds its tables, the settings table, the JSON lines."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from smspool_tui.clock import FakeClock
from smspool_tui.config import ConfigError, Settings, load_settings
from smspool_tui.core.autopilot import AttemptEnded, HealthLimits, Plan, as_json, health_stop
from smspool_tui.core.autopilot.ranking import score
from smspool_tui.core.journal import Journal
from smspool_tui.core.journal.connection import Connection
from smspool_tui.core.journal.migrations import MIGRATIONS, migrate


def test_plan_clamps_the_wait_and_the_race_and_says_so() -> None:
    plan, notes = Plan(1, "X", wait=30, race=9).checked(cancel_lock=60)
    assert plan.wait == 60 and plan.race == 3 and len(notes) == 2
    assert "cancel lock" in notes[1]
    same, none = Plan(1, "X").checked(cancel_lock=60)
    assert same == Plan(1, "X") and none == []
    with pytest.raises(ValueError):
        Plan(1, "X", budget=Decimal(0)).checked(60)
    assert Plan.from_json(plan.to_json()) == plan


def test_worst_case_is_the_budget_or_race_numbers() -> None:
    assert Plan(1, "X", race=2).worst_case(Decimal("0.40")) == Decimal("0.80")
    plan = Plan(1, "X", race=2, budget=Decimal("0.50"))
    assert plan.worst_case(Decimal("0.40")) == Decimal("0.50")


def test_the_score_reads_as_its_parts() -> None:
    cheap = score(Decimal("0.10"), Decimal("90"), 100, None, Decimal("0.50"), 180)
    dear = score(Decimal("0.50"), Decimal("90"), 100, None, Decimal("0.50"), 180)
    assert cheap.total > dear.total
    assert (cheap.chance_points, cheap.price_points, cheap.slow_points) == (90.0, 4.0, 0.0)
    assert cheap.explain().startswith("86 = 90 chance (server 90%")


def test_health_counts_failures_in_a_row_and_per_hour(tmp_path: Path) -> None:
    clock = FakeClock()
    with Journal(tmp_path / "j.sqlite3", now=clock.now) as journal:
        run = journal.add_autopilot({}, [])
        limits = HealthLimits(in_row=3, per_hour=6)

        def attempt(state: str) -> None:
            row = journal.add_attempt(
                run, 1, country_id=1, country="US", pool=1, price=None, state=state
            )
            journal.update_attempt(row, ended_at=clock.now(), state=state)
            clock.advance(60)

        for state in ("cancelled", "refused", "code", "cancelled", "expired"):
            attempt(state)
        assert health_stop(journal, clock.now(), limits) is None  # 2 in a row, 4 this hour
        attempt("cancelled")
        assert "3 failed purchases or cancels in a row" in str(
            health_stop(journal, clock.now(), limits)
        )
        clock.advance(3600)
        assert health_stop(journal, clock.now(), limits) is None  # an hour later


def test_the_autopilot_step_keeps_an_older_journal(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    conn = Connection(path)
    migrate(conn, MIGRATIONS[:1])
    conn.close()
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO intents (kind, params, created_at, state, updated_at) "
        "VALUES ('sms', '{}', '2026-01-01T00:00:00+00:00', 'done', 'x')"
    )
    db.commit()
    db.close()
    with Journal(path, now=FakeClock().now) as journal:
        assert journal.get_intent(1) is not None
        run = journal.add_autopilot({"service_id": 1}, [])
        row = journal.add_attempt(
            run, 1, country_id=1, country="US", pool=None, price=Decimal("0.30"), state="buying"
        )
        [attempt] = journal.attempts(run)
        assert attempt.id == row and attempt.intent_floor == 1 and attempt.price == Decimal("0.30")
        assert [r.id for r in journal.open_autopilots()] == [run]


def test_autopilot_settings(tmp_path: Path) -> None:
    assert Settings().autopilot.max_failures_in_row == 5
    assert Settings().autopilot.max_failures_per_hour == 10
    path = tmp_path / "config.toml"
    path.write_text("[autopilot]\nmax_failures_in_row = 8\nmax_failures_per_hour = 4\n")
    with pytest.raises(ConfigError, match="max_failures_per_hour must be at least"):
        load_settings(path, environ={})
    path.write_text("[autopilot]\nmax_failures_in_row = 0\n")
    with pytest.raises(ConfigError, match=r"config.toml:2: autopilot.max_failures_in_row"):
        load_settings(path, environ={})


def test_events_are_json_lines() -> None:
    line = as_json(AttemptEnded(3, 2, "AB12", "cancelled", "no code within 180s"))
    assert line == {
        "event": "AttemptEnded",
        "run_id": 3,
        "n": 2,
        "order_id": "AB12",
        "ended": "cancelled",
        "why": "no code within 180s",
    }
