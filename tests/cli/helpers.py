import json
import os
import subprocess
import sys
from pathlib import Path

from tests.services.spectrum_server import TOKEN


def cli_env(home: Path) -> dict:
    return {**os.environ, "SPECTRUM_DESKTOP_HOME": str(home), "SPECTRUM_API_TOKEN": TOKEN}


def run_cli(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "spectrum_desktop", *args],
        env=cli_env(home), input=stdin, capture_output=True, text=True, timeout=60,
    )


def write_orders(path: Path, orders: list[dict]) -> str:
    path.write_text(json.dumps(orders))
    return str(path)
