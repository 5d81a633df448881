"""Sending from the window as a user would, against the real sandbox over loopback."""

import json
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QToolButton

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.startup import build_main_window

SEND_TIMEOUT_MS = 10_000
HELD_ANSWER_S = 8.0  # longer than any wait for the progress row; the sandbox stops waiting when it stops


def use_environments(home, environments: dict) -> None:
    """The environments the next window opens with (its config/environments.json)."""
    (home / "config").mkdir(exist_ok=True)
    (home / "config" / "environments.json").write_text(json.dumps(environments))


def context_on(server: SandboxServer) -> AppContext:
    return AppContext(sandbox=server)


@pytest.fixture
def sandbox():
    server = SandboxServer(rate_limit=None, slow_delay=0.6).start()
    yield server
    server.stop()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    return tmp_path


@pytest.fixture
def window(qtbot, home, sandbox):
    win = build_main_window(context_on(sandbox))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def order(po, *recipe_sets):
    return {
        "purchaseOrderNumber": po,
        "orderDate": "2024-05-01T10:00:00+02:00",
        "lineItems": [{"recipeSetId": r, "sku": f"SKU-{i}", "quantity": 1} for i, r in enumerate(recipe_sets)],
    }


def send(window, qtbot):
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS) as blocker:
        assert window.send_current()
    return blocker.args[0]


def result_rows(window):
    table = window.results.table
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_type_an_order_add_a_line_item_and_send_it(window, qtbot, sandbox):
    editor = window.editor
    qtbot.keyClicks(editor.fields["purchaseOrderNumber"], "PO-TYPED-1")
    editor.fields["orderDate"].clear()
    qtbot.keyClicks(editor.fields["orderDate"], "2024-05-01T10:00:00+02:00")
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    editor.model.setData(editor.model.index(0, 0), "RS-1")
    editor.model.setData(editor.model.index(0, 1), "SKU-1")
    editor.model.setData(editor.model.index(0, 2), "2")
    assert window.send_action.isEnabled(), window.send_action.toolTip()
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    record = blocker.args[0]
    assert record.state is SubmissionState.SUCCEEDED
    assert sandbox.accepted_count("PO-TYPED-1") == 1
    assert sandbox.received()[-1].body["lineItems"] == [{"recipeSetId": "RS-1", "sku": "SKU-1", "quantity": 2}]
    assert window.results.headline.text().startswith("Sent:")
    assert window.results.headline.property("tone") == "success"
    assert result_rows(window) == [("RS-1", "Succeeded", "Processed Successfully")]


def test_send_on_an_invalid_order_shows_the_problems_and_sends_nothing(window, qtbot, sandbox):
    # Send is enabled once there is something to send; on an invalid order it shows the problems (quiet until
    # asked) and sends nothing. It used to be disabled while the order was invalid.
    window.load_order(order("", "RS-1"))
    assert window.send_action.isEnabled()
    assert "Fix 1 problem" in window.send_action.toolTip()
    assert "Purchase order" in window.send_action.toolTip()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.send_not_sent) as blocker:
        assert window.send_current() is False
    assert "Fix the order first" in blocker.args[0]
    assert sandbox.received() == []


def test_a_fail_recipe_set_is_shown_as_partial_not_green(window, qtbot):
    window.load_order(order("PO-PART-1", "RS-OK", "FAIL-7"))
    button = window.findChild(QToolButton, "sendButton")
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    record = blocker.args[0]
    assert record.state is SubmissionState.PARTIAL
    panel = window.results
    assert panel.headline.property("tone") == "partial"
    assert "1 of 2" in panel.headline.text()
    rows = result_rows(window)
    assert rows[0][:2] == ("RS-OK", "Succeeded")
    assert rows[1][:2] == ("FAIL-7", "Failed") and "could not be processed" in rows[1][2]


def test_sending_the_same_order_twice_says_already_submitted_with_its_date(window, qtbot, sandbox):
    window.load_order(order("PO-TWICE-1", "RS-1"))
    assert send(window, qtbot).state is SubmissionState.SUCCEEDED
    qtbot.waitUntil(lambda: window.send_action.isEnabled())
    window.send_current()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "alreadySentWarning") is not None)
    warning = window.findChild(QMessageBox, "alreadySentWarning")
    assert "PO-TWICE-1" in warning.text() and "Local sandbox" in warning.text()
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS) as blocker:
        next(b for b in warning.buttons() if b.text() == "Send again anyway").click()
    assert blocker.args[0].state is SubmissionState.ALREADY_SUBMITTED
    headline = window.results.headline.text()
    assert headline.startswith("Already submitted") and str(time.gmtime().tm_year) in headline
    assert sandbox.accepted_count("PO-TWICE-1") == 1


