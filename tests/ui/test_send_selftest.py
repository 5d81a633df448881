"""--selftest goes through the window's Send path to the in-process Local sandbox."""

import os
import subprocess
import sys

from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.ui.selftest import EXIT_FAILED, EXIT_OK, run_selftest
from spectrum_desktop.ui.startup import build_main_window
from tests.ui.test_send import context_on


def test_selftest_sends_through_the_window_and_reads_the_recipe_set_result(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    with SandboxServer(rate_limit=None) as sandbox:
        lines: list[str] = []
        assert run_selftest(qapp, lambda: build_main_window(context_on(sandbox)), lines.append) == EXIT_OK
        assert lines[-1].startswith("selftest OK") and "1/1 recipeSets succeeded" in lines[-1]
        [request] = sandbox.received()
        assert request.body["recipeSets"][0]["recipeSetId"] == "SELFTEST1"


def test_selftest_fails_with_the_reason_when_nothing_can_be_sent(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "environments.json").write_text(
        '{"environments": [{"id": "staging", "name": "Staging", "base_url": "https://staging.example.com"}],'
        ' "active_id": "staging"}'
    )
    lines: list[str] = []
    assert run_selftest(qapp, build_main_window, lines.append) == EXIT_FAILED
    assert lines[-1].startswith("selftest FAILED: nothing was sent") and "token" in lines[-1]


def test_the_command_line_selftest_exits_0(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SPECTRUM_DESKTOP_HOME=str(tmp_path))
    env.pop("SPECTRUM_API_TOKEN", None)
    result = subprocess.run([sys.executable, "-m", "spectrum_desktop", "--selftest"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "selftest OK" in result.stdout
