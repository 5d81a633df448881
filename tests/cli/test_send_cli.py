import json

from tests.cli.helpers import run_cli, write_orders
from tests.services.orders import order, posts


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
    assert posts(server) == 2  # one batch each

    insecure = run_cli(tmp_path, "send", ok, "--base-url", "http://shop.example.com")
    assert insecure.returncode == 2 and "https://" in insecure.stderr and "Traceback" not in insecure.stderr

    unreachable = write_orders(tmp_path / "u.json", [order("PO-13")])
    assert run_cli(tmp_path, "send", unreachable, "--base-url", "http://127.0.0.1:9").returncode == 3
    refused = run_cli(tmp_path, "send", unreachable, "--base-url", server.url, token="wrong")
    assert refused.returncode == 3 and "unauthorized" in refused.stdout

    rows = json.loads(run_cli(tmp_path, "history", "--env", "ad-hoc", "--json").stdout)
    assert [r["purchase_orders"][0] for r in rows] == ["PO-13", "PO-13", "PO-12", "PO-11", "PO-10"]
    assert rows[1]["base_url"] == "http://127.0.0.1:9" and rows[1]["environment"] == "ad-hoc"
    failed = json.loads(run_cli(tmp_path, "history", "--status", "failed", "--json").stdout)
    assert {r["purchase_orders"][0] for r in failed} == {"PO-12", "PO-13"}


def test_local_sandbox_needs_no_token(tmp_path):
    orders = write_orders(tmp_path / "o.json", [order("LOCAL-1"), order("LOCAL-2", "FAIL-2")])
    result = run_cli(tmp_path, "send", orders, "--env", "Local sandbox", "--json", token=None)
    assert result.returncode == 1, result.stderr  # LOCAL-2 fails its FAIL recipeSet: something not succeeded
    rows = {r["purchase_orders"][0]: r for r in json.loads(result.stdout)}
    assert rows["LOCAL-1"]["state"] == "succeeded" and rows["LOCAL-2"]["state"] == "failed"
    assert {r["environment"] for r in rows.values()} == {"local-sandbox"}
    shown = json.loads(run_cli(tmp_path, "history", "--env", "local-sandbox", "--json", token=None).stdout)
    assert len(shown) == 2
    table = run_cli(tmp_path, "history", token=None).stdout  # for people: the environment's name, not its id
    lines = [line for line in table.splitlines() if "LOCAL-" in line]
    assert len(lines) == 2 and all("Local sandbox" in line and "local-sandbox" not in line for line in lines), table


def test_a_file_never_resends_accepted_recipe_sets_and_says_so(tmp_path, server):
    """A multi-order file holding a partly accepted order: its accepted recipe sets are not POSTed again, the
    rest of it and the other orders go; stderr names what was left out; the exit code follows what was sent."""
    first = write_orders(tmp_path / "first.json", [order("CLI-P1", "R1", "FAIL-2"), order("CLI-P2", "S1", "FAIL-3")])
    assert run_cli(tmp_path, "send", first, "--base-url", server.url).returncode == 1  # partly accepted

    def recipe_sets_sent(po):
        return [[i["recipeSetId"] for i in o["lineItems"]] for r in server.received()
                if r.method == "POST" and isinstance(r.body, list)
                for o in r.body if o.get("purchaseOrderNumber") == po]

    fixed = write_orders(tmp_path / "fixed.json", [order("CLI-P1", "R1", "R2"), order("CLI-P2", "S1"),
                                                   order("CLI-N3", "T1")])
    result = run_cli(tmp_path, "send", fixed, "--base-url", server.url)
    assert result.returncode == 0, result.stderr
    assert recipe_sets_sent("CLI-P1") == [["R1", "FAIL-2"], ["R2"]]
    assert recipe_sets_sent("CLI-P2") == [["S1", "FAIL-3"]]
    assert recipe_sets_sent("CLI-N3") == [["T1"]]
    assert f"CLI-P1: R1 was already accepted by {server.url} and was not sent again" in result.stderr
    assert "CLI-P2: S1 was already accepted" in result.stderr and "it was not sent again" in result.stderr
    assert "Traceback" not in result.stderr

    failing = write_orders(tmp_path / "failing.json", [order("CLI-P2", "S1", "FAIL-4"), order("CLI-N4", "T2")])
    again = run_cli(tmp_path, "send", failing, "--base-url", server.url)
    assert again.returncode == 1, again.stderr  # the rest of CLI-P2 failed again
    assert recipe_sets_sent("CLI-P2") == [["S1", "FAIL-3"], ["FAIL-4"]] and recipe_sets_sent("CLI-N4") == [["T2"]]
    assert "CLI-P2: S1 was already accepted" in again.stderr and "only its other recipe sets" in again.stderr
