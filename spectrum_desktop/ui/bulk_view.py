"""The Bulk page: import many orders, see which are valid, send the valid ones with progress and cancel."""

from __future__ import annotations

import collections
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from spectrum_desktop.domain.importing import OrderImportError, csv_template, load_orders
from spectrum_desktop.domain.states import NEEDS_ATTENTION
from spectrum_desktop.services.progress import Progress
from spectrum_desktop.ui import tasks
from spectrum_desktop.ui.bulk_model import BulkModel
from spectrum_desktop.ui.errors import show_error

# send(raws, progress, cancel) -> an outcome with .records, .queued_ids, .cancelled (services.bulk.BulkOutcome)
Sender = Callable[[list[dict], Callable[[Progress], None], object], object]


class BulkView(QWidget):
    send_finished = Signal(object)

    def __init__(self, send: Sender, is_production: bool = False,
                 confirm: Callable[[int], bool] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._send = send
        self.is_production = is_production
        self._confirm = confirm or self._ask
        self._updates: collections.deque = collections.deque()
        self._task: tasks.Task | None = None
        self._started = 0.0
        self.model = BulkModel(self)
        self.setAcceptDrops(True)

        self.open_button = QPushButton("Open…")
        self.open_button.clicked.connect(self._open_dialog)
        self.template_button = QPushButton("Save CSV template…")
        self.template_button.clicked.connect(self._template_dialog)
        self.send_button = QPushButton("Send valid orders")
        self.send_button.clicked.connect(self.send_valid)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.summary = QLabel()
        self.summary.setObjectName("bulkSummary")
        buttons = QHBoxLayout()
        for w in (self.open_button, self.template_button, self.send_button, self.cancel_button):
            buttons.addWidget(w)
        self.table = QTableView()
        self.table.setModel(self.model)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._drain)

    def open_path(self, path: str) -> bool:
        try:
            raws = load_orders(path)
        except (OrderImportError, OSError) as exc:
            show_error(self, exc, "Could not open the file")
            return False
        self.model.load(raws)
        self._update_summary()
        return True

    def save_template(self, path: str) -> None:
        Path(path).write_text(csv_template(), encoding="utf-8")

    def send_valid(self) -> tasks.Task | None:
        raws = [r.raw for r in self.model.valid_rows() if r.outcome is None]
        if not raws or self._task is not None:
            return None
        if self.is_production and not self._confirm(len(raws)):
            return None
        updates = self._updates

        def work(report, cancel):
            def progress(p: Progress) -> None:
                updates.append(p)
                report(p.done, p.total, "Sending…")
            return self._send(raws, progress, cancel)

        self.progress.setRange(0, len(raws))
        self.progress.setValue(0)
        self._started = time.monotonic()
        self.send_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._poll.start()
        self._task = tasks.run(self, work, self._finished, self._failed, progress=None)
        return self._task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _drain(self) -> None:
        while self._updates:
            p: Progress = self._updates.popleft()
            if p.latest is not None:
                self.model.apply_outcome(p.latest)
            self.progress.setValue(p.done)
            elapsed = time.monotonic() - self._started
            if p.done:
                left = elapsed / p.done * (p.total - p.done)
                self.progress.setFormat(f"%v / %m — about {left:.0f} s left")

    def _finished(self, outcome) -> None:
        self._drain()
        self._poll.stop()
        for record in getattr(outcome, "records", []):
            self.model.apply_outcome(record)
        self._task = None
        self.send_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self._update_summary(outcome)
        self.send_finished.emit(outcome)

    def _failed(self, exc: BaseException) -> None:
        self._drain()
        self._poll.stop()
        self._task = None
        self.send_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        show_error(self, exc, "Sending stopped")

    def _update_summary(self, outcome=None) -> None:
        rows = self.model.rows
        text = f"{len(rows)} orders, {len(self.model.invalid_rows())} invalid (never sent)."
        if outcome is not None:
            records = getattr(outcome, "records", [])
            problems = sum(1 for r in records if r.state in NEEDS_ATTENTION)
            queued = len(getattr(outcome, "queued_ids", []))
            text += f" Sent {len(records)}, {problems} need attention, {queued} left queued"
            text += " (cancelled; send again to resume)." if getattr(outcome, "cancelled", False) else "."
        self.summary.setText(text)

    def _ask(self, count: int) -> bool:
        answer = QMessageBox.question(self, "Send to production?",
                                      f"Send {count} orders to PRODUCTION? This cannot be undone.")
        return answer == QMessageBox.StandardButton.Yes

    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open orders", "", "Orders (*.json *.csv)")
        if path:
            self.open_path(path)

    def _template_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save CSV template", "orders-template.csv", "CSV (*.csv)")
        if path:
            self.save_template(path)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls:
            self.open_path(urls[0].toLocalFile())
            event.acceptProposedAction()
