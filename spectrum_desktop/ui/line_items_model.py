"""Line items as a Qt table model: one row per line item, fast for thousands of rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from spectrum_desktop.domain.fields import line_item_fields
from spectrum_desktop.domain.states import OrderKind

ERROR_BACKGROUND = QColor("#ffcdd2")

COLUMNS: list[tuple[str, str]] = [(field.key, field.label) for field in line_item_fields(OrderKind.ACK)]
KEYS = [key for key, _ in COLUMNS]
SKU_QUANTITIES_COLUMN = KEYS.index("skuQuantities")
RECIPE_SET_KEYS = ("recipeSetId", "skuQuantities")


def sku_summary(pairs: object) -> str:
    """How the SKU quantities column reads: "SKU-1 × 2, SKU-2 × 1" (edited in the sub-table below)."""
    if not isinstance(pairs, list):
        return "" if pairs is None else str(pairs)
    return ", ".join(
        f"{pair.get('sku', '?')} × {pair.get('quantity', '?')}" if isinstance(pair, dict) else str(pair)
        for pair in pairs
    )

Index = QModelIndex | QPersistentModelIndex


class LineItemsModel(QAbstractTableModel):
    """Holds line items as JSON-shaped dicts; unknown keys are kept as they came."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._problems: dict[tuple[int, int], str] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole):
            problem = self._problems.get((index.row(), index.column()))
            if problem is None:
                return None
            return problem if role == Qt.ItemDataRole.ToolTipRole else ERROR_BACKGROUND
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        value = self._rows[index.row()].get(KEYS[index.column()])
        if index.column() == SKU_QUANTITIES_COLUMN:
            return sku_summary(value)
        return "" if value is None else str(value)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.column() == SKU_QUANTITIES_COLUMN:
            return super().flags(index)
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() == SKU_QUANTITIES_COLUMN:
            return False
        key = KEYS[index.column()]
        row = self._rows[index.row()]
        text = str(value).strip()
        if key == "quantity":
            row[key] = int(text) if text.lstrip("-").isdigit() else text
        elif text:
            row[key] = text
        else:
            row.pop(key, None)
        self.dataChanged.emit(index, index, [role])
        return True

    def set_problems(self, problems: dict[tuple[int, int], str]) -> None:
        """Mark cells in error: (row, column) -> message shown as the cell's tooltip."""
        touched = set(problems) | set(self._problems)
        self._problems = dict(problems)
        roles = [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole]
        for row, column in touched:
            if row < len(self._rows):
                index = self.index(row, column)
                self.dataChanged.emit(index, index, roles)

    def problem_at(self, row: int, column: int) -> str | None:
        return self._problems.get((row, column))

    def sku_quantities(self, row: int) -> list[dict[str, Any]]:
        pairs = self._rows[row].get("skuQuantities")
        return [dict(p) if isinstance(p, dict) else p for p in pairs] if isinstance(pairs, list) else []

    def set_sku_quantities(self, row: int, pairs: list[dict[str, Any]]) -> None:
        """Replace a line item's SKU quantities (none left removes the key)."""
        if not 0 <= row < len(self._rows):
            return
        if pairs:
            self._rows[row]["skuQuantities"] = [dict(p) for p in pairs]
        else:
            self._rows[row].pop("skuQuantities", None)
        index = self.index(row, SKU_QUANTITIES_COLUMN)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.EditRole])

    def line_items(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows]

    def set_line_items(self, items: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [dict(item) for item in items]
        self.endResetModel()

    def insert_row(self, position: int, item: dict[str, Any] | None = None) -> int:
        position = max(0, min(position, len(self._rows)))
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, dict(item) if item else {"quantity": 1})
        self.endInsertRows()
        return position

    def duplicate_row(self, row: int) -> int:
        return self.insert_row(row + 1, self._rows[row])

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()

    def move_row(self, row: int, offset: int) -> int:
        target = row + offset
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return row
        destination = target + 1 if offset > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        return target

    def paste_tsv(self, start_row: int, start_column: int, text: str) -> int:
        """Spreadsheet rows (tab-separated) overwrite from the given cell, adding rows as needed."""
        lines = [line for line in text.splitlines() if line.strip()]
        for offset, line in enumerate(lines):
            row = start_row + offset
            if row >= len(self._rows):
                self.insert_row(row, {})
            for column_offset, cell in enumerate(line.split("\t")):
                column = start_column + column_offset
                if column < SKU_QUANTITIES_COLUMN:
                    self.setData(self.index(row, column), cell)
        return len(lines)


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a fixed list of choices (e.g. proof status); the first choice is "" (not set)."""

    def __init__(self, choices: list[str], parent=None) -> None:
        super().__init__(parent)
        self._choices = ["", *choices]

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        box = QComboBox(parent)
        box.setAccessibleName(str(index.model().headerData(index.column(), Qt.Orientation.Horizontal)))
        for choice in self._choices:
            box.addItem(choice or "(not set)", choice)
        # A choice made from the list is committed at once, so one click or key is enough.
        box.activated.connect(lambda _i, box=box: self.commitData.emit(box))
        return box

    def setEditorData(self, editor, index) -> None:  # noqa: N802 - Qt override
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        position = editor.findData(value)
        if position < 0:
            editor.addItem(f"{value} (not allowed)", value)
            position = editor.count() - 1
        editor.setCurrentIndex(position)

    def setModelData(self, editor, model, index) -> None:  # noqa: N802 - Qt override
        model.setData(index, editor.currentData() or "", Qt.ItemDataRole.EditRole)
