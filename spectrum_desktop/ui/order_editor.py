"""The order form: kind, header fields, line items table and a live JSON preview."""

from __future__ import annotations

import json
import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from spectrum_desktop.domain.choices import Priority, ProofStatus
from spectrum_desktop.domain.fields import kind_labels, order_fields
from spectrum_desktop.domain.states import OrderKind
from spectrum_desktop.domain.validation import (
    PRIORITIES,
    PROOF_STATUSES,
    ValidationResult,
    infer_kind,
    validate_order,
)
from spectrum_desktop.ui.address_panel import AddressPanel
from spectrum_desktop.ui.field_message import FieldWithMessage
from spectrum_desktop.ui.line_items_model import KEYS, RECIPE_SET_KEYS, ChoiceDelegate, LineItemsModel
from spectrum_desktop.ui.order_date import OrderDateField
from spectrum_desktop.ui.sku_quantities import SKU_KEYS, SkuQuantitiesPanel

LINE_ITEM_PATH = re.compile(r"^(?:lineItems|recipeSets)\[(\d+)\](?:\.(\w+))?")
SKU_PATH = re.compile(r"^(?:lineItems|recipeSets)\[(\d+)\]\.skuQuantities\[(\d+)\](?:\.(\w+))?")
PATH_ROLE = 0x0100
ADDRESS_KEYS = ("customerAddress", "shippingAddress")

KIND_LABELS = kind_labels()
HEADER_FIELDS = [(field.key, field.label) for field in order_fields(OrderKind.ACK)]
RECIPESET_FIELDS = {field.key for field in order_fields(OrderKind.ACK_RECIPESET)}
PLACEHOLDERS = {
    "emailAddress": "name@example.com",
}
NOT_SET = "(not set)"
CHOICES = {
    "priority": [member.value for member in Priority],
    "proofStatus": [member.value for member in ProofStatus],
}
# Spellings the API also accepts (e.g. priority 2, proof status "requested") are shown as their choice.
CHOICE_SPELLINGS = {"priority": PRIORITIES, "proofStatus": PROOF_STATUSES}


def field_text(widget: QWidget) -> str:
    if isinstance(widget, QComboBox):
        return str(widget.currentData() or "")
    return widget.text().strip()


def set_field_text(widget: QWidget, value: object) -> None:
    text = "" if value is None else str(value)
    if isinstance(widget, QComboBox):
        while widget.count() > 1 + len(CHOICES.get(widget.objectName(), ())):
            widget.removeItem(widget.count() - 1)
        index = widget.findData(text)
        if index < 0:
            index = widget.findData(CHOICE_SPELLINGS.get(widget.objectName(), {}).get(text.strip().lower(), text))
        if index < 0:
            # A value that is not one of the choices stays visible (and is reported) instead of vanishing.
            widget.addItem(f"{text} (not allowed)", text)
            index = widget.count() - 1
        widget.setCurrentIndex(index)
    else:
        widget.setText(text)


def recipe_set(item: dict[str, Any]) -> dict[str, Any]:
    """A line item as the deprecated format's recipe set; a lone SKU and quantity become its one SKU quantity."""
    out = {k: v for k, v in item.items() if k in RECIPE_SET_KEYS or k not in KEYS}
    if "skuQuantities" not in out and item.get("sku"):
        pair = {"sku": item["sku"]}
        if item.get("quantity") not in (None, ""):
            pair["quantity"] = item["quantity"]
        out["skuQuantities"] = [pair]
    return out


def choice_box(key: str, label: str) -> QComboBox:
    box = QComboBox(objectName=key)
    box.setAccessibleName(label)
    box.addItem(NOT_SET, "")
    for value in CHOICES[key]:
        box.addItem(value, value)
    return box


