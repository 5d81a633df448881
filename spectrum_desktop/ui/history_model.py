"""Table model over the history journal that loads one page at a time as the user scrolls."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.ui.badges import BADGE_ROLE, STATE_COLOURS
from spectrum_desktop.ui.history_format import (
    COLUMNS, ENVIRONMENT, KIND, MESSAGE, PURCHASE_ORDER, SENT_BY, STATE, HistoryFilter, cell, environment_name,
)

# fetch(filter, page, page_size) -> (rows of that page, total rows matching the filter)
PageFetcher = Callable[[HistoryFilter, int, int], tuple[list[SubmissionRecord], int]]

Index = QModelIndex | QPersistentModelIndex



class HistoryModel(QAbstractTableModel):
    def __init__(self, fetch: PageFetcher, page_size: int = 200, colours: dict[str, str] | None = None,
                 parent=None, names: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._page_size = page_size
        self._colours = {k: QColor(v) for k, v in (colours or {}).items()}
        self._names = dict(names or {})
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

    def set_colours(self, colours: dict[str, str]) -> None:
        self._colours = {k: QColor(v) for k, v in colours.items()}

    def set_names(self, names: dict[str, str]) -> None:
        """Environment names by id (the table shows names, never ids)."""
        self._names = dict(names)
        if self._rows:
            self.dataChanged.emit(self.index(0, ENVIRONMENT), self.index(len(self._rows) - 1, ENVIRONMENT))

    def names(self) -> dict[str, str]:
        return dict(self._names)

    def set_filter(self, history_filter: HistoryFilter) -> None:
        """Show only the first page of the new filter; the rest loads on scroll."""
        self.beginResetModel()
        self._filter = history_filter
        rows, self._total = self._fetch(history_filter, 0, self._page_size)
        self._rows = list(rows)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_filter(self._filter)

    def reload(self) -> None:
        """Re-read as many rows as are loaded now (new rows appear on top, outcomes update in place)."""
        size = max(self._page_size, len(self._rows))
        rows, total = self._fetch(self._filter, 0, size)
        self.beginResetModel()
        self._rows, self._total = list(rows), total
        self.endResetModel()

    def row_of(self, submission_id: int) -> int:
        for n, record in enumerate(self._rows):
            if record.id == submission_id:
                return n
        return -1

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
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(record, column, self._names)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (STATE, MESSAGE):
                return record.message or None
            if column in (PURCHASE_ORDER, KIND, SENT_BY):
                return cell(record, column) or None
            if column == ENVIRONMENT:
                return f"{environment_name(record, self._names)} ({record.base_url})" if record.base_url else None
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == ENVIRONMENT:
            return self._colours.get(record.environment_id)
        if role == BADGE_ROLE and column == STATE:
            return STATE_COLOURS.get(record.state)
        return None

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
