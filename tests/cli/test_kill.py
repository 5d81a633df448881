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
    table = run_cli(tmp_path, "history").stdout  # the person reading the table is told what to do next
    assert "SLOW-77" in table and "resend --failed" in table, table

    result = run_cli(tmp_path, "resend", "--failed", "--json")
    assert result.returncode == 0, result.stderr
    resent = json.loads(result.stdout)
    assert (resent[0]["id"], resent[0]["state"]) == (rows[0]["id"], "already_submitted")  # looked up, not resent
    assert server.accepted_count("SLOW-77") == 1
    assert [(r.method, r.status) for r in server.received()] == [("POST", 200), ("GET", 200)]
    shown = json.loads(run_cli(tmp_path, "history", "--json").stdout)
    assert [(r["purchase_orders"], r["state"]) for r in shown] == [(["SLOW-77"], "already_submitted")]


def test_ctrl_c_during_a_bulk_send_records_what_was_in_flight_and_leaves_the_rest_queued(tmp_path, secret_service):
    from spectrum_desktop.sandbox import SandboxServer
    from tests.cli.helpers import TOKEN

    names = [f"SLOW-I{n}" for n in range(6)] + [f"INT-{n}" for n in range(4)]
    orders = write_orders(tmp_path / "many.json", [order(po) for po in names])
    with SandboxServer(token=TOKEN, rate_limit=None, slow_delay=2.0) as server:
        process = subprocess.Popen(
            [sys.executable, "-m", "spectrum_desktop", "send", orders, "--base-url", server.url, "--batch-size", "2",
             "--json"], env=cli_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            # Ctrl+C as in a terminal, even when the tests themselves run in the background (which ignores SIGINT)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            # Three slow batches of two are in flight at once; the two fast batches wait their turn.
            assert wait_for(lambda: len(server.accepted_counts()) == 6), "the slow batches never arrived"
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        assert process.returncode == 1, err
        assert "4 orders were not sent and stay queued" in err
        assert {r["purchase_orders"][0]: r["state"] for r in json.loads(out)} == {po: "succeeded" for po in names[:6]}
        states = {r["purchase_orders"][0]: r["state"] for r in json.loads(run_cli(tmp_path, "history", "--json").stdout)}
        assert states == {**{po: "succeeded" for po in names[:6]}, **{po: "queued" for po in names[6:]}}

        resent = run_cli(tmp_path, "resend", "--failed", "--json")
        assert resent.returncode == 0, resent.stderr
        assert sorted(r["purchase_orders"][0] for r in json.loads(resent.stdout)) == names[6:]
        assert server.accepted_counts() == {po: 1 for po in names}
        rows = json.loads(run_cli(tmp_path, "history", "--json").stdout)
        assert len(rows) == 10 and {r["state"] for r in rows} == {"succeeded"}  # the queued rows themselves were sent