class OrderEditor(QWidget):
    changed = Signal()
    validated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderEditor")
        self._extra: dict[str, Any] = {}
        self.kind_combo = QComboBox(objectName="kind")
        self.kind_combo.setAccessibleName("Kind of request")
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        form = QFormLayout()
        self.form = form
        form.addRow("Kind", self.kind_combo)
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self._rows: dict[str, FieldWithMessage] = {}
        self.order_date = OrderDateField()
        for key, label in HEADER_FIELDS:
            row: QWidget
            if key in CHOICES:
                edit = row = choice_box(key, label)
                edit.currentIndexChanged.connect(self._on_changed)
            else:
                if key == "orderDate":
                    edit, row = self.order_date.edit, self.order_date
                else:
                    edit = row = QLineEdit(objectName=key)
                    edit.setAccessibleName(label)
                    edit.setPlaceholderText(PLACEHOLDERS.get(key, ""))
                edit.textChanged.connect(self._on_changed)
            self._rows[key] = FieldWithMessage(row, edit)
            form.addRow(label, self._rows[key])
            self.fields[key] = edit
        self.kind_combo.currentIndexChanged.connect(self._on_changed)
        self._build_addresses()

        self.model = LineItemsModel(self)
        self.table = QTableView(objectName="lineItems")
        self.table.setAccessibleName("Line items")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(KEYS.index("proofStatus"), ChoiceDelegate(CHOICES["proofStatus"], self.table))
        self.model.dataChanged.connect(self._on_cell_changed)
        self.model.rowsInserted.connect(self._on_changed)
        self.model.rowsRemoved.connect(self._on_changed)
        self.model.rowsMoved.connect(self._on_changed)
        self.model.modelReset.connect(self._on_changed)
        self._add_table_shortcuts()
        self.sku_panel = SkuQuantitiesPanel()
        self.sku_panel.setMaximumHeight(190)
        self.sku_panel.changed.connect(self.model.set_sku_quantities)
        self.table.selectionModel().currentRowChanged.connect(self._show_current_sku_quantities)
        for signal in (self.model.modelReset, self.model.rowsRemoved, self.model.rowsMoved, self.model.rowsInserted):
            signal.connect(self._show_current_sku_quantities)
        self._messages: dict[str, list[str]] = {}
        self._columns_kind: OrderKind | None = None

        self.problems = QListWidget(objectName="problems")
        self.problems.setMaximumHeight(160)
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems to fix before sending")
        self.problems.itemActivated.connect(self._jump_to_problem)
        self.problems.itemClicked.connect(self._jump_to_problem)
        self.conversions = QLabel(objectName="conversions")
        self.conversions.setWordWrap(True)
        self.result: ValidationResult | None = None

        self.preview = QPlainTextEdit(objectName="jsonPreview")
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("JSON preview of what will be sent")

        header = QWidget()
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(0, 0, 0, 0)
        header_layout.addLayout(form)
        header_layout.addWidget(self.addresses)
        header_layout.addStretch(1)
        self.header_scroll = header_scroll = QScrollArea(objectName="headerScroll")
        header_scroll.setWidget(header)
        header_scroll.setWidgetResizable(True)
        header_scroll.setFrameShape(QFrame.Shape.NoFrame)
        items = QWidget()
        items_layout = QVBoxLayout(items)
        items_layout.setContentsMargins(0, 0, 0, 0)
        items_layout.addWidget(self.table, 1)
        keys = QLabel("Line items: Ctrl+Shift+Return add · Ctrl+D duplicate · Ctrl+Shift+Delete delete · "
                      "Alt+Up/Down move · Ctrl+V paste rows from a spreadsheet", objectName="lineItemKeys")
        keys.setWordWrap(True)
        keys.setEnabled(False)
        items_layout.addWidget(keys)
        items_layout.addWidget(self.conversions)
        problems = QVBoxLayout()
        problems.setContentsMargins(0, 0, 0, 0)
        problems.addWidget(QLabel("Problems (click one to go to the field):"))
        problems.addWidget(self.problems)
        below = QHBoxLayout()
        below.addWidget(self.sku_panel, 2)
        below.addLayout(problems, 3)
        items_layout.addLayout(below, 0)
        # The header and the line items share the height; drag the handle to give the table more room.
        self.form_splitter = QSplitter(Qt.Orientation.Vertical, objectName="formSplitter")
        self.form_splitter.addWidget(header_scroll)
        self.form_splitter.addWidget(items)
        self.form_splitter.setStretchFactor(0, 2)
        self.form_splitter.setStretchFactor(1, 3)
        self.form_splitter.setChildrenCollapsible(False)
        self.form_splitter.setSizes([380, 440])
        top = self.form_splitter
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="editorSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.order_date.set_now()
        self._refresh_preview()

    def _build_addresses(self) -> None:
        self.addresses = QWidget(objectName="addresses")
        self.customer = AddressPanel("Customer address", "customerAddress")
        self.shipping = AddressPanel("Shipping address", "shippingAddress")
        self.same_as_customer = QCheckBox("Shipping address same as customer", objectName="sameAsCustomer")
        self.same_as_customer.setChecked(True)
        self.shipping.setEnabled(False)
        self.same_as_customer.toggled.connect(self._on_same_toggled)
        self.customer.changed.connect(self._on_customer_changed)
        self.shipping.changed.connect(self._on_changed)
        layout = QVBoxLayout(self.addresses)
        layout.setContentsMargins(0, 0, 0, 0)
        panels = QHBoxLayout()
        panels.addWidget(self.customer)
        panels.addWidget(self.shipping)
        layout.addWidget(self.same_as_customer)
        layout.addLayout(panels)
        self.addresses.setVisible(False)

    def _on_same_toggled(self, same: bool) -> None:
        self.shipping.setEnabled(not same)
        if same:
            self.shipping.load(self.customer.values())
        self._on_changed()

    def _on_customer_changed(self) -> None:
        if self.same_as_customer.isChecked():
            self.shipping.load(self.customer.values())
        self._on_changed()

    def _add_table_shortcuts(self) -> None:
        bindings = [
            ("Ctrl+Shift+Return", self.add_line_item),
            ("Ctrl+D", self.duplicate_line_item),
            ("Ctrl+Shift+Delete", self.delete_line_item),
            ("Alt+Up", lambda: self.move_line_item(-1)),
            ("Alt+Down", lambda: self.move_line_item(1)),
            (QKeySequence.StandardKey.Paste, self.paste_rows),
        ]
        for keys, slot in bindings:
            shortcut = QShortcut(QKeySequence(keys), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else self.model.rowCount() - 1

    def _select(self, row: int, column: int = 0) -> None:
        self.table.setCurrentIndex(self.model.index(row, column))

    def add_line_item(self) -> None:
        self._select(self.model.insert_row(self._current_row() + 1))

    def duplicate_line_item(self) -> None:
        row = self._current_row()
        if row >= 0:
            self._select(self.model.duplicate_row(row))

    def delete_line_item(self) -> None:
        row = self._current_row()
        if row >= 0:
            self.model.remove_row(row)
            if self.model.rowCount():
                self._select(min(row, self.model.rowCount() - 1))

    def move_line_item(self, offset: int) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._select(self.model.move_row(index.row(), offset), index.column())

    def paste_rows(self) -> None:
        index = self.table.currentIndex()
        row, column = (index.row(), index.column()) if index.isValid() else (self.model.rowCount(), 0)
        self.model.paste_tsv(row, column, QApplication.clipboard().text())

    def kind(self) -> OrderKind:
        return OrderKind(self.kind_combo.currentData())

    def order(self) -> dict[str, Any]:
        order: dict[str, Any] = dict(self._extra)
        recipe_sets = self.kind() is OrderKind.ACK_RECIPESET
        for key, edit in self.fields.items():
            text = field_text(edit)
            if recipe_sets and key not in RECIPESET_FIELDS:
                order.pop(key, None)
            elif text:
                order[key] = text
            else:
                order.pop(key, None)
        items = self.model.line_items()
        if recipe_sets:
            order["recipeSets"] = [recipe_set(item) for item in items]
        else:
            order["lineItems"] = items
        if self.kind() is OrderKind.FULL:
            order["customerAddress"] = self.customer.values()
            shipping = self.customer if self.same_as_customer.isChecked() else self.shipping
            order["shippingAddress"] = shipping.values()
        return order

    def load(self, order: dict[str, Any], kind: OrderKind | None = None) -> None:
        self.blockSignals(True)
        try:
            skip = {"lineItems", "recipeSets", *ADDRESS_KEYS}
            self._extra = {k: v for k, v in order.items() if k not in self.fields and k not in skip}
            customer = order.get("customerAddress") or {}
            shipping = order.get("shippingAddress") or {}
            self.customer.load(customer)
            same = not shipping or shipping == customer
            self.same_as_customer.blockSignals(True)
            self.same_as_customer.setChecked(same)
            self.same_as_customer.blockSignals(False)
            self.shipping.setEnabled(not same)
            self.shipping.load(customer if same else shipping)
            for key, edit in self.fields.items():
                set_field_text(edit, order.get(key))
            if kind is None:
                kind = infer_kind(order)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
            items = order.get("lineItems")
            if items is None and kind is OrderKind.ACK_RECIPESET:
                items = order.get("recipeSets")
            self.model.set_line_items([item for item in items or [] if isinstance(item, dict)])
        finally:
            self.blockSignals(False)
        self._on_changed()

    def _on_cell_changed(self, top_left, bottom_right, roles=()) -> None:
        if not roles or Qt.ItemDataRole.EditRole in roles or Qt.ItemDataRole.DisplayRole in roles:
            self._on_changed()

    def follow_request_format(self, request_format: str) -> bool:
        """An acknowledgement takes the environment's format (LineItem or the deprecated RecipeSet); a full order
        is left alone. True when the kind changed (what was typed is kept)."""
        wanted = {
            (OrderKind.ACK, "RecipeSet"): OrderKind.ACK_RECIPESET,
            (OrderKind.ACK_RECIPESET, "LineItem"): OrderKind.ACK,
        }.get((self.kind(), str(request_format)))
        if wanted is None:
            return False
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(wanted))
        return True

    def new_order(self) -> None:
        """An empty form of the current kind with the order date set to now."""
        self.load({"lineItems": []}, self.kind())
        self.order_date.set_now()

    def _on_changed(self, *args: object) -> None:
        kind = self.kind()
        if kind is not self._columns_kind:
            self._columns_kind = kind
            self.addresses.setVisible(kind is OrderKind.FULL)
            for key, row in self._rows.items():
                self.form.setRowVisible(row, kind is not OrderKind.ACK_RECIPESET or key in RECIPESET_FIELDS)
            for column, key in enumerate(KEYS):
                self.table.setColumnHidden(column, kind is OrderKind.ACK_RECIPESET and key not in RECIPE_SET_KEYS)
        self._refresh_preview()
        self.changed.emit()

    def _refresh_preview(self) -> None:
        order = self.order()
        result = validate_order(order, self.kind())
        self.result = result
        self._show_problems(result)
        shown = result.body if result.body is not None else order
        self.preview.setPlainText(json.dumps(shown, indent=2, ensure_ascii=False))
        self.validated.emit(result)

    def _show_problems(self, result: ValidationResult) -> None:
        self.problems.clear()
        messages: dict[str, list[str]] = {}
        for problem in result.problems:
            item = QListWidgetItem(f"{problem.label}: {problem.message}")
            item.setData(PATH_ROLE, problem.path)
            self.problems.addItem(item)
            messages.setdefault(problem.path, []).append(problem.message)
        cells: dict[tuple[int, int], str] = {}
        for path, texts in messages.items():
            match = LINE_ITEM_PATH.match(path)
            if match and match.group(2) in KEYS:
                cells[(int(match.group(1)), KEYS.index(match.group(2)))] = "; ".join(texts)
        self.model.set_problems(cells)
        self._messages = messages
        self._mark_sku_cells()
        for panel in (self.customer, self.shipping):
            prefix = panel.key + "."
            panel.mark({p[len(prefix):]: "; ".join(t) for p, t in messages.items() if p.startswith(prefix)})
        for key, row in self._rows.items():
            row.show_message("; ".join(messages.get(key, [])))
        date_conversion = next((c.converted for c in result.conversions if c.path == "orderDate"), None)
        self.order_date.show_conversion(date_conversion)
        self.conversions.setText(
            "\n".join(f"{c.label}: “{c.original}” will be sent as {c.converted}"
                      for c in result.conversions if c.path != "orderDate")
        )
        self.conversions.setVisible(bool(self.conversions.text()))

    def _sku_problems(self, line_item: int) -> dict[tuple[int, int], str]:
        cells: dict[tuple[int, int], str] = {}
        for path, texts in self._messages.items():
            match = SKU_PATH.match(path)
            if match and int(match.group(1)) == line_item:
                column = SKU_KEYS.index(match.group(3)) if match.group(3) in SKU_KEYS else 0
                cells[(int(match.group(2)), column)] = "; ".join(texts)
        return cells

    def _mark_sku_cells(self) -> None:
        row = self.sku_panel.line_item
        if row is not None:
            self.sku_panel.model.set_problems(self._sku_problems(row))

    def _show_current_sku_quantities(self, *args: object) -> None:
        index = self.table.currentIndex()
        row = index.row() if index.isValid() and index.row() < self.model.rowCount() else None
        pairs = self.model.sku_quantities(row) if row is not None else []
        self.sku_panel.show_line_item(row, pairs, self._sku_problems(row) if row is not None else {})

    def _jump_to_problem(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE) or ""
        match = LINE_ITEM_PATH.match(path)
        if match:
            column = KEYS.index(match.group(2)) if match.group(2) in KEYS else 0
            self.table.setFocus()
            self._select(int(match.group(1)), column)
            sku = SKU_PATH.match(path)
            if sku:
                column = SKU_KEYS.index(sku.group(3)) if sku.group(3) in SKU_KEYS else 0
                self.sku_panel.table.setFocus()
                self.sku_panel.table.setCurrentIndex(self.sku_panel.model.index(int(sku.group(2)), column))
            return
        head, _, rest = path.partition(".")
        if head in ADDRESS_KEYS:
            panel = self.customer if head == "customerAddress" or self.same_as_customer.isChecked() else self.shipping
            widget = panel.widget_for(rest)
            if widget is not None:
                widget.setFocus()
                self.header_scroll.ensureWidgetVisible(widget)
            return
        edit = self.fields.get(head.split("[")[0])
        if edit is not None:
            edit.setFocus()
            self.header_scroll.ensureWidgetVisible(edit)
