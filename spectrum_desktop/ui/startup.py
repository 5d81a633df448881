"""Build the main window (called by app.py); keep imports here light so the window opens fast."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from spectrum_desktop.ui.environment_choice import FIRST_RUN_CHOICES
from spectrum_desktop.ui.main_window import MainWindow


def window_settings() -> QSettings:
    home = os.environ.get("SPECTRUM_DESKTOP_HOME")
    if home:
        path = Path(home) / "config" / "window.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings("spectrum-desktop", "spectrum-desktop")


def build_main_window() -> MainWindow:
    return MainWindow(FIRST_RUN_CHOICES, window_settings())
