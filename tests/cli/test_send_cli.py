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