def test_cancelling_the_send_again_question_keeps_the_last_result_and_says_nothing_was_sent(window, qtbot, sandbox):
    window.load_order(order("PO-KEEP-1", "RS-1"))
    assert send(window, qtbot).state is SubmissionState.SUCCEEDED
    accepted = window.results.headline.text()
    assert accepted.startswith("Sent")
    qtbot.waitUntil(lambda: window.send_action.isEnabled())
    window.send_current()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "alreadySentWarning") is not None)
    warning = window.findChild(QMessageBox, "alreadySentWarning")
    with qtbot.waitSignal(window.send_not_sent, timeout=SEND_TIMEOUT_MS):
        warning.reject()
    assert window.results.headline.text() == accepted, "the success is still shown"
    assert window.statusBar().currentMessage().startswith("Not sent: you cancelled before sending")
    assert sandbox.accepted_count("PO-KEEP-1") == 1


def test_a_server_error_shows_the_whole_text_and_copies_the_trace_id(window, qtbot):
    window.load_order(order("ERR500-1", "RS-1"))
    record = send(window, qtbot)
    assert record.state is SubmissionState.FAILED
    panel = window.results
    assert "HTTP 500" in panel.headline.text()
    assert "An unexpected error occurred. Trace log ID:" in panel.detail.text()
    trace = panel.detail.text().split("Trace log ID:")[1].split()[0].rstrip(".")
    assert panel.copy_trace_button.isVisible()
    QApplication.clipboard().clear()
    qtbot.mouseClick(panel.copy_trace_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == trace


def test_production_asks_and_cancel_sends_nothing(qtbot, home, sandbox, tmp_path):
    environments = {
        "environments": [
            {"id": "local-sandbox", "name": "Local sandbox", "base_url": "sandbox:"},
            {"id": "live-copy", "name": "Live copy", "base_url": "sandbox:", "colour": "#c62828",
             "is_production": True},
        ],
        "active_id": "live-copy",
    }
    use_environments(tmp_path, environments)
    win = build_main_window(context_on(sandbox))
    qtbot.addWidget(win)
    win.show()
    assert win.active_environment().name == "Live copy"
    assert win.band.text().startswith("PRODUCTION")
    win.load_order(order("PO-PROD-1", "RS-1"))
    with qtbot.waitSignal(win.send_not_sent, timeout=SEND_TIMEOUT_MS):
        win.send_current()
        qtbot.waitUntil(lambda: win.findChild(QMessageBox, "confirmSend") is not None)
        box = win.findChild(QMessageBox, "confirmSend")
        assert "Live copy" in box.text() and "PO-PROD-1" in box.text()
        assert not win.environment_combo.isEnabled(), "no switching while the question is open"
        box.button(QMessageBox.StandardButton.Cancel).click()
    assert sandbox.received() == []
    assert "Not sent" in win.results.headline.text()
    assert win.environment_combo.isEnabled()
    with qtbot.waitSignal(win.send_finished, timeout=SEND_TIMEOUT_MS):
        win.send_current()
        qtbot.waitUntil(lambda: win.findChild(QMessageBox, "confirmSend") is not None)
        box = win.findChild(QMessageBox, "confirmSend")
        next(b for b in box.buttons() if b.text() == "Send to Live copy").click()
    assert sandbox.accepted_count("PO-PROD-1") == 1


def test_switching_environment_changes_band_and_target(qtbot, home, sandbox, tmp_path, monkeypatch):
    with SandboxServer(rate_limit=None) as other:
        environments = {
            "environments": [
                {"id": "local-sandbox", "name": "Local sandbox", "base_url": "sandbox:"},
                {"id": "training", "name": "Training", "base_url": other.url, "colour": "#6a1b9a"},
            ],
            "active_id": "local-sandbox",
        }
        use_environments(tmp_path, environments)
        monkeypatch.setenv("SPECTRUM_API_TOKEN", other.token)
        win = build_main_window(context_on(sandbox))
        qtbot.addWidget(win)
        win.show()
        win.load_order(order("PO-SWITCH-1", "RS-1"))
        assert send(win, qtbot).environment_id == "local-sandbox"
        assert win.results.headline.isVisible()
        win.set_environment("training")
        assert "Training" in win.band.text() and win.windowTitle().startswith("Training")
        assert win.findChild(QToolButton, "sendButton").text().replace("&", "") == "Send to Training"
        assert not win.results.headline.isVisible(), "a result from the other environment must not stay shown"
        assert "#6a1b9a" in win.band.styleSheet()
        win.load_order(order("PO-SWITCH-2", "RS-1"))
        record = send(win, qtbot)
        assert record.environment_id == "training" and record.state is SubmissionState.SUCCEEDED
        assert other.accepted_count("PO-SWITCH-2") == 1 and sandbox.accepted_count("PO-SWITCH-2") == 0
        assert sandbox.accepted_count("PO-SWITCH-1") == 1


def test_the_window_stays_responsive_during_a_slow_send(window, qtbot, sandbox):
    window.load_order(order("SLOW-1", "RS-1"))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    try:
        with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS) as blocker:
            assert window.send_current()
            qtbot.waitUntil(window.results.progress_row.isVisible, timeout=2000)
            field = window.editor.fields["orderReference"]
            qtbot.keyClicks(field, "typed while sending")
            window.show_page("History")
            window.show_page("Order")
        record = blocker.args[0]
    finally:
        timer.stop()
    assert record.state is SubmissionState.SUCCEEDED
    assert window.current_order()["orderReference"] == "typed while sending"
    assert "orderReference" not in sandbox.received()[-1].body, "the send took the order as it was when pressed"
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert ticks[-1] - ticks[0] >= 0.5, "the send should have taken the sandbox's slow delay"
    assert max(gaps) < 0.25, f"the GUI thread stalled for {max(gaps) * 1000:.0f} ms (work on it would stall it 600 ms)"


