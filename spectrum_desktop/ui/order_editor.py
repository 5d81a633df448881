"""The order form: kind, a compact header (required fields first, the rest behind "More fields"), the line items
table with its buttons and Columns menu, and beside them the problems, the JSON preview and the send's result.

Quiet until asked: a field's problem is shown once the field was left (or its line item row was left, or its cell
edited), or for every field once a Send was tried or an order was opened. Shipping fields greyed out by "same as
customer" show none.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from spectrum_desktop.domain.choices import SPELLINGS
from spectrum_desktop.domain.fields import FieldInfo, Input, kind_labels, order_fields, order_parts
from spectrum_desktop.domain.states import OrderKind
from spectrum_desktop.domain.validation import ValidationResult, infer_kind, validate_order
from spectrum_desktop.domain.words import count as counted
from spectrum_desktop.ui.colour_scheme import error_text_style
from spectrum_desktop.ui.field_message import FieldWithMessage
from spectrum_desktop.ui.icons import arrow_icon, text_colour
from spectrum_desktop.ui.line_items_model import (
    COLUMNS,
    ESSENTIAL_KEYS,
    KEYS,
    RECIPE_SET_KEYS,
    CellDelegate,
    ChoiceDelegate,
    LineItemsModel,
)
from spectrum_desktop.ui.order_date import OrderDateField
from spectrum_desktop.ui.sku_quantities import SKU_KEYS, SkuQuantitiesPanel
from spectrum_desktop.ui.wheel_guard import guard_wheel

if TYPE_CHECKING:  # the address panels' module loads when they are built (see _address_section)
    from spectrum_desktop.ui.address_panel import AddressPanel

LINE_ITEM_PATH = re.compile(r"^(?:lineItems|recipeSets)\[(\d+)\](?:\.(\w+))?")
SKU_PATH = re.compile(r"^(?:lineItems|recipeSets)\[(\d+)\]\.skuQuantities\[(\d+)\](?:\.(\w+))?")
PATH_ROLE = 0x0100
ADDRESS_PARTS = [part for part in order_parts(OrderKind.FULL) if part.part == "address"]
"""A full order's addresses (customer, then shipping): their keys and labels, from the schema."""
ADDRESS_KEYS = tuple(part.key for part in ADDRESS_PARTS)
ITEMS_PARTS = {kind: next(part for part in order_parts(kind) if part.part == "items") for kind in OrderKind}
ITEMS_LABELS = {kind: part.label for kind, part in ITEMS_PARTS.items()}
"""What the list of line items is called in each kind ("Line items", or "Recipe sets" in the RecipeSet format)."""
PART_KEYS = frozenset(part.key for kind in OrderKind for part in order_parts(kind))

KIND_LABELS = kind_labels()
HEADER_FIELDS: list[FieldInfo] = order_fields(OrderKind.FULL)
"""Every header field of any kind, in form order; `essential` ones are always shown, the rest behind More fields."""
RECIPESET_FIELDS = {info.key for info in order_fields(OrderKind.ACK_RECIPESET)}
NOT_SET = "(not set)"
CHOICES = {info.key: list(info.choices) for info in HEADER_FIELDS if info.choices}
LINE_ITEM_CHOICES = {info.key: list(info.choices) for info in COLUMNS if info.choices}
# Spellings the API also accepts (e.g. priority 2, proof status "requested") are shown as their choice.
_SPELLINGS_OF = {tuple(member.value for member in choice): spellings for choice, spellings in SPELLINGS.items()}
CHOICE_SPELLINGS = {key: _SPELLINGS_OF.get(tuple(words), {}) for key, words in CHOICES.items()}
TEXT_COLUMN = 150
COLUMN_WIDTHS = {Input.QUANTITY: 80, Input.DATE: 150, Input.CHOICE: 110, Input.LIST: 180}
"""A column's first width by its kind of input (text: TEXT_COLUMN), until the person drags it."""
SPARE_KEYS = ("recipeSetId", "sku")
"""The line-item columns that share the table's spare width (not Quantity), until the person drags them."""
FIELD_MOST = 460
"""The widest an order field gets on a wide screen (a purchase order number needs no 1,000 pixels)."""


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def preview_text(body: Any, known: dict[str, str] | None = None) -> str:
    """The JSON preview: the order's own fields one per line, addresses opened up, and each line item (or recipe
    set) on one line of its own, so a long order reads like the table and is quick to draw.

    `known` gives the text of top-level values already rendered (a long line-item list that did not change)."""
    def block(value: Any, indent: str) -> str:
        inner = indent + "  "
        if isinstance(value, dict) and value:
            rows = [f"{inner}{_COMPACT.encode(k)}: {block(v, inner)}" for k, v in value.items()]
            return "{\n" + ",\n".join(rows) + f"\n{indent}}}"
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            return "[\n" + ",\n".join(inner + _COMPACT.encode(item) for item in value) + f"\n{indent}]"
        return _COMPACT.encode(value)

    if not isinstance(body, dict) or not body:
        return block(body, "")
    known = known or {}
    rows = [f"  {_COMPACT.encode(k)}: {known[k] if k in known else block(v, '  ')}" for k, v in body.items()]
    return "{\n" + ",\n".join(rows) + "\n}"


def items_text(items: Any) -> str:
    """How preview_text renders a top-level list (the line items), to be passed back as `known`."""
    return preview_text({"_": items}).split(": ", 1)[1][:-2]


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


def choice_box(key: str, label: str) -> QComboBox:  # noqa: D103
    box = QComboBox(objectName=key)
    box.setAccessibleName(label)
    box.addItem(NOT_SET, "")
    for value in CHOICES[key]:
        box.addItem(value, value)
    guard_wheel(box)
    return box


