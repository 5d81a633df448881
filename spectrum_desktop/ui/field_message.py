"""A form field with its validation message shown right under it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "border: 2px solid #c62828;"
MESSAGE_STYLE = "color: #c62828;"


class FieldWithMessage(QWidget):
    """`row` is what the form shows; `field` (the row itself, or the edit inside it) is what gets the red border."""

    def __init__(self, row: QWidget, field: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field or row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(row)
        self.message = QLabel(objectName=f"{self.field.objectName()}.message")
        self.message.setStyleSheet(MESSAGE_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

    def show_message(self, text: str) -> None:
        """Mark the field and show `text` under it; an empty text clears both."""
        self.field.setStyleSheet(ERROR_STYLE if text else "")
        self.field.setToolTip(text)
        self.message.setText(text)
        self.message.setVisible(bool(text))