def test_progress_appears_after_a_moment_and_cancel_records_unknown_then_check_finds_it(window, qtbot, sandbox):
    sandbox.slow_delay = HELD_ANSWER_S  # the cancel click must come before the answer, however busy the machine
    window.load_order(order("SLOW-CANCEL-1", "RS-1"))
    panel = window.results
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS) as blocker:
        window.send_current()
        assert not panel.progress_row.isVisible()
        qtbot.waitUntil(panel.progress_row.isVisible, timeout=2000)
        assert "SLOW-CANCEL-1" in panel.progress_label.text()
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].state is SubmissionState.UNKNOWN
    assert panel.headline.text().startswith("Outcome unknown")
    assert "may or may not have arrived" in panel.detail.text()
    assert panel.detail.text().startswith("You cancelled while waiting")
    assert panel.detail.text().count("arrived") == 1, "said once"
    assert panel.check_button.text() in panel.detail.text() and panel.send_again_button.text() in panel.detail.text()
    assert panel.check_button.isVisible()
    assert not panel.progress_row.isVisible()
    qtbot.waitUntil(lambda: sandbox.accepted_count("SLOW-CANCEL-1") == 1, timeout=3000)
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.headline.text().startswith("Already submitted"), timeout=SEND_TIMEOUT_MS)
    assert sandbox.accepted_count("SLOW-CANCEL-1") == 1


def test_unauthorized_offers_to_set_the_token(qtbot, home, sandbox, tmp_path, monkeypatch):
    environments = {
        "environments": [{"id": "staging", "name": "Staging", "base_url": sandbox.url}],
        "active_id": "staging",
    }
    use_environments(tmp_path, environments)
    monkeypatch.setenv("SPECTRUM_API_TOKEN", "not-the-right-token")
    win = build_main_window(context_on(sandbox))
    qtbot.addWidget(win)
    win.load_order(order("PO-AUTH-1", "RS-1"))
    assert send(win, qtbot).reason == "unauthorized"
    button = win.findChild(QPushButton, "setToken")
    assert button.isVisibleTo(win) and "token" in win.results.headline.text()
    with qtbot.waitSignal(win.token_requested) as asked:
        button.click()
    assert asked.args == ["staging"]


def test_an_invalid_order_names_the_environment_chosen_now_not_the_last_one_sent_to(qtbot, home, sandbox, tmp_path,
                                                                                     monkeypatch):
    environments = {
        "environments": [{"id": "first", "name": "First test server", "base_url": sandbox.url},
                         {"id": "second", "name": "Second test server", "base_url": sandbox.url}],
        "active_id": "first",
    }
    use_environments(tmp_path, environments)
    monkeypatch.setenv("SPECTRUM_API_TOKEN", sandbox.token)
    win = build_main_window(context_on(sandbox))
    qtbot.addWidget(win)
    win.load_order(order("PO-ENV-1", "RS-1"))
    assert send(win, qtbot).state is SubmissionState.SUCCEEDED  # the last send went to the first server
    win.environment_combo.setCurrentIndex(win.environment_combo.findData("second"))
    win.load_order(dict(order("PO-ENV-2", "RS-1"), lineItems=[{"recipeSetId": "RS-1", "sku": "S", "quantity": 0}]))
    with qtbot.waitSignal(win.send_not_sent, timeout=SEND_TIMEOUT_MS):
        assert win.send_current() is False
    assert win.results.headline.text() == "Not sent to Second test server."


