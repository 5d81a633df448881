"""One postal address (customer or shipping) for a full order."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit, QWidget

from spectrum_desktop.domain.countries import COUNTRIES
from spectrum_desktop.domain.fields import Input, address_fields
from spectrum_desktop.ui.field_message import FieldWithMessage

ADDRESS_FIELDS = [(field.key, field.label) for field in address_fields() if field.input is not Input.COUNTRY]


class AddressPanel(QGroupBox):
    changed = Signal()

    def __init__(self, title: str, key: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(key)
        self.key = key
        form = QFormLayout(self)
        self.fields: dict[str, QLineEdit] = {}
        self._rows: dict[str, FieldWithMessage] = {}
        for name, label in ADDRESS_FIELDS:
            edit = QLineEdit(objectName=f"{key}.{name}")
            edit.setAccessibleName(f"{title}: {label}")
            edit.textChanged.connect(self.changed)
            self._rows[name] = FieldWithMessage(edit)
            form.addRow(label, self._rows[name])
            self.fields[name] = edit
        self.country = QComboBox(objectName=f"{key}.country")
        self.country.setAccessibleName(f"{title}: Country")
        self.country.addItem("", "")
        for code, name in sorted(COUNTRIES.items(), key=lambda pair: pair[1]):
            self.country.addItem(f"{name} ({code})", code)
        self.country.currentIndexChanged.connect(self.changed)
        self._rows["country"] = FieldWithMessage(self.country)
        form.addRow("Country", self._rows["country"])

    def widget_for(self, name: str) -> QWidget | None:
        return self.country if name == "country" else self.fields.get(name)

    def values(self) -> dict[str, Any]:
        values = {name: edit.text().strip() for name, edit in self.fields.items() if edit.text().strip()}
        if self.country.currentData():
            values["country"] = self.country.currentData()
        return values

    def load(self, address: dict[str, Any]) -> None:
        self.blockSignals(True)
        try:
            for name, edit in self.fields.items():
                value = address.get(name)
                edit.setText("" if value is None else str(value))
            index = self.country.findData(str(address.get("country", "")).upper())
            self.country.setCurrentIndex(max(index, 0))
        finally:
            self.blockSignals(False)

    def mark(self, messages: dict[str, str]) -> None:
        for name, row in self._rows.items():
            row.show_message(messages.get(name, ""))
