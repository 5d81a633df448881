"""Two command-line processes on one data folder: claims keep every order to one POST, the machine-wide rate
budget keeps them inside the sandbox's limit, and recovery never touches a live sender's rows.

POSTs per purchase order are counted from the in-process sandbox's request log (`server.received()`).
"""

import collections
import json
import os
import signal
import subprocess
import sys
import time

from spectrum_desktop.sandbox import SandboxServer
from tests.cli.helpers import TOKEN, cli_env, run_cli, write_orders
from tests.services.orders import order


def wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def popen(home, *args):
    return subprocess.Popen([sys.executable, "-m", "spectrum_desktop", *args], env=cli_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def posts_per_po(server):
    counts = collections.Counter()
    for r in server.received():
        if r.method != "POST" or not r.path.startswith("/api/"):
            continue
        bodies = r.body if isinstance(r.body, list) else [r.body]
        for body in bodies:
            if isinstance(body, dict):
                counts[body.get("purchaseOrderNumber")] += 1
    return counts


def test_two_senders_and_resend_loops_post_each_order_once_inside_the_limit(tmp_path, secret_service):
    first = [order(f"TWO-A{n}") for n in range(30)] + [order(f"TWO-AF{n}", "R1", "FAIL-1") for n in range(3)]
    second = [order(f"TWO-B{n}") for n in range(30)]
    a = write_orders(tmp_path / "a.json", first)
    b = write_orders(tmp_path / "b.json", second)
    with SandboxServer(token=TOKEN, rate_limit=(20, 4.0)) as server:
        common = ["--base-url", server.url, "--batch-size", "1", "--rate-limit", "20/4"]
        senders = [popen(tmp_path, "send", a, *common), popen(tmp_path, "send", b, *common)]
        resends = 0
        while any(p.poll() is None for p in senders):
            for args in (("resend", "--failed", "--yes"), ("history",)):  # history starts recovery each time
                result = run_cli(tmp_path, *args)
                assert "Traceback" not in result.stderr, result.stderr
            resends += 1
        outs = [p.communicate(timeout=60) for p in senders]
        for p, (out, err) in zip(senders, outs):
            assert p.returncode in (0, 1), err
            assert "Traceback" not in err
        counts = posts_per_po(server)
        statuses = [r.status for r in server.received() if r.path.startswith("/api/")]
    sent = {o["purchaseOrderNumber"] for o in first + second}
    twice = {po: n for po, n in counts.items() if n > 1 and not po.startswith("TWO-AF")}
    assert resends >= 1
    assert twice == {}, f"POSTed more than once: {twice}"
    assert sent - set(counts) == set(), "orders never sent"
    assert 403 not in statuses, f"{statuses.count(403)} refusals"
    # The partly accepted orders were resent by the loops with their failed recipeSet only (sandbox: 409/partial).
    history = json.loads(run_cli(tmp_path, "history", "--json", "--limit", "500").stdout)
    assert not [r for r in history if r["state"] in ("sending", "queued")]


def test_a_second_process_leaves_a_live_senders_row_alone_and_after_kill_it_is_resolved_by_lookup(
        tmp_path, secret_service):
    slow = write_orders(tmp_path / "slow.json", [order("SLOW-LIVE", "R1")])
    with SandboxServer(token=TOKEN, rate_limit=None, slow_delay=30.0) as server:
        process = popen(tmp_path, "send", slow, "--base-url", server.url)
        try:
            assert wait_for(lambda: server.accepted_count("SLOW-LIVE") == 1), "the send never reached the sandbox"
            # A second process starts while the first is in flight: recovery must not touch the live row,
            # and `resend --failed` must not take it.
            during = json.loads(run_cli(tmp_path, "history", "--json").stdout)
            assert [r["state"] for r in during] == ["sending"]
            resent = run_cli(tmp_path, "resend", "--failed", "--yes")
            assert "Nothing needs resending" in resent.stdout, resent.stdout + resent.stderr
            assert json.loads(run_cli(tmp_path, "history", "--json").stdout)[0]["state"] == "sending"
            assert process.poll() is None
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        after = json.loads(run_cli(tmp_path, "history", "--json").stdout)
        assert [r["state"] for r in after] == ["unknown"]
        resolved = run_cli(tmp_path, "resend", "--failed", "--yes", "--json")
        assert resolved.returncode == 0, resolved.stderr
        assert [r["state"] for r in json.loads(resolved.stdout)] == ["already_submitted"]
        assert posts_per_po(server)["SLOW-LIVE"] == 1


def test_awkward_purchase_order_numbers_round_trip_through_send_history_and_resend(tmp_path, secret_service):
    names = ["LOSTA", "LOSTA|Z", "PCT%20X", "A,B", "WITH SPACE", "ÜMLAUT-ÆØÅ-日本"]
    with SandboxServer(token=TOKEN, rate_limit=None) as server:
        # LOSTA fails (wrong token), then LOSTA|Z succeeds: LOSTA must still need resending.
        lost = write_orders(tmp_path / "lost.json", [order("LOSTA")])
        refused = subprocess.run([sys.executable, "-m", "spectrum_desktop", "send", lost, "--base-url", server.url],
                                 env=cli_env(tmp_path, token="wrong-token"), capture_output=True, text=True,
                                 timeout=60)
        assert refused.returncode == 3, refused.stderr
        rest = write_orders(tmp_path / "rest.json", [order(po) for po in names[1:]])
        sent = run_cli(tmp_path, "send", rest, "--base-url", server.url, "--json")
        assert sent.returncode == 0, sent.stderr
        assert sorted(po for r in json.loads(sent.stdout) for po in r["purchase_orders"]) == sorted(names[1:])
        history = json.loads(run_cli(tmp_path, "history", "--json").stdout)
        assert sorted(po for r in history for po in r["purchase_orders"]) == sorted(names)
        resent = run_cli(tmp_path, "resend", "--failed", "--yes", "--json")
        assert resent.returncode == 0, resent.stderr
        assert [(r["purchase_orders"], r["state"]) for r in json.loads(resent.stdout)] == [(["LOSTA"], "succeeded")]
        again = run_cli(tmp_path, "send", rest, "--base-url", server.url)
        assert again.returncode == 0 and "5 orders were already delivered" in again.stderr, again.stderr
        counts = posts_per_po(server)
    assert {po: counts[po] for po in names} == {"LOSTA": 2, **{po: 1 for po in names[1:]}}


def test_processes_starting_together_on_a_new_data_folder_share_one_new_database(tmp_path):
    runs = [subprocess.Popen([sys.executable, "-m", "spectrum_desktop", "history"], env=cli_env(tmp_path),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.wait(timeout=60), p.stderr.read()) for p in runs]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert not list((tmp_path / "data").glob("*damaged*"))
