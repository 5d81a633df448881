"""kill -9 `spectrum-desktop send` while its request is in flight: nothing is lost and nothing is sent twice."""

import json
import os
import signal
import subprocess
import sys
import time

from tests.cli.helpers import cli_env, run_cli, write_orders
from tests.services.orders import order


def wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_kill_9_mid_request_becomes_unknown_and_resend_ends_delivered(tmp_path, server, secret_service):
    slow = write_orders(tmp_path / "slow.json", [order("SLOW-77", "R1")])
    process = subprocess.Popen(
        [sys.executable, "-m", "spectrum_desktop", "send", slow, "--base-url", server.url],
        env=cli_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        # The sandbox records a SLOW order as soon as it arrives and holds the answer back for 30 s.
        assert wait_for(lambda: server.accepted_count("SLOW-77") == 1), "the send never reached the sandbox"
        assert process.poll() is None, "send finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL

    result = run_cli(tmp_path, "history", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["purchase_orders"], r["state"]) for r in rows] == [(["SLOW-77"], "unknown")]

    result = run_cli(tmp_path, "resend", "--failed", "--json")
    assert result.returncode == 0, result.stderr
    resent = json.loads(result.stdout)
    assert (resent[0]["id"], resent[0]["state"]) == (rows[0]["id"], "already_submitted")  # looked up, not resent
    assert server.accepted_count("SLOW-77") == 1
    assert [(r.method, r.status) for r in server.received()] == [("POST", 200), ("GET", 200)]
    shown = json.loads(run_cli(tmp_path, "history", "--json").stdout)
    assert [(r["purchase_orders"], r["state"]) for r in shown] == [(["SLOW-77"], "already_submitted")]
