"""Table model of imported orders: where each came from, its validation state and problems, and its send outcome."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.errors import InvalidOrder
from spectrum_desktop.services.submission import prepare
from spectrum_desktop.ui.history_format import state_label
from spectrum_desktop.ui.history_model import STATE_COLOURS

COLUMNS = ("Source", "Purchase order", "Valid", "Outcome", "Problems")
SOURCE, PURCHASE_ORDER, VALID, OUTCOME, PROBLEMS = range(len(COLUMNS))
INVALID_COLOUR = "#c62828"
Index = QModelIndex | QPersistentModelIndex


@dataclass
class BulkRow:
    raw: dict
    purchase_order: str
    source: str = ""
    problems: list[str] = field(default_factory=list)
    outcome: SubmissionRecord | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


def check(raw: object, source: str = "") -> BulkRow:
    po = str(raw.get("purchaseOrderNumber", "")) if isinstance(raw, dict) else ""
    if not isinstance(raw, dict):
        return BulkRow({}, po, source, ["This entry is not an order (expected a JSON object)."])
    try:
        prepare(raw)
    except InvalidOrder as exc:
        return BulkRow(raw, po, source, list(exc.problems))
    return BulkRow(raw, po, source)


class BulkModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[BulkRow] = []
        self._by_po: dict[str, list[int]] = {}
        self._invalid = QColor(INVALID_COLOUR)
        self._state_colours = {k: QColor(v) for k, v in STATE_COLOURS.items()}

    def load(self, raws: list[object], source: str = "") -> None:
        """Replace the table with these orders (`source` names the file; rows are numbered from 1)."""
        self.beginResetModel()
        self.rows = []
        self._by_po = {}
        self.endResetModel()
        self.append(raws, source)

    def append(self, raws: list[object], source: str = "") -> None:
        rows = [check(raw, f"{source} #{n}" if source else f"#{n}") for n, raw in enumerate(raws, 1)]
        if not rows:
            return
        start = len(self.rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        for n, row in enumerate(rows, start):
            self.rows.append(row)
            if row.valid:
                self._by_po.setdefault(row.purchase_order, []).append(n)
        self.endInsertRows()

    def clear(self) -> None:
        self.load([])

    def valid_rows(self) -> list[BulkRow]:
        return [r for r in self.rows if r.valid]

    def invalid_rows(self) -> list[BulkRow]:
        return [r for r in self.rows if not r.valid]

    def unsent_rows(self) -> list[BulkRow]:
        return [r for r in self.rows if r.valid and r.outcome is None]

    def apply_outcome(self, record: SubmissionRecord) -> None:
        """Show a send outcome on the row of its purchase order (a later outcome of the same row replaces it)."""
        for po in record.purchase_orders:
            indexes = self._by_po.get(po, [])
            target = next((n for n in indexes if self.rows[n].outcome is None), None)
            if target is None:
                target = next((n for n in indexes if self.rows[n].outcome.id == record.id), None)
            if target is not None:
                self.rows[target].outcome = record
                self.dataChanged.emit(self.index(target, OUTCOME), self.index(target, OUTCOME))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == VALID and not row.valid:
                return self._invalid
            if column == OUTCOME and row.outcome is not None:
                return self._state_colours.get(row.outcome.state)
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == SOURCE:
            return row.source
        if column == PURCHASE_ORDER:
            return row.purchase_order
        if column == VALID:
            return "Valid" if row.valid else "Invalid – not sent"
        if column == OUTCOME:
            if row.outcome is None:
                return ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return row.outcome.message or None
            return state_label(row.outcome)
        return "; ".join(row.problems)
