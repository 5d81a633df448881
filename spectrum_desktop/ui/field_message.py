"""A form field that can be marked as wrong without moving anything around it.

The message is the field's tooltip (and its accessible description) and a red outline; the full list is in the
Problems list beside the form. Nothing is inserted under the field, and the field's height is pinned, so showing or
clearing a message never shifts the field under the pointer.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from spectrum_desktop.ui.colour_scheme import error_outline_style



class FieldWithMessage(QWidget):
    """`row` is what the form shows; `field` (the row itself, or the edit inside it) is what gets the red outline."""

    def __init__(self, row: QWidget, field: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field or row
        self.message = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(row)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._pinned = False

    def show_message(self, text: str) -> None:
        """Mark the field and put `text` in its tooltip; an empty text clears both."""
        if text == self.message:
            return
        self.message = text
        if not self._pinned:
            # The outline is drawn by a style sheet, which would change the edit's size hint: pin the height
            # it has without one (measured the first time it is needed, not at start-up).
            self._pinned = True
            self.field.setFixedHeight(self.field.sizeHint().height())
        self.field.setStyleSheet(error_outline_style(self.field) if text else "")
        self.field.setToolTip(text)
        self.field.setAccessibleDescription(text)
