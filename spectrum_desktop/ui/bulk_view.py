"""The Bulk page: import many orders, see which are valid, send the valid ones in batches with progress and cancel."""

from __future__ import annotations

import collections
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QProgressBar,
    QPushButton, QStyle, QSystemTrayIcon, QTableView, QVBoxLayout, QWidget,
)

from spectrum_desktop.domain.importing import OrderImportError, csv_template, load_orders, read_csv
from spectrum_desktop.domain.states import NEEDS_ATTENTION, SubmissionState
from spectrum_desktop.domain.words import count as counted
from spectrum_desktop.services.progress import Progress, ProgressCallback
from spectrum_desktop.ui import tasks
from spectrum_desktop.ui.badges import BadgeDelegate, badge_width
from spectrum_desktop.ui.bulk_model import (
    COLUMNS, INVALID_TEXT, OUTCOME, PROBLEMS, PURCHASE_ORDER, SENT_FROM_EDITOR, SOURCE, VALID, BulkModel,
)
from spectrum_desktop.ui.history_format import outcome_texts
from spectrum_desktop.ui.errors import bulk_not_sent_again, bulk_send_delivered_button, show_error
from spectrum_desktop.ui.files import documents_folder
from spectrum_desktop.ui.icons import send_icon
from spectrum_desktop.ui.history_format import HistoryFilter
from spectrum_desktop.ui.task_guard import TaskGuard

DRAIN_MS = 100
QUEUED_MARGIN = timedelta(minutes=1)
SENDING_TIP = "Orders are being sent: wait until the run ends, or press Cancel to stop it."
CLOSE_WAIT_SECONDS = 40.0
SUMMARY_STATES = (
    (SubmissionState.SUCCEEDED, "succeeded"),
    (SubmissionState.PARTIAL, "partly accepted"),
    (SubmissionState.ALREADY_SUBMITTED, "already submitted"),
    (SubmissionState.FAILED, "failed"),
    (SubmissionState.UNKNOWN, "unknown"),
)


@dataclass(frozen=True)
class SendPlan:
    """Where a bulk send goes and how hard it may push (read when the user presses Send)."""

    environment_id: str
    environment_name: str
    is_production: bool = False
    batch_size: int = 50
    rate_requests: int = 100
    rate_seconds: float = 60.0
    recipe_sets: bool = False
    """The environment takes the deprecated RecipeSet format: CSV rows become `recipeSets`."""

    def seconds_for(self, orders: int, fresh: bool = False) -> float:
        """Time the rate budget needs for this many orders: the steady pace, or with a `fresh` budget whose
        first window of requests goes out at once."""
        requests = math.ceil(orders / max(self.batch_size, 1))
        if fresh:
            return (math.ceil(requests / max(self.rate_requests, 1)) - 1) * self.rate_seconds
        return requests * self.rate_seconds / max(self.rate_requests, 1)


# send(plan, raws, progress, cancel, force) / resume(plan, queued ids, progress, cancel) -> services.submission.SendReport
# force=False skips orders history shows delivered to that environment (reported in skipped_delivered).
Send = Callable[[SendPlan, list[dict], ProgressCallback, threading.Event, bool], object]
Resume = Callable[[SendPlan, list[int], ProgressCallback, threading.Event], object]


@dataclass(frozen=True)
class BulkSource:
    plan: Callable[[], SendPlan]
    send: Send
    resume: Resume | None = None
    delivered: Callable[[SendPlan, list[str]], set[str]] | None = None
    """Which of these purchase orders History shows delivered to the plan's environment (read off the GUI thread):
    their rows say "Already delivered" before a send skips them."""


