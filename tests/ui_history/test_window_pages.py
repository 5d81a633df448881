"""History and Bulk inside the real main window, sending to the Local sandbox environment (a loopback SandboxServer)."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.bulk_view import BulkView
from spectrum_desktop.ui.history_format import PURCHASE_ORDER
from spectrum_desktop.ui.history_view import HistoryView
from spectrum_desktop.ui.startup import build_main_window
from tests.ui_history.helpers import order, orders_csv


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    with SandboxServer(rate_limit=None) as server:
        win = build_main_window(AppContext(sandbox=server))
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.set_environment("local-sandbox")
        yield win


def page(window, cls):
    """The page as the user gets it: its tab shown (pages are built on first show)."""
    current = window.pages.currentIndex()
    window.show_page("History" if cls is HistoryView else "Bulk")
    found = window.findChild(cls)
    window.pages.setCurrentIndex(current)
    return found


def trigger_shortcut(window, keys):
    action = next(a for a in window.actions() if a.shortcut() == QKeySequence(keys))
    action.trigger()


def history_pos(history):
    return [history.model.data(history.model.index(r, PURCHASE_ORDER)) for r in range(history.model.rowCount())]


def test_pages_are_built_on_first_show_and_ctrl_h_ctrl_b_open_them(window):
    assert window.findChild(HistoryView) is None and window.findChild(BulkView) is None
    trigger_shortcut(window, "Ctrl+H")
    assert window.pages.tabText(window.pages.currentIndex()) == "History"
    assert window.pages.currentWidget().findChild(HistoryView) is not None
    trigger_shortcut(window, "Ctrl+B")
    assert window.pages.currentWidget().findChild(BulkView) is not None


def test_bulk_run_fills_history_live_and_a_problem_opens_in_the_editor(qtbot, window, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(12, invalid_every=10, fail_every=10, prefix="W"))
    bulk, history = page(window, BulkView), page(window, HistoryView)
    trigger_shortcut(window, "Ctrl+B")
    assert bulk.open_path(str(path))
    assert len(bulk.model.invalid_rows()) == 1
    with qtbot.waitSignal(bulk.send_finished, timeout=15_000):
        bulk.send_valid()
        assert not window.environment_combo.isEnabled(), "the run keeps its environment: no switching meanwhile"
        assert not window.send_action.isEnabled()
    assert {r.outcome.state for r in bulk.model.valid_rows()} == {SubmissionState.SUCCEEDED, SubmissionState.PARTIAL}
    assert window.environment_combo.isEnabled()

    bulk.problems_button.click()
    assert window.pages.currentWidget().findChild(HistoryView) is history
    qtbot.waitUntil(lambda: history.model.total > 0, timeout=3000)
    assert "W-3" in history_pos(history)
    assert all(history.model.record(r).state in {SubmissionState.PARTIAL, SubmissionState.QUEUED,
                                                 SubmissionState.FAILED, SubmissionState.UNKNOWN}
               for r in range(history.model.rowCount()))
    history.table.selectRow(history_pos(history).index("W-3"))
    with qtbot.waitSignal(history.open_in_editor, timeout=3000):
        assert history.open_selected_in_editor()
    assert window.pages.currentWidget() is window.editor
    assert window.current_order()["purchaseOrderNumber"] == "W-3"
    assert [i["recipeSetId"] for i in window.current_order()["lineItems"]] == ["FAIL-3"]  # R-3 was accepted


def test_an_order_sent_from_the_editor_appears_in_history_at_once(qtbot, window):
    history = page(window, HistoryView)
    trigger_shortcut(window, "Ctrl+H")
    qtbot.waitUntil(lambda: history.count_label.text() != "", timeout=2000)
    before = history.model.total
    window.load_order(order("ED-1", "RS-1"))
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        assert window.send_current()
    trigger_shortcut(window, "Ctrl+H")
    qtbot.waitUntil(lambda: history.model.total == before + 1, timeout=3000)
    assert history_pos(history)[0] == "ED-1"


def test_closing_the_window_waits_for_the_history_detail_being_read(qtbot, window):
    history = page(window, HistoryView)
    window.load_order(order("CL-1", "RS-1"))
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        assert window.send_current()
    trigger_shortcut(window, "Ctrl+H")
    qtbot.waitUntil(lambda: history.model.total == 1, timeout=3000)
    history.table.selectRow(0)
    window.close()
    assert history.guard.running == 0


def test_task_guard_counts_work_from_scheduling_until_it_ends():
    import threading
    import time

    from spectrum_desktop.ui.task_guard import TaskGuard

    guard, release = TaskGuard(), threading.Event()
    work = guard.wrap(lambda: release.wait(5))
    assert guard.running == 1 and not guard.wait(0.05)
    thread = threading.Thread(target=work)
    thread.start()
    threading.Timer(0.2, release.set).start()
    start = time.monotonic()
    assert guard.wait(5) and guard.running == 0
    assert time.monotonic() - start >= 0.1
    thread.join()


def test_a_bulk_row_fixed_and_sent_from_the_editor_no_longer_says_invalid(qtbot, window, tmp_path):
    import json

    from spectrum_desktop.ui.bulk_model import VALID

    (tmp_path / "o.json").write_text(json.dumps([order("FIX-1"), {**order("FIX-2"), "orderDate": "someday"}]))
    bulk = page(window, BulkView)
    trigger_shortcut(window, "Ctrl+B")
    assert bulk.open_path(str(tmp_path / "o.json"))
    assert bulk.model.data(bulk.model.index(1, VALID)).startswith("Invalid")
    bulk.open_row_in_editor(1)
    assert window.pages.currentWidget() is window.editor
    window.load_order({**window.current_order(), "orderDate": "2024-05-01T10:00:00Z"})  # the fix
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        assert window.send_current()
    assert not bulk.model.data(bulk.model.index(1, VALID)).startswith("Invalid")
    assert bulk.model.rows[1].outcome.state == SubmissionState.SUCCEEDED
    assert bulk.model.invalid_rows() == []
    with qtbot.waitSignal(bulk.send_finished, timeout=10_000) as sent:
        bulk.send_valid()
    assert [list(r.purchase_orders) for r in sent.args[0].records] == [["FIX-1"]], "the fixed order is not sent twice"


def test_a_history_resend_replaces_the_older_result_under_the_order(qtbot, window):
    window.load_order(order("RE-1", "FAIL-2"))
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        assert window.send_current()
    assert window.results.headline.text().startswith("Not accepted")
    history = page(window, HistoryView)
    trigger_shortcut(window, "Ctrl+H")
    qtbot.waitUntil(lambda: history.model.total == 1, timeout=3000)
    import requests

    requests.post(window.context.sandbox_url + "/_sandbox/accept-failures", timeout=5)  # FAIL… now succeeds
    history.table.selectRow(0)
    with qtbot.waitSignal(history.resend_finished, timeout=10_000):
        history.resend_selected()
    assert window.results.headline.text().startswith("Sent")


def requests_left(window) -> tuple[str, int]:
    """(what the budget is for, requests left) as the status bar says it."""
    found = re.fullmatch(r"Requests left for ([a-z ]+): (\d+) of \d+", window.rate_label.text())
    return (found.group(1), int(found.group(2))) if found else ("", -1)


def test_requests_left_goes_down_after_a_single_send_and_names_the_budget_it_shows(qtbot, window):
    qtbot.waitUntil(lambda: requests_left(window)[0] == "acknowledgements", timeout=5000)
    before = requests_left(window)[1]

    def place():  # its width and its distance from the status bar's right edge (a busy machine may still be
        # settling the window's size: a move of the whole window is not the label shifting)
        label = window.rate_label
        return label.width(), window.statusBar().width() - label.geometry().right()

    def settled():  # the status bar has laid its labels out for its present width
        return 0 <= place()[1] < window.statusBar().width()

    qtbot.waitUntil(settled, timeout=3000)
    was = place()
    window.load_order(order("RL-1", "RS-1"))
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        assert window.send_current()
    qtbot.waitUntil(lambda: requests_left(window) == ("acknowledgements", before - 1), timeout=3000)
    qtbot.waitUntil(settled, timeout=3000)
    assert place() == was, "counting down (100 to 99) does not shift the status bar"
    window.editor.kind_combo.setCurrentIndex(window.editor.kind_combo.findData("full"))
    qtbot.waitUntil(lambda: requests_left(window)[0] == "full orders", timeout=3000)  # counted apart by the server
    trigger_shortcut(window, "Ctrl+B")
    qtbot.waitUntil(lambda: requests_left(window)[0] == "bulk sends", timeout=3000)


def test_a_new_send_does_not_show_the_previous_error_while_it_runs(qtbot, window):
    window.load_order(order("ERR500-PREV", "RS-1"))
    with qtbot.waitSignal(window.send_finished, timeout=20_000):
        assert window.send_current()
    assert window.results.headline.isVisible() and window.results.headline.text().startswith("Server error")
    window.load_order(order("NEXT-1", "RS-1"))
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        assert window.send_current()
        assert not window.results.headline.isVisible(), "the old error is gone as soon as Send is pressed"
        assert not window.results.copy_trace_button.isVisible()
    assert window.results.headline.text().startswith("Sent")


@pytest.fixture
def window_and_sandbox(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    with SandboxServer(rate_limit=None) as server:
        win = build_main_window(AppContext(sandbox=server))
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.set_environment("local-sandbox")
        yield win, server


def posted(server, po):
    return [r.body for r in server.received() if r.method == "POST" and isinstance(r.body, dict)
            and r.body.get("purchaseOrderNumber") == po]


def sent_partly_accepted(qtbot, window, po, *recipe_sets):
    """Send an order the sandbox accepts in part from the form, then show History with that row selected."""
    history = page(window, HistoryView)
    window.load_order(order(po, *recipe_sets))
    with qtbot.waitSignal(window.send_finished, timeout=10_000) as sent:
        window.send_action.trigger()
    original = sent.args[0]
    assert original.state == SubmissionState.PARTIAL
    trigger_shortcut(window, "Ctrl+H")
    qtbot.waitUntil(lambda: history.model.total == 1, timeout=3000)
    history.table.selectRow(0)
    return history, original


def test_a_partial_order_opened_from_history_sends_only_the_failed_recipe_set(qtbot, window_and_sandbox):
    window, server = window_and_sandbox
    history, original = sent_partly_accepted(qtbot, window, "PART-1", "R1", "FAIL-1", "R2")
    with qtbot.waitSignal(history.open_in_editor, timeout=3000):
        history.edit_button.click()
    assert window.pages.currentWidget() is window.editor
    assert [i["recipeSetId"] for i in window.current_order()["lineItems"]] == ["FAIL-1"]
    note = window.editor.note()
    assert "R1, R2" in note and "not sent again" in note and "Local sandbox" in note

    model = window.editor.model  # the person corrects the failed recipe set (here: its quantity)
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal)
                  == "Quantity")
    assert model.setData(model.index(0, column), "2")
    server.set_accept_failures(True)  # the correction is what Spectrum wanted
    with qtbot.waitSignal(window.send_finished, timeout=10_000) as again:
        window.send_action.trigger()

    bodies = posted(server, "PART-1")
    assert len(bodies) == 2
    assert [i["recipeSetId"] for i in bodies[1]["lineItems"]] == ["FAIL-1"]
    assert bodies[1]["lineItems"][0]["quantity"] == 2
    assert server.accepted_recipe_sets("PART-1") == {"R1", "R2", "FAIL-1"}
    assert again.args[0].state == SubmissionState.SUCCEEDED
    assert again.args[0].original_id == original.id  # a new submission, linked to the one it corrects
    assert window.editor.note() == "PART-1 is complete: Local sandbox accepted R1, R2 before and FAIL-1 now."

    trigger_shortcut(window, "Ctrl+H")  # the partial row, opened again later
    qtbot.waitUntil(lambda: history.model.total == 2, timeout=3000)
    row = next(r for r in range(history.model.rowCount()) if history.model.record(r).id == original.id)
    history.table.selectRow(row)
    with qtbot.waitSignal(history.open_in_editor, timeout=3000):
        history.edit_button.click()
    assert window.current_order()["lineItems"] == [], "nothing is offered again"
    assert window.editor.note().startswith("PART-1 is complete: Local sandbox has accepted all its recipe sets")


def test_history_resend_selected_of_a_partial_order_sends_only_the_failed_recipe_sets(qtbot, window_and_sandbox):
    """The issue's report: History › Resend selected sent every recipeSet of a partly accepted order again."""
    window, server = window_and_sandbox
    history = page(window, HistoryView)
    window.load_order(order("PART-RS", "R1", "FAIL-1", "R2", "FAIL-2"))
    with qtbot.waitSignal(window.send_finished, timeout=10_000) as sent:
        window.send_action.trigger()
    assert sent.args[0].state == SubmissionState.PARTIAL
    trigger_shortcut(window, "Ctrl+H")
    qtbot.waitUntil(lambda: history.model.total == 1, timeout=3000)
    server.set_accept_failures(True)
    history.table.selectRow(0)
    with qtbot.waitSignal(history.resend_finished, timeout=10_000):
        history.resend_selected()
    bodies = posted(server, "PART-RS")
    assert [[i["recipeSetId"] for i in b["lineItems"]] for b in bodies] == [["R1", "FAIL-1", "R2", "FAIL-2"],
                                                                          ["FAIL-1", "FAIL-2"]]
    assert server.accepted_recipe_sets("PART-RS") == {"R1", "R2", "FAIL-1", "FAIL-2"}


