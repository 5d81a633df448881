"""Where the app keeps its data, settings and logs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "spectrum-desktop"
HOME_VARIABLE = "SPECTRUM_DESKTOP_HOME"


def _folder(kind: str) -> Path:
    home = os.environ.get(HOME_VARIABLE)
    if home:
        path = Path(home) / kind
    elif kind == "data":
        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    elif kind == "config":
        path = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    else:
        path = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    return _folder("data")


def config_dir() -> Path:
    return _folder("config")


def log_dir() -> Path:
    return _folder("logs")


def database_path() -> Path:
    return data_dir() / "spectrum.sqlite3"
