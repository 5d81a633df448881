"""Build the main window (called by app.py); keep imports here light so the window opens fast."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.history_pages import install_history_pages
from spectrum_desktop.ui.main_window import MainWindow


def window_settings() -> QSettings:
    home = os.environ.get("SPECTRUM_DESKTOP_HOME")
    if home:
        path = Path(home) / "config" / "window.ini"
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings("spectrum-desktop", "spectrum-desktop")


def build_main_window(context: AppContext | None = None) -> MainWindow:
    """The window on `context` (a fresh AppContext for the data directory when not given); closing it closes it."""
    from spectrum_desktop.ui.colour_scheme import follow_system_scheme

    follow_system_scheme()
    window = MainWindow(context if context is not None else AppContext(), window_settings())
    install_history_pages(window, window.context)
    return window


def open_main_window(data_folder: Path | None) -> MainWindow | None:
    """The main window, the only one on `data_folder`; None when a window already has that folder (it was
    asked to come to the front, and this launch should end). data_folder None: no single-window check."""
    from spectrum_desktop.ui.single_instance import SingleInstance, bring_to_front

    instance = None
    if data_folder is not None:
        instance = SingleInstance.for_folder(data_folder)
        if not instance.claim():
            return None
    window = build_main_window()
    if instance is not None:
        instance.setParent(window)  # holds the lock and listens as long as the window lives
        instance.activated.connect(lambda: bring_to_front(window))
        window.after_first_paint(instance.listen)
    return window