def test_the_send_button_refuses_a_correction_that_holds_an_accepted_recipe_set(qtbot, window_and_sandbox):
    window, server = window_and_sandbox
    history = page(window, HistoryView)
    window.load_order(order("PART-2", "R1", "FAIL-1"))
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        window.send_action.trigger()
    trigger_shortcut(window, "Ctrl+H")
    qtbot.waitUntil(lambda: history.model.total == 1, timeout=3000)
    history.table.selectRow(0)
    with qtbot.waitSignal(history.open_in_editor, timeout=3000):
        assert history.open_selected_in_editor()
    window.editor.duplicate_line_item()  # the person types the accepted one back in
    model = window.editor.model
    assert model.setData(model.index(1, 0), "R1")
    with qtbot.waitSignal(window.send_not_sent, timeout=10_000) as refused:
        window.send_action.trigger()
    assert "R1" in refused.args[0] and "never sent again" in refused.args[0]
    assert len(posted(server, "PART-2")) == 1


def test_new_order_forgets_the_correction_note(qtbot, window_and_sandbox):
    window, _server = window_and_sandbox
    window.load_order(order("PART-3", "FAIL-1"), None)
    assert window.editor.note() == ""
    from spectrum_desktop.services.submission import Correction

    correction = Correction(1, "local-sandbox", "PART-3", order("PART-3", "FAIL-1"), ("R1",))
    window.load_order(order("PART-3", "FAIL-1"), correction)
    assert "R1" in window.editor.note()
    window.new_order()
    assert window.editor.note() == ""
    window.load_order(order("PART-3", "FAIL-1"), correction)
    window.editor.fields["purchaseOrderNumber"].setText("OTHER-3")  # another order typed over it
    assert window.editor.note() == ""