class LineItemsTable(QTableView):
    """The line items. Tab walks the cells and, from the last cell, goes on to the next field (Shift+Tab from the
    first cell goes back); Ctrl+Tab and Ctrl+Shift+Tab leave the table from any cell, as in other Qt text areas.
    Empty, it says how to add one, and Enter or Space in it adds one (`add_requested`)."""

    add_requested = Signal()
    resized = Signal()
    EMPTY_TEXT = "No line items yet. Add one with the Add button, Ctrl+Shift+Return from any field, or Enter here."

    def _edge(self, forward: bool) -> bool:
        """True when Tab (forward) or Shift+Tab would leave the table from the current cell."""
        model = self.model()
        columns = [c for c in range(model.columnCount())
                   if not self.isColumnHidden(c) and model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable]
        current = self.currentIndex()
        if not model.rowCount() or not columns or not current.isValid():
            return True
        if forward:
            return current.row() == model.rowCount() - 1 and current.column() >= max(columns)
        return current.row() == 0 and current.column() <= min(columns)

    def _leave(self, forward: bool) -> None:
        QWidget.focusNextPrevChild(self, forward)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt override
        if self._edge(forward):
            return QWidget.focusNextPrevChild(self, forward)
        return super().focusNextPrevChild(forward)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.resized.emit()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self.model() is not None and self.model().rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            area = self.viewport().rect().adjusted(12, 12, -12, -12)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                       | Qt.TextFlag.TextWordWrap), self.EMPTY_TEXT)
            painter.end()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.model() is not None and self.model().rowCount() == 0 and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and not event.modifiers():
            self.add_requested.emit()
            event.accept()
            return
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and control:
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            if self.state() == QAbstractItemView.State.EditingState:
                self.commit_editing()
            self._leave(forward)
            event.accept()
            return
        super().keyPressEvent(event)

    def commit_editing(self) -> None:
        editor = QApplication.focusWidget()  # the cell's editor, while a cell is being edited
        if editor is not None and editor is not self and self.isAncestorOf(editor):
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def closeEditor(self, editor, hint) -> None:  # noqa: N802 - Qt override
        moves = {QAbstractItemDelegate.EndEditHint.EditNextItem: True,
                 QAbstractItemDelegate.EndEditHint.EditPreviousItem: False}
        if hint in moves and self._edge(moves[hint]):
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._leave(moves[hint])
            return
        super().closeEditor(editor, hint)


_VISITS = (Qt.FocusReason.MouseFocusReason, Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
           Qt.FocusReason.ShortcutFocusReason)


