"""`smspool-tui get` from a script: the bare code last on stdout, JSON Lines, no purchase off a
terminal without --yes, no code in time -> cancelled (or kept), ctrl-c, every exit code."""

from __future__ import annotations

import json
import signal
import subprocess
from decimal import Decimal

from smspool_tui.clock import SystemClock
from smspool_tui.core.journal import Journal
from tests.headless.conftest import Cli


def _purchases(cli: Cli) -> int:
    return cli.sim.engine.count("purchase/sms")


def test_code_is_the_only_stdout_line(cli: Cli) -> None:
    out = cli.run("get", "telegram", "--country", "US", "--yes")
    assert out.returncode == 0, out.stderr
    [order] = cli.sim.engine.orders.values()
    assert out.stdout.splitlines() == [order.sms[0].code]  # `code=$(...)` gets the code alone
    assert "Bought" in out.stderr and order.order_id in out.stderr
    assert cli.sim.key not in out.stdout + out.stderr


def test_json_lines_end_with_the_code_and_every_field(cli: Cli) -> None:
    out = cli.run("get", "Telegram", "--country", "united states", "--yes", "--json")
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert [e["event"] for e in events] == ["bought", "code"]
    last = events[-1]
    for field in ("order_id", "number", "code", "full_sms", "country", "service", "cost"):
        assert last[field], field
    assert isinstance(last["cost"], str) and Decimal(last["cost"]) > 0  # money as a string
    assert last["code"] in last["full_sms"]


def test_no_purchase_off_a_terminal_without_yes(cli: Cli) -> None:
    out = cli.run("get", "telegram", "--country", "US")
    assert out.returncode == 2
    assert "--yes" in out.stderr
    assert _purchases(cli) == 0 and out.stdout == ""


def test_no_code_in_time_is_cancelled_and_refunded(quiet_cli: Cli) -> None:
    before = quiet_cli.sim.engine.balance
    out = quiet_cli.run("get", "telegram", "--country", "US", "--yes", "--wait", "1", "--json")
    assert out.returncode == 3, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    assert events[-1]["event"] == "cancelled" and events[-1]["code"] is None
    [order] = quiet_cli.sim.engine.orders.values()
    assert order.cancelled_at is not None
    assert quiet_cli.sim.engine.balance == before  # refunded
    assert "cancelled and refunded" in out.stderr


def test_keep_leaves_the_order_running(quiet_cli: Cli) -> None:
    out = quiet_cli.run("get", "telegram", "--country", "US", "--yes", "--wait", "1", "--keep")
    assert out.returncode == 3
    [order] = quiet_cli.sim.engine.orders.values()
    assert order.cancelled_at is None
    assert f"smspool-tui wait {order.order_id}" in out.stderr


def test_ctrl_c_cancels_the_order_and_exits_130(nolock_cli: Cli) -> None:
    quiet_cli = nolock_cli
    proc = quiet_cli.start("get", "telegram", "--country", "US", "--yes")
    assert proc.stderr is not None
    line = proc.stderr.readline()  # "Bought ...": the command is now waiting for the code
    assert line.startswith("Bought"), line
    proc.send_signal(signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode == 130, stderr
    [order] = quiet_cli.sim.engine.orders.values()
    assert order.cancelled_at is not None
    assert stdout == ""


def test_exit_codes(cli: Cli) -> None:
    assert cli.run("get", "telegrm", "--yes").returncode == 2  # did you mean
    unknown = cli.run("get", "telegrm", "--yes")
    assert "did you mean Telegram" in unknown.stderr
    cheap = cli.run("get", "telegram", "--country", "US", "--max-price", "0.01", "--yes")
    assert cheap.returncode == 4 and _purchases(cli) == 0
    env = cli.env | {"SMSPOOL_API_KEY": "x" * 32}
    bad_key = cli.run("balance", env=env)
    assert bad_key.returncode == 6 and "x" * 32 not in bad_key.stderr
    no_key = cli.env
    no_key.pop("SMSPOOL_API_KEY")
    assert cli.run("balance", env=no_key).returncode == 6
    cli.sim.engine.set_balance(Decimal("0"))
    poor = cli.run("get", "telegram", "--country", "US", "--yes")
    assert poor.returncode == 5, poor.stderr
    cli.sim.engine.set_balance(Decimal("20"))
    cli.sim.engine.force_fault("500", path="purchase/sms")
    lost = cli.run("get", "telegram", "--country", "US", "--yes")
    assert lost.returncode == 8 and "orders" in lost.stderr, lost.stderr
    again = cli.run("get", "telegram", "--country", "US", "--yes")
    assert again.returncode == 8  # the first may exist: never bought blindly again
    assert _purchases(cli) == 2  # the 500 and nothing more


def test_unreachable_is_7(cli: Cli) -> None:
    cli.sim.stop()
    out = cli.run("balance", timeout=90)
    assert out.returncode == 7, out.stderr
    assert "unreachable" in out.stderr


def test_the_board_sees_the_scripts_order_in_the_journal(cli: Cli) -> None:
    out = cli.run("get", "telegram", "--country", "US", "--yes")
    assert out.returncode == 0
    [order] = cli.sim.engine.orders.values()
    journal = Journal(cli.root / "data" / "journal.sqlite3", now=SystemClock().now)
    try:
        stored = journal.get_order(order.order_id)
        assert stored is not None and stored.code == order.sms[0].code
        assert journal.open_intents() == []
    finally:
        journal.close()


def test_autopilot_run_prints_the_code_last(cli: Cli) -> None:
    out = cli.run(
        "get", "telegram", "--country", "US", "--country", "GB", "--budget", "5", "--attempts",
        "3", "--yes", "--json", timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    events = [json.loads(line) for line in out.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "AttemptStarted" and "AttemptBought" in kinds and kinds[-1] == "code"
    last = events[-1]
    [order] = cli.sim.engine.orders.values()
    assert last["code"] == order.sms[0].code and last["result"] == "code"
    assert Decimal(last["spent"]) == order.cost and last["held"] == "0"


def test_autopilot_needs_yes_off_a_terminal(cli: Cli) -> None:
    out = cli.run("get", "telegram", "--budget", "1")
    assert out.returncode == 2 and "--yes" in out.stderr
    assert _purchases(cli) == 0


def test_autopilot_with_nothing_under_the_cap_is_4(cli: Cli) -> None:
    out = cli.run("get", "telegram", "--attempts", "2", "--max-price", "0.01", "--yes")
    assert out.returncode == 4, out.stderr
    assert _purchases(cli) == 0