def test_an_order_opened_in_the_editor_does_not_show_the_last_send_s_result(qtbot, window_and_sandbox):
    window, _server = window_and_sandbox
    window.load_order(order("SHOWN-1", "R1"))
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        window.send_action.trigger()
    assert window.results.headline.text().startswith("Sent")
    window.load_order(order("OTHER-2", "R1"))
    assert window.results.shown is None and not window.results.headline.isVisible()


def test_the_result_panel_opens_the_failed_recipe_sets_of_a_partial_send(qtbot, window_and_sandbox):
    window, server = window_and_sandbox
    window.load_order(order("PART-4", "R1", "FAIL-1", "R2"))
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        window.send_action.trigger()
    assert window.results.correct_button.isVisible()
    window.results.correct_button.click()
    qtbot.waitUntil(lambda: window.editor.note() != "", timeout=3000)
    assert [i["recipeSetId"] for i in window.current_order()["lineItems"]] == ["FAIL-1"]
    assert "R1, R2" in window.editor.note()
    assert not window.results.correct_button.isEnabled(), "a second click would undo what is typed next"
    server.set_accept_failures(True)
    with qtbot.waitSignal(window.send_finished, timeout=10_000) as again:
        window.send_action.trigger()
    assert again.args[0].state == SubmissionState.SUCCEEDED
    assert [i["recipeSetId"] for i in posted(server, "PART-4")[1]["lineItems"]] == ["FAIL-1"]
    assert not window.results.correct_button.isVisible()


