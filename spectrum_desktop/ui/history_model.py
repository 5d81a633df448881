"""Table model over the history journal that loads one page at a time as the user scrolls."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.domain.words import still_partly_accepted, summary
from spectrum_desktop.ui.badges import BADGE_ROLE, STATE_COLOURS
from spectrum_desktop.ui.history_format import (
    COLUMNS, ENVIRONMENT, KIND, MESSAGE, PURCHASE_ORDER, SENT_BY, STATE, HistoryFilter, cell, environment_name,
)

# fetch(filter, page, page_size) -> (rows of that page, total rows matching the filter)
PageFetcher = Callable[[HistoryFilter, int, int], tuple[list[SubmissionRecord], int]]
Page = tuple[list[SubmissionRecord], int]
# run(read, on_success, on_failure): do `read()` off the GUI thread, then call back on it (the view's task helper)
Runner = Callable[[Callable[[], Page], Callable[[Page], None], Callable[[BaseException], None]], None]

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
        self._generation = 0
        """Counts the pages shown: a next page read for an older one is dropped when it comes back."""
        self._runner: Runner | None = None
        self._more_pending = False

    @property
    def total(self) -> int:
        """How many rows match the filter (loaded or not)."""
        return self._total

    @property
    def generation(self) -> int:
        """Changes whenever the rows shown are replaced (a new filter or a reload)."""
        return self._generation

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

    def set_runner(self, runner: Runner | None) -> None:
        """Read next pages (fetchMore) with `runner`, off the GUI thread; None: read them here (a local file)."""
        self._runner = runner

    def read(self, history_filter: HistoryFilter, size: int | None = None) -> Page:
        """The first `size` rows (a page by default) of `history_filter` and the total. Touches no model state:
        safe on any thread."""
        rows, total = self._fetch(history_filter, 0, size or self._page_size)
        return list(rows), total

    def reload_size(self) -> int:
        """How many rows a reload reads: as many as are loaded now, at least a page."""
        return max(self._page_size, len(self._rows))

    def show_page(self, history_filter: HistoryFilter, rows: list[SubmissionRecord], total: int) -> None:
        """GUI thread: show `rows` (read by `read`) as the loaded rows of `history_filter`."""
        self.beginResetModel()
        self._generation += 1
        self._more_pending = False
        self._filter = history_filter
        self._rows, self._total = list(rows), total
        self.endResetModel()

    def set_filter(self, history_filter: HistoryFilter) -> None:
        """Show only the first page of the new filter, read here; the rest loads on scroll."""
        self.show_page(history_filter, *self.read(history_filter))

    def refresh(self) -> None:
        self.set_filter(self._filter)

    def reload(self) -> None:
        """Re-read as many rows as are loaded now (new rows appear on top, outcomes update in place)."""
        self.show_page(self._filter, *self.read(self._filter, self.reload_size()))

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
                return summary(record) or None
            if column in (PURCHASE_ORDER, KIND, SENT_BY):
                return cell(record, column) or None
            if column == ENVIRONMENT:
                return f"{environment_name(record, self._names)} ({record.base_url})" if record.base_url else None
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == ENVIRONMENT:
            return self._colours.get(record.environment_id)
        if role == BADGE_ROLE and column == STATE:
            return STATE_COLOURS.get(SubmissionState.PARTIAL if still_partly_accepted(record) else record.state)
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._more_pending and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self._more_pending:
            return
        page = len(self._rows) // self._page_size
        history_filter, size, fetch = self._filter, self._page_size, self._fetch
        if self._runner is None:
            self._append(self._generation, page, fetch(history_filter, page, size))
            return
        generation = self._generation
        self._more_pending = True

        def failed(_exc: BaseException) -> None:
            if generation == self._generation:
                self._more_pending = False

        self._runner(lambda: fetch(history_filter, page, size),
                     lambda result: self._append(generation, page, result), failed)

    def _append(self, generation: int, page: int, result: Page) -> None:
        if generation != self._generation:
            return  # the page shown changed meanwhile (new filter or reload): these rows belong to the old one
        self._more_pending = False
        rows, total = result
        start = len(self._rows)
        new = list(rows)[start - page * self._page_size:]
        self._total = total
        if not new:
            self._total = start
            return
        self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
        self._rows.extend(new)
        self.endInsertRows()
