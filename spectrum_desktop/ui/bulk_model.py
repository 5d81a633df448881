"""Table model of imported orders: each row's validation state, problems and send outcome."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.errors import InvalidOrder
from spectrum_desktop.services.submit import prepare
from spectrum_desktop.ui.history_format import STATE_LABELS

COLUMNS = ("Purchase order", "Valid", "Outcome", "Problems")
Index = QModelIndex | QPersistentModelIndex


@dataclass
class BulkRow:
    raw: dict
    purchase_order: str
    problems: list[str] = field(default_factory=list)
    outcome: SubmissionRecord | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


def check(raw: object) -> BulkRow:
    po = str(raw.get("purchaseOrderNumber", "")) if isinstance(raw, dict) else ""
    try:
        prepare(raw)
    except InvalidOrder as exc:
        return BulkRow(raw if isinstance(raw, dict) else {}, po, list(exc.problems))
    return BulkRow(raw, po)


class BulkModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[BulkRow] = []

    def load(self, raws: list[object]) -> None:
        self.beginResetModel()
        self.rows = [check(raw) for raw in raws]
        self.endResetModel()

    def valid_rows(self) -> list[BulkRow]:
        return [r for r in self.rows if r.valid]

    def invalid_rows(self) -> list[BulkRow]:
        return [r for r in self.rows if not r.valid]

    def apply_outcome(self, record: SubmissionRecord) -> None:
        """Show a send outcome on the row of its purchase order (the first valid row not yet filled)."""
        for n, row in enumerate(self.rows):
            if row.valid and row.outcome is None and row.purchase_order in record.purchase_orders:
                row.outcome = record
                self.dataChanged.emit(self.index(n, 2), self.index(n, 2))
                return

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return row.purchase_order
        if column == 1:
            return "Valid" if row.valid else "Invalid – not sent"
        if column == 2:
            return "" if row.outcome is None else STATE_LABELS.get(row.outcome.state, str(row.outcome.state))
        return "; ".join(row.problems)
