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
