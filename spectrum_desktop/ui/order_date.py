"""The order date: typed or pasted text kept as given, with a date-time picker and a Now button beside it."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QDateTimeEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from spectrum_desktop.domain.dates import is_iso_date, normalise_date
from spectrum_desktop.ui.wheel_guard import guard_wheel

PICKER_FORMAT = "yyyy-MM-dd HH:mm:ss"
AS_SENT = "Sent as written in this box; the picker and Now fill it in."
"""The caption under the date: of the text and the picker beside it, the text is the value sent."""


def now_with_offset() -> str:
    """This moment as ISO 8601 with the computer's UTC offset, e.g. 2024-05-01T10:00:00+02:00."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _parsed(text: str) -> datetime | None:
    """The moment the text names (a non-ISO spelling as validation will convert it), or None."""
    try:
        iso = text.strip() if is_iso_date(text.strip()) else normalise_date(text)[0]
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None


class OrderDateField(QWidget):
    """`edit` holds exactly what is sent (before validation's conversion); the picker and Now write ISO with offset."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(objectName="orderDate")
        self.edit.setAccessibleName("Order date")
        self.edit.setPlaceholderText("e.g. 2024-05-01T10:00:00+02:00 or 05/01/2024 10:00")
        self.picker = QDateTimeEdit(objectName="orderDatePicker")
        self.picker.setAccessibleName("Pick the order date and time")
        self.picker.setToolTip("Pick a date and time; it is written with this computer's time zone offset.")
        self.picker.setCalendarPopup(True)
        self.picker.setDisplayFormat(PICKER_FORMAT)
        self.picker.setDateTime(QDateTime.currentDateTime())
        self.now_button = QPushButton("Now", objectName="orderDateNow")
        self.now_button.setAccessibleName("Set the order date to now")
        self.now_button.setAutoDefault(False)
        # One Tab stop for the date: Tab goes from the text to the next field, not through the picker's six
        # sections and the button (both stay a click away; the text takes any spelling of a date).
        self.picker.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.now_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        guard_wheel(self.picker)
        self.setFocusProxy(self.edit)
        self.hint = QLabel(objectName="orderDateHint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(False)
        policy = self.hint.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the line is kept, so the hint appearing never moves the fields below
        self.hint.setSizePolicy(policy)
        self.hint.setWordWrap(False)
        # Which of the two counts: a small grey caption under the text says it is the one sent (the conversion hint
        # takes its place when a typed date will be sent converted).
        self.caption = QLabel(AS_SENT, objectName="orderDateCaption")
        self.caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        small = self.caption.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.caption.setFont(small)
        self.edit.setAccessibleDescription(AS_SENT)
        # Sensible widths on a wide screen: the text as long as its hint, the picker as its date and time.
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance(self.edit.placeholderText()) + 24)
        self.picker.setMaximumWidth(self.picker.sizeHint().width() + 24)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 3)
        row.addWidget(self.picker, 2)
        row.addWidget(self.now_button)
        row.addStretch(0)
        below = QHBoxLayout()
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.caption)
        below.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addLayout(below)
        self.edit.textChanged.connect(self._follow_text)
        self.picker.dateTimeChanged.connect(self._picked)
        self.now_button.clicked.connect(self.set_now)

    def set_now(self) -> None:
        self.edit.setText(now_with_offset())

    def show_conversion(self, converted: str | None) -> None:
        """Say what a non-ISO date will be sent as; hide the hint when the text is sent as typed."""
        self.hint.setText(f"Will be sent as {converted}" if converted else "")
        self.hint.setVisible(bool(converted))
        self.caption.setVisible(not converted)

    def _follow_text(self, text: str) -> None:
        moment = _parsed(text)
        if moment is None:
            return
        self.picker.blockSignals(True)
        self.picker.setDateTime(QDateTime(moment.date(), moment.time().replace(microsecond=0)))
        self.picker.blockSignals(False)

    def _picked(self, value: QDateTime) -> None:
        moment = value.toPython()
        if isinstance(moment, datetime):
            self.edit.setText(moment.replace(microsecond=0).astimezone().isoformat(timespec="seconds"))
