import json
import os
import subprocess
import sys
from pathlib import Path

TOKEN = "tok-test-7f3a9c"
"""The token the tests give both the sandbox and the command line (so the leak scan can look for it)."""


def cli_env(home: Path, token: str | None = TOKEN) -> dict:
    env = {**os.environ, "SPECTRUM_DESKTOP_HOME": str(home)}
    env.pop("SPECTRUM_API_TOKEN", None)
    if token:
        env["SPECTRUM_API_TOKEN"] = token
    return env


def run_cli(home: Path, *args: str, stdin: str | None = None, token: str | None = TOKEN
            ) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "spectrum_desktop", *args],
        env=cli_env(home, token), input=stdin, capture_output=True, text=True, timeout=60,
    )


def write_orders(path: Path, orders: list[dict]) -> str:
    path.write_text(json.dumps(orders))
    return str(path)
