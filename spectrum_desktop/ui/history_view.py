"""The History page: filters, a lazily loaded table, a detail pane and resend actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from spectrum_desktop.domain.states import NEEDS_ATTENTION, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.ui import tasks
from spectrum_desktop.ui.history_detail import SubmissionDetail, detail_text
from spectrum_desktop.ui.history_format import STATE_LABELS, HistoryFilter, export_csv
from spectrum_desktop.ui.history_model import HistoryModel, PageFetcher

NEEDS_ATTENTION_LABEL = "Needs attention"


@dataclass(frozen=True)
class HistorySource:
    """What the page needs from the services, as plain callables (called on worker threads except fetch)."""

    fetch: PageFetcher
    detail: Callable[[int], SubmissionDetail]
    resend: Callable[[int], SubmissionRecord]


class HistoryView(QWidget):
    resend_finished = Signal(object)

    def __init__(self, source: HistorySource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.model = HistoryModel(source.fetch, parent=self)

        self.environment = QLineEdit(placeholderText="Environment (any)")
        self.state = QComboBox()
        self.state.addItem("Any state", None)
        self.state.addItem(NEEDS_ATTENTION_LABEL, NEEDS_ATTENTION)
        for state, label in STATE_LABELS.items():
            self.state.addItem(label, frozenset({state}))
        self.search = QLineEdit(placeholderText="Search PO, recipeSetId or SKU")
        self.attention_button = QPushButton("Needs attention")
        self.attention_button.clicked.connect(self.show_needs_attention)
        self.resend_button = QPushButton("Resend selected")
        self.resend_button.clicked.connect(self.resend_selected)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(self._export_dialog)

        filters = QHBoxLayout()
        for w in (self.environment, self.state, self.search, self.attention_button,
                  self.resend_button, self.export_button):
            filters.addWidget(w)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail = QPlainTextEdit(readOnly=True)
        self.detail.setObjectName("historyDetail")

        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter)

        self.environment.editingFinished.connect(self.apply_filter)
        self.search.editingFinished.connect(self.apply_filter)
        self.state.currentIndexChanged.connect(self.apply_filter)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_detail(cur.row()))
        self.apply_filter()

    def current_filter(self) -> HistoryFilter:
        states = self.state.currentData()
        return HistoryFilter(
            environment_id=self.environment.text().strip() or None,
            states=frozenset(states) if states else frozenset(),
            search=self.search.text().strip(),
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self.detail.clear()

    def show_needs_attention(self) -> None:
        self.state.setCurrentIndex(self.state.findText(NEEDS_ATTENTION_LABEL))

    def _show_detail(self, row: int) -> None:
        if row < 0:
            return
        record_id = self.model.record(row).id
        tasks.run(self, lambda _report, _cancel: self._source.detail(record_id),
                  lambda d: self.detail.setPlainText(detail_text(d)), progress=None)

    def selected_records(self) -> list[SubmissionRecord]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.record(r) for r in rows]

    def resend_selected(self) -> tasks.Task | None:
        ids = [r.id for r in self.selected_records()
               if r.state in NEEDS_ATTENTION or r.state == SubmissionState.SUCCEEDED]
        if not ids:
            return None

        def work(report, cancel):
            done = []
            for n, record_id in enumerate(ids):
                if cancel.is_set():
                    break
                done.append(self._source.resend(record_id))
                report(n + 1, len(ids), "Resending…")
            return done

        def finished(results):
            self.model.refresh()
            self.resend_finished.emit(results)

        return tasks.run(self, work, finished, progress="Resending…")

    def export(self, path: str) -> None:
        records = self.model.loaded()
        while self.model.canFetchMore():
            self.model.fetchMore()
            records = self.model.loaded()
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(export_csv(records))

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export history", "history.csv", "CSV (*.csv)")
        if path:
            self.export(path)
