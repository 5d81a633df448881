"""What a new person at the desk met on the History page: search as you type, a status line that never moves the
table, actions enabled only when they have something to act on, and the row detail in words."""

import dataclasses
import json
import threading

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QToolButton

from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.ui.history_sources import history_source
from spectrum_desktop.ui.history_format import PURCHASE_ORDER
from spectrum_desktop.ui.history_view import SEARCH_DELAY_MS, HistoryView
from tests.services.orders import service, submit
from tests.ui_history.helpers import order, select_row, target
from tests.ui_history.test_history_view import ENVIRONMENTS, fill, make_view, shown_pos


def shown_view(qtbot, journal, target_for=None, remote=False, size=(1024, 700), confirm=None):
    """The page at the size the person had, its reads counted: (view, [(search, on the GUI thread), ...])."""
    source = history_source(service(journal, target_for or (lambda _r: None)))
    reads = []

    def fetch(f, page, size):
        reads.append((f.search, threading.current_thread() is threading.main_thread()))
        return source.fetch(f, page, size)

    view = HistoryView(dataclasses.replace(source, fetch=fetch, remote=remote), ENVIRONMENTS, confirm=confirm)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.model.total > 0, timeout=3000)
    return view, reads


def clear_button(view) -> QToolButton:
    """The search box's own clear button (the ⊗ drawn at its right end while it holds text)."""
    (found,) = [b for b in view.search.findChildren(QToolButton) if b.isVisible()]
    return found


def deselect(view, row):
    view.table.selectionModel().select(view.model.index(row, 0), QItemSelectionModel.SelectionFlag.Deselect
                                       | QItemSelectionModel.SelectionFlag.Rows)


# --- 1. search as you type ---

def _search_as_you_type(qtbot, view, reads):
    assert view.count_label.text() == "5 submissions"
    reads.clear()
    qtbot.keyClicks(view.search, "PO-3")
    assert reads == [], "no read per key"
    qtbot.waitUntil(lambda: shown_pos(view) == ["PO-3"], timeout=SEARCH_DELAY_MS + 3000)
    assert view.count_label.text() == "1 submission"
    qtbot.wait(SEARCH_DELAY_MS + 100)
    assert [search for search, _ in reads] == ["PO-3"], "one read for the pause, none for the keys before it"

    reads.clear()
    qtbot.wait(300)  # the clear button fades in
    qtbot.mouseClick(clear_button(view), Qt.MouseButton.LeftButton)
    assert view.search.text() == ""
    qtbot.waitUntil(lambda: view.count_label.text() == "5 submissions", timeout=SEARCH_DELAY_MS + 3000)
    assert sorted(shown_pos(view)) == [f"PO-{i}" for i in range(5)]

    qtbot.keyClicks(view.search, "PO-1")
    qtbot.waitUntil(lambda: shown_pos(view) == ["PO-1"], timeout=SEARCH_DELAY_MS + 3000)
    view.search.setFocus()
    qtbot.keyClick(view.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.search, Qt.Key.Key_Backspace)  # deleting the text shows everything again too
    qtbot.waitUntil(lambda: view.count_label.text() == "5 submissions", timeout=SEARCH_DELAY_MS + 3000)
    assert len(shown_pos(view)) == 5
    return reads


def test_search_filters_as_you_type_once_per_pause_and_clearing_shows_everything(qtbot, journal):
    fill(journal, 5)
    view, reads = shown_view(qtbot, journal)
    _search_as_you_type(qtbot, view, reads)


def test_search_of_a_shared_history_reads_off_the_gui_thread(qtbot, journal):
    fill(journal, 5)
    view, reads = shown_view(qtbot, journal, remote=True)
    reads = _search_as_you_type(qtbot, view, reads)
    assert reads and not any(on_gui for _, on_gui in reads)


def test_enter_searches_at_once_and_the_pause_after_it_reads_nothing_more(qtbot, journal):
    fill(journal, 5)
    view, reads = shown_view(qtbot, journal)
    reads.clear()
    qtbot.keyClicks(view.search, "PO-2")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert shown_pos(view) == ["PO-2"]  # no waiting for the pause
    qtbot.wait(SEARCH_DELAY_MS + 150)
    assert [search for search, _ in reads] == ["PO-2"]


