"""Last-resort handler: an uncaught error leaves a log line and a message box."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

EXIT_CRASHED = 70


def crash_message(exc: BaseException, log_path: Path | None) -> str:
    where = (f"Please send the log file to support:\n{log_path}" if log_path is not None else
             "No log file could be written (the log folder is read-only or full); please tell support what you "
             "were doing when this happened.")
    return (
        f"Spectrum Desktop hit an unexpected problem ({type(exc).__name__}) and must close.\n\n"
        f"Your orders already sent are safe. {where}"
    )


def install_crash_hook(log_path: Path | None, show_dialog: bool = True) -> None:
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.critical("Unhandled error, application closing", exc_info=(exc_type, exc, tb))
        see = f"; see log {log_path}" if log_path is not None else ""
        print(f"spectrum-desktop: crashed ({exc_type.__name__}){see}", file=sys.stderr)
        if show_dialog:
            _show_box(crash_message(exc, log_path))
        _quit_event_loop()

    sys.excepthook = hook


def _show_box(text: str) -> None:
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            QApplication(sys.argv)
        QMessageBox.critical(None, "Spectrum Desktop", text)
    except Exception:  # the box is best effort; the log line is already written
        log.exception("Could not show the crash message box")


def _quit_event_loop() -> None:
    # An error inside a Qt slot would otherwise leave the window running in an unknown state.
    app_module = sys.modules.get("PySide6.QtWidgets")
    app = app_module.QApplication.instance() if app_module else None
    if app is not None:
        app.exit(EXIT_CRASHED)
