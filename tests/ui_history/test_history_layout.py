"""What a new person found walking the History page at 1024x700 and 1920x1080: a State column as wide as its
badges, the Message column given the spare width with the detail under the table (a failure's reason readable),
Kind and the search box whole with a shared history, and Bulk's run filter said in a chip that can be removed."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from spectrum_desktop.domain.states import FailureReason, OrderKind, SubmissionState
from spectrum_desktop.ui.badges import badge_width
from spectrum_desktop.ui.bulk_view import BulkView
from spectrum_desktop.ui.history_format import KIND, MESSAGE, STATE
from spectrum_desktop.ui.history_view import SEARCH_LEAST, HistoryView
from tests.ui_history.helpers import order
from tests.ui_history.test_history_view import make_view
from tests.ui_history.test_window_pages import history_pos, page, trigger_shortcut, window  # noqa: F401 - fixture

REASON = ("Order PO-WALK-2 was rejected: recipe set R-9 has quantity 0; a quantity must be 1 or more. "
          "Correct it and send it again.")


def failed_rows(journal, n=3):
    for i in range(n):
        sid = journal.record("staging", OrderKind.ACK, "/api/order/acknowledgement", [f"PO-WALK-{i}"], [f"R-{i}"],
                             ["SKU-1"], json.dumps(order(f"PO-WALK-{i}")))
        journal.finish(sid, SubmissionState.FAILED, FailureReason.REJECTED, 400, REASON)
    sid = journal.record("staging", OrderKind.ACK, "/api/order/acknowledgement", ["PO-OK"], ["R-OK"], ["SKU-1"],
                         json.dumps(order("PO-OK")))
    journal.finish(sid, SubmissionState.SUCCEEDED)


def shown(qtbot, journal, size, shared=False):
    failed_rows(journal)
    view = make_view(qtbot, journal)
    if shared:
        view.set_shared(True, "Alex Example")
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.model.total == 4, timeout=3000)
    return view


@pytest.mark.parametrize("size", [(1016, 560), (1912, 900)], ids=["1024x700", "1920x1080"])
@pytest.mark.parametrize("shared", [False, True], ids=["own", "shared"])
def test_state_is_as_wide_as_its_badges_and_message_takes_the_rest(qtbot, journal, size, shared):
    view = shown(qtbot, journal, size, shared)
    header, font = view.table.horizontalHeader(), view.table.font()
    assert header.sectionSize(STATE) == badge_width(font, ["Failed (rejected)", "Succeeded"]), \
        "the widest badge shown, not the widest any row could have"
    assert header.sectionSize(KIND) >= QFontMetrics(font).horizontalAdvance("Acknowledgement"), "Kind whole"
    columns = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
    assert columns <= view.table.viewport().width(), "no sideways scrolling"
    assert view.splitter.orientation() == Qt.Orientation.Vertical, "the detail under the table, full width"
    message = header.sectionSize(MESSAGE)
    if size[0] > 1900:
        assert QFontMetrics(font).horizontalAdvance(REASON) < message, "the whole reason in its column at 1920"
    else:
        assert message >= 100
    assert view.search.width() >= SEARCH_LEAST, "the search box keeps its hint whole"
    assert view.table.height() > view.detail.height(), "the table keeps most of the height"


def test_the_detail_under_the_table_shows_the_whole_reason_on_one_line_at_1024(qtbot, journal):
    view = shown(qtbot, journal, (1016, 560), shared=True)
    view.table.selectRow(1)  # PO-WALK-2, failed (row 0 is the later PO-OK)
    qtbot.waitUntil(lambda: REASON in view.detail.toPlainText(), timeout=3000)
    line = next(t for t in view.detail.toPlainText().splitlines() if REASON in t)
    assert view.detail.fontMetrics().horizontalAdvance(line) < view.detail.viewport().width()


def test_a_wider_badge_on_a_later_page_widens_state(qtbot, journal):
    view = shown(qtbot, journal, (1016, 560))
    header = view.table.horizontalHeader()
    before = header.sectionSize(STATE)
    sid = journal.record("staging", OrderKind.ACK, "/ack", ["PO-NET"], ["R"], ["S"], "{}")
    journal.finish(sid, SubmissionState.FAILED, FailureReason.UNREACHABLE, None, "No connection")
    view.apply_filter()
    assert header.sectionSize(STATE) == badge_width(view.table.font(), ["Failed (could not connect)"]) > before


# --- Bulk's run filter, said in a chip ---

def _two_runs(qtbot, window, tmp_path):  # noqa: F811 - the fixture
    (tmp_path / "first.json").write_text(json.dumps([order("OLD-1", "FAIL-1")]))
    (tmp_path / "second.json").write_text(json.dumps([order("NEW-1", "FAIL-2"), order("NEW-2")]))
    bulk = page(window, BulkView)
    trigger_shortcut(window, "Ctrl+B")
    for name in ("first.json", "second.json"):  # two runs the same day: the visible filters match both
        assert bulk.open_path(str(tmp_path / name))
        with qtbot.waitSignal(bulk.send_finished, timeout=10_000):
            bulk.send_valid()
    bulk.problems_button.click()
    history = window.pages.currentWidget().findChild(HistoryView)
    qtbot.wait(400)
    qtbot.waitUntil(lambda: history.model.total > 0, timeout=3000)
    assert history_pos(history) == ["NEW-1"]
    return history


def test_bulk_runs_filter_is_shown_and_goes_when_a_filter_is_chosen_again(qtbot, window, tmp_path):  # noqa: F811
    history = _two_runs(qtbot, window, tmp_path)
    assert history.scope_chip.isVisible()
    assert history.scope_chip.text() == "Only this Bulk run (2 orders) ×"
    assert history.scope == "Only this Bulk run (2 orders)"
    qtbot.mouseClick(history.attention_button, Qt.MouseButton.LeftButton)  # already "Needs attention"
    qtbot.waitUntil(lambda: sorted(history_pos(history)) == ["NEW-1", "OLD-1"], timeout=3000)
    assert not history.scope_chip.isVisible() and history.scope == ""


def test_clicking_the_chip_away_shows_what_the_filters_show(qtbot, window, tmp_path):  # noqa: F811
    history = _two_runs(qtbot, window, tmp_path)
    qtbot.mouseClick(history.scope_chip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sorted(history_pos(history)) == ["NEW-1", "OLD-1"], timeout=3000)
    assert not history.scope_chip.isVisible()
    assert history.count_label.text() == "2 submissions"


def test_narrow_filters_take_a_second_line_and_keep_working(qtbot, journal):
    view = shown(qtbot, journal, (860, 560), shared=True)
    assert view.search.width() >= SEARCH_LEAST
    assert view.search.y() > view.environment.y(), "search, Sent by and the count on the second line"
    assert view.date_to.geometry().right() < view.width() - 100, "the first line's filters stay together"
    view.state.setCurrentIndex(view.state.findText("Failed"))  # a filter chosen (the chip cleared) lays out again
    qtbot.waitUntil(lambda: view.model.total == 3, timeout=3000)
    view.resize(1912, 900)
    qtbot.waitUntil(lambda: view.search.y() == view.environment.y(), timeout=3000)
    assert view.date_to.geometry().right() < view.search.x()