# --- 2. one status line ---

def test_a_long_status_stays_on_one_line_and_moves_nothing(qtbot, journal, sandbox):
    unknown = submit(journal, target(sandbox, read_timeout=0.3), order("SLOW-1"))
    assert unknown.state == SubmissionState.UNKNOWN
    view, _ = shown_view(qtbot, journal, lambda _r: target(sandbox))
    table_top, status_height = view.table.mapTo(view, view.table.rect().topLeft()).y(), view.status.height()
    select_row(view, 0)
    with qtbot.waitSignal(view.check_finished, timeout=5000):
        qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)  # a layout pass
    said = view.status.text()
    assert said.startswith("Checked 1: 1 had arrived")
    assert view.table.mapTo(view, view.table.rect().topLeft()).y() == table_top
    assert view.status.height() == status_height
    assert view.status.is_cut() and view.status.shown_text().endswith("…")  # 1024 wide: too long for the room
    assert view.status.toolTip() == said  # ... and whole in the tooltip
    view.resize(1600, 1000)
    qtbot.wait(50)
    assert view.status.height() == status_height


# --- 3. actions enabled only when they have something to act on ---

def test_check_in_spectrum_is_enabled_only_for_rows_whose_outcome_is_unknown(qtbot, journal):
    fill(journal, 1, state=SubmissionState.UNKNOWN, prefix="UNK")
    fill(journal, 2, prefix="OK")
    view, _ = shown_view(qtbot, journal)
    rows = {view.model.record(r).purchase_orders[0]: r for r in range(view.model.rowCount())}
    assert view.check_button.isEnabled(), "none selected: the unknown one in the list"
    select_row(view, rows["OK-0"])
    assert not view.check_button.isEnabled()
    assert "none of the selected" in view.check_button.toolTip()
    assert view.check_unknown() is None and "none of the selected" in view.status.text()
    select_row(view, rows["UNK-0"], add=True)
    assert view.check_button.isEnabled()
    view.table.clearSelection()
    view.state.setCurrentIndex(view.state.findText("Succeeded"))
    assert view.model.total == 2 and not view.check_button.isEnabled()
    assert view.check_unknown() is None
    assert view.status.text() == "No submission in this list has an unknown outcome: there is nothing to check."


def test_check_knows_of_an_unknown_row_not_loaded_yet(qtbot, journal):
    fill(journal, 1, state=SubmissionState.UNKNOWN, prefix="UNK")  # the oldest: beyond the first page
    fill(journal, 250)
    view, _ = shown_view(qtbot, journal)
    assert view.model.rowCount() < view.model.total
    assert SubmissionState.UNKNOWN not in {view.model.record(r).state for r in range(view.model.rowCount())}
    assert view.check_button.isEnabled()
    view.state.setCurrentIndex(view.state.findText("Failed"))
    assert not view.check_button.isEnabled()


def test_copy_buttons_follow_the_row_shown_and_say_what_they_did(qtbot, journal, sandbox):
    submit(journal, target(sandbox), order("PO-C1"))
    fill(journal, 1, state=SubmissionState.QUEUED, prefix="Q")  # never answered: no response kept
    view, _ = shown_view(qtbot, journal)
    assert not view.copy_request_button.isEnabled() and not view.copy_response_button.isEnabled()
    sent = view.model.row_of(next(view.model.record(r).id for r in range(2)
                                  if list(view.model.record(r).purchase_orders) == ["PO-C1"]))
    with qtbot.waitSignal(view.detail_shown, timeout=3000):
        select_row(view, sent)
    assert view.copy_request_button.isEnabled() and view.copy_response_button.isEnabled()
    qtbot.mouseClick(view.copy_response_button, Qt.MouseButton.LeftButton)
    assert json.loads(QGuiApplication.clipboard().text())["allSuccessful"] is True
    assert view.status.text() == "Copied the response JSON to the clipboard."
    deselect(view, sent)
    assert not view.table.selectionModel().selectedRows()
    assert not view.copy_request_button.isEnabled() and not view.copy_response_button.isEnabled()
    assert view.detail.toPlainText() == ""
    with qtbot.waitSignal(view.detail_shown, timeout=3000):
        select_row(view, 1 - sent)
    assert view.copy_request_button.isEnabled() and not view.copy_response_button.isEnabled()