class OrderEditor(QWidget):
    changed = Signal()
    validated = Signal(object)
    show_requested = Signal()
    """A line-item action was chosen (e.g. from the Order menu on another page): show the Order page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderEditor")
        self._extra: dict[str, Any] = {}
        self._reveal_all = False
        self._left: set[str] = set()
        self._visited: set[str] = set()
        self._messages: dict[str, list[str]] = {}
        self._columns_kind: OrderKind | None = None
        self._chosen_columns: list[str] = list(ESSENTIAL_KEYS)
        self._form_sizes: dict[str, list[int]] = {}
        self._result: ValidationResult | None = None
        self._building = True  # the date set while building is not an edit: nothing is validated until built
        self._unchecked = True
        """Built and not validated yet: a fresh form shows no problem, so validation (and pydantic's import) waits
        for the first edit, Send or open, or for whoever reads `result` first."""
        self._preview_text = ""
        self._items_version = 0
        self._items_cache: tuple[Any, str] = (None, "")
        self.kind_combo = QComboBox(objectName="kind")
        self.kind_combo.setAccessibleName("Kind of request")
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.setMaximumWidth(self.kind_combo.sizeHint().width() + 16)  # its longest kind, not the screen
        guard_wheel(self.kind_combo)
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self._rows: dict[str, FieldWithMessage] = {}
        self.order_date = OrderDateField()
        self._build_header()
        self._build_addresses()
        self._build_line_items()
        self._build_side()

        header = QWidget(objectName="orderHeader")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(0, 0, 4, 0)
        header_layout.setSpacing(4)
        header_layout.addLayout(self.form)
        header_layout.addWidget(self.more_box)
        header_layout.addWidget(self.addresses)
        header_layout.addStretch(1)
        self.header_scroll = header_scroll = QScrollArea(objectName="headerScroll")
        header_scroll.setWidget(header)
        header_scroll.setWidgetResizable(True)
        header_scroll.setFrameShape(QFrame.Shape.NoFrame)
        # The header and the line items share the height; drag the handle to give either more room.
        self.form_splitter = QSplitter(Qt.Orientation.Vertical, objectName="formSplitter")
        self.form_splitter.addWidget(header_scroll)
        self.form_splitter.addWidget(self.items)
        self.form_splitter.setStretchFactor(0, 0)
        self.form_splitter.setStretchFactor(1, 1)
        self.form_splitter.setChildrenCollapsible(False)
        self.form_splitter.setSizes([header.sizeHint().height() + 4, 1000])
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="editorSplitter")
        self.splitter.addWidget(self.form_splitter)
        self.splitter.addWidget(self.side_splitter)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([620, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self._watch_fields()
        self._chain_tab_order()
        self.order_date.set_now()
        self._apply_kind(self.kind())
        self._refresh_preview(check=False)
        self._building = False

    # --- building -------------------------------------------------------------------------------------------
    def _build_header(self) -> None:
        self.form = form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(4)
        form.addRow("Kind", self.kind_combo)
        self.more_button = QToolButton(objectName="moreFields")
        self.more_button.setCheckable(True)
        self.more_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more_button.setAutoRaise(True)
        self.more_button.setAccessibleName("Show more fields")
        self.more_button.toggled.connect(self._show_more)
        self.more_button.clicked.connect(self._refit_header)
        self.more_box = QWidget(objectName="moreFieldsBox")
        columns = QHBoxLayout(self.more_box)
        columns.setContentsMargins(0, 0, 0, 0)
        more_forms = [QFormLayout(), QFormLayout()]
        for more_form in more_forms:
            more_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            more_form.setVerticalSpacing(4)
            columns.addLayout(more_form, 1)
        self._optional = [info for info in HEADER_FIELDS if not info.essential]
        self._forms: dict[str, QFormLayout] = {}
        for info in [i for i in HEADER_FIELDS if i.essential] + self._optional:
            row: QWidget
            if info.choices:
                edit = row = choice_box(info.key, info.label)
                edit.currentIndexChanged.connect(self._on_changed)
            else:
                if info.key == "orderDate":
                    edit, row = self.order_date.edit, self.order_date
                else:
                    edit = row = QLineEdit(objectName=info.key)
                    edit.setAccessibleName(info.label)
                    edit.setPlaceholderText(info.placeholder)
                    edit.setMinimumWidth(70)
                    edit.setMaximumWidth(FIELD_MOST)
                edit.textChanged.connect(self._on_changed)
            if info.help:
                edit.setWhatsThis(info.help)
            self._rows[info.key] = FieldWithMessage(row, edit)
            if info.essential:
                target = form
            else:
                position = self._optional.index(info)
                target = more_forms[0 if position < (len(self._optional) + 1) // 2 else 1]
            target.addRow(info.label, self._rows[info.key])
            self._forms[info.key] = target
            self.fields[info.key] = edit
        form.addRow("", self.more_button)
        self.more_box.setVisible(False)
        self.kind_combo.currentIndexChanged.connect(self._on_changed)

    def _build_addresses(self) -> None:
        """The address section's frame; its panels are built when first needed (a full order, or code asking for
        `customer`, `shipping` or `same_as_customer`): most orders have no addresses, and the section is hidden
        until the kind is Full order, so the window opens without building them."""
        self.addresses = QWidget(objectName="addresses")
        self._address_parts: tuple[AddressPanel, AddressPanel, QCheckBox] | None = None
        self.addresses.setVisible(False)

    @property
    def customer(self) -> AddressPanel:
        return self._address_section()[0]

    @property
    def shipping(self) -> AddressPanel:
        return self._address_section()[1]

    @property
    def same_as_customer(self) -> QCheckBox:
        return self._address_section()[2]

    def _built_panels(self) -> tuple[AddressPanel, ...]:
        """The address panels if they are built (nothing to update in panels not built yet)."""
        return self._address_parts[:2] if self._address_parts is not None else ()

    def _address_section(self) -> tuple[AddressPanel, AddressPanel, QCheckBox]:
        if self._address_parts is not None:
            return self._address_parts
        from spectrum_desktop.ui.address_panel import AddressPanel

        customer, shipping = (AddressPanel(part.label, part.key) for part in ADDRESS_PARTS)
        same_as_customer = QCheckBox("Same as customer address", objectName="sameAsCustomer")
        same_as_customer.setAccessibleName("Shipping address same as customer address")
        same_as_customer.setChecked(True)
        shipping.setEnabled(False)
        self._address_parts = (customer, shipping, same_as_customer)
        same_as_customer.toggled.connect(self._on_same_toggled)
        customer.changed.connect(self._on_customer_changed)
        shipping.changed.connect(self._on_changed)
        layout = QVBoxLayout(self.addresses)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        panels = QHBoxLayout()
        panels.setSpacing(6)
        # The checkbox heads the shipping side: it reads (and Tabs) after the customer's address, before the
        # shipping address it governs.
        shipping_side = QVBoxLayout()
        shipping_side.setSpacing(0)
        shipping_side.addWidget(same_as_customer)
        shipping_side.addWidget(shipping, 1)
        customer_side = QVBoxLayout()
        customer_side.setSpacing(0)
        customer_side.addSpacing(same_as_customer.sizeHint().height())
        customer_side.addWidget(customer, 1)
        panels.addLayout(customer_side, 1)
        panels.addLayout(shipping_side, 1)
        layout.addLayout(panels)
        if hasattr(self, "_paths"):  # built after the form: watch, chain and mark the new fields as the rest are
            self._watch_panels(customer, shipping)
            self._chain_tab_order()
            for panel in (customer, shipping):
                panel.show_optional(self.more_button.isChecked())
            self._mark_panels(self._messages)
        return self._address_parts

    def _tool_button(self, action: QAction) -> QToolButton:
        button = QToolButton(objectName=action.objectName().replace("Action", "Button"))
        button.setDefaultAction(action)
        button.setAccessibleName(action.text().replace("&", ""))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys: the shortcuts in each tooltip and the Order menu
        return button

    def _build_line_items(self) -> None:
        self.model = LineItemsModel(self)
        self.table = LineItemsTable(objectName="lineItems")
        self.table.add_requested.connect(self.add_line_item)
        self.table.setAccessibleName("Line items")
        self.table.setToolTip("")
        self.table.setWhatsThis("Tab moves from cell to cell and, from the last cell, to the next field; "
                                "Ctrl+Tab leaves the table from any cell.")
        self.table.setModel(self.model)
        self.table.setItemDelegate(CellDelegate(self.table))
        for key, choices in LINE_ITEM_CHOICES.items():
            self.table.setItemDelegateForColumn(KEYS.index(key), ChoiceDelegate(choices, self.table))
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed
                                   | triggers.SelectedClicked)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)  # the actions act on one row
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The spare width goes to Recipe set ID and SKU (_fit_line_item_columns), not to the last column (Quantity).
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        for column, info in enumerate(COLUMNS):
            label = header.fontMetrics().horizontalAdvance(info.label) + 28
            self.table.setColumnWidth(column, max(label, COLUMN_WIDTHS.get(info.input, TEXT_COLUMN)))
        self._set_by_person: set[str] = set()
        """Line-item columns the person gave a width (dragged, or remembered from last time): kept as they are."""
        self._fitting = False
        header.sectionResized.connect(self._column_resized)
        self.table.resized.connect(self._fit_line_item_columns)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.columns_menu.popup(header.mapToGlobal(pos)))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)

        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved, self.model.rowsMoved,
                       self.model.modelReset):
            signal.connect(self._count_item_change)
        self.model.dataChanged.connect(self._on_cell_changed)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.rowsMoved, self.model.modelReset):
            signal.connect(self._on_changed)
        paste = QShortcut(QKeySequence.StandardKey.Paste, self.table)
        paste.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        paste.activated.connect(self.paste_rows)

        self.add_action = self._action("&Add line item", "Ctrl+Shift+Return", self.add_line_item, "addLineItemAction",
                                       "Add a line item after the chosen one")
        self.duplicate_action = self._action("D&uplicate line item", "Ctrl+D", self.duplicate_line_item,
                                             "duplicateLineItemAction", "Add a copy of the chosen line item")
        self.remove_action = self._action("&Remove line item", "Ctrl+Shift+Delete", self.delete_line_item,
                                          "removeLineItemAction", "Remove the chosen line item")
        self.move_up_action = self._action("Move line item u&p", "Alt+Up", lambda: self.move_line_item(-1),
                                           "moveUpLineItemAction", "Move the chosen line item up",
                                           arrow_icon(text_colour(self), "up"))
        self.move_down_action = self._action("Move line item do&wn", "Alt+Down", lambda: self.move_line_item(1),
                                             "moveDownLineItemAction", "Move the chosen line item down",
                                             arrow_icon(text_colour(self), "down"))
        self.line_item_actions = [self.add_action, self.duplicate_action, self.remove_action,
                                  self.move_up_action, self.move_down_action]
        self.columns_menu = QMenu("&Columns", self, objectName="columnsMenu")
        self._required_columns = {info.key for info in COLUMNS if info.required}
        self._column_actions: dict[str, QAction] = {}
        for info in COLUMNS:
            action = self.columns_menu.addAction(info.label)
            action.setCheckable(True)
            action.setChecked(info.key in self._chosen_columns)
            action.toggled.connect(lambda shown, key=info.key: self._choose_column(key, shown))
            if info.required:  # a column the API needs every time cannot be hidden
                action.setEnabled(False)
                action.setToolTip(f"{info.label} is needed for every line item")
            self._column_actions[info.key] = action

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        self.items_title = QLabel(objectName="lineItemsTitle")
        self.items_title.setStyleSheet("font-weight: bold;")
        bar.addWidget(self.items_title)
        bar.addStretch(1)
        short_text = {self.add_action: "Add", self.duplicate_action: "Duplicate", self.remove_action: "Remove",
                      self.move_up_action: "Up", self.move_down_action: "Down"}
        self.line_item_buttons: dict[str, QToolButton] = {}
        for action in self.line_item_actions:
            action.setIconText(short_text[action])  # the button's text; menus show the full text
            button = self._tool_button(action)
            bar.addWidget(button)
            self.line_item_buttons[action.objectName()] = button
        self.columns_button = QToolButton(objectName="columnsButton")
        self.columns_button.setText("Columns")
        self.columns_button.setToolTip("Choose which line-item columns are shown "
                                       "(also: right-click the table's header)")
        self.columns_button.setMenu(self.columns_menu)
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar.addWidget(self.columns_button)

        self._sku_panel: SkuQuantitiesPanel | None = None  # built when first shown (see sku_panel)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        for signal in (self.model.modelReset, self.model.rowsRemoved, self.model.rowsMoved, self.model.rowsInserted):
            signal.connect(self._show_current_sku_quantities)
        self.conversions = QLabel(objectName="conversions")
        self.conversions.setWordWrap(True)
        self.conversions.setVisible(False)

        self.items = QWidget(objectName="lineItemsArea")
        items_layout = QVBoxLayout(self.items)
        items_layout.setContentsMargins(0, 2, 0, 0)
        items_layout.setSpacing(2)
        items_layout.addLayout(bar)
        items_layout.addWidget(self.table, 1)
        items_layout.addWidget(self.conversions)  # the SKU quantities panel goes above it when built
        self._items_layout = items_layout
        # Alt+Up/Down open a list in a combo box: moving line items by key works in the line items only.
        for action in (self.move_up_action, self.move_down_action):
            self.removeAction(action)
            self.items.addAction(action)

    def show_note(self, text: str) -> None:
        """A read-only note above the line items (e.g. the recipe sets Spectrum accepted already, which are
        not sent again); "" hides it. Built the first time it is needed, not with the form."""
        note = self.items.findChild(QLabel, "lineItemsNote")
        if note is None:
            if not text:
                return
            note = QLabel(objectName="lineItemsNote")
            note.setWordWrap(True)
            note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            note.setStyleSheet("QLabel#lineItemsNote { border: 1px solid palette(mid); border-radius: 3px;"
                               " padding: 3px 6px; background: palette(alternate-base); }")
            self.items.layout().insertWidget(1, note)
        note.setText(text)
        note.setAccessibleName(text)
        note.setVisible(bool(text))

    def note(self) -> str:
        """The note shown above the line items ("" when none)."""
        note = self.items.findChild(QLabel, "lineItemsNote")
        return note.text() if note is not None and not note.isHidden() else ""

    def _count_item_change(self, *args: object) -> None:
        self._items_version += 1

    def _action(self, text: str, keys: str, slot, name: str, tip: str, icon=None) -> QAction:
        action = QAction(text, self, objectName=name)
        action.setShortcut(QKeySequence(keys))
        # Works from any field of the order (e.g. Add line item from the E-mail field), not only from the table.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{tip} ({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})")
        if icon is not None:
            action.setIcon(icon)
        action.triggered.connect(self.show_requested)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_side(self) -> None:
        self.problems = QListWidget(objectName="problems")
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems to fix before sending")
        self.problems.itemActivated.connect(self._jump_to_problem)
        self.problems.itemClicked.connect(self._jump_to_problem)
        self.problems_title = QLabel(objectName="problemsTitle")
        self.problems_title.setStyleSheet(f"{error_text_style(self)} font-weight: bold;")
        self.problems_title.setWordWrap(True)
        self.preview = QPlainTextEdit(objectName="jsonPreview")
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("JSON preview of what will be sent")
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # a value is never broken mid-token
        self.preview.setTabChangesFocus(True)
        self.preview.setUndoRedoEnabled(False)
        preview_title = QLabel("What will be sent (JSON)", objectName="previewTitle")
        box = QWidget(objectName="previewBox")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems)
        layout.addWidget(preview_title)
        layout.addWidget(self.preview, 1)
        self.problems_title.setVisible(False)
        self.problems.setVisible(False)
        # The preview and (in the window) the send's result share the side; the form keeps its room.
        self.side_splitter = QSplitter(Qt.Orientation.Vertical, objectName="sideSplitter")
        self.side_splitter.addWidget(box)
        self.side_splitter.setChildrenCollapsible(False)

    def place_result_panel(self, panel: QWidget) -> None:
        """Put the send's result under the JSON preview (the window does this; the form's room is not touched)."""
        self.side_splitter.addWidget(panel)
        # The result starts about half-way down (near eye level on a tall screen), not under a half-screen preview.
        self.side_splitter.setStretchFactor(0, 1)
        self.side_splitter.setStretchFactor(1, 1)
        self.side_splitter.setSizes([450, 550])

    def _watch_fields(self) -> None:
        """A field's problem is shown once the field was left: listen for focus leaving each input."""
        self._paths: dict[QObject, str] = {edit: key for key, edit in self.fields.items()}
        for widget in self._paths:
            widget.installEventFilter(self)
        self._watch_panels(*self._built_panels())

    def _watch_panels(self, *panels: AddressPanel) -> None:
        for panel in panels:
            for info_key in [k for k in panel._rows]:
                widget = panel.widget_for(info_key)
                if widget is not None:
                    self._paths[widget] = f"{panel.key}.{info_key}"
                    widget.installEventFilter(self)

    def _chain_tab_order(self) -> None:
        """Tab follows reading order: kind, the header fields, More fields, the addresses, the line items."""
        chain: list[QWidget] = [self.kind_combo]
        chain += [self.fields[info.key] for info in HEADER_FIELDS if info.essential]
        chain.append(self.more_button)
        chain += [self.fields[info.key] for info in self._optional]
        if self._address_parts is not None:
            chain += self.customer.widgets() + [self.same_as_customer] + self.shipping.widgets()
        chain.append(self.table)
        if self._sku_panel is not None:
            chain.append(self._sku_panel.table)
        chain += [self.problems, self.preview]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in (QEvent.Type.FocusIn, QEvent.Type.KeyPress) and watched in self._paths:
            # The cursor put there by the program (a new window, New order, the window coming back to the front) is
            # not the person visiting the field.
            if kind is QEvent.Type.KeyPress or event.reason() in _VISITS:
                self._visited.add(self._paths[watched])
        elif kind == QEvent.Type.FocusOut and watched in self._paths and event.reason() in _VISITS:
            # Only the person moving on (a click elsewhere, Tab, a shortcut to another field) leaves a field; a
            # dialog or another window taking the focus (Preferences from Ctrl+,) is not that.
            path = self._paths[watched]
            if path in self._visited and path not in self._left:
                self._left.add(path)
                if self.result is not None:
                    self._show_problems(self.result)
        return super().eventFilter(watched, event)

    # --- line items -----------------------------------------------------------------------------------------
    def _table_menu(self, pos: QPoint) -> None:
        menu = QMenu("Line items (right-click)", self.table)  # the title names it in Help › Keyboard shortcuts
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for action in self.line_item_actions:
            menu.addAction(action)
        menu.addSeparator()
        paste = menu.addAction("Paste rows from a spreadsheet", self.paste_rows)
        paste.setShortcut(QKeySequence.StandardKey.Paste)
        menu.addMenu(self.columns_menu)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else self.model.rowCount() - 1

    def _select(self, row: int, column: int = 0) -> None:
        index = self.model.index(row, column)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def add_line_item(self) -> None:
        """A new line item after the chosen one, with the cursor in its Recipe set ID cell (from any field)."""
        row = self.model.insert_row(self._current_row() + 1)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._select(row, KEYS.index("recipeSetId"))
        self.table.edit(self.table.currentIndex())

    def duplicate_line_item(self) -> None:
        row = self._current_row()
        if row >= 0:
            column = max(self.table.currentIndex().column(), 0)
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self._select(self.model.duplicate_row(row), column)

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
        shown = [c for c in range(len(COLUMNS)) if not self.table.isColumnHidden(c)]
        self.model.paste_tsv(row, column, QApplication.clipboard().text(), shown)

    def _update_line_item_actions(self) -> None:
        rows = self.model.rowCount()
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else -1
        self.duplicate_action.setEnabled(rows > 0)
        self.remove_action.setEnabled(rows > 0)
        self.move_up_action.setEnabled(row > 0)
        self.move_down_action.setEnabled(0 <= row < rows - 1)
        title = ITEMS_LABELS[self.kind()]
        self.items_title.setText(f"{title} ({rows})" if rows else title)

    # --- columns --------------------------------------------------------------------------------------------
    def chosen_columns(self) -> list[str]:
        """The line-item columns the person chose to see (remembered by the window)."""
        return list(self._chosen_columns)

    def set_chosen_columns(self, keys: list[str]) -> None:
        wanted = [key for key in KEYS if key in keys] or list(ESSENTIAL_KEYS)
        self._chosen_columns = wanted
        for key, action in self._column_actions.items():
            action.blockSignals(True)
            action.setChecked(key in wanted)
            action.blockSignals(False)
        self._apply_columns()

    def column_widths(self) -> dict[str, int]:
        """The widths the person gave (remembered by the window); the others follow the table's width."""
        return {key: self.table.columnWidth(column) for column, key in enumerate(KEYS)
                if not self.table.isColumnHidden(column) and key in self._set_by_person}

    def _column_resized(self, column: int, old: int, new: int) -> None:
        if self._fitting or not old or not new:  # ours, or a column hidden or shown
            return
        self._set_by_person.add(KEYS[column])
        self._fit_line_item_columns()

    def _fit_line_item_columns(self) -> None:
        """Recipe set ID and SKU share what the table has beyond the other columns (Quantity stays narrow); a
        column the person sized keeps its width. Not before the table is shown: it has no width to share yet (its
        first resize fits it), and asking for its viewport loads the view's Python enums, 12 ms on the way to the
        window."""
        if not self.table.isVisible():
            return
        flexible = [c for c, key in enumerate(KEYS) if key in SPARE_KEYS and key not in self._set_by_person
                    and not self.table.isColumnHidden(c)]
        if not flexible or self._fitting:
            return
        fixed = sum(self.table.columnWidth(c) for c in range(len(KEYS))
                    if c not in flexible and not self.table.isColumnHidden(c))
        room = self.table.viewport().width() - fixed
        self._fitting = True
        try:
            for n, column in enumerate(flexible):
                share = room // len(flexible) + (room % len(flexible) if n == len(flexible) - 1 else 0)
                self.table.setColumnWidth(column, max(TEXT_COLUMN, share))
        finally:
            self._fitting = False

    def set_column_widths(self, widths: dict[str, int]) -> None:
        for column, key in enumerate(KEYS):
            width = widths.get(key)
            if isinstance(width, int) and 20 <= width <= 2000:
                self.table.setColumnWidth(column, width)
                self._set_by_person.add(key)
        self._fit_line_item_columns()

    def _choose_column(self, key: str, shown: bool) -> None:
        if shown and key not in self._chosen_columns:
            self._chosen_columns.append(key)
        elif not shown and key in self._chosen_columns:
            self._chosen_columns.remove(key)
        self._apply_columns()

    def _apply_columns(self) -> None:
        recipe_sets = self.kind() is OrderKind.ACK_RECIPESET
        for column, key in enumerate(KEYS):
            shown = key in RECIPE_SET_KEYS if recipe_sets else key in self._chosen_columns
            self.table.setColumnHidden(column, not shown)
            self._column_actions[key].setEnabled(not recipe_sets and key not in self._required_columns)
        shown = recipe_sets or "skuQuantities" in self._chosen_columns
        if shown or self._sku_panel is not None:
            self.sku_panel.setVisible(shown)
        self._fit_line_item_columns()

    # --- header ---------------------------------------------------------------------------------------------
    def more_fields_shown(self) -> bool:
        return self.more_button.isChecked()

    def set_more_fields_shown(self, shown: bool) -> None:
        self.more_button.setChecked(shown)
        self._show_more(shown)

    def _show_more(self, shown: bool) -> None:
        offered = [info.key for info in self._optional if self._offered(info.key)]
        filled = sum(1 for key in offered if field_text(self.fields[key]))
        self.more_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        more = f"More fields ({len(offered)}, {filled} filled in)" if filled else f"More fields ({len(offered)})"
        self.more_button.setText("Fewer fields" if shown else more)
        self.more_button.setToolTip("Hide the fields most orders do not need" if shown
                                    else "Show the fields most orders do not need (account, e-mail, priority…)")
        self.more_box.setVisible(shown)
        for panel in self._built_panels():
            panel.show_optional(shown)

    def _offered(self, key: str) -> bool:
        return self.kind() is not OrderKind.ACK_RECIPESET or key in RECIPESET_FIELDS

    def focus_first_field(self) -> None:
        """Back to the top of the form with the cursor in the purchase order number (New order)."""
        self.header_scroll.verticalScrollBar().setValue(0)
        self.header_scroll.horizontalScrollBar().setValue(0)
        self.table.scrollToTop()
        self.fields["purchaseOrderNumber"].setFocus(Qt.FocusReason.OtherFocusReason)

    # --- the order ------------------------------------------------------------------------------------------
    def _on_same_toggled(self, same: bool) -> None:
        self.shipping.setEnabled(not same)
        if same:
            self.shipping.load(self.customer.values())
        self._on_changed()

    def _on_customer_changed(self) -> None:
        if self.same_as_customer.isChecked():
            self.shipping.load(self.customer.values())
        self._on_changed()

    def kind(self) -> OrderKind:
        return OrderKind(self.kind_combo.currentData())

    def has_content(self) -> bool:
        """Something typed that could be sent: a purchase order number or a line item."""
        return bool(self.model.rowCount() or field_text(self.fields["purchaseOrderNumber"]))

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
        """Fill the form with an order. An order that came from elsewhere (a file, a draft, History) shows all its
        problems at once; an empty one (New order) stays quiet until a field is left or a Send is tried."""
        self.blockSignals(True)
        try:
            self._extra = {k: v for k, v in order.items() if k not in self.fields and k not in PART_KEYS}
            customer = order.get("customerAddress") or {}
            shipping = order.get("shippingAddress") or {}
            if self._address_parts is not None or customer or shipping:  # unbuilt panels are empty already
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
            used = {key for item in self.model.line_items() for key, value in item.items() if value not in (None, "")}
            hidden = [key for key in KEYS if key in used and key not in self._chosen_columns]
            if hidden:  # what will be sent is shown: a column holding values comes into view
                self.set_chosen_columns(self._chosen_columns + hidden)
            self._left.clear()
            self._visited.clear()
            self._reveal_all = any(value not in (None, "", [], {}) for value in order.values())
            if any(field_text(self.fields[info.key]) for info in self._optional if self._offered(info.key)):
                self.set_more_fields_shown(True)
            elif self.more_box.isVisible() != self.more_button.isChecked():
                self._show_more(self.more_button.isChecked())
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
        """An empty form of the current kind with the order date set to now; quiet until asked."""
        self.load({"lineItems": []}, self.kind())
        self.order_date.set_now()

    def reveal_problems(self) -> int:
        """A Send was tried: show every problem (the ones of hidden fields open More fields). The count."""
        self._reveal_all = True
        if self.result is not None:
            self._show_problems(self.result)
        hidden = {info.key for info in self._optional}
        if not self.more_button.isChecked() and any(path.split("[")[0] in hidden for path in self._messages):
            self.set_more_fields_shown(True)
        return self.problems.count()

    def first_problem(self) -> None:
        """Go to the first problem shown (after a refused Send)."""
        if self.problems.count():
            self.problems.setCurrentRow(0)
            self._jump_to_problem(self.problems.item(0))

    def form_sizes(self) -> dict[str, list[int]]:
        """Where the header/line-items handle was left, for orders with addresses ("full") and without ("ack")."""
        sizes = dict(self._form_sizes)
        sizes[self._layout_group(self.kind())] = self.form_splitter.sizes()
        return sizes

    def set_form_sizes(self, sizes: dict[str, list[int]]) -> None:
        for group in ("ack", "full"):
            value = sizes.get(group)
            if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and v >= 0 for v in value):
                self._form_sizes[group] = value
        mine = self._form_sizes.get(self._layout_group(self.kind()))
        if mine:
            self.form_splitter.setSizes(mine)

    @staticmethod
    def _layout_group(kind: OrderKind | None) -> str:
        return "full" if kind is OrderKind.FULL else "ack"

    def _fit_header(self, old: OrderKind | None, new: OrderKind) -> None:
        """Addresses appearing need room: the handle goes where it was last left for this kind of order, or far
        enough down to show the header (at most two thirds of the height)."""
        before, after = self._layout_group(old), self._layout_group(new)
        if old is None or before == after:
            return
        self._form_sizes[before] = self.form_splitter.sizes()
        total = sum(self.form_splitter.sizes())
        wanted = self._form_sizes.get(after)
        if not wanted or sum(wanted) <= 0:
            need = self.header_scroll.widget().sizeHint().height() + 4
            header = min(need, total * 2 // 3) if total > 0 else need
            wanted = [header, max(total - header, 1)]
        self.form_splitter.setSizes(wanted)

    def _refit_header(self) -> None:
        """More or fewer fields were asked for: the header grows to show them (up to two thirds of the height)
        or gives the room back to the line items."""
        sizes = self.form_splitter.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        self.header_scroll.widget().adjustSize()
        need = self.header_scroll.widget().sizeHint().height() + 4
        header = min(need, total * 2 // 3)
        if header != sizes[0]:
            self.form_splitter.setSizes([header, total - header])

    def _apply_kind(self, kind: OrderKind) -> None:
        old = self._columns_kind
        self._columns_kind = kind
        if kind is OrderKind.FULL:
            self._address_section()
        self.addresses.setVisible(kind is OrderKind.FULL)
        for key, row in self._rows.items():
            self._forms[key].setRowVisible(row, self._offered(key))
        self._apply_columns()
        if self._sku_panel is not None:
            self._sku_panel.set_items_key(ITEMS_PARTS[kind].key)
        self._show_more(self.more_button.isChecked())
        self._fit_header(old, kind)

    def _on_changed(self, *args: object) -> None:
        kind = self.kind()
        if kind is not self._columns_kind:
            self._apply_kind(kind)
        self._refresh_preview(check=not self._building)
        self._update_line_item_actions()
        self.changed.emit()

    @property
    def result(self) -> ValidationResult | None:
        """The order's validation; a form not validated yet (fresh from building) is validated now."""
        if self._unchecked:
            self._refresh_preview()
        return self._result

    def _refresh_preview(self, check: bool = True) -> None:
        """Validate the order, show its problems (as far as they may be shown yet) and its JSON preview.

        check False (only while the form is built): the preview of the order as typed, no validation yet."""
        order = self.order()
        if not check and self._unchecked:
            self._set_preview(preview_text(order))  # what an order with problems shows: the order as typed
            return
        self._unchecked = False
        result = validate_order(order, self.kind())
        self._result = result
        self._show_problems(result)
        shown = result.body if result.body is not None else order
        known = {}
        for key in ("lineItems", "recipeSets"):
            items = shown.get(key) if isinstance(shown, dict) else None
            if isinstance(items, list) and len(items) > 50:
                # A long list is rendered again only when a line item changed (not on every header keystroke).
                stamp = (self._items_version, self.kind(), key, result.body is not None)
                if self._items_cache[0] != stamp:
                    self._items_cache = (stamp, items_text(items))
                known[key] = self._items_cache[1]
        text = preview_text(shown, known)
        if text != self._preview_text:
            self._set_preview(text)
        self.validated.emit(result)

    def _set_preview(self, text: str) -> None:
        """Replace only the lines that changed: quick on a long order, and the preview keeps its scroll position."""
        if text == self._preview_text:
            return
        old_lines = self._preview_text.split("\n")
        new_lines = text.split("\n")
        self._preview_text = text
        if len(old_lines) < 2:
            self.preview.setPlainText(text)
            return
        start = 0
        shortest = min(len(old_lines), len(new_lines))
        while start < shortest and old_lines[start] == new_lines[start]:
            start += 1
        end = 0  # lines equal at the end, not overlapping the start
        while (end < shortest - start and old_lines[-1 - end] == new_lines[-1 - end]):
            end += 1
        document = self.preview.document()
        cursor = QTextCursor(document)
        first = document.findBlockByNumber(start)
        last = document.findBlockByNumber(len(old_lines) - 1 - end)
        replacement = "\n".join(new_lines[start:len(new_lines) - end])
        if start >= len(old_lines) - end:  # lines only inserted
            if start < len(old_lines):
                cursor.setPosition(first.position())
                cursor.insertText(replacement + "\n")
            else:
                cursor.movePosition(QTextCursor.MoveOperation.End)
                cursor.insertText("\n" + replacement)
            return
        cursor.setPosition(first.position())
        cursor.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        if start >= len(new_lines) - end:  # lines only removed: take their line break too
            if cursor.selectionEnd() < document.characterCount() - 1:
                cursor.setPosition(last.position() + last.length(), QTextCursor.MoveMode.KeepAnchor)
            else:
                cursor.setPosition(max(first.position() - 1, 0))
                cursor.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
            return
        cursor.insertText(replacement)

    # --- problems -------------------------------------------------------------------------------------------
    def _mark_panels(self, messages: dict[str, list[str]]) -> None:
        for panel in self._built_panels():
            prefix = panel.key + "."
            panel.mark({p[len(prefix):]: "; ".join(t) for p, t in messages.items() if p.startswith(prefix)})

    def errors_to_fix(self, result: ValidationResult) -> list:
        """The errors a person has to fix: not those of a greyed-out part (the shipping address while it is the
        same as the customer's, whose problems are the customer's)."""
        return [e for e in result.errors if not self._greyed_out(e.path)]

    def _greyed_out(self, path: str) -> bool:
        head = path.split(".", 1)[0].split("[", 1)[0]
        return head == "shippingAddress" and self.same_as_customer.isChecked()

    def _problem_shown(self, path: str) -> bool:
        """Quiet until asked: may this problem be shown yet?"""
        head = path.split(".", 1)[0].split("[", 1)[0]
        if self._greyed_out(path):
            return False  # greyed out: the customer's address is sent, its problems are the customer's
        if self._reveal_all:
            return True
        match = LINE_ITEM_PATH.match(path)
        if match:
            return self.model.is_seen(int(match.group(1)), match.group(2))
        if head in ADDRESS_KEYS:
            return path in self._left
        return head in self._left

    def _show_problems(self, result: ValidationResult) -> None:
        self.problems.clear()
        messages: dict[str, list[str]] = {}
        for problem in result.problems:
            if not self._problem_shown(problem.path):
                continue
            item = QListWidgetItem(f"{problem.label}: {problem.message}")
            item.setData(PATH_ROLE, problem.path)
            item.setToolTip(item.text())
            self.problems.addItem(item)
            messages.setdefault(problem.path, []).append(problem.message)
        count = self.problems.count()
        self.problems_title.setText(f"{counted(count, 'problem')} to fix before sending. Click one to go to it.")
        self.problems_title.setVisible(bool(count))
        self.problems.setVisible(bool(count))
        if count:
            self._fit_problems()
        cells: dict[tuple[int, int], str] = {}
        for path, texts in messages.items():
            match = LINE_ITEM_PATH.match(path)
            if match and match.group(2) in KEYS:
                cells[(int(match.group(1)), KEYS.index(match.group(2)))] = "; ".join(texts)
        self.model.set_problems(cells)
        self._messages = messages
        self._mark_sku_cells()
        self._mark_panels(messages)
        for key, row in self._rows.items():
            row.show_message("; ".join(messages.get(key, [])))
        date_conversion = next((c.converted for c in result.conversions if c.path == "orderDate"), None)
        self.order_date.show_conversion(date_conversion)
        self.conversions.setText(
            "\n".join(f"{c.label}: “{c.original}” will be sent as {c.converted}"
                      for c in result.conversions if c.path != "orderDate")
        )
        self.conversions.setVisible(bool(self.conversions.text()))

    def _fit_problems(self) -> None:
        """The list is as tall as its (wrapped) lines, up to about six; the JSON preview keeps the rest."""
        metrics = self.problems.fontMetrics()
        width = max(self.problems.viewport().width(), self.side_splitter.width() - 30, 150) - 8
        height = 0
        for i in range(self.problems.count()):
            text = self.problems.item(i).text()
            height += metrics.boundingRect(0, 0, width, 10_000, Qt.TextFlag.TextWordWrap, text).height() + 2
        limit = 6 * (metrics.height() + 2)
        self.problems.setFixedHeight(min(height, limit) + 2 * self.problems.frameWidth() + 2)

    def _sku_problems(self, line_item: int) -> dict[tuple[int, int], str]:
        cells: dict[tuple[int, int], str] = {}
        for path, texts in self._messages.items():
            match = SKU_PATH.match(path)
            if match and int(match.group(1)) == line_item:
                column = SKU_KEYS.index(match.group(3)) if match.group(3) in SKU_KEYS else 0
                cells[(int(match.group(2)), column)] = "; ".join(texts)
        return cells

    @property
    def sku_panel(self) -> SkuQuantitiesPanel:
        """The SKU quantities of the current line item. Built when first needed: it is hidden unless the kind is
        recipe sets or the SKU quantities column is chosen, which most orders never do."""
        if self._sku_panel is None:
            panel = self._sku_panel = SkuQuantitiesPanel(items_key=ITEMS_PARTS[self.kind()].key)
            panel.setVisible(False)
            panel.setMaximumHeight(170)
            panel.changed.connect(self.model.set_sku_quantities)
            self._items_layout.insertWidget(self._items_layout.indexOf(self.conversions), panel)
            if hasattr(self, "_paths"):  # built after the form: take its place in the Tab order
                self._chain_tab_order()
            self._show_current_sku_quantities()
        return self._sku_panel

    def _mark_sku_cells(self) -> None:
        if self._sku_panel is None:
            return
        row = self.sku_panel.line_item
        if row is not None:
            self.sku_panel.model.set_problems(self._sku_problems(row))

    def _on_current_row(self, current, previous) -> None:
        if previous.isValid() and previous.row() != current.row():
            self.model.mark_seen(previous.row())  # a row that was left shows its problems
            if self.result is not None:
                self._show_problems(self.result)
        self._show_current_sku_quantities()
        self._update_line_item_actions()

    def _show_current_sku_quantities(self, *args: object) -> None:
        if self._sku_panel is None:
            return  # shown by the panel when it is built
        index = self.table.currentIndex()
        row = index.row() if index.isValid() and index.row() < self.model.rowCount() else None
        pairs = self.model.sku_quantities(row) if row is not None else []
        self.sku_panel.show_line_item(row, pairs, self._sku_problems(row) if row is not None else {})

    def _jump_to_problem(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE) or ""
        match = LINE_ITEM_PATH.match(path)
        if match:
            column = KEYS.index(match.group(2)) if match.group(2) in KEYS else 0
            if self.table.isColumnHidden(column) and match.group(2) in KEYS:
                self._column_actions[match.group(2)].setChecked(True)  # a problem in a hidden column shows it
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
            panel.show_optional(True) if rest in panel._optional else None
            widget = panel.widget_for(rest)
            if widget is not None:
                widget.setFocus()
                self.header_scroll.ensureWidgetVisible(widget)
            return
        key = head.split("[")[0]
        if key in ("lineItems", "recipeSets"):  # e.g. no line item yet
            self.table.setFocus()
            return
        edit = self.fields.get(key)
        if edit is not None:
            if key in {info.key for info in self._optional} and not self.more_button.isChecked():
                self.set_more_fields_shown(True)
            edit.setFocus()
            self.header_scroll.ensureWidgetVisible(edit)
