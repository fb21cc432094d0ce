"""`smspool-tui stats --json` as a script runs it: a real subprocess against the simulator."""

from __future__ import annotations

import json
from decimal import Decimal

from tests.headless.conftest import Cli


def test_stats_json_counts_a_bought_code_and_imports_history(cli: Cli) -> None:
    got = cli.run("get", "telegram", "--country", "US", "--yes")
    assert got.returncode == 0, got.stderr
    [order] = cli.sim.engine.orders.values()
    engine = cli.sim.engine  # a rental bought on the web dashboard: rental/history knows it
    rented = engine.handle("POST", "purchase/rental", {"id": "9", "days": "7"}, engine.api_key)
    assert rented.status == 200
    done = cli.run("stats", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert (doc["orders"], doc["codes"]) == (1, 1)
    assert Decimal(doc["spent"]) == order.cost and doc["refunded"] == "0"
    assert doc["success_rate"] == 1.0
    assert doc["median_seconds_to_code"] is not None and doc["median_seconds_to_code"] >= 0
    [service] = doc["by_service"]
    assert service["name"] == "Telegram" and service["spent"] == doc["spent"]
    for table in ("by_service", "by_country", "by_pool"):
        assert set(doc[table][0]) >= {"orders", "codes", "spent", "refunded", "success_rate",
                                      "median_seconds_to_code", "small_sample"}  # fmt: skip
    assert doc["by_service"][0]["small_sample"] is True
    assert doc["imported"] == 0  # the one order was already in the journal
    assert doc["imported_rentals"] == 1
    rentals = doc["rentals"]
    assert (rentals["rentals"], rentals["extends"], rentals["refunds"]) == (1, 0, 0)
    assert rentals["spent"] == rentals["charged"] == "12.00" and rentals["refunded"] == "0"
    assert [b["label"] for b in doc["time_to_code"]] == ["<30s", "<1m", "<2m", "<5m", "<10m",
                                                         "more"]  # fmt: skip
    assert sum(b["codes"] for b in doc["time_to_code"]) == 1
    assert isinstance(doc["spent"], str) and isinstance(doc["refunded"], str)
    for table in ("by_service", "by_country", "by_pool"):  # each table adds up to the total
        assert sum(Decimal(f["spent"]) for f in doc[table]) == Decimal(doc["spent"])
        assert all(isinstance(f["spent"], str) and isinstance(f["refunded"], str)
                   for f in doc[table])  # fmt: skip
    again = json.loads(cli.run("stats", "--json").stdout)
    assert again["imported_rentals"] == 0 and again["rentals"] == rentals  # no duplicates


def test_stats_csv_and_plain_text(cli: Cli) -> None:
    assert cli.run("get", "telegram", "--country", "US", "--yes").returncode == 0
    path = cli.root / "ledger.csv"
    done = cli.run("stats", "--offline", "--csv", str(path))
    assert done.returncode == 0, done.stderr
    assert "orders 1  codes 1" in done.stdout and "n=1?" in done.stdout
    lines = path.read_text().splitlines()
    assert lines[0].startswith("order_id,purchased_at,service") and len(lines) == 2


def test_the_stats_command_never_imports_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, smspool_tui.headless.parser as p, smspool_tui.headless.stats_cmd, "
        "smspool_tui.core.stats; p.body_for('stats', None); "
        "sys.exit(1 if any(m.split('.')[0] == 'textual' for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_the_parsers_periods_are_the_cores() -> None:
    from smspool_tui.core.stats import Period
    from smspool_tui.headless.parser import PERIODS

    assert set(PERIODS) == {p.value for p in Period}