def test_resend_is_off_for_a_row_being_sent(qtbot, journal):
    sid = journal.record("staging", OrderKind.ACK, "/api/order/acknowledgement", ["PO-S"], ["RS-S"], ["SKU-S"],
                         json.dumps(order("PO-S")))
    journal.mark_sending(sid)
    fill(journal, 1, state=SubmissionState.FAILED, prefix="F")
    view, _ = shown_view(qtbot, journal)
    assert not view.resend_button.isEnabled()
    select_row(view, view.model.row_of(sid))
    assert not view.resend_button.isEnabled() and view.edit_button.isEnabled()
    select_row(view, 1 - view.model.row_of(sid), add=True)
    assert view.resend_button.isEnabled()


def test_the_date_boxes_are_off_while_from_is_unticked(qtbot, journal):
    fill(journal, 2)
    view = make_view(qtbot, journal)
    view.show()
    qtbot.waitExposed(view)
    assert not view.use_dates.isChecked()
    assert not view.date_from.isEnabled() and not view.date_to.isEnabled()
    qtbot.mouseClick(view.use_dates, Qt.MouseButton.LeftButton)
    assert view.date_from.isEnabled() and view.date_to.isEnabled()
    qtbot.mouseClick(view.use_dates, Qt.MouseButton.LeftButton)
    assert not view.date_from.isEnabled() and not view.date_to.isEnabled()
    assert view.model.filter.since is None and view.model.total == 2


# --- 4. the row detail in words ---

def test_the_detail_speaks_words_and_keeps_ids_and_paths_for_support(qtbot, journal, sandbox):
    first = submit(journal, target(sandbox), order("PO-W", "R1", "FAIL-1"))
    sandbox.set_accept_failures(True)
    view = make_view(qtbot, journal, lambda _r: target(sandbox), confirm=lambda _q: True)
    select_row(view, 0)
    with qtbot.waitSignal(view.resend_finished, timeout=10_000) as resent:
        view.resend_selected()
    again = resent.args[0][0]
    with qtbot.waitSignal(view.detail_shown, timeout=3000):
        select_row(view, view.model.row_of(again.id))
    text = view.detail.toPlainText()
    staff, support = text.split("\nDetails for support:\n", 1)
    assert staff.splitlines()[0] == "Succeeded"
    assert "Sent as: Acknowledgement" in staff.splitlines()[1]
    assert "Resent from an earlier submission" in staff
    assert "/api/" not in staff and "Submission " not in staff and f"submission {first.id}" not in staff
    assert f"Submission {again.id} (a resend of submission {first.id})" in support
    assert "Sent to /api/order/acknowledgement" in support.split("\nRequest:")[0]


# --- 5. no sideways scrolling at 1024 wide ---

def test_at_1024_wide_a_full_page_of_long_orders_needs_no_sideways_scrolling(qtbot, journal):
    fill(journal, 40, prefix="A-VERY-LONG-PURCHASE-ORDER-NUMBER")
    view, _reads = shown_view(qtbot, journal)
    table = view.table
    qtbot.waitUntil(lambda: table.verticalScrollBar().isVisible(), timeout=3000)
    qtbot.wait(50)
    assert not table.horizontalScrollBar().isVisible(), "a cut message beats a scroll bar over the last row"
    cell = view.model.index(0, PURCHASE_ORDER)
    assert table.horizontalHeader().sectionSize(PURCHASE_ORDER) < table.fontMetrics().horizontalAdvance(
        view.model.data(cell)), "the long number is cut"
    assert view.model.data(cell, Qt.ItemDataRole.ToolTipRole), "and whole in its tooltip"
