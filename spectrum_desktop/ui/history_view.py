"""The History page: filters, a lazily loaded table, a detail pane and the resend / check / export actions."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
    QPlainTextEdit, QStyle, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from spectrum_desktop.domain.environment import Environment
from spectrum_desktop.domain.states import DELIVERED, NEEDS_ATTENTION, OrderKind, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.history import SubmissionDetail
from spectrum_desktop.ui import tasks
from spectrum_desktop.ui.errors import show_error, user_message
from spectrum_desktop.ui.history_detail import detail_text
from spectrum_desktop.domain.words import STILL_PARTLY_ACCEPTED, count, listed, still_partly_accepted
from spectrum_desktop.ui.badges import BadgeDelegate, badge_width, text_width
from spectrum_desktop.ui.files import documents_folder
from spectrum_desktop.ui.history_format import (
    ATTEMPTS, COLUMNS, ENVIRONMENT, KIND, KIND_LABELS, LINE_ITEMS, MESSAGE, PURCHASE_ORDER, SENT_BY, STATE, STATE_LABELS, WHEN,
    HistoryFilter, environment_name, export_csv, local_time, outcome_texts, pretty_json, state_label,
)
from spectrum_desktop.ui.history_model import HistoryModel, Page, PageFetcher
from spectrum_desktop.ui.status_line import StatusLine
from spectrum_desktop.ui.task_guard import TaskGuard

NEEDS_ATTENTION_LABEL = "Needs attention"
DATE_FORMAT = "d MMM yyyy"
SEARCH_LEAST = 200
"""The search box is never narrower than this (its hint whole): when the filters do not all fit on one line, the
search, Sent by, the count and the Bulk run chip go on a second line."""
TABLE_SHARE, DETAIL_SHARE = 3, 2
"""The detail is under the table (full width, so a failure's reason reads whole); the table keeps most of the height."""
ALL_ENVIRONMENTS = "All environments"
ANYONE = "Sent by anyone"
SENT_BY_ROOM = 140
PURCHASE_ORDER_ROOM = 150
"""The purchase order column fits its orders up to this width (a longer one is cut, with its tooltip)."""
MESSAGE_KEPT = 100
"""The room Message keeps when the Sent by names are fitted (they are cut first)."""
LAST_COLUMN_LEAST = 40
"""How narrow Message may get before the table scrolls sideways: at 1024 wide a cut message (with its tooltip, and
whole in the detail) is better than a scroll bar over the last row."""
"""The Sent by column never takes more than this (a longer name is cut; its tooltip shows it whole)."""
RELOAD_DELAY_MS = 300
SEARCH_DELAY_MS = 275
"""The list follows the search box this long after the last key (one read per pause in typing, not per key)."""
CLOSE_WAIT_SECONDS = 10.0
LIVE_MS = 500
COUNTING = "Counting the submissions that need attention…"
RESEND_ALL_TIP = "Resend every failed, partly accepted, unknown or queued row in this filter"
NOTHING_NEEDS_ATTENTION = "Nothing in this list needs attention: there is nothing to resend."
RESEND_SAFETY = ("Nothing accepted is sent twice: a partly accepted order goes with its failed recipe sets only, "
                 "and one whose outcome is unknown is checked in Spectrum first.")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckResult:
    """What a check of one unknown row found: delivered (now already submitted) or not (safe to resend)."""

    record: SubmissionRecord
    delivered: bool


@dataclass(frozen=True)
class HistorySource:
    """What the page needs from the services, as plain callables. All but `fetch` run on worker threads."""

    fetch: PageFetcher
    detail: Callable[[int], SubmissionDetail]
    resend: Callable[[int], SubmissionRecord]
    check: Callable[[int], CheckResult] | None = None
    request_body: Callable[[int], str | None] | None = None
    delivered: Callable[[SubmissionRecord], bool] | None = None
    """True when the row's order is already in Spectrum (a later send of it succeeded in that environment)."""
    correction: Callable[[int], Any] | None = None
    """Open in editor: the row as it may be sent again (services.submission.Correction: only the failed
    recipeSets of a partly accepted order, and the accepted ones to show), or None when not kept."""
    senders: Callable[[], list[str]] | None = None
    """The names the history's rows were sent by (a shared history's Sent by filter offers them)."""
    remote: bool = False
    """The pages come from a server (the shared history), which may take seconds to answer or not answer at all:
    `fetch` then runs off the GUI thread too. This computer's own file is read where it is asked for."""


class HistoryView(QWidget):
    resend_finished = Signal(object)
    check_finished = Signal(object)
    open_in_editor = Signal(dict, object)
    """The order to open (a dict) and, from `HistorySource.correction`, the Correction it belongs to (or None)."""
    detail_shown = Signal(int)

    def __init__(self, source: HistorySource, environments: Sequence[Environment] = (),
                 parent: QWidget | None = None, lazy: bool = False,
                 confirm: Callable[[str], bool] | None = None) -> None:
        """`lazy`: read the journal only when the page is first shown (keeps window start-up fast).
        `confirm(question) -> bool` asks before resending (default: a Yes/No box)."""
        super().__init__(parent)
        self.setObjectName("historyView")
        self._source = source
        self._confirm = confirm or self._ask
        self.guard = TaskGuard()
        self._production: set[str] = set()
        self._detail: SubmissionDetail | None = None
        self._dirty = False
        self._sized = False
        self._generation = 0
        """Counts the reads of the first rows asked for; only the latest one's answer is shown."""
        self._in_flight = 0
        """The generation of the read still running off the GUI thread (0: none)."""
        self._reload_again = False
        self._read_problem = ""
        self._asked = HistoryFilter()
        """The filter of the latest read asked for (shown, or still being read)."""
        self._unknown = 0
        """How many rows of the shown filter have an unknown outcome (what Check in Spectrum checks when no row is
        selected), read with the filter's first rows."""
        self.model = HistoryModel(source.fetch, colours={e.id: e.colour for e in environments}, parent=self,
                                  names={e.id: e.name for e in environments})
        if source.remote:
            self.model.set_runner(self._read_next_page)
        self._build(environments)
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._reload_now)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)
        self._live = QTimer(self, interval=LIVE_MS)
        self._live.timeout.connect(self._reload_now)
        if lazy:
            self._dirty = True
        else:
            self.apply_filter()

    # --- layout ---
    def _build(self, environments: Sequence[Environment]) -> None:
        self.environment = QComboBox(objectName="historyEnvironment")
        self.environment.setAccessibleName("Environment filter")
        self.set_environments(environments)
        self.state = QComboBox(objectName="historyState")
        self.state.setAccessibleName("State filter")
        self.state.addItem("Any state", None)
        self.state.addItem(NEEDS_ATTENTION_LABEL, NEEDS_ATTENTION)
        for state, label in STATE_LABELS.items():
            self.state.addItem(label, frozenset({state}))
        self.attention_button = QPushButton("Needs attention", objectName="historyNeedsAttention")
        self.attention_button.setToolTip("Show failed, partly accepted, unknown and queued submissions")
        self.attention_button.clicked.connect(self.show_needs_attention)
        self.use_dates = QCheckBox("From", objectName="historyUseDates")
        self.use_dates.setToolTip("Only submissions created between these dates (inclusive)")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-7), calendarPopup=True, objectName="historyFrom")
        self.date_to = QDateEdit(today, calendarPopup=True, objectName="historyTo")
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat(DATE_FORMAT)  # "29 Nov 2026": the month by name reads the same in every country
        self.date_from.setAccessibleName("From date")
        self.date_to.setAccessibleName("To date")
        self.search = QLineEdit(placeholderText="Search PO, recipe set or SKU", objectName="historySearch")
        self.search.setToolTip("Search a purchase order number, a recipe set ID or a SKU: the list follows as you "
                               "type")
        self.search.setAccessibleName("Search")
        self.search.setClearButtonEnabled(True)
        self.sent_by = QComboBox(objectName="historySentBy", editable=True)
        self.sent_by.setAccessibleName("Sent by filter")
        self.sent_by.setToolTip("Only the orders one colleague sent: pick a name or type one (press Enter)")
        self.sent_by.addItem(ANYONE)
        self.sent_by.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.sent_by.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sent_by.setMinimumContentsLength(9)
        self.sent_by.setVisible(False)  # a shared history only (set_shared): a local one is one person's
        self.search.setMinimumWidth(SEARCH_LEAST)
        self.count_label = QLabel(objectName="historyCount")
        # A filter no control shows (Bulk's "Show this run's problems": that run's exact times): said here, and
        # gone when the person changes a filter or clicks it away (show_filter's `scope`).
        self.scope_chip = QPushButton(objectName="historyScope")
        self.scope_chip.setFlat(True)
        self.scope_chip.setStyleSheet("QPushButton#historyScope { border: 1px solid palette(mid); border-radius: 9px;"
                                      " padding: 2px 8px; background: palette(alternate-base); }")
        self.scope_chip.setVisible(False)
        self.scope_chip.clicked.connect(self.clear_scope)

        self._filter_lines = (QHBoxLayout(), QHBoxLayout())
        self._filter_head = (self.environment, self.state, self.attention_button, self.use_dates, self.date_from,
                             QLabel("to"), self.date_to)
        for w in self._filter_head:
            self._filter_lines[0].addWidget(w)
        self._filter_tail = (self.search, self.sent_by, self.count_label, self.scope_chip)
        self._tail_line = -1
        filters = QVBoxLayout()
        filters.setSpacing(4)
        for line in self._filter_lines:
            filters.addLayout(line)
        self._place_filter_tail(0)

        icon = self.style().standardIcon
        self.resend_button = QPushButton(icon(QStyle.StandardPixmap.SP_BrowserReload), "Resend selected",
                                         objectName="historyResendSelected")
        self.resend_button.clicked.connect(self.resend_selected)
        self.resend_all_button = QPushButton("Resend all that need attention", objectName="historyResendAll")
        self.resend_all_button.setToolTip(RESEND_ALL_TIP)
        self.resend_all_button.clicked.connect(self.confirm_resend_all)
        self.check_button = QPushButton(icon(QStyle.StandardPixmap.SP_MessageBoxQuestion), "Check in Spectrum",
                                        objectName="historyCheck")
        self.check_button.setToolTip("Ask Spectrum whether the selected submissions whose outcome is unknown "
                                     "arrived (all unknown ones in this filter when none is selected). "
                                     "Nothing is sent.")
        self.check_button.clicked.connect(self.check_unknown)
        self.edit_button = QPushButton(icon(QStyle.StandardPixmap.SP_FileDialogDetailedView), "Open in editor",
                                       objectName="historyOpenInEditor")
        self.edit_button.setToolTip("Open the selected order in the editor to correct it and send it again")
        self.edit_button.clicked.connect(self.open_selected_in_editor)
        self.export_button = QPushButton(icon(QStyle.StandardPixmap.SP_DialogSaveButton), "Export CSV…",
                                         objectName="historyExport")
        self.export_button.clicked.connect(self._export_dialog)
        actions = QHBoxLayout()
        for w in (self.resend_button, self.resend_all_button, self.check_button, self.edit_button,
                  self.export_button):
            actions.addWidget(w)
        # One line that never changes the page's height (a long message is cut, whole in its tooltip): the page is
        # built on its own (tests, other windows) and has no status bar of its own to borrow.
        self.status = StatusLine(objectName="historyStatus")
        actions.addWidget(self.status, 1)

        self.table = QTableView(objectName="historyTable")
        self.table.setAccessibleName("Submissions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(STATE, BadgeDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(LAST_COLUMN_LEAST)
        # Before stretching: the stretched last section never gets narrower than its size when stretching began.
        header.setDefaultSectionSize(LAST_COLUMN_LEAST)
        header.setStretchLastSection(True)
        self._fit_columns([e.name for e in environments])
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.detail = QPlainTextEdit(readOnly=True, objectName="historyDetail")
        self.detail.setAccessibleName("Submission detail")
        self.copy_request_button = QPushButton("Copy request JSON", objectName="historyCopyRequest")
        self.copy_request_button.clicked.connect(lambda: self._copy("request"))
        self.copy_response_button = QPushButton("Copy response JSON", objectName="historyCopyResponse")
        self.copy_response_button.clicked.connect(lambda: self._copy("response"))
        detail_pane = QWidget()
        detail_layout = QVBoxLayout(detail_pane)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_request_button)
        copy_row.addWidget(self.copy_response_button)
        detail_layout.addLayout(copy_row)

        splitter = QSplitter(Qt.Orientation.Vertical, objectName="historySplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(detail_pane)
        splitter.setStretchFactor(0, TABLE_SHARE)
        splitter.setStretchFactor(1, DETAIL_SHARE)
        splitter.setSizes([TABLE_SHARE * 100, DETAIL_SHARE * 100])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)

        self.environment.currentIndexChanged.connect(self.apply_filter)
        self.state.currentIndexChanged.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())  # typing, deleting, its clear button
        self.search.returnPressed.connect(self._search_now)
        self.sent_by.activated.connect(lambda _index: self.apply_filter())
        self.sent_by.lineEdit().returnPressed.connect(self.apply_filter)
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(self._dates_changed)
        self.date_to.dateChanged.connect(self._dates_changed)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_detail(cur.row()))
        self.table.doubleClicked.connect(lambda _index: self.open_selected_in_editor())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.model.modelReset.connect(self._update_buttons)
        self.model.modelReset.connect(self._fit_kind)
        self.model.modelReset.connect(self._fit_state)
        self.model.rowsInserted.connect(lambda *_: self._fit_state(grow_only=True))
        self.model.modelReset.connect(lambda: self._fit_sent_by() if self.shared else None)
        self._dates_toggled(self.use_dates.isChecked(), apply=False)
        self._update_buttons()

    def _fit_columns(self, names: Sequence[str]) -> None:
        """Every column wide enough for the longest text it can hold (fixed sets measured once; purchase orders on
        first load); what still does not fit has a tooltip."""
        font, header = self.table.font(), self.table.horizontalHeader()
        sample = local_time(datetime(2026, 12, 31, 23, 59, 59))
        header.resizeSection(WHEN, text_width(font, [sample, COLUMNS[WHEN]]))
        header.resizeSection(ENVIRONMENT, text_width(font, [*names, COLUMNS[ENVIRONMENT]], padding=44))
        self._fit_kind()
        # Its heading whole until the first rows come (then it is fitted to them): an empty history cut it to "hase c".
        header.resizeSection(PURCHASE_ORDER, text_width(font, [COLUMNS[PURCHASE_ORDER]]))
        header.resizeSection(LINE_ITEMS, text_width(font, [COLUMNS[LINE_ITEMS]]))
        header.resizeSection(ATTEMPTS, text_width(font, [COLUMNS[ATTEMPTS]]))
        self._fit_state()
        header.resizeSection(SENT_BY, text_width(font, [COLUMNS[SENT_BY]]))
        self.table.setColumnHidden(SENT_BY, not self.shared)
        if self.shared:
            self._fit_sent_by()

    @property
    def shared(self) -> bool:
        """A shared (team) history: rows come from several people, so who sent each is shown and can be filtered."""
        return getattr(self, "_shared", False)

    def set_shared(self, shared: bool, me: str = "") -> None:
        """Show the Sent by column and filter (a shared history) or hide them (this computer's own history, where
        every row is the same person's). `me`: this person's sender name, offered first in the filter."""
        self._shared = shared
        self._me = me
        self.table.setColumnHidden(SENT_BY, not shared)
        self.sent_by.setVisible(shared)
        self._fit_filters()
        if me and self.sent_by.findText(me) < 0:
            self.sent_by.addItem(me)
        if shared:
            self._fit_sent_by()

    def _read_senders(self) -> None:
        """Offer in Sent by the names the history knows (a shared history; read off the GUI thread when remote, one
        read at a time). A name not offered can still be typed."""
        senders = self._source.senders
        if not self.shared or senders is None or getattr(self, "_senders_reading", False):
            return
        if not self._source.remote:
            self._offer_senders(senders())
            return
        self._senders_reading = True

        def done(names: list[str]) -> None:
            self._senders_reading = False
            self._offer_senders(names)

        def failed(_exc: BaseException) -> None:
            self._senders_reading = False  # the page's own read says why the history cannot be read

        self._run_read(senders, done, failed)

    def _offer_senders(self, names: list[str]) -> None:
        me = getattr(self, "_me", "")
        others = sorted((n for n in set(names) if n and n != me), key=str.casefold)
        wanted = [ANYONE, *([me] if me else []), *others]
        if [self.sent_by.itemText(i) for i in range(self.sent_by.count())] == wanted:
            return
        typed = self.sent_by.currentText()
        blocked = self.sent_by.blockSignals(True)
        try:
            self.sent_by.clear()
            self.sent_by.addItems(wanted)
            self.sent_by.setCurrentText(typed)  # what is picked or being typed stays
        finally:
            self.sent_by.blockSignals(blocked)

    def _fit_sent_by(self) -> None:
        """Sent by as wide as the names shown, never wider than SENT_BY_ROOM (a long name has its tooltip)."""
        names = {r.sender for r in self.model.loaded()} | {COLUMNS[SENT_BY]}
        width = min(text_width(self.table.font(), sorted(names)), SENT_BY_ROOM)
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count())
                     if c not in (SENT_BY, MESSAGE) and not header.isSectionHidden(c))
        need = others + width + MESSAGE_KEPT - self.table.viewport().width()
        if self.isVisible() and need > 0:
            # No sideways scrolling for it: a long name is cut first (down to the heading), then Kind gives the
            # room (a cut name or kind has its tooltip).
            font = self.table.font()
            cut = min(need, max(width - text_width(font, [COLUMNS[SENT_BY]]), 0))
            width, need = width - cut, need - cut
            kind = header.sectionSize(KIND)
            header.resizeSection(KIND, kind - min(need, max(kind - text_width(font, [COLUMNS[KIND]]), 0)))
        header.resizeSection(SENT_BY, width)

    def _update_buttons(self) -> None:
        """Each action is enabled only when the selection (or, for Check with none selected, the filter) gives it
        something to act on; its tooltip says why not otherwise."""
        selected = self.selected_records()
        chosen = bool(selected)
        resendable = any(r.state != SubmissionState.SENDING for r in selected)
        self.resend_button.setEnabled(resendable)
        self.resend_button.setToolTip("Send the selected submissions again" if resendable else
                                      "Being sent now: wait for the answer" if chosen else
                                      "Select the submissions to resend first")
        self.edit_button.setEnabled(chosen)
        self.edit_button.setToolTip("Open the selected order in the editor to correct it and send it again"
                                    if chosen else "Select a submission first (or double-click it)")
        self.export_button.setEnabled(self.model.total > 0)
        self._update_resend_all()
        self._update_check(selected)
        self._update_copy()

    def _update_resend_all(self) -> None:
        """Resend all: enabled when the list may hold a row that needs attention (an empty list, or every row
        loaded and none failed, partly accepted, unknown or queued, has nothing to resend)."""
        states = self.model.filter.states
        rows = self.model.loaded()
        possible = self.model.total > 0 and (not states or bool(states & NEEDS_ATTENTION)) and (
            len(rows) < self.model.total or any(r.state in NEEDS_ATTENTION for r in rows))
        self.resend_all_button.setEnabled(possible)
        self.resend_all_button.setToolTip(RESEND_ALL_TIP if possible else NOTHING_NEEDS_ATTENTION)

    def _update_check(self, selected: list[SubmissionRecord]) -> None:
        unknown = sum(1 for r in selected if r.state == SubmissionState.UNKNOWN)
        if self._source.check is None:
            enabled, tip = False, "Checking is not available for this history"
        elif selected:
            enabled = unknown > 0
            tip = (f"Ask Spectrum whether the selected {_unknown_words(unknown)} arrived. Nothing is sent."
                   if enabled else "Only a submission whose outcome is unknown can be checked; "
                                   "none of the selected ones is.")
        else:
            enabled = self._unknown > 0
            tip = (f"Ask Spectrum whether the {_unknown_words(self._unknown)} in this list arrived "
                   "(or select the ones to check). Nothing is sent." if enabled else
                   "No submission in this list has an unknown outcome: there is nothing to check.")
        self.check_button.setEnabled(enabled)
        self.check_button.setToolTip(tip)

    def _update_copy(self) -> None:
        """Copy request / response JSON: enabled when the row shown in the detail kept that body."""
        for button, text, what in ((self.copy_request_button, self._detail and self._detail.request_body, "request"),
                                   (self.copy_response_button, self._detail and self._detail.response_body,
                                    "response")):
            button.setEnabled(bool(text))
            button.setToolTip(f"Copy the {what} as sent, as JSON, for support" if text else
                              "Select a submission first" if self._detail is None else
                              f"The {what} of this submission was not kept")

    def _fit_kind(self) -> None:
        """The Kind column as wide as the kinds shown (a long kind in no row takes no room; its tooltip says it)."""
        shown = {KIND_LABELS.get(r.kind, str(r.kind)) for r in self.model.loaded()} or {KIND_LABELS[OrderKind.ACK]}
        self.table.horizontalHeader().resizeSection(KIND, text_width(self.table.font(), [*shown, COLUMNS[KIND]]))

    def _fit_state(self, grow_only: bool = False) -> None:
        """The State column as wide as the badges shown (and its heading), not as the longest badge any row could
        have: the room goes to Message. A later page with a wider badge widens it (`grow_only`: never narrows)."""
        shown = {state_label(r) for r in self.model.loaded()} or {outcome_texts()[0]}
        font, header = self.table.font(), self.table.horizontalHeader()
        width = max(badge_width(font, sorted(shown)), text_width(font, [COLUMNS[STATE]]))
        if not grow_only or width > header.sectionSize(STATE):
            header.resizeSection(STATE, width)

    def _place_filter_tail(self, line: int) -> None:
        """Search, Sent by, the count and the Bulk run chip on the filters' first line (wide) or second (narrow)."""
        if line == self._tail_line:
            return
        self._tail_line = line
        target, first = self._filter_lines[line], self._filter_lines[0]
        for layout in self._filter_lines:
            for w in self._filter_tail:
                layout.removeWidget(w)
        last = first.itemAt(first.count() - 1)
        if last is not None and last.spacerItem() is not None:
            first.takeAt(first.count() - 1)
        if line:
            first.addStretch(1)  # the first line's filters stay together on the left, not spread over the width
        for w in self._filter_tail:
            target.addWidget(w, 1 if w is self.search else 0)

    def _fit_filters(self) -> None:
        first = self._filter_lines[0]
        room = self.width() - self.layout().contentsMargins().left() - self.layout().contentsMargins().right()
        head = sum(w.sizeHint().width() + first.spacing() for w in self._filter_head)
        tail = sum(w.sizeHint().width() + first.spacing() for w in self._filter_tail
                   if not w.isHidden() and w is not self.count_label)
        # The count as wide as a large one, whatever it says now: the line does not change as the count does.
        tail += self.count_label.fontMetrics().horizontalAdvance(count(88888, "submission")) + first.spacing()
        tail += SEARCH_LEAST - self.search.sizeHint().width() if SEARCH_LEAST > self.search.sizeHint().width() else 0
        self._place_filter_tail(0 if head + tail <= room else 1)

    def set_environments(self, environments: Sequence[Environment]) -> None:
        current = self.environment.currentData()
        self.environment.blockSignals(True)
        self.environment.clear()
        self.environment.addItem(ALL_ENVIRONMENTS, None)
        for e in environments:
            self.environment.addItem(e.name, e.id)
        self.environment.setCurrentIndex(max(self.environment.findData(current), 0))
        self.environment.blockSignals(False)
        self._production = {e.id for e in environments if e.is_production}
        if hasattr(self, "model"):
            self.model.set_colours({e.id: e.colour for e in environments})
            self.model.set_names({e.id: e.name for e in environments})
        if hasattr(self, "table"):
            self._fit_columns([e.name for e in environments])

    # --- filters ---
    def current_filter(self) -> HistoryFilter:
        states = self.state.currentData()
        since = until = None
        if self.use_dates.isChecked():
            since = datetime.combine(self.date_from.date().toPython(), time.min).astimezone()
            until = datetime.combine(self.date_to.date().toPython() + timedelta(days=1), time.min).astimezone()
        return HistoryFilter(
            environment_id=self.environment.currentData(),
            states=frozenset(states) if states else frozenset(),
            since=since,
            until=until,
            search=self.search.text().strip(),
            latest_only=states == NEEDS_ATTENTION,
            sender=self._sender_chosen(),
        )

    def _sender_chosen(self) -> str | None:
        if not self.shared:
            return None
        text = self.sent_by.currentText().strip()
        return None if text in ("", ANYONE) else text

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self._set_scope("")  # the person chose a filter: what the controls show is all there is to it
        self.show_filter(self.current_filter(), from_widgets=True)

    @property
    def scope(self) -> str:
        """The words of the filter shown that no control shows ("" when the controls show all of it)."""
        return self.scope_chip.text().removesuffix(" ×") if self.scope_chip.isVisibleTo(self) else ""

    def clear_scope(self) -> None:
        """The chip clicked away: the rows the filter controls show, without the hidden part."""
        self.apply_filter()

    def _set_scope(self, words: str) -> None:
        self.scope_chip.setText(f"{words} ×" if words else "")
        self.scope_chip.setToolTip(f"{words}: the list shows only these, beyond the filters on the left. "
                                   "Click to show every submission the filters match." if words else "")
        self.scope_chip.setAccessibleName(f"{words}. Remove this filter" if words else "")
        self.scope_chip.setVisible(bool(words))
        self._fit_filters()

    def _search_now(self) -> None:
        """The search box paused (or Enter was pressed): read its rows, unless they are the ones asked for already."""
        self._search_timer.stop()
        if self.search.text().strip() != self._asked.search:
            self.apply_filter()

    def show_filter(self, history_filter: HistoryFilter, from_widgets: bool = False, scope: str = "") -> None:
        """Show rows matching `history_filter`; the filter widgets follow where they can express it, and `scope`
        (e.g. "Only this Bulk run (12 orders)") says what they cannot, in a chip beside them until the person
        changes a filter or clicks it away. A remote source's rows are read off the GUI thread and shown when they
        come (the latest filter asked for wins)."""
        if not from_widgets:
            self._search_timer.stop()  # a search typed a moment ago gives way to the filter shown now
            self._set_widgets(history_filter)
            self._set_scope(scope)
        self._request(history_filter, None, self._filter_shown, lambda: self._filter_shown(history_filter, [], 0))

    def _filter_shown(self, history_filter: HistoryFilter, rows: list[SubmissionRecord], total: int) -> None:
        self.model.show_page(history_filter, rows, total)
        self._explain_empty(history_filter, total)
        self._read_senders()
        if not self._sized and self.model.rowCount():
            self._sized = True
            self.table.resizeColumnToContents(PURCHASE_ORDER)
            header = self.table.horizontalHeader()
            header.resizeSection(PURCHASE_ORDER, min(header.sectionSize(PURCHASE_ORDER), PURCHASE_ORDER_ROOM))
            if self.shared:
                self._fit_sent_by()
        self._clear_detail()
        self._update_count()

    def _request(self, history_filter: HistoryFilter, size: int | None,
                 shown: Callable[[HistoryFilter, list[SubmissionRecord], int], None],
                 not_read: Callable[[], None] | None = None) -> None:
        """Read the first `size` rows of `history_filter` and pass them to `shown`: here for this computer's own
        history, through the task helper for a remote one (the shared history), where an answer to an older request is dropped and a
        failure is said in the status line (`not_read` then runs too)."""
        self._generation += 1
        generation = self._generation
        self._asked = history_filter
        read = self._reader(history_filter, size)

        def show(rows: list[SubmissionRecord], total: int, unknown: int) -> None:
            self._unknown = unknown
            shown(history_filter, rows, total)
            self._update_buttons()

        if not self._source.remote:
            self._in_flight = 0
            show(*read())
            return
        self._in_flight = generation

        def ended() -> bool:
            if generation != self._generation:
                return False  # a newer request was made meanwhile: its answer is the one to show
            self._in_flight = 0
            return True

        def succeeded(found: tuple[list[SubmissionRecord], int, int]) -> None:
            if ended():
                self._read_worked()
                show(*found)
                self._reload_if_asked()

        def failed(exc: BaseException) -> None:
            if ended():
                self._read_failed(exc)
                if not_read is not None:
                    not_read()
                self._reload_if_asked()

        self._run_read(read, succeeded, failed)

    def _reader(self, history_filter: HistoryFilter, size: int | None
                ) -> Callable[[], tuple[list[SubmissionRecord], int, int]]:
        """A read (safe off the GUI thread) of the filter's first rows, their total and how many have an unknown
        outcome: counted from the rows when all are read, otherwise in the same read (one more count query)."""
        model, fetch, unknown_filter = self.model, self._source.fetch, history_filter.unknown_only()

        def read() -> tuple[list[SubmissionRecord], int, int]:
            rows, total = model.read(history_filter, size)
            if unknown_filter is None or not total:
                unknown = 0
            elif len(rows) >= total:
                unknown = sum(1 for r in rows if r.state == SubmissionState.UNKNOWN)
            else:
                unknown = fetch(unknown_filter, 0, 1)[1]
            return rows, total, unknown

        return read

    def _run_read(self, read: Callable[[], Page], on_success: Callable[[Page], None],
                  on_failure: Callable[[BaseException], None]) -> None:
        """Run a read of the shared history off the GUI thread. `on_failure` says it in the status line, never in a
        dialog: a server that is away would otherwise open one per read."""
        tasks.run(self, self.guard.wrap(lambda _report, _cancel: read()), on_success, on_failure, progress=None)

    def _read_next_page(self, read: Callable[[], Page], on_success: Callable[[Page], None],
                        on_failure: Callable[[BaseException], None]) -> None:
        """The model's next page (fetchMore); its failure is said unless the page shown changed meanwhile."""
        generation = self.model.generation

        def failed(exc: BaseException) -> None:
            on_failure(exc)
            if generation == self.model.generation:
                self._read_failed(exc)

        self._run_read(read, on_success, failed)

    def _read_failed(self, exc: BaseException) -> None:
        log.warning("History could not be read: %s", type(exc).__name__)
        self._read_problem = user_message(exc)
        self._say(self._read_problem)
        if self._detail is None:  # the status line cuts a long reason: the empty detail pane shows all of it
            self.detail.setPlainText(self._read_problem)

    def _read_worked(self) -> None:
        if self._read_problem and self.status.text() == self._read_problem:
            self._say("")
        if self._read_problem and self._detail is None and self.detail.toPlainText() == self._read_problem:
            self.detail.clear()
        self._read_problem = ""

    def _reload_if_asked(self) -> None:
        if self._reload_again:
            self._reload_again = False
            self._reload_now()

    def _set_widgets(self, f: HistoryFilter) -> None:
        widgets = (self.environment, self.state, self.search, self.sent_by, self.use_dates, self.date_from,
                   self.date_to)
        for w in widgets:
            w.blockSignals(True)
        self.environment.setCurrentIndex(max(self.environment.findData(f.environment_id), 0))
        state_index = 0
        for n in range(self.state.count()):
            if (self.state.itemData(n) or frozenset()) == f.states:
                state_index = n
        self.state.setCurrentIndex(state_index)
        self.search.setText(f.search)
        self.sent_by.setCurrentText(f.sender or ANYONE)
        self.use_dates.setChecked(f.since is not None or f.until is not None)
        if f.since is not None:
            self.date_from.setDate(QDate(f.since.astimezone().date()))
        if f.until is not None:
            self.date_to.setDate(QDate(f.until.astimezone().date()))
        for w in widgets:
            w.blockSignals(False)
        self._dates_toggled(self.use_dates.isChecked(), apply=False)

    def _dates_toggled(self, on: bool, apply: bool = True) -> None:
        """The date boxes are live only while From is ticked (unticked they would look like a filter that is not)."""
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        if apply:
            self.apply_filter()

    def _dates_changed(self) -> None:
        if self.use_dates.isChecked():
            self.apply_filter()

    def show_needs_attention(self) -> None:
        index = self.state.findText(NEEDS_ATTENTION_LABEL)
        if self.state.currentIndex() == index:
            self.apply_filter()  # chosen already (e.g. by Bulk's run filter): the button still means "these, all"
        else:
            self.state.setCurrentIndex(index)

    def _update_count(self) -> None:
        self.count_label.setText(count(self.model.total, "submission"))

    # --- live updates ---
    def notify_changed(self) -> None:
        """Something was sent: reload shortly (at most every RELOAD_DELAY_MS), or when next shown."""
        if not self.isVisible():
            self._dirty = True
            return
        if not self._reload_timer.isActive():
            self._reload_timer.start()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_filters()
        if self.shared:
            self._fit_sent_by()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._dirty:
            self._dirty = False
            self.apply_filter()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Closed on its own (not inside the window): let reads still running end before the journal goes."""
        self.guard.wait(CLOSE_WAIT_SECONDS)
        super().closeEvent(event)

    def _reload_now(self) -> None:
        if self._in_flight:
            self._reload_again = True  # once the read running now has come back (no pile of reads at a slow server)
            return
        current = self.table.currentIndex()
        selected_id = self.model.record(current.row()).id if current.isValid() else None

        def shown(history_filter: HistoryFilter, rows: list[SubmissionRecord], total: int) -> None:
            self.model.show_page(history_filter, rows, total)
            self._update_count()
            self._read_senders()  # a colleague's first row brings their name
            if selected_id is not None:
                row = self.model.row_of(selected_id)
                if row >= 0:
                    self.table.selectRow(row)

        self._request(self.model.filter, self.model.reload_size(), shown)  # failing, the rows stay as they were

    # --- detail ---
    def _selection_changed(self) -> None:
        """Nothing selected any more (Ctrl+click on the last row): the detail of a row no longer chosen goes."""
        if not self.table.selectionModel().selectedRows():
            self._clear_detail()
        self._update_buttons()

    def _clear_detail(self) -> None:
        self._detail = None
        # Empty, or why the page could not be read (all of it), or why a Sent by name found nothing.
        self.detail.setPlainText(self._read_problem or getattr(self, "_empty_why", ""))
        self._update_copy()

    def _show_detail(self, row: int) -> None:
        if row < 0:
            return
        record_id = self.model.record(row).id

        def shown(detail: SubmissionDetail) -> None:
            if record_id not in {r.id for r in self.selected_records()}:
                return  # deselected (or another filter shown) while it was read
            self._detail = detail
            self.detail.setPlainText(detail_text(detail, self.model.names()))
            self._update_copy()
            self.detail_shown.emit(record_id)

        tasks.run(self, self.guard.wrap(lambda _report, _cancel: self._source.detail(record_id)), shown,
                  progress=None)

    def _copy(self, which: str) -> None:
        if self._detail is None:
            self._say("Select a submission first: its request and response can then be copied.")
            return
        text = self._detail.request_body if which == "request" else self._detail.response_body
        if not text:
            self._say(f"The {which} of this submission was not kept, so there is nothing to copy.")
            return
        QGuiApplication.clipboard().setText(pretty_json(text))
        self._say(f"Copied the {which} JSON to the clipboard.")

    # --- actions ---
    def selected_records(self) -> list[SubmissionRecord]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.record(r) for r in rows]

    def resend_selected(self) -> tasks.Task | None:
        records = [r for r in self.selected_records() if r.state != SubmissionState.SENDING]
        if not records:
            self._say("Select the rows to resend first.")
            return None
        production = sum(1 for r in records if r.environment_id in self._production)
        delivered = sum(1 for r in records if r.state in DELIVERED)
        warnings = ([_production_part(production, len(records))] if production else []) + \
            ([_delivered_part(delivered, len(records))] if delivered else [])
        if warnings and not self._confirm(f"Resend {count(len(records), 'submission')}? {' '.join(warnings)}"):
            return None
        ids = [r.id for r in records]
        return self._resend(lambda: ids)

    def resend_needing_attention(self) -> tasks.Task:
        """Resend every row in the current filter that needs attention (all pages, not only those loaded)."""
        history_filter = self.model.filter.attention_only()
        delivered = self._source.delivered or (lambda _record: False)
        skipped: list[SubmissionRecord] = []

        def ids_for() -> list[int]:
            rows = self._all_rows(history_filter)
            skipped.extend(r for r in rows if delivered(r))
            return [r.id for r in rows if r not in skipped]

        return self._resend(ids_for, skipped)

    def confirm_resend_all(self) -> tasks.Task | None:
        """Ask once, naming how many rows and how many go to production, then resend them all. With a shared
        history (a remote source) the rows are counted off the GUI thread first, so this returns None and asks when they are."""
        attention = self.model.filter.attention_only()
        production_ids = [pid for pid in self._production if attention.environment_id in (None, pid)]
        fetch = self._source.fetch

        names = self.model.names()

        def counts() -> tuple[int, int, list[str], list[str]]:
            rows = self._all_rows(attention)
            if not rows:
                return 0, 0, [], []
            production = sum(fetch(replace(attention, environment_id=pid), 0, 1)[1] for pid in production_ids)
            environments = list(dict.fromkeys(environment_name(r, names) for r in rows))
            pos = list(dict.fromkeys(po for r in rows for po in r.purchase_orders))
            return len(rows), production, environments, pos

        if not self._source.remote:
            return self._confirm_counted(*counts())
        self._say(COUNTING)
        self._run_read(counts, lambda found: self._confirm_counted(*found), self._read_failed)
        return None

    def _confirm_counted(self, total: int, production: int, environments: Sequence[str] = (),
                         pos: Sequence[str] = ()) -> tasks.Task | None:
        if not total:
            self._say("Nothing in this filter needs attention.")
            return None
        if self.status.text() == COUNTING:
            self._say("")
        question = f"Resend {count(total, 'submission')} that need{'s' if total == 1 else ''} attention?"
        if environments:
            question += (f" To {' and '.join(environments) if len(environments) <= 2 else listed(list(environments))}"
                         f": {listed(list(pos))}.")
        if production:
            question += " " + _production_part(production, total)
        question += " " + RESEND_SAFETY
        if not self._confirm(question):
            return None
        return self.resend_needing_attention()

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Resend", question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _all_rows(self, history_filter: HistoryFilter) -> list[SubmissionRecord]:
        rows: list[SubmissionRecord] = []
        page = 0
        while True:
            chunk, total = self._source.fetch(history_filter, page, 500)
            rows.extend(chunk)
            page += 1
            if not chunk or page * 500 >= total:
                return rows

    def _resend(self, ids_for: Callable[[], list[int]], skipped: Sequence[SubmissionRecord] = ()) -> tasks.Task:
        resend = self._source.resend

        def work(report, cancel):
            ids = ids_for()
            done = []
            for n, record_id in enumerate(ids):
                if cancel.is_set():
                    break
                report(n, len(ids), f"Resending {n + 1} of {len(ids)}…")
                done.append(resend(record_id))
            return done

        def finished(results):
            self._reload_now()
            text = _summary("Resent", results)
            if skipped:
                text += (f" Skipped {len(skipped)} already in Spectrum (a later send of the same order "
                         "succeeded).")
            self._say(text)
            self.resend_finished.emit(results)

        return self._run_live(work, finished, "Resending…")

    def _run_live(self, work, finished, label: str) -> tasks.Task:
        """Run `work` off the GUI thread; the table re-reads every LIVE_MS meanwhile, so outcomes appear as they come."""
        self._live.start()

        def succeeded(result) -> None:
            self._live.stop()
            finished(result)

        def failed(exc: BaseException) -> None:
            self._live.stop()
            self._reload_now()
            show_error(self, exc, "Could not finish")

        return tasks.run(self, self.guard.wrap(work), succeeded, failed, progress=label)

    def check_unknown(self) -> tasks.Task | None:
        """Ask Spectrum about the selected unknown rows, or every unknown row in the filter when none is selected."""
        check = self._source.check
        if check is None:
            return None
        chosen = self.selected_records()
        selected = [r.id for r in chosen if r.state == SubmissionState.UNKNOWN]
        history_filter = self.model.filter.unknown_only()
        if chosen and not selected:
            self._say("Only a submission whose outcome is unknown can be checked; none of the selected ones is.")
            return None
        if not chosen and (history_filter is None or not self._unknown):
            self._say("No submission in this list has an unknown outcome: there is nothing to check.")
            return None

        def work(report, cancel):
            ids = selected or [r.id for r in self._all_rows(history_filter)]
            results = []
            for n, record_id in enumerate(ids):
                if cancel.is_set():
                    break
                report(n, len(ids), f"Checking {n + 1} of {len(ids)}…")
                results.append(check(record_id))
            return results

        def finished(results):
            self._reload_now()
            delivered = sum(1 for r in results if r.delivered)
            if not results:  # another window checked or resent them meanwhile
                self._say("No submission in this list has an unknown outcome any more: there was nothing to check.")
            else:
                self._say(f"Checked {len(results)}: {delivered} had arrived (now “Already submitted”), "
                          f"{len(results) - delivered} did not arrive and can be resent safely.")
            self.check_finished.emit(results)

        return self._run_live(work, finished, "Checking with Spectrum…")

    def open_selected_in_editor(self) -> bool:
        """Read the selected row as it may be sent again (off the GUI thread), then emit open_in_editor.
        False when nothing is selected or the page cannot open orders."""
        records = self.selected_records()
        source = self._source
        if not records or (source.correction is None and source.request_body is None):
            return False
        submission_id = records[0].id

        def work(_report, _cancel):
            if source.correction is not None:
                found = source.correction(submission_id)
                return None if found is None else (found.body, found)
            text = source.request_body(submission_id)
            return (json.loads(text), None) if text else None

        def done(result) -> None:
            if result is None:
                self._say("The contents of this submission were not kept, so it cannot be opened.")
                return
            self.open_in_editor.emit(*result)

        tasks.run(self, self.guard.wrap(work), done, lambda exc: show_error(self, exc, "Could not open the order"),
                  progress="Opening the order…", cancellable=False)
        return True

    def export(self, path: str, include_personal_data: bool = False) -> int:
        """Write every row of the current filter (all pages) to `path`; returns how many. Blocking."""
        return self._export_work(self.model.filter, path, include_personal_data)

    def _export_work(self, history_filter: HistoryFilter, path: str, include_personal_data: bool) -> int:
        records = self._all_rows(history_filter)
        body = self._source.request_body if include_personal_data else None
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(export_csv(records, body))
        return len(records)

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export history", str(documents_folder() / "history.csv"),
                                              "CSV files (*.csv)")
        if not path:
            return
        answer = QMessageBox.question(
            self, "Export history",
            "Include the full orders (customer names, addresses, e-mails, phones)?\n"
            "Choose No unless you need them; the file is not encrypted.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        history_filter, personal = self.model.filter, answer == QMessageBox.StandardButton.Yes
        work = self.guard.wrap(lambda _report, _cancel: self._export_work(history_filter, path, personal))
        tasks.run(self, work, lambda n: self._say(f"Exported {count(n, 'submission')} to {path}."),
                  lambda exc: show_error(self, exc, "Could not export"), progress="Exporting…")

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _explain_empty(self, history_filter: HistoryFilter, total: int) -> None:
        """A Sent by name that finds nothing says so (not a bare "0 submissions"): briefly in the status line, whole
        in the empty detail pane. Names are kept as each order was sent, so rows sent under another name (a login
        name before "Your name" was set) are not that name's."""
        note = why = ""
        if history_filter.sender and not total and not self._read_problem:
            note = f"Nothing sent by “{history_filter.sender}” matches."
            why = (f"{note} Names are matched exactly as each order was sent. Pick “{ANYONE}” to see every name in "
                   "the Sent by column.")
        if note:
            self._say(note)
        elif self.status.text() == getattr(self, "_empty_note", ""):
            self._say("")
        before = getattr(self, "_empty_why", "")
        self._empty_note, self._empty_why = note, why
        if self._detail is None and not self._read_problem and (why or self.detail.toPlainText() == before):
            self.detail.setPlainText(why)


