"""The SKU quantities of one line item, edited in a small table under the line items."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from spectrum_desktop.domain.fields import FieldInfo, field_by_key, label_for, sku_quantity_fields
from spectrum_desktop.domain.words import count as counted
from spectrum_desktop.ui.colour_scheme import tone

SKU_COLUMNS: list[FieldInfo] = sku_quantity_fields()
SKU_KEYS = [info.key for info in SKU_COLUMNS]
SKU_QUANTITIES_LABEL = field_by_key("skuQuantities").label
"""The panel's title: the schema's label of the field it edits."""
ADD_KEYS = QKeySequence("Ctrl+Shift+Return")
REMOVE_KEYS = QKeySequence("Ctrl+Shift+Delete")


def sku_count(count: int) -> str:
    return "no SKUs yet" if count == 0 else counted(count, "SKU")

Index = QModelIndex | QPersistentModelIndex


def quantity_value(text: str) -> int | str:
    """A whole number becomes an int; anything else stays text so validation can say what is wrong."""
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else text


class SkuQuantitiesModel(QAbstractTableModel):
    """Pairs of {sku, quantity}; unknown keys in a pair are kept."""

    edited = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._problems: dict[tuple[int, int], str] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SKU_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return SKU_COLUMNS[section].label if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole):
            problem = self._problems.get((index.row(), index.column()))
            if problem is None:
                return None
            return problem if role == Qt.ItemDataRole.ToolTipRole else QColor(tone("error_fill"))
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        value = self._rows[index.row()].get(SKU_KEYS[index.column()])
        return "" if value is None else str(value)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        key = SKU_KEYS[index.column()]
        row = self._rows[index.row()]
        text = str(value).strip()
        if key == "quantity" and text:
            row[key] = quantity_value(text)
        elif text:
            row[key] = text
        else:
            row.pop(key, None)
        self.dataChanged.emit(index, index, [role])
        self.edited.emit()
        return True

    def rows(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows]

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [dict(row) if isinstance(row, dict) else {"sku": str(row)} for row in rows]
        self._problems = {}
        self.endResetModel()

    def insert_row(self, position: int) -> int:
        position = max(0, min(position, len(self._rows)))
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, {"quantity": 1})
        self.endInsertRows()
        self.edited.emit()
        return position

    def remove_row(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.edited.emit()

    def set_problems(self, problems: dict[tuple[int, int], str]) -> None:
        touched = set(problems) | set(self._problems)
        self._problems = dict(problems)
        roles = [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole]
        for row, column in touched:
            if row < len(self._rows):
                index = self.index(row, column)
                self.dataChanged.emit(index, index, roles)

    def problem_at(self, row: int, column: int) -> str | None:
        return self._problems.get((row, column))


class SkuQuantitiesPanel(QGroupBox):
    """Shows the SKU quantities of the line item chosen in the line items table; `changed` gives the new list."""

    changed = Signal(int, object)

    def __init__(self, parent: QWidget | None = None, items_key: str = "lineItems") -> None:
        super().__init__(SKU_QUANTITIES_LABEL, parent)
        self.setObjectName("skuQuantitiesPanel")
        self.line_item: int | None = None
        self.items_key = items_key
        """The order's list the line item is in ("lineItems", or "recipeSets" in the RecipeSet format)."""
        self.model = SkuQuantitiesModel(self)
        self.table = QTableView(objectName="skuQuantities")
        self.table.setAccessibleName("SKU quantities of the chosen line item")
        self.table.setModel(self.model)
        self.caption = QLabel("Choose a line item to see its SKU quantities.", objectName="skuQuantitiesCaption")
        self.caption.setWordWrap(True)
        self.add_button = QPushButton("Add SKU", objectName="addSkuQuantity")
        self.add_button.setToolTip("Add a SKU and quantity to this line item (Ctrl+Shift+Return in the table)")
        self.remove_button = QPushButton("Remove SKU", objectName="removeSkuQuantity")
        self.remove_button.setToolTip("Remove the chosen SKU (Ctrl+Shift+Delete in the table)")
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        # In this table the line items' Add/Remove keys act on SKUs: the table takes them before any shortcut.
        self.table.installEventFilter(self)
        self.model.edited.connect(self._emit_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.caption, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self._set_enabled(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.table and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            keys = QKeySequence(event.keyCombination())
            slot = self.add_row if keys == ADD_KEYS else self.remove_row if keys == REMOVE_KEYS else None
            if slot is not None:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    slot()
                return True
        return super().eventFilter(watched, event)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.table, self.add_button, self.remove_button):
            widget.setEnabled(enabled)

    def show_line_item(self, row: int | None, pairs: list[dict[str, Any]],
                       problems: dict[tuple[int, int], str] | None = None) -> None:
        self.line_item = row
        self.model.set_rows(pairs if row is not None else [])
        self.model.set_problems(problems or {})
        self._set_enabled(row is not None)
        self._show_caption()

    def set_items_key(self, items_key: str) -> None:
        """The order's kind changed: name the line item as that kind does ("Line item 2", "Recipe set 2")."""
        self.items_key = items_key
        self._show_caption()

    def _show_caption(self) -> None:
        self.caption.setText(
            f"{label_for(f'{self.items_key}[{self.line_item}]')}: {sku_count(self.model.rowCount())}"
            if self.line_item is not None else "Choose a line item to see its SKU quantities."
        )

    def add_row(self) -> None:
        if self.line_item is None:
            return
        current = self.table.currentIndex()
        position = current.row() + 1 if current.isValid() else self.model.rowCount()
        row = self.model.insert_row(position)
        self.table.setCurrentIndex(self.model.index(row, 0))

    def remove_row(self) -> None:
        current = self.table.currentIndex()
        if self.line_item is None or not current.isValid():
            return
        self.model.remove_row(current.row())
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(min(current.row(), self.model.rowCount() - 1), 0))

    def _emit_changed(self) -> None:
        if self.line_item is not None:
            self._show_caption()
            self.changed.emit(self.line_item, self.model.rows())
