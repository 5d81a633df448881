"""Two homes (two "machines") on one shared history (real PostgreSQL) sending to the real sandbox."""

import json
import os
import subprocess
import sys
from collections import Counter

import pytest
from cryptography.fernet import Fernet

from tests.cli.helpers import cli_env, run_cli, write_orders
from tests.services.orders import order

KEY = Fernet.generate_key().decode()


@pytest.fixture
def homes(tmp_path, pg_url, monkeypatch):
    """Two data folders sharing one history; Ann works in A, Bob in B."""
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", pg_url)
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", KEY)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    return a, b


def _as(name, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_USER", name)


def _posts_per_po(server):
    counts = Counter()
    for r in server.received():
        if r.method == "POST" and r.path.startswith("/api/"):
            for item in r.body if isinstance(r.body, list) else [r.body]:
                counts[item["purchaseOrderNumber"]] += 1
    return counts


def test_orders_sent_from_a_show_in_bs_history_with_as_name(homes, server, monkeypatch):
    a, b = homes
    _as("ann", monkeypatch)
    orders = write_orders(a / "o.json", [order("TEAM-1"), order("TEAM-2", "FAIL-2")])
    sent = run_cli(a, "send", orders, "--base-url", server.url)
    assert sent.returncode == 1, sent.stderr  # TEAM-2 fails its FAIL recipeSet
    _as("bob", monkeypatch)
    shown = run_cli(b, "history", "--json")
    assert shown.returncode == 0, shown.stderr
    rows = {r["purchase_orders"][0]: r for r in json.loads(shown.stdout)}
    assert set(rows) == {"TEAM-1", "TEAM-2"}
    assert {r["sender"] for r in rows.values()} == {"ann"}
    assert rows["TEAM-2"]["state"] == "failed"
    mine = json.loads(run_cli(b, "history", "--sent-by", "bob", "--json").stdout)
    assert mine == []


def test_history_with_a_password_in_the_address_is_refused_in_words(tmp_path, server, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", "postgresql://ann:pw123@127.0.0.1:1/team")
    result = run_cli(tmp_path, "history")
    assert result.returncode == 2 and "must not contain the password" in result.stderr
    assert "Traceback" not in result.stderr and "pw123" not in result.stderr


def test_an_address_without_tls_is_refused_pointing_at_the_address_given(tmp_path, monkeypatch):
    monkeypatch.delenv("SPECTRUM_DESKTOP_JOURNAL_URL", raising=False)
    result = run_cli(tmp_path, "history", "--export-to", "postgresql://ann@db.example.com/team")
    assert result.returncode == 2 and "sslmode=require" in result.stderr and "to its address" in result.stderr
    assert "SPECTRUM_DESKTOP_JOURNAL_URL" not in result.stderr  # it was not set: the address came from --export-to


def test_a_shared_history_that_refuses_the_login_says_so_and_sends_nothing(tmp_path, server, pg_cluster,
                                                                           monkeypatch):
    url = pg_cluster.password_role(f"pwcli_{os.getpid()}", "right-pass")
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", url)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    orders = write_orders(tmp_path / "o.json", [order("LOGIN-1")])
    result = run_cli(tmp_path, "send", orders, "--base-url", server.url)
    assert result.returncode == 3 and "refused the login" in result.stderr and "PGPASSWORD" in result.stderr
    assert "cannot be reached" not in result.stderr and "Traceback" not in result.stderr
    assert server.received() == []
    monkeypatch.setenv("PGPASSWORD", "right-pass")  # libpq's own means
    assert run_cli(tmp_path, "history").returncode == 0


def test_an_unreachable_shared_history_sends_nothing(tmp_path, server, pg_cluster, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", f"postgresql://ann@127.0.0.1:{pg_cluster.port + 1}/team")
    orders = write_orders(tmp_path / "o.json", [order("DOWN-1")])
    result = run_cli(tmp_path, "send", orders, "--base-url", server.url)
    assert result.returncode == 3 and "cannot be reached" in result.stderr and "Traceback" not in result.stderr
    assert server.received() == []


def test_history_export_to_copies_the_local_history_once(tmp_path, server, pg_url, monkeypatch):
    monkeypatch.delenv("SPECTRUM_DESKTOP_JOURNAL_URL", raising=False)
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", KEY)
    monkeypatch.setenv("SPECTRUM_DESKTOP_USER", "cal")
    local = tmp_path / "local"
    local.mkdir()
    orders = write_orders(local / "o.json", [order("OLD-1"), order("OLD-2")])
    assert run_cli(local, "send", orders, "--base-url", server.url).returncode == 0
    first = run_cli(local, "history", "--export-to", pg_url)
    assert first.returncode == 0, first.stderr
    assert "Copied 2 rows" in first.stdout
    second = run_cli(local, "history", "--export-to", pg_url)
    assert "Copied 0 rows" in second.stdout and "2 rows were there already" in second.stdout
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", pg_url)
    rows = json.loads(run_cli(tmp_path / "other", "history", "--json").stdout)
    assert sorted(r["purchase_orders"][0] for r in rows) == ["OLD-1", "OLD-2"]
    assert {r["sender"] for r in rows} == {"cal"}


def test_two_machines_resending_failed_at_once_post_each_order_once(homes, server, monkeypatch):
    a, b = homes
    _as("ann", monkeypatch)
    pos = [f"TWICE-{n}" for n in range(12)]
    orders = write_orders(a / "o.json", [order(po, f"FAIL-{po}") for po in pos])
    assert run_cli(a, "send", orders, "--base-url", server.url, "--batch-size", "1").returncode == 1
    server.set_accept_failures(True)
    before = _posts_per_po(server)
    runs = []
    for home, name in ((a, "ann"), (b, "bob")):
        env = {**cli_env(home), "SPECTRUM_DESKTOP_USER": name}
        runs.append(subprocess.Popen([sys.executable, "-m", "spectrum_desktop", "resend", "--failed", "--yes"],
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for run in runs:
        run.communicate(timeout=120)
    after = _posts_per_po(server)
    assert {po: after[po] - before[po] for po in pos} == {po: 1 for po in pos}


def test_two_machines_sending_at_once_share_one_rate_budget_and_draw_no_403(homes, monkeypatch):
    from spectrum_desktop.domain.environment import Environment
    from spectrum_desktop.sandbox import SandboxServer
    from spectrum_desktop.store.environments import EnvironmentSettings
    from tests.cli.helpers import TOKEN

    a, b = homes
    with SandboxServer(token=TOKEN, rate_limit=(8, 2.0)) as server:
        for home in (a, b):
            monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(home))
            EnvironmentSettings().update(
                [Environment(id="team-qa", name="Team QA", base_url=server.url, batch_size=1,
                             rate_limit_requests=8, rate_limit_seconds=2.0)], "team-qa")
        runs = []
        for home, name in ((a, "ann"), (b, "bob")):
            orders = write_orders(home / "o.json", [order(f"RATE-{name}-{n}") for n in range(12)])
            env = {**cli_env(home), "SPECTRUM_DESKTOP_USER": name}
            runs.append(subprocess.Popen([sys.executable, "-m", "spectrum_desktop", "send", orders, "--env",
                                          "Team QA", "--batch-size", "1"],
                                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        results = [run.communicate(timeout=120) for run in runs]
        codes = [r.status for r in server.received() if r.path.startswith("/api/")]
    assert [run.returncode for run in runs] == [0, 0], results
    assert codes.count(403) == 0 and codes.count(200) == 24


def test_a_machine_killed_mid_send_keeps_its_row_sending_until_its_lease_expires_then_a_check_resolves_it(
        homes, server, pg_url, monkeypatch):
    import os
    import signal

    import psycopg

    from tests.cli.test_kill import wait_for

    a, b = homes
    slow = write_orders(a / "slow.json", [order("SLOW-T1", "R1")])
    sender = subprocess.Popen([sys.executable, "-m", "spectrum_desktop", "send", slow, "--base-url", server.url],
                              env={**cli_env(a), "SPECTRUM_DESKTOP_USER": "ann"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: server.accepted_count("SLOW-T1") == 1), "the send never reached the sandbox"
        _as("bob", monkeypatch)
        while_alive = json.loads(run_cli(b, "history", "--json").stdout)  # B starts, and recovers what it may
        assert [(r["state"], r["sender"]) for r in while_alive] == [("sending", "ann")]
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait(timeout=10)
    finally:
        if sender.poll() is None:
            sender.kill()
            sender.wait(timeout=10)
    after_kill = json.loads(run_cli(b, "history", "--json").stdout)
    assert [r["state"] for r in after_kill] == ["sending"]  # A's lease still runs: nobody takes it over
    with psycopg.connect(pg_url) as conn:  # the lease runs out (instead of waiting a minute)
        conn.execute("UPDATE submissions SET lease_until = now() - interval '1 second' WHERE state = 'sending'")
    expired = json.loads(run_cli(b, "history", "--json").stdout)
    assert [r["state"] for r in expired] == ["unknown"]
    checked = run_cli(b, "resend", "--failed", "--json")
    assert checked.returncode == 0, checked.stderr
    assert [r["state"] for r in json.loads(checked.stdout)] == ["already_submitted"]  # looked up, not sent again
    assert server.accepted_count("SLOW-T1") == 1


@pytest.mark.keyring
def test_history_on_an_empty_shared_history_shows_the_new_team_key_once(tmp_path, pg_url, secret_service,
                                                                         monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", pg_url)
    monkeypatch.delenv("SPECTRUM_DESKTOP_TEAM_KEY", raising=False)
    first = run_cli(tmp_path, "history")
    assert first.returncode == 0, first.stderr
    assert "Team key: " in first.stderr and "will not be shown again" in first.stderr
    key = first.stderr.split("Team key: ", 1)[1].split()[0]
    again = run_cli(tmp_path, "history")
    assert again.returncode == 0 and "Team key" not in again.stderr
    for path in tmp_path.rglob("*"):  # settings, logs, the local database: the key is in the keyring only
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def test_a_member_without_the_team_key_sees_the_rows_but_cannot_resend_and_is_told_why(homes, server, monkeypatch):
    a, b = homes
    _as("ann", monkeypatch)
    orders = write_orders(a / "o.json", [order("KEYLESS-1", "FAIL-1")])
    assert run_cli(a, "send", orders, "--base-url", server.url).returncode == 1
    posted = len(server.received())
    monkeypatch.delenv("SPECTRUM_DESKTOP_TEAM_KEY")
    _as("bob", monkeypatch)
    rows = json.loads(run_cli(b, "history", "--json").stdout)
    assert [(r["state"], r["sender"]) for r in rows] == [("failed", "ann")]
    server.set_accept_failures(True)
    result = run_cli(b, "resend", "--failed", "--yes")
    assert result.returncode == 2 and "team's key" in result.stderr and "Traceback" not in result.stderr
    assert len(server.received()) == posted


def test_a_member_without_the_team_key_is_refused_before_anything_is_sent(homes, server, monkeypatch):
    a, b = homes
    _as("ann", monkeypatch)
    assert run_cli(a, "history").returncode == 0  # the team key (from SPECTRUM_DESKTOP_TEAM_KEY) is set up
    monkeypatch.delenv("SPECTRUM_DESKTOP_TEAM_KEY")
    _as("bob", monkeypatch)
    orders = write_orders(b / "o.json", [order("NOKEY-1")])
    result = run_cli(b, "send", orders, "--base-url", server.url)
    assert result.returncode == 2, result.stderr
    assert "nothing was sent" in result.stderr and "Preferences › Shared history" in result.stderr
    assert "SPECTRUM_DESKTOP_TEAM_KEY" in result.stderr and "Traceback" not in result.stderr
    assert server.received() == []
    assert json.loads(run_cli(b, "history", "--json").stdout) == []  # nothing journaled, nothing lost


def test_history_on_an_empty_shared_history_without_a_keyring_says_no_team_key_could_be_made(tmp_path, pg_url,
                                                                                             monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", pg_url)
    monkeypatch.delenv("SPECTRUM_DESKTOP_TEAM_KEY", raising=False)  # and no keyring: no Secret Service here
    result = run_cli(tmp_path, "history")
    assert result.returncode == 0, result.stderr
    assert "Team key: " not in result.stderr
    assert "has no team key yet" in result.stderr and "no keyring" in result.stderr
    assert "SPECTRUM_DESKTOP_TEAM_KEY" in result.stderr


def test_a_shared_history_set_up_by_a_newer_version_exits_4_not_bad_input(tmp_path, pg_url, monkeypatch):
    """Exit codes (README): 2 is bad input or usage; a history this version cannot use is 4, like a damaged one."""
    import psycopg

    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", pg_url)
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", KEY)
    assert run_cli(tmp_path, "history").returncode == 0  # the tables are set up
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE schema_version SET version = version + 5")
    result = run_cli(tmp_path, "history")
    assert result.returncode == 4, result.stderr
    assert "newer version" in result.stderr and "Traceback" not in result.stderr