class BulkView(QWidget):
    send_finished = Signal(object)
    progressed = Signal()
    open_in_editor = Signal(dict)
    show_problems = Signal(object)
    sending_changed = Signal(bool)
    """A run started (True) or ended (False): the window keeps its environment while one goes."""

    def __init__(self, source: BulkSource, confirm: Callable[[int, str], bool] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkView")
        self._source = source
        self._confirm = confirm or self._ask
        self._updates: collections.deque[Progress] = collections.deque()
        self._task: tasks.Task | None = None
        self._plan: SendPlan | None = None
        self._queued_ids: list[int] = []
        self._run_started: datetime | None = None
        self._send_started = 0.0
        """time.monotonic() when the send running now (or last) began: the pace so far gives the time left."""
        self._run_environment: str | None = None
        self._run_records: dict[int, object] = {}
        """The submissions this run (a send and its resumes) created, by id, as they came back."""
        self._last_outcome = None
        self._tray: QSystemTrayIcon | None = None
        self._opened_row: int | None = None
        self._delivered_skipped: list[str] = []
        """Purchase orders this run did not send because history shows them delivered there (Send anyway)."""
        self._accepted_skipped: set[str] = set()
        """Purchase orders not sent because every recipe set in them was accepted there already."""
        self.template_saved: QMessageBox | None = None
        self.last_notification = ""
        self.guard = TaskGuard()
        self.model = BulkModel(self)
        self.setAcceptDrops(True)
        self._build()

    def _build(self) -> None:
        icon = self.style().standardIcon
        self.open_button = QPushButton(icon(QStyle.StandardPixmap.SP_DialogOpenButton), "Open…",
                                       objectName="bulkOpen")
        self.open_button.setToolTip("Import orders from JSON or CSV files (you can also drop files here)")
        self.open_button.clicked.connect(self._open_dialog)
        self.clear_button = QPushButton(icon(QStyle.StandardPixmap.SP_DialogResetButton), "Clear",
                                        objectName="bulkClear")
        self.clear_button.setToolTip("Empty the table (what was sent stays in History)")
        self.clear_button.clicked.connect(self.clear)
        self.template_button = QPushButton(icon(QStyle.StandardPixmap.SP_DialogSaveButton), "Save CSV template…",
                                           objectName="bulkTemplate")
        self.template_button.setToolTip("Save an empty CSV file with every column and one example row, "
                                        "to fill in a spreadsheet")
        self.template_button.clicked.connect(self._template_dialog)
        self.edit_button = QPushButton(icon(QStyle.StandardPixmap.SP_FileDialogDetailedView), "Open in editor",
                                       objectName="bulkOpenInEditor")
        self.edit_button.setToolTip("Open the selected order in the editor to fix it (or double-click the row)")
        self.edit_button.clicked.connect(self.open_selected_in_editor)
        self.send_button = QPushButton(send_icon(self), "Send valid orders",
                                       objectName="bulkSend")
        self.send_button.clicked.connect(self.send_valid)
        self.cancel_button = QPushButton(icon(QStyle.StandardPixmap.SP_DialogCancelButton), "Cancel",
                                         objectName="bulkCancel")
        self.cancel_button.setToolTip("Stop after the batch being sent; the rest stay queued and can be resumed")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.send_delivered_button = QPushButton("Send them anyway", objectName="bulkSendDelivered")
        self.send_delivered_button.setToolTip("Send the orders skipped because History shows them already "
                                              "delivered to this environment (Spectrum will most likely answer "
                                              "“already submitted”)")
        self.send_delivered_button.setVisible(False)
        self.send_delivered_button.clicked.connect(self.send_delivered_anyway)
        buttons = QHBoxLayout()
        for w in (self.open_button, self.clear_button, self.template_button, self.edit_button, self.send_button,
                  self.cancel_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        self.table = QTableView(objectName="bulkTable")
        self.table.setAccessibleName("Imported orders")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        for column in (VALID, OUTCOME):
            self.table.setItemDelegateForColumn(column, BadgeDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(PROBLEMS, QHeaderView.ResizeMode.Stretch)
        # Fixed by the widest text they can hold (not measured on every update: a 1,000-row run stays smooth).
        font = self.table.font()
        header.resizeSection(VALID, badge_width(font, [INVALID_TEXT, SENT_FROM_EDITOR, "Valid", COLUMNS[VALID]]))
        header.resizeSection(OUTCOME, badge_width(font, outcome_texts()))
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.doubleClicked.connect(lambda index: self.open_row_in_editor(index.row()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.model.rowsInserted.connect(self._update_buttons)

        self.progress = QProgressBar(objectName="bulkProgress")
        self.progress.setAccessibleName("Sending progress")
        self.progress.setFormat("%v / %m")
        self.time_left = QLabel(objectName="bulkTimeLeft")
        self.summary = QLabel(objectName="bulkSummary")
        self.summary.setWordWrap(True)
        self.problems_button = QPushButton("Show this run's problems in History", objectName="bulkShowProblems")
        self.problems_button.setVisible(False)
        self.problems_button.clicked.connect(self._show_problems)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.time_left)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary, 1)
        summary_row.addWidget(self.send_delivered_button)
        summary_row.addWidget(self.problems_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addLayout(progress_row)
        layout.addLayout(summary_row)
        self._poll = QTimer(self, interval=DRAIN_MS)
        self._poll.timeout.connect(self._drain)
        self._idle_tips = {b: b.toolTip() for b in (self.open_button, self.clear_button, self.edit_button)}
        self._update_summary()
        self._update_buttons()

    # --- import ---
    def open_paths(self, paths: list[str]) -> bool:
        """Add the orders of every file to the table; a file that cannot be read is named in one message."""
        if self._task is not None:
            return False
        loaded = False
        recipe_sets = self._source.plan().recipe_sets
        for path in paths:
            try:  # a CSV row with a wrong value loads as an invalid row; only an unreadable file is refused
                entries: list = (read_csv(Path(path).read_bytes(), path, recipe_sets=recipe_sets)
                                 if path.lower().endswith(".csv") else load_orders(path, recipe_sets=recipe_sets))
            except (OrderImportError, OSError) as exc:
                show_error(self, exc, f"Could not open {Path(path).name}")
                continue
            if not self.model.rows or self._all_done():
                self._reset_run()
                self.progress.reset()  # the last run's "3 / 3" is not this table's
                self.progress.setFormat("%v / %m")
                self.time_left.setText("")
                self.model.load(entries, Path(path).name)
            else:
                self.model.append(entries, Path(path).name)
            loaded = True
        if loaded:
            for column in (SOURCE, PURCHASE_ORDER):
                self.table.resizeColumnToContents(column)
            self.refresh_delivered()
        self._update_summary()
        return loaded

    def refresh_delivered(self) -> tasks.Task | None:
        """Mark the valid rows not sent yet that History shows delivered to the active environment ("Already
        delivered": a send skips them), read off the GUI thread; called when files are opened and when the
        environment changes. A lookup that fails marks nothing (the send still skips them)."""
        lookup = self._source.delivered
        rows = self.model.unsent_rows()
        if lookup is None or self._task is not None:
            return None
        plan = self._source.plan()
        pos = list(dict.fromkeys(r.purchase_order for r in rows))

        def found(delivered: set[str]) -> None:
            if self._task is None and self._source.plan().environment_id == plan.environment_id:
                self.model.mark_delivered(delivered, plan.environment_name)
                self._update_buttons()
                self._update_summary(self._last_outcome)

        return tasks.run(self, self.guard.wrap(lambda _report, _cancel: lookup(plan, pos) if pos else set()), found,
                         lambda _exc: None, progress=None)

    def open_path(self, path: str) -> bool:
        return self.open_paths([path])

    def clear(self) -> None:
        if self._task is None:
            self._reset_run()
            self.model.clear()
            self.progress.reset()
            self._update_summary()

    def _all_done(self) -> bool:
        """A run went and nothing of it is left: the next file starts a new table."""
        return self._run_started is not None and not self._to_send() and not self._queued_ids

    def _to_send(self, delivered: bool = False) -> list:
        """Valid rows not sent yet, without those this run skipped on purpose (or, with `delivered`, only the
        ones skipped because they were delivered before)."""
        if delivered:
            skipped = set(self._delivered_skipped)
            return [r for r in self.model.unsent_rows() if r.purchase_order in skipped]
        left_out = set(self._delivered_skipped) | self._accepted_skipped
        return [r for r in self.model.unsent_rows() if r.purchase_order not in left_out]

    def _reset_run(self) -> None:
        self._opened_row = None
        self._last_outcome = None
        self._queued_ids = []
        self._run_started = None
        self._run_records = {}
        self._delivered_skipped = []
        self._accepted_skipped = set()
        self.problems_button.setVisible(False)
        self.send_delivered_button.setVisible(False)

    def save_template(self, path: str) -> None:
        Path(path).write_text(csv_template(), encoding="utf-8")

    def open_row_in_editor(self, row: int) -> None:
        if self._task is None and 0 <= row < len(self.model.rows) and self.model.rows[row].raw:
            self._opened_row = row
            self.open_in_editor.emit(self.model.rows[row].raw)

    def sent_elsewhere(self, records: object) -> None:
        """Orders were sent from the editor or History (one SubmissionRecord or a list): a row they came from
        shows the outcome and no longer says Invalid, and is not sent again from here."""
        if self._task is not None:
            return
        environment = self._source.plan().environment_id
        for record in records if isinstance(records, list) else [records]:
            if getattr(record, "environment_id", None) != environment:
                continue
            if self.model.apply_sent_elsewhere(record, self._opened_row) == self._opened_row:
                self._opened_row = None
        self._update_summary(self._last_outcome)
        self._update_buttons()

    def open_selected_in_editor(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_row_in_editor(rows[0].row())

    # --- send ---
    def is_sending(self) -> bool:
        return self._task is not None

    def send_delivered_anyway(self) -> tasks.Task | None:
        """Send the orders the last run skipped because History shows them delivered to this environment."""
        return self.send_valid(delivered_anyway=True)

    def send_valid(self, delivered_anyway: bool = False) -> tasks.Task | None:
        """Send the valid rows not sent yet (orders History shows delivered to that environment are skipped and
        counted; `delivered_anyway` sends those); after a cancel this resumes the queued ones."""
        if self._task is not None:
            return None
        plan = self._source.plan()
        resume = not delivered_anyway and bool(self._queued_ids) and self._source.resume is not None \
            and plan.environment_id == self._run_environment
        if plan.environment_id != self._run_environment:  # what was skipped was skipped for another environment
            if delivered_anyway:
                return None
            self._delivered_skipped, self._accepted_skipped = [], set()
        rows = self._to_send(delivered=delivered_anyway)
        count = len(self._queued_ids) if resume else len(rows)
        if not count:  # the run's summary stays; the button says why there is nothing to do
            self._update_buttons()
            return None
        if plan.is_production and not self._confirm(count, plan.environment_name):
            return None
        self._plan = plan
        if self._run_started is None or not resume:
            self._run_started = datetime.now(timezone.utc)
            self._run_environment = plan.environment_id
            self._run_records = {}
        updates = self._updates
        source = self._source
        raws = [r.raw for r in rows]
        queued = list(self._queued_ids)

        def progress(p: Progress) -> None:
            updates.append(p)

        def work(_report, cancel):
            if resume:
                return source.resume(plan, queued, progress, cancel)
            return source.send(plan, raws, progress, cancel, delivered_anyway)

        self.progress.setRange(0, count)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m")
        self._send_started = time.monotonic()
        self._show_time_left(0, count)
        self.problems_button.setVisible(False)
        self.summary.setText(f"Sending {counted(count, 'order')} to {plan.environment_name}…")
        if delivered_anyway:
            self._delivered_skipped = []
        self.send_delivered_button.setVisible(False)
        self._poll.start()
        self._task = tasks.run(self, self.guard.wrap(work), self._finished, self._failed, progress=None)
        self._set_sending(True)  # after the task exists: every button but Cancel is off while it runs
        return self._task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.cancel_button.setEnabled(False)
            self.summary.setText("Cancelling: the batch being sent will finish; the rest stay queued.")

    def _set_sending(self, sending: bool) -> None:
        self.cancel_button.setEnabled(sending)
        self._update_buttons()
        self.sending_changed.emit(sending)

    def _update_buttons(self) -> None:
        """Each button is enabled only when it has something to act on, and its tooltip says why not."""
        sending = self._task is not None
        to_send = len(self._queued_ids) if self._queued_ids else len(self._to_send())
        self.send_button.setEnabled(not sending and to_send > 0)
        if sending:
            self.send_button.setToolTip(SENDING_TIP)
        elif to_send:
            delivered = sum(1 for r in self._to_send() if r.already_delivered) if not self._queued_ids else 0
            self.send_button.setToolTip(f"Send {counted(to_send, 'valid order')} not sent yet"
                                        + (" (resumes the cancelled run)" if self._queued_ids else "")
                                        + (f"; {delivered} already delivered there will be skipped" if delivered
                                           else ""))
        elif self.model.rows:
            self.send_button.setToolTip("Every valid order has been sent. Open more orders to send them.")
        else:
            self.send_button.setToolTip("Open a JSON or CSV file of orders first.")
        selected = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        self.edit_button.setEnabled(not sending and bool(selected))
        self.open_button.setEnabled(not sending)
        self.clear_button.setEnabled(not sending and bool(self.model.rows))
        self.send_delivered_button.setEnabled(not sending)
        for button, idle_tip in self._idle_tips.items():
            button.setToolTip(SENDING_TIP if sending else idle_tip)

    def _drain(self) -> None:
        changed = False
        while self._updates:
            p = self._updates.popleft()
            for record in p.records or ((p.latest,) if p.latest is not None else ()):
                self.model.apply_outcome(record)  # every row of a finished batch, not only its last
                self._run_records[record.id] = record
            self.progress.setValue(min(p.done, self.progress.maximum()))
            self._show_time_left(p.done, p.total)
            changed = True
        if changed:
            self._update_buttons()
            self.progressed.emit()

    def _show_time_left(self, done: int, total: int) -> None:
        """Nothing is promised before the first batch has come back (there is no measurement yet); then the pace so
        far, never faster than the rate limit allows."""
        if self._plan is None:
            return
        limit = (f"the rate limit of {self._plan.rate_requests} requests per {self._plan.rate_seconds:g} s and "
                 f"batches of {self._plan.batch_size}")
        if done >= total:
            self.time_left.setText("done")
        elif done <= 0:
            self.time_left.setText("estimating…")
            self.time_left.setToolTip("The time left is shown once the first batch has been answered.")
            return
        else:
            left = total - done
            paced = (time.monotonic() - self._send_started) * left / done
            seconds = max(paced, self._plan.seconds_for(left))
            self.time_left.setText(f"about {_duration(seconds)} left")
        self.time_left.setToolTip(f"Estimated from the pace so far and {limit}")

    def _finished(self, outcome) -> None:
        self._drain()
        self._poll.stop()
        for record in outcome.records:
            self.model.apply_outcome(record)
            self._run_records[record.id] = record
        self._task = None
        self._queued_ids = list(outcome.queued_ids)
        self._delivered_skipped += [po for po in getattr(outcome, "skipped_delivered", ())
                                    if po not in self._delivered_skipped]
        self._accepted_skipped.update(getattr(outcome, "skipped_accepted", ()))
        if self._plan is not None:
            self.model.mark_delivered(set(self._delivered_skipped), self._plan.environment_name, skipped=True)
        self._end_progress(outcome)
        self._last_outcome = outcome
        self._set_sending(False)
        self._update_summary(outcome)
        self.progressed.emit()
        self.send_finished.emit(outcome)
        self._notify("Bulk send finished", self.summary.text())

    def _end_progress(self, outcome) -> None:
        """The bar counts every order the run dealt with, the skipped ones included (it ends at 3 / 3 when one of
        three was already delivered), and says how many were skipped."""
        sent = len(outcome.records)
        skipped = len(set(getattr(outcome, "skipped_delivered", ())) | set(getattr(outcome, "skipped_accepted", ()))
                      | set(getattr(outcome, "skipped_busy", ())))
        handled = min(sent + skipped, self.progress.maximum())
        self.progress.setValue(max(self.progress.value(), handled))
        if skipped:
            self.progress.setFormat(f"%v / %m: {sent} sent, {skipped} skipped")
        self._show_time_left(self.progress.value(), self.progress.maximum())

    def _failed(self, exc: BaseException) -> None:
        self._drain()
        self._poll.stop()
        self._task = None
        self._set_sending(False)
        self.progressed.emit()
        show_error(self, exc, "Sending stopped")

    # --- summary ---
    def run_problems_filter(self) -> HistoryFilter | None:
        """History filter for this run's rows that need attention (None before a run): the span from the first to
        the last submission the run created, by the journal's own times (a shared history's server clock), so
        older or later sends are not in it; rows a cancel left queued were journaled with the run's first ones,
        a little later than the last one sent, hence the margin then. Only this run's sender's rows."""
        if self._run_started is None:
            return None
        records = list(self._run_records.values())
        if records:
            since = min(r.created_at for r in records)
            margin = QUEUED_MARGIN if self._queued_ids else timedelta(milliseconds=1)
            until = max(r.created_at for r in records) + margin
        else:  # nothing came back yet: the run's time on this computer's clock
            since, until = self._run_started, datetime.now(timezone.utc) + QUEUED_MARGIN
        senders = {r.sender for r in records}
        sender = senders.pop() if len(senders) == 1 else None
        return HistoryFilter(environment_id=self._run_environment, states=NEEDS_ATTENTION, latest_only=True,
                             since=since, until=until, sender=sender or None)

    def run_scope(self) -> str:
        """What run_problems_filter narrows to beyond History's filter controls, in words for the chip History
        shows beside them ("" before a run)."""
        if self._run_started is None:
            return ""
        orders = {po for r in self._run_records.values() for po in r.purchase_orders}
        return f"Only this Bulk run ({counted(len(orders), 'order')})" if orders else "Only this Bulk run"

    def _show_problems(self) -> None:
        history_filter = self.run_problems_filter()
        if history_filter is not None:
            self.show_problems.emit(history_filter)

    def _update_summary(self, outcome=None) -> None:
        rows = self.model.rows
        invalid = len(self.model.invalid_rows())
        if not rows:
            text = ("Open a JSON or CSV file of orders (or drop files here). "
                    "Save CSV template… gives a file to fill in.")
        elif invalid:
            text = (f"{counted(len(rows), 'order')}, {invalid} invalid (not sent: double-click a row to fix it in the "
                    "editor).")
        else:
            text = f"{counted(len(rows), 'order')}, all valid."
        delivered = sum(1 for r in rows if r.already_delivered and not r.skipped)
        if delivered and outcome is None:
            text += (f" {delivered} {'was' if delivered == 1 else 'were'} already delivered there "
                     "(“Already delivered”): a send skips them.")
        if outcome is not None:
            outcomes = [r.outcome for r in rows if r.outcome is not None]
            counts = {state: sum(1 for r in outcomes if r.state == state) for state, _ in SUMMARY_STATES}
            parts = ", ".join(f"{counts[state]} {label}" for state, label in SUMMARY_STATES if counts[state])
            text += f" Sent: {parts or 'nothing yet'}."
            if self._queued_ids:
                text += f" {len(self._queued_ids)} left queued (cancelled): press Send valid orders to resume."
            problems = sum(counts[s] for s in (SubmissionState.PARTIAL, SubmissionState.FAILED,
                                               SubmissionState.UNKNOWN)) + len(self._queued_ids)
            self.problems_button.setVisible(problems > 0)
            environment = self._plan.environment_name if self._plan else ""
            text += bulk_not_sent_again(self._delivered_skipped, getattr(outcome, "accepted_left_out", {}),
                                        self._accepted_skipped, environment)
            self.send_delivered_button.setText(bulk_send_delivered_button(len(self._delivered_skipped)))
            self.send_delivered_button.setVisible(bool(self._delivered_skipped) and self._task is None)
        self.summary.setText(text)

    # --- notification ---
    def _notify(self, title: str, text: str) -> bool:
        """Tell the user when the window is not in front: tray message where there is a tray, else a taskbar alert."""
        window = self.window()
        if window.isActiveWindow():
            return False
        self.last_notification = text
        QApplication.alert(window)
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        if self._tray is None:
            self._tray = QSystemTrayIcon(window.windowIcon(), self)
        if self._tray.icon().isNull():
            self._tray.setIcon(QApplication.windowIcon())
        self._tray.show()
        self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)
        return True

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Closed on its own (not inside the window): stop after the batch in flight and let it be recorded."""
        self.cancel()
        self.guard.wait(CLOSE_WAIT_SECONDS)
        super().closeEvent(event)

    # --- dialogs and drops ---
    def _ask(self, count: int, environment_name: str) -> bool:
        answer = QMessageBox.question(
            self, "Send to production?",
            f"Send {counted(count, 'order')} to {environment_name}? It is a production environment: "
            f"{'it is a real order' if count == 1 else 'they are real orders'} and cannot be taken back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Open orders", str(documents_folder()),
                                                "Orders (*.json *.csv);;All files (*)")
        if paths:
            self.open_paths(paths)

    def _template_dialog(self) -> None:
        start = str(documents_folder() / "orders-template.csv")
        path, _ = QFileDialog.getSaveFileName(self, "Save CSV template", start, "CSV files (*.csv)")
        if path:
            try:
                self.save_template(path)
            except OSError as exc:
                show_error(self, exc, "Could not save the template")
                return
            self.confirm_template_saved(path)

    def confirm_template_saved(self, path: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, "Template saved",
                          f"The CSV template was saved as:\n{path}\n\nFill in one row per line item (rows with the "
                          "same purchase order number make one order), save it as CSV, and open it here with the "
                          "Open… button.",
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("templateSaved")
        box.open()
        self.template_saved = box
        return box

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and self._task is None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.open_paths(paths)
            event.acceptProposedAction()


def _duration(seconds: float) -> str:
    seconds = int(math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"

