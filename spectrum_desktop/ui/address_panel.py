"""One postal address (customer or shipping) for a full order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QFormLayout, QGroupBox, QLineEdit, QWidget

from spectrum_desktop.domain.countries import COUNTRIES
from spectrum_desktop.domain.fields import FieldInfo, Input, address_fields
from spectrum_desktop.ui.field_message import FieldWithMessage
from spectrum_desktop.ui.wheel_guard import guard_wheel

ADDRESS_FIELDS: list[FieldInfo] = address_fields()


def country_code(text: str) -> str:
    """The ISO code a typed country names: "United States", "united states (US)", "us" -> "US".

    Text that names no country is given back as typed, so validation can say what is wrong with it."""
    typed = text.strip()
    if not typed:
        return ""
    lowered = typed.casefold()
    for code, name in COUNTRIES.items():
        if lowered in (code.casefold(), name.casefold(), f"{name} ({code})".casefold()):
            return code
    return typed


class CountryBox(QComboBox):
    """An editable list of countries: typing a name (spaces and all) finds it; the list opens only when asked."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem("", "")
        self._filled = False
        self.lineEdit().setPlaceholderText("Type a country or its code")
        self.lineEdit().editingFinished.connect(self._settle)
        guard_wheel(self)

    def _fill(self) -> None:
        """The list of countries, made when first needed (the address panels are hidden at start-up)."""
        if self._filled:
            return
        self._filled = True
        self.blockSignals(True)
        text = self.currentText()
        for code, name in sorted(COUNTRIES.items(), key=lambda pair: pair[1]):
            self.addItem(f"{name} ({code})", code)
        self.setEditText(text)
        self.blockSignals(False)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._fill()
        super().showEvent(event)

    def code(self) -> str:
        return country_code(self.currentText())

    def set_code(self, code: str) -> None:
        if code:
            self._fill()
        index = self.findData(code.strip().upper()) if code else 0
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentIndex(0)
            self.setEditText(code)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            self._settle()  # leaving by Tab while the suggestions are open may bring no focus-out to settle on
        return super().event(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self._settle()

    def _settle(self) -> None:
        """When the field is left, show the country that was found under its full name."""
        self._fill()
        code = self.code()
        index = self.findData(code) if code else 0
        if index >= 0 and self.itemText(index) != self.currentText():
            self.setCurrentIndex(index)


class AddressPanel(QGroupBox):
    changed = Signal()

    def __init__(self, title: str, key: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(key)
        self.key = key
        self.form = form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setContentsMargins(6, 4, 6, 4)
        form.setVerticalSpacing(3)
        self.fields: dict[str, QLineEdit] = {}
        self._rows: dict[str, FieldWithMessage] = {}
        self._optional: list[str] = []
        self.country = CountryBox(f"{key}.country")
        self.country.setAccessibleName(f"{title}: Country")
        self.country.setMinimumContentsLength(8)
        self.country.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.country.currentIndexChanged.connect(self.changed)
        self.country.editTextChanged.connect(self.changed)
        for info in ADDRESS_FIELDS:
            if info.input is Input.COUNTRY:
                widget: QWidget = self.country
            else:
                edit = QLineEdit(objectName=f"{key}.{info.key}")
                edit.setAccessibleName(f"{title}: {info.label}")
                edit.setMinimumWidth(60)
                edit.textChanged.connect(self.changed)
                self.fields[info.key] = widget = edit
            if info.help:
                widget.setWhatsThis(info.help)
            self._rows[info.key] = FieldWithMessage(widget)
            form.addRow(info.label, self._rows[info.key])
            if not info.essential:
                self._optional.append(info.key)

    def widgets(self) -> list[QWidget]:
        """The panel's inputs in reading order (for the Tab order)."""
        return [self.widget_for(info.key) for info in ADDRESS_FIELDS]

    def widget_for(self, name: str) -> QWidget | None:
        return self.country if name == "country" else self.fields.get(name)

    def show_optional(self, shown: bool) -> None:
        """Show or hide the fields that are not needed every time (e.g. Address line 2); a filled one stays."""
        for name in self._optional:
            filled = bool(self.fields[name].text()) if name in self.fields else False
            self.form.setRowVisible(self._rows[name], shown or filled)

    def values(self) -> dict[str, Any]:
        values = {name: edit.text().strip() for name, edit in self.fields.items() if edit.text().strip()}
        code = self.country.code()
        if code:
            values["country"] = code
        return {info.key: values[info.key] for info in ADDRESS_FIELDS if info.key in values}

    def load(self, address: dict[str, Any]) -> None:
        self.blockSignals(True)
        try:
            for name, edit in self.fields.items():
                value = address.get(name)
                edit.setText("" if value is None else str(value))
            self.country.set_code(str(address.get("country") or ""))
        finally:
            self.blockSignals(False)

    def mark(self, messages: dict[str, str]) -> None:
        for name, row in self._rows.items():
            row.show_message(messages.get(name, ""))
