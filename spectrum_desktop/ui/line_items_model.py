"""Line items as a Qt table model: one row per line item, fast for thousands of rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QToolTip

from spectrum_desktop.domain.fields import FieldInfo, line_item_fields
from spectrum_desktop.domain.states import OrderKind
from spectrum_desktop.ui.colour_scheme import tone

COLUMNS: list[FieldInfo] = line_item_fields(OrderKind.ACK)
"""Every column a line item can show, in order; `essential` ones are shown unless hidden from the Columns menu."""
KEYS = [info.key for info in COLUMNS]
SKU_QUANTITIES_COLUMN = KEYS.index("skuQuantities")
ESSENTIAL_KEYS = [info.key for info in COLUMNS if info.essential]
def in_column_order(item: dict[str, Any]) -> dict[str, Any]:
    """A copy of a line item with its keys in the columns' order (what the JSON preview and the body show),
    keys no column knows after them."""
    ordered = {key: item[key] for key in KEYS if key in item}
    ordered.update((key, value) for key, value in item.items() if key not in ordered)
    return ordered


RECIPE_SET_KEYS = tuple(info.key for info in line_item_fields(OrderKind.ACK_RECIPESET))


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
        self._seen: list[set[str]] = []
        """Per row, the keys whose problems may be shown: edited cells, or "*" once the row was left."""
        self._problems: dict[tuple[int, int], str] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            info = COLUMNS[section]
            return f"{info.label}: {info.help}" if info.help else info.label
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].label
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole):
            problem = self._problems.get((index.row(), index.column()))
            if problem is None:
                return None
            return problem if role == Qt.ItemDataRole.ToolTipRole else QColor(tone("error_fill"))
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
        # Keep the columns' order in what is sent, so the JSON preview reads like the table.
        self._rows[index.row()] = {**{k: row[k] for k in KEYS if k in row},
                                   **{k: v for k, v in row.items() if k not in KEYS}}
        self._seen[index.row()].add(key)
        self.dataChanged.emit(index, index, [role])
        return True

    def mark_seen(self, row: int, key: str = "*") -> None:
        """Let the problems of a cell ("*": of the whole row, once it was left) be shown."""
        if 0 <= row < len(self._seen):
            self._seen[row].add(key)

    def is_seen(self, row: int, key: str | None) -> bool:
        if not 0 <= row < len(self._seen):
            return False
        seen = self._seen[row]
        return "*" in seen or (key is not None and key in seen)

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
        self._seen[row].add("skuQuantities")
        index = self.index(row, SKU_QUANTITIES_COLUMN)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.EditRole])

    def line_items(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows]

    def set_line_items(self, items: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [in_column_order(item) for item in items]
        self._seen = [set() for _ in self._rows]
        self.endResetModel()

    def insert_row(self, position: int, item: dict[str, Any] | None = None) -> int:
        position = max(0, min(position, len(self._rows)))
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, in_column_order(item) if item else {"quantity": 1})
        self._seen.insert(position, set())
        self.endInsertRows()
        return position

    def duplicate_row(self, row: int) -> int:
        return self.insert_row(row + 1, self._rows[row])

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._seen[row]
        self.endRemoveRows()

    def move_row(self, row: int, offset: int) -> int:
        target = row + offset
        if not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return row
        destination = target + 1 if offset > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._rows.insert(target, self._rows.pop(row))
        self._seen.insert(target, self._seen.pop(row))
        self.endMoveRows()
        return target

    def paste_tsv(self, start_row: int, start_column: int, text: str, columns: list[int] | None = None) -> int:
        """Spreadsheet rows (tab-separated) overwrite from the given cell, adding rows as needed.

        `columns` are the columns a pasted row fills, in order (the ones shown); by default all of them."""
        order = [c for c in (columns if columns is not None else range(len(COLUMNS))) if c != SKU_QUANTITIES_COLUMN]
        if start_column not in order:
            order.insert(0, start_column)
        targets = order[order.index(start_column):]
        lines = [line for line in text.splitlines() if line.strip()]
        for offset, line in enumerate(lines):
            row = start_row + offset
            if row >= len(self._rows):
                self.insert_row(row, {})
            for column, cell in zip(targets, line.split("\t"), strict=False):
                self.setData(self.index(row, column), cell)
        return len(lines)


class CellDelegate(QStyledItemDelegate):
    """Shows a cell's whole text as its tooltip when the column is too narrow for it (a problem's message wins).
    A selected cell with a problem keeps its problem colour; its selection is drawn as a frame around it."""

    def paint(self, painter, option, index) -> None:
        from PySide6.QtGui import QPalette, QPen  # (QStyle's class costs 10 ms to load: not on the way to the window)
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

        selected = option.state & QStyle.StateFlag.State_Selected
        if not selected or index.data(Qt.ItemDataRole.BackgroundRole) is None:
            super().paint(painter, option, index)
            return
        plain = QStyleOptionViewItem(option)
        plain.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, plain, index)
        painter.save()
        painter.setPen(QPen(option.palette.color(QPalette.ColorRole.Highlight), 2))
        painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
        painter.restore()

    def helpEvent(self, event, view, option, index):  # noqa: N802 - Qt override
        if index.isValid() and index.data(Qt.ItemDataRole.ToolTipRole) is None:
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            if text and option.fontMetrics.horizontalAdvance(text) > option.rect.width() - 8:
                QToolTip.showText(event.globalPos(), text, view)
                return True
            QToolTip.hideText()
            return False
        return super().helpEvent(event, view, option, index)


class ChoiceDelegate(CellDelegate):
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
