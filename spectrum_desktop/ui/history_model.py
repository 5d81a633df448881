"""Table model over the history journal that loads one page at a time as the user scrolls."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.ui.history_format import COLUMNS, HistoryFilter, cell

# fetch(filter, page, page_size) -> (rows of that page, total rows matching the filter)
PageFetcher = Callable[[HistoryFilter, int, int], tuple[list[SubmissionRecord], int]]

Index = QModelIndex | QPersistentModelIndex


class HistoryModel(QAbstractTableModel):
    def __init__(self, fetch: PageFetcher, page_size: int = 200, parent=None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._page_size = page_size
        self._filter = HistoryFilter()
        self._rows: list[SubmissionRecord] = []
        self._total = 0

    @property
    def total(self) -> int:
        """How many rows match the filter (loaded or not)."""
        return self._total

    @property
    def filter(self) -> HistoryFilter:
        return self._filter

    def set_filter(self, history_filter: HistoryFilter) -> None:
        """Show only the first page of the new filter; the rest loads on scroll."""
        self.beginResetModel()
        self._filter = history_filter
        rows, self._total = self._fetch(history_filter, 0, self._page_size)
        self._rows = list(rows)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_filter(self._filter)

    def record(self, row: int) -> SubmissionRecord:
        return self._rows[row]

    def loaded(self) -> list[SubmissionRecord]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return cell(self._rows[index.row()], index.column())

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        page = len(self._rows) // self._page_size
        rows, total = self._fetch(self._filter, page, self._page_size)
        start = len(self._rows)
        new = list(rows)[start - page * self._page_size:]
        self._total = total
        if not new:
            self._total = start
            return
        self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
        self._rows.extend(new)
        self.endInsertRows()
