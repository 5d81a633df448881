import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.cli.helpers import cli_env, run_cli, write_orders
from tests.services.spectrum_server import SpectrumServer, order


@pytest.fixture
def server():
    with SpectrumServer(slow_seconds=2.0) as s:
        yield s


def test_send_table_and_exit_codes(tmp_path, server):
    ok = write_orders(tmp_path / "ok.json", [order("PO-10", "R1"), order("PO-11", "R2")])
    result = run_cli(tmp_path, "send", ok, "--base-url", server.url)
    assert result.returncode == 0, result.stderr
    assert "PO-10" in result.stdout and "succeeded" in result.stdout and "recipeSet R1" in result.stdout

    mixed = write_orders(tmp_path / "mixed.json", [order("PO-12", "FAIL-1")])
    assert run_cli(tmp_path, "send", mixed, "--base-url", server.url).returncode == 1

    bad = write_orders(tmp_path / "bad.json", [{"purchaseOrderNumber": ""}])
    result = run_cli(tmp_path, "send", bad, "--base-url", server.url)
    assert result.returncode == 2 and "Nothing was sent" in result.stderr
    assert server.requests == 2  # one batch each

    unreachable = write_orders(tmp_path / "u.json", [order("PO-13")])
    assert run_cli(tmp_path, "send", unreachable, "--base-url", "http://127.0.0.1:9").returncode == 3

    rows = json.loads(run_cli(tmp_path, "history", "--env", "ad-hoc", "--json").stdout)
    assert [r["purchase_orders"][0] for r in rows] == ["PO-13", "PO-12", "PO-11", "PO-10"]
    assert rows[0]["base_url"] == "http://127.0.0.1:9" and rows[0]["environment"] == "ad-hoc"
    failed = json.loads(run_cli(tmp_path, "history", "--status", "failed", "--json").stdout)
    assert {r["purchase_orders"][0] for r in failed} == {"PO-12", "PO-13"}


def test_kill_9_mid_request_becomes_unknown_and_resend_ends_delivered(tmp_path, server, secret_service):
    slow = write_orders(tmp_path / "slow.json", [order("SLOW-77", "R1")])
    process = subprocess.Popen(
        [sys.executable, "-m", "spectrum_desktop", "send", slow, "--base-url", server.url],
        env=cli_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while server.requests == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.requests == 1
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    while "SLOW-77" not in server.acknowledged and time.monotonic() < deadline:
        time.sleep(0.05)

    rows = json.loads(run_cli(tmp_path, "history", "--json").stdout)
    assert [(r["purchase_orders"], r["state"]) for r in rows] == [(["SLOW-77"], "unknown")]

    result = run_cli(tmp_path, "resend", "--failed", "--json")
    assert result.returncode == 0, result.stderr
    resent = json.loads(result.stdout)
    assert resent[0]["state"] == "already_submitted" and resent[0]["original_id"] == rows[0]["id"]
    assert list(server.acknowledged) == ["SLOW-77"]
    assert server.requests == 2
