"""The one place where failures become messages a person can act on."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

GENERIC = (
    "Something unexpected went wrong. Nothing further was done. "
    "Try again; if it keeps happening, send the log file to support."
)


def user_message(exc: BaseException) -> str:
    """Our typed errors carry a message that says what to do; anything else gets a generic one."""
    if isinstance(exc, (ValueError, OSError)) or type(exc).__module__.startswith("spectrum_desktop"):
        text = str(exc).strip()
        if text:
            return text
    return GENERIC


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Something went wrong") -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, user_message(exc), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    box.open()
    return box
