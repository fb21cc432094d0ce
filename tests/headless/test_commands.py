"""The list and single-action commands from a script: JSON documents, human lines, the shared
journal, shell completion, and no Textual on the way."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.headless.conftest import Cli


def _buy(cli: Cli, *extra: str) -> dict:
    out = cli.run("get", "telegram", "--country", "US", "--yes", "--json", *extra)
    assert out.returncode in (0, 3), out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_balance_json_is_an_object_with_money_as_a_string(cli: Cli) -> None:
    out = cli.run("balance", "--json")
    assert out.returncode == 0
    assert json.loads(out.stdout) == {"balance": "20.00"}
    assert cli.run("balance").stdout.strip() == "20.00"


def test_orders_and_history_are_arrays_of_orders(cli: Cli) -> None:
    bought = _buy(cli)
    orders = json.loads(cli.run("orders", "--json").stdout)
    assert [o["order_id"] for o in orders] == [bought["order_id"]]
    assert orders[0]["code"] == bought["code"] and isinstance(orders[0]["cost"], str)
    history = json.loads(cli.run("history", "--json", "--limit", "5").stdout)
    assert bought["order_id"] in [o["order_id"] for o in history]
    human = cli.run("orders").stdout
    assert bought["order_id"] in human and bought["code"] in human


def test_wait_prints_the_code_of_a_kept_order(quiet_cli: Cli) -> None:
    kept = _buy(quiet_cli, "--wait", "1", "--keep")
    assert kept["event"] == "kept"
    order = quiet_cli.sim.engine.orders[kept["order_id"]]
    timeout = quiet_cli.run("wait", kept["order_id"], "--timeout", "1")
    assert timeout.returncode == 3
    quiet_cli.sim.engine.deliver_sms(kept["order_id"])
    out = quiet_cli.run("wait", kept["order_id"], "--timeout", "20")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == order.sms[0].code


def test_cancel_an_order_by_id(quiet_cli: Cli) -> None:
    kept = _buy(quiet_cli, "--wait", "1", "--keep")
    out = quiet_cli.run("cancel", kept["order_id"], "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.splitlines()[-1])["status"] == "cancelled"
    assert quiet_cli.sim.engine.orders[kept["order_id"]].cancelled_at is not None
    again = quiet_cli.run("cancel", kept["order_id"])
    assert again.returncode == 1 and "not cancelled" in again.stderr
    assert quiet_cli.run("cancel", "NOSUCH").returncode == 2


def test_prices_json(cli: Cli) -> None:
    out = json.loads(cli.run("prices", "telegram", "--json").stdout)
    assert out["service"] == "Telegram" and out["offers"]
    assert all(isinstance(o["price"], str) for o in out["offers"] if o["price"] is not None)
    pools = json.loads(cli.run("prices", "telegram", "--country", "uk", "--json").stdout)
    assert pools["offers"] and {o["country"] for o in pools["offers"]} == {"United Kingdom"}


def test_rentals_and_inbox(cli: Cli) -> None:
    resp = cli.sim.engine.handle("POST", "purchase/rental", {"id": "9", "days": "7"}, cli.sim.key)
    assert resp.status == 200
    rentals = json.loads(cli.run("rentals", "--json").stdout)
    [rental] = rentals
    code = rental["rental_code"]
    cli.sim.engine.add_rental_message(code, "Your code is 556677", "Acme")
    out = cli.run("inbox", code)
    assert out.returncode == 0, out.stderr
    assert "556677" in out.stdout
    lines = cli.run("inbox", code, "--json").stdout.splitlines()
    assert json.loads(lines[-1])["text"] == "Your code is 556677"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_is_generated_for_every_command(shell: str) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "smspool_tui", "completion", shell],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert out.returncode == 0
    for word in ("get", "balance", "inbox", "--max-price", "--follow"):
        assert word.lstrip("-") in out.stdout if shell == "fish" else word in out.stdout
    if shell == "bash" and shutil.which("bash"):
        check = subprocess.run(["bash", "-n"], input=out.stdout, text=True, capture_output=True)
        assert check.returncode == 0, check.stderr


def test_commands_never_import_textual(cli: Cli) -> None:
    out = cli.run("balance", env=cli.env | {"PYTHONPROFILEIMPORTTIME": "1"})
    assert out.returncode == 0
    imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if "|" in line}
    assert "smspool_tui.headless.commands" in imported  # the profile is really there
    assert not {m for m in imported if m.split(".")[0] in ("textual", "rich")}