def _unknown_words(n: int) -> str:
    return "submission whose outcome is unknown" if n == 1 else f"{n} submissions whose outcome is unknown"


def _delivered_part(delivered: int, total: int) -> str:
    """The warning part of a resend question: how many of the rows Spectrum has already (as the editor asks)."""
    if delivered == total:
        which = "It was" if total == 1 else "They were all"
    else:
        which = f"{delivered} of them {'was' if delivered == 1 else 'were'}"
    return f"{which} already delivered: Spectrum will most likely answer “already submitted”."


def _production_part(production: int, total: int) -> str:
    """The warning part of a resend question: how many of the rows are real orders."""
    if production == total:
        return "It goes to PRODUCTION: a real order." if total == 1 else "They all go to PRODUCTION: real orders."
    if production == 1:
        return "1 of them goes to PRODUCTION: a real order."
    return f"{production} of them go to PRODUCTION: real orders."


def _summary(verb: str, records: list[SubmissionRecord]) -> str:
    counts: dict[str, int] = {}
    for r in records:
        label = (STILL_PARTLY_ACCEPTED if still_partly_accepted(r) else STATE_LABELS.get(r.state, str(r.state))).lower()
        counts[label] = counts.get(label, 0) + 1
    parts = ", ".join(f"{n} {label}" for label, n in counts.items())
    return f"{verb} {len(records)}: {parts}." if records else f"{verb} nothing."

