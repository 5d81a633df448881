import json

from tests.cli.helpers import run_cli, write_orders
from tests.services.orders import order, posts


def save_environments(home, monkeypatch, url):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(home))
    from spectrum_desktop.domain.environment import Environment
    from spectrum_desktop.store.environments import EnvironmentSettings

    EnvironmentSettings().update(
        [
            Environment(id="qa", name="QA box", base_url=url, batch_size=2),
            Environment(id="live", name="Live", base_url=url, is_production=True),
        ],
        "qa",
    )


def test_named_environment_and_production_needs_yes(tmp_path, monkeypatch, server):
    home = tmp_path / "home"
    save_environments(home, monkeypatch, server.url)
    orders = write_orders(tmp_path / "o.json", [order(f"E-{n}") for n in range(5)])
    result = run_cli(home, "send", orders, "--env", "QA box", "--json")
    assert result.returncode == 0, result.stderr
    assert {r["environment"] for r in json.loads(result.stdout)} == {"qa"}
    assert posts(server) == 3  # environment batch size 2

    refused = run_cli(home, "send", orders, "--env", "Live")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert posts(server) == 3
    live = write_orders(tmp_path / "live.json", [order("LIVE-1")])
    assert run_cli(home, "send", live, "--env", "Live", "--yes").returncode == 0
    assert server.accepted_count("LIVE-1") == 1

    unknown = run_cli(home, "send", orders, "--env", "Nowhere")
    assert unknown.returncode == 2 and "no environment called" in unknown.stderr
    assert run_cli(home, "send", orders, "--env", "qa", "--rate-limit", "ten").returncode == 2


def test_csv_goes_out_as_recipe_sets_to_an_environment_set_to_that_format(tmp_path, monkeypatch, server):
    from spectrum_desktop.domain.environment import Environment
    from spectrum_desktop.store.environments import EnvironmentSettings, default_settings

    home = tmp_path / "home"
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(home))
    legacy = Environment(id="legacy", name="Legacy", base_url=server.url, request_format="RecipeSet")
    EnvironmentSettings().update([*default_settings().environments, legacy], "local-sandbox")
    csv = tmp_path / "o.csv"
    csv.write_text("purchaseOrderNumber,orderDate,lineItems.recipeSetId,lineItems.skuQuantities.sku,"
                   "lineItems.skuQuantities.quantity\nCSV-1,2024-05-01T10:00:00Z,RS1,100003-0001-S,2\n")
    result = run_cli(home, "send", str(csv), "--env", "legacy", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["kind"] == "ack-recipeset"
    [received] = [r for r in server.received() if r.method == "POST"]
    assert received.body["recipeSets"][0]["skuQuantities"] == [{"sku": "100003-0001-S", "quantity": 2}]
    assert "lineItems" not in received.body