def test_rate_limited_says_to_wait(window, qtbot):
    window.load_order(order("RATE403-1", "RS-1"))
    record = send(window, qtbot)
    assert record.reason == "rate_limited"
    assert "rate limit" in window.results.headline.text()
    assert window.results.detail.text() == "Wait 1 second, then send again."
    assert window.results.send_again_button.isVisibleTo(window)


def test_an_unreachable_server_says_nothing_arrived_and_send_again_works_once_it_is_back(
        qtbot, home, sandbox, tmp_path, monkeypatch):
    closed = SandboxServer(rate_limit=None)
    url, port = closed.url, int(closed.url.rsplit(":", 1)[1])
    closed.stop()
    environments = {
        "environments": [{"id": "gone", "name": "Gone", "base_url": url}],
        "active_id": "gone",
    }
    use_environments(tmp_path, environments)
    monkeypatch.setenv("SPECTRUM_API_TOKEN", "token-for-gone")
    win = build_main_window(context_on(sandbox))
    qtbot.addWidget(win)
    win.show()
    win.load_order(order("PO-GONE-1", "RS-1"))
    record = send(win, qtbot)
    assert record.reason == "unreachable"
    assert win.results.headline.text() == "Not sent: could not reach Gone."
    assert "network" in win.results.detail.text()
    with SandboxServer(port=port, token="token-for-gone", rate_limit=None) as back:
        with qtbot.waitSignal(win.send_finished, timeout=SEND_TIMEOUT_MS) as blocker:
            qtbot.mouseClick(win.results.send_again_button, Qt.MouseButton.LeftButton)
        again = blocker.args[0]
        assert again.state is SubmissionState.SUCCEEDED and again.original_id == record.id
        assert back.accepted_count("PO-GONE-1") == 1
        assert win.results.headline.text().startswith("Sent:")


def test_a_missing_token_is_shown_before_anything_is_sent(qtbot, home, sandbox, tmp_path):
    environments = {
        "environments": [{"id": "staging", "name": "Staging", "base_url": sandbox.url}],
        "active_id": "staging",
    }
    use_environments(tmp_path, environments)
    win = build_main_window(context_on(sandbox))
    qtbot.addWidget(win)
    win.load_order(order("PO-NOTOKEN-1", "RS-1"))
    with qtbot.waitSignal(win.send_not_sent, timeout=SEND_TIMEOUT_MS) as blocker:
        win.send_current()
    assert "token" in blocker.args[0].lower()
    assert win.results.headline.text() == "Not sent to Staging."
    assert win.results.token_button.isVisibleTo(win)
    assert sandbox.received() == []


def test_closing_the_window_during_a_send_records_it_as_unknown(window, qtbot, sandbox):
    sandbox.slow_delay = HELD_ANSWER_S
    window.load_order(order("SLOW-CLOSE-1", "RS-1"))
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS) as blocker:
        window.send_current()
        qtbot.waitUntil(window.results.progress_row.isVisible, timeout=2000)
        window.close()
    assert blocker.args[0].state is SubmissionState.UNKNOWN


ADDRESS = {
    "firstName": "Ada", "lastName": "Lovelace", "address1": "1 Main St", "city": "Springfield",
    "state": "IL", "postalCode": "62701", "country": "US",
}


def test_a_full_order_goes_to_the_order_endpoint_with_its_addresses(window, qtbot, sandbox):
    window.load_order(dict(order("PO-FULL-1", "RS-1"), customerAddress=ADDRESS, shippingAddress=ADDRESS))
    assert window.editor.kind() == "full"
    record = send(window, qtbot)
    assert record.state is SubmissionState.SUCCEEDED and record.endpoint == "/api/order"
    request = sandbox.received()[-1]
    assert request.path == "/api/order" and request.body["shippingAddress"]["city"] == "Springfield"


def test_ctrl_return_sends_from_a_header_field_and_from_the_line_items_table(window, qtbot, sandbox):
    window.load_order(order("PO-FOCUS-1", "RS-1"))
    field = window.editor.fields["purchaseOrderNumber"]
    field.setFocus()
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS):
        qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    window.load_order(order("PO-FOCUS-2", "RS-1"))
    window.editor.table.setFocus()
    window.editor.table.setCurrentIndex(window.editor.model.index(0, 0))
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS):
        qtbot.keyClick(window.editor.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sandbox.accepted_counts() == {"PO-FOCUS-1": 1, "PO-FOCUS-2": 1}