def test_sending_the_whole_partial_order_again_is_refused_before_anything_leaves(qtbot, window_and_sandbox):
    window, server = window_and_sandbox
    window.load_order(order("PART-5", "R1", "FAIL-1"))
    with qtbot.waitSignal(window.send_finished, timeout=10_000):
        window.send_action.trigger()
    with qtbot.waitSignal(window.send_not_sent, timeout=10_000) as refused:  # Ctrl+Return again, unchanged
        window.send_action.trigger()
    assert "already accepted R1 of PART-5" in refused.args[0]
    assert len(posted(server, "PART-5")) == 1


def test_show_this_runs_problems_in_history_lists_only_this_runs_rows(qtbot, window, tmp_path):
    """History, shown after sends, re-reads its own (whole-day) filter: that must not replace the run's."""
    import json

    (tmp_path / "first.json").write_text(json.dumps([order("OLD-1", "FAIL-1")]))
    (tmp_path / "second.json").write_text(json.dumps([order("NEW-1", "FAIL-2"), order("NEW-2")]))
    bulk = page(window, BulkView)  # History not built yet: it is built by the click, as a person meets it
    trigger_shortcut(window, "Ctrl+B")
    for name in ("first.json", "second.json"):  # two runs the same day
        assert bulk.open_path(str(tmp_path / name))
        with qtbot.waitSignal(bulk.send_finished, timeout=10_000):
            bulk.send_valid()
    bulk.problems_button.click()
    history = window.pages.currentWidget().findChild(HistoryView)
    qtbot.wait(400)  # any read History schedules on being built and shown
    qtbot.waitUntil(lambda: history.model.total > 0, timeout=3000)
    assert history_pos(history) == ["NEW-1"]


def test_this_runs_problems_stay_precise_when_history_was_shown_before(qtbot, window, tmp_path):
    import json

    (tmp_path / "first.json").write_text(json.dumps([order("OLD-1", "FAIL-1")]))
    (tmp_path / "second.json").write_text(json.dumps([order("NEW-1", "FAIL-2")]))
    bulk, history = page(window, BulkView), page(window, HistoryView)  # built, then hidden: sends make it re-read
    trigger_shortcut(window, "Ctrl+B")
    for name in ("first.json", "second.json"):
        assert bulk.open_path(str(tmp_path / name))
        with qtbot.waitSignal(bulk.send_finished, timeout=10_000):
            bulk.send_valid()
    bulk.problems_button.click()
    assert window.pages.currentWidget().findChild(HistoryView) is history
    qtbot.wait(400)
    qtbot.waitUntil(lambda: history.model.total > 0, timeout=3000)
    assert history_pos(history) == ["NEW-1"]
