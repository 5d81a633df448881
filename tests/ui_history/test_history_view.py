import csv
import dataclasses
import io
import json
import threading
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QDate, Qt

from spectrum_desktop.domain.environment import Environment
from spectrum_desktop.domain.states import NEEDS_ATTENTION, OrderKind, SubmissionState
from tests.services.orders import service, submit
from spectrum_desktop.ui.history_format import PURCHASE_ORDER, STATE, HistoryFilter
from spectrum_desktop.ui.history_sources import history_source
from spectrum_desktop.ui.history_view import RESEND_SAFETY, HistoryView
from tests.ui_history.helpers import closed_port_target, order, select_row, target

ENVIRONMENTS = [
    Environment(id="staging", name="Staging", base_url="https://staging.example.com", colour="#1565c0"),
    Environment(id="production", name="Production", base_url="https://api.example.com", colour="#c62828",
                is_production=True),
]


def make_view(qtbot, journal, target_for=None, confirm=None):
    view = HistoryView(history_source(service(journal, target_for or (lambda _r: None))), ENVIRONMENTS, confirm=confirm)
    qtbot.addWidget(view)
    return view


def fill(journal, n, state=SubmissionState.SUCCEEDED, environment="staging", prefix="PO"):
    for i in range(n):
        journal.record(environment, OrderKind.ACK, "/api/order/acknowledgement", [f"{prefix}-{i}"], [f"R-{i}"],
                       [f"SKU-{i % 3}"], json.dumps(order(f"{prefix}-{i}")), state=state)


def shown_pos(view):
    return [view.model.record(r).purchase_orders[0] for r in range(view.model.rowCount())]


def test_pages_load_as_the_user_scrolls(qtbot, journal):
    fill(journal, 450)
    view = make_view(qtbot, journal)
    model = view.model
    assert model.total == 450 and model.rowCount() == 200
    assert model.data(model.index(0, PURCHASE_ORDER)) == "PO-449"
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 200, timeout=2000)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 450
    assert len({model.record(r).id for r in range(450)}) == 450
    assert "450" in view.count_label.text()


def test_filters_environment_state_dates_and_search(qtbot, journal):
    fill(journal, 3)
    fill(journal, 2, environment="production", prefix="PR")
    journal.record("staging", OrderKind.ACK, "/ack", ["BAD-1"], ["RS-77"], ["SKU-X"], "{}",
                   state=SubmissionState.QUEUED)
    view = make_view(qtbot, journal)
    assert view.model.total == 6
    qtbot.mouseClick(view.attention_button, Qt.MouseButton.LeftButton)
    assert shown_pos(view) == ["BAD-1"]
    assert view.model.data(view.model.index(0, STATE)) == "Queued"

    view.state.setCurrentIndex(0)
    view.environment.setCurrentIndex(view.environment.findText("Production"))
    assert sorted(shown_pos(view)) == ["PR-0", "PR-1"]
    view.environment.setCurrentIndex(0)

    for term, expected in (("PO-2", ["PO-2"]), ("RS-77", ["BAD-1"]), ("SKU-X", ["BAD-1"])):
        view.search.setText(term)
        view.apply_filter()
        assert shown_pos(view) == expected, term


def test_date_range_filter(qtbot, journal):
    fill(journal, 6)
    view = make_view(qtbot, journal)
    today = QDate.currentDate()
    view.date_from.setDate(today.addDays(-3))
    view.date_to.setDate(today.addDays(-1))
    view.use_dates.setChecked(True)
    assert view.model.total == 0
    view.date_to.setDate(today)
    assert view.model.total == 6


def test_fail_recipe_set_is_partial_and_detail_shows_results_json_attempts(qtbot, journal, sandbox):
    submit(journal, target(sandbox), order("PO-P", "R1", "FAIL-2"))
    view = make_view(qtbot, journal)
    assert view.model.data(view.model.index(0, STATE)) == "Partly accepted"
    with qtbot.waitSignal(view.detail_shown, timeout=3000):
        select_row(view, 0)
    text = view.detail.toPlainText()
    assert "FAIL-2" in text and "REJECTED" in text and "R1" in text and "accepted" in text
    assert '"purchaseOrderNumber": "PO-P"' in text  # pretty request JSON
    assert '"allSuccessful": false' in text  # pretty response JSON
    assert "#1 " in text and "HTTP 200" in text  # the attempt
    view.copy_request_button.click()
    from PySide6.QtGui import QGuiApplication
    assert json.loads(QGuiApplication.clipboard().text())["purchaseOrderNumber"] == "PO-P"


def test_server_error_detail_shows_the_trace_id(qtbot, journal, sandbox):
    record = submit(journal, target(sandbox), order("ERR500-1"))
    assert record.state == SubmissionState.FAILED
    view = make_view(qtbot, journal)
    assert view.model.data(view.model.index(0, STATE)) == "Failed (server error)"
    with qtbot.waitSignal(view.detail_shown, timeout=3000):
        select_row(view, 0)
    trace = json.loads(journal.response_body(record.id))["error"].rsplit(" ", 1)[-1]
    assert f"Trace ID: {trace}" in view.detail.toPlainText()


def test_resend_all_needing_attention_after_sandbox_accepts_then_resend_of_delivered(qtbot, journal, sandbox):
    target_for = lambda _r: target(sandbox)  # noqa: E731
    submit(journal, target(sandbox), order("PO-OK"))
    partial = submit(journal, target(sandbox), order("PO-PART", "R1", "FAIL-1"))
    failed = submit(journal, closed_port_target(), order("PO-DOWN"))
    assert (partial.state, failed.state) == (SubmissionState.PARTIAL, SubmissionState.FAILED)
    asked = []
    view = make_view(qtbot, journal, target_for, confirm=lambda q: asked.append(q) or True)
    qtbot.mouseClick(view.attention_button, Qt.MouseButton.LeftButton)
    assert sorted(shown_pos(view)) == ["PO-DOWN", "PO-PART"]

    sandbox.set_accept_failures(True)
    with qtbot.waitSignal(view.resend_finished, timeout=10_000) as resent:
        qtbot.mouseClick(view.resend_all_button, Qt.MouseButton.LeftButton)
    assert asked == ["Resend 2 submissions that need attention? To Staging: PO-DOWN, PO-PART. " + RESEND_SAFETY]
    assert sorted(r.purchase_orders[0] for r in resent.args[0]) == ["PO-DOWN", "PO-PART"]
    assert {r.state for r in resent.args[0]} == {SubmissionState.SUCCEEDED}
    assert all(r.original_id in (partial.id, failed.id) for r in resent.args[0])
    assert "2 succeeded" in view.status.text()

    view.state.setCurrentIndex(0)
    select_row(view, view.model.row_of(next(r.id for r in resent.args[0] if r.purchase_orders[0] == "PO-DOWN")))
    with qtbot.waitSignal(view.resend_finished, timeout=5000) as again:
        view.resend_selected()  # a delivered row: asked first, as the editor asks
    assert asked[-1] == ("Resend 1 submission? It was already delivered: Spectrum will most likely answer "
                         "“already submitted”.")
    assert [r.state for r in again.args[0]] == [SubmissionState.ALREADY_SUBMITTED]
    assert sandbox.accepted_count("PO-DOWN") == sandbox.accepted_count("PO-PART") == 1

    qtbot.mouseClick(view.attention_button, Qt.MouseButton.LeftButton)
    assert shown_pos(view) == []  # the originals still say failed/partial, but they were sent again since

    late = submit(journal, closed_port_target(), order("PO-OK"))  # PO-OK arrived before; this repeat failed
    view.apply_filter()
    assert shown_pos(view) == ["PO-OK"] and view.model.record(0).id == late.id
    posts = len([r for r in sandbox.received() if r.method == "POST"])
    with qtbot.waitSignal(view.resend_finished, timeout=5000) as third:
        view.resend_needing_attention()
    assert third.args[0] == [] and "Skipped 1 already in Spectrum" in view.status.text()
    assert len([r for r in sandbox.received() if r.method == "POST"]) == posts


def test_check_unknown_finds_the_order_arrived(qtbot, journal, sandbox):
    record = submit(journal, target(sandbox, read_timeout=0.3), order("SLOW-1"))
    assert record.state == SubmissionState.UNKNOWN
    view = make_view(qtbot, journal, lambda _r: target(sandbox))
    with qtbot.waitSignal(view.check_finished, timeout=5000) as checked:
        view.check_unknown()
    assert [(c.record.id, c.delivered) for c in checked.args[0]] == [(record.id, True)]
    assert journal.get(record.id).state == SubmissionState.ALREADY_SUBMITTED
    assert view.model.data(view.model.index(0, STATE)) == "Already submitted"
    assert "1 had arrived" in view.status.text()


def test_check_unknown_says_an_order_that_never_arrived_can_be_resent(qtbot, journal, sandbox):
    # A crash while sending leaves the row "sending"; on the next start it becomes unknown.
    sid = journal.record("staging", OrderKind.ACK, "/api/order/acknowledgement", ["PO-LOST"], ["RS-L"], ["SKU-L"],
                         json.dumps(order("PO-LOST")))
    journal.mark_sending(sid)
    assert [r.id for r in journal.recover().unknown] == [sid]
    view = make_view(qtbot, journal, lambda _r: target(sandbox))
    with qtbot.waitSignal(view.check_finished, timeout=5000) as checked:
        view.check_unknown()
    assert [(c.record.id, c.delivered) for c in checked.args[0]] == [(sid, False)]
    assert journal.get(sid).state == SubmissionState.UNKNOWN
    assert "1 did not arrive and can be resent safely" in view.status.text()
    assert sandbox.accepted_count("PO-LOST") == 0

    with qtbot.waitSignal(view.resend_finished, timeout=5000) as resent:
        view.resend_needing_attention()
    assert [r.state for r in resent.args[0]] == [SubmissionState.SUCCEEDED]
    assert sandbox.accepted_count("PO-LOST") == 1


def test_open_in_editor_gives_the_sent_order(qtbot, journal):
    fill(journal, 1)
    view = make_view(qtbot, journal)
    select_row(view, 0)
    with qtbot.waitSignal(view.open_in_editor, timeout=1000) as opened:
        assert view.open_selected_in_editor()
    assert opened.args[0] == order("PO-0")


def test_export_filtered_rows_without_personal_data_unless_asked(qtbot, journal, tmp_path):
    journal.sender = "ada@desk-1"  # who sent each row is exported (a shared history's rows have many senders)
    fill(journal, 250)
    fill(journal, 5, state=SubmissionState.FAILED, prefix="F")
    full = {**order("F-FULL"), "customerAddress": {"firstName": "Ada", "email": "ada@example.com"}}
    journal.record("staging", OrderKind.FULL, "/api/order", ["F-FULL"], ["R1"], ["S"], json.dumps(full),
                   state=SubmissionState.FAILED)
    view = make_view(qtbot, journal)
    path = tmp_path / "out.csv"
    assert view.export(str(path)) == 256
    text = path.read_text()
    assert "ada@example.com" not in text and "Ada" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["purchase_orders"] for r in rows} >= {f"PO-{i}" for i in range(250)}
    assert {r["sent_by"] for r in rows} == {"ada@desk-1"}
    view.state.setCurrentIndex(view.state.findText("Failed"))
    assert view.export(str(path), include_personal_data=True) == 6
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert {r["state"] for r in rows} == {"failed"}
    assert "ada@example.com" in path.read_text()


def test_show_filter_sets_the_widgets_and_live_reload_keeps_selection(qtbot, journal):
    fill(journal, 3, state=SubmissionState.FAILED)
    view = make_view(qtbot, journal)
    view.show()
    now = datetime.now(timezone.utc)
    view.show_filter(HistoryFilter(environment_id="staging", states=NEEDS_ATTENTION,
                                   since=now - timedelta(hours=1), until=now + timedelta(hours=1)))
    assert view.state.currentText() == "Needs attention" and view.use_dates.isChecked()
    assert view.environment.currentData() == "staging" and view.model.total == 3
    select_row(view, 1)
    selected = view.model.record(1).id
    fill(journal, 2, state=SubmissionState.FAILED, prefix="NEW")
    view.notify_changed()
    qtbot.waitUntil(lambda: view.model.total == 5, timeout=2000)
    assert view.model.record(view.table.currentIndex().row()).id == selected


def test_resending_to_production_asks_naming_the_count_and_no_sends_nothing(qtbot, journal, sandbox):
    submit(journal, target(sandbox, "production"), order("PROD-1", "FAIL-1"))
    submit(journal, target(sandbox), order("STAGE-1", "FAIL-1"))
    asked = []
    view = make_view(qtbot, journal, lambda r: target(sandbox, r.environment_id),
                     confirm=lambda q: asked.append(q) or False)
    assert view.confirm_resend_all() is None
    assert asked == ["Resend 2 submissions that need attention? To Staging and Production: STAGE-1, PROD-1. "
                     "1 of them goes to PRODUCTION: a real order. " + RESEND_SAFETY]
    view.table.selectAll()
    assert view.resend_selected() is None
    assert "1 of them goes to PRODUCTION" in asked[-1]
    assert len([r for r in sandbox.received() if r.path.startswith("/api/")]) == 2



def test_the_table_updates_while_a_resend_runs(qtbot, journal, sandbox):
    for n in range(4):
        submit(journal, target(sandbox), order(f"LIVE-{n}", "FAIL-1"))
    sandbox.set_accept_failures(True)
    release = threading.Event()
    source = history_source(service(journal, lambda _r: target(sandbox)))
    first_done = threading.Event()

    def slow_resend(submission_id):
        record = source.resend(submission_id)
        first_done.set()
        release.wait(5)
        return record

    view = HistoryView(dataclasses.replace(source, resend=slow_resend), ENVIRONMENTS)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.resend_finished, timeout=10_000):
        view.resend_needing_attention()
        assert first_done.wait(5)
        qtbot.waitUntil(lambda: SubmissionState.SUCCEEDED in
                        {view.model.record(r).state for r in range(view.model.rowCount())}, timeout=3000)
        assert view.model.total == 5  # the first resend is listed while the others still wait
        release.set()
    assert view.model.total == 8


def test_the_table_and_the_detail_name_the_environment_not_its_id(qtbot, journal, sandbox):
    from spectrum_desktop.ui.history_format import ENVIRONMENT

    submit(journal, target(sandbox, "production"), order("PROD-N1"))
    view = make_view(qtbot, journal)
    assert view.model.data(view.model.index(0, ENVIRONMENT)) == "Production"
    with qtbot.waitSignal(view.detail_shown, timeout=3000):
        select_row(view, 0)
    assert "Environment: Production " in view.detail.toPlainText()
    assert "production " not in view.detail.toPlainText().split("\n")[1]


def test_the_count_and_questions_have_the_right_plural(qtbot, journal, sandbox):
    fill(journal, 1, state=SubmissionState.FAILED)
    asked = []
    view = make_view(qtbot, journal, confirm=lambda q: asked.append(q) or False)
    assert view.count_label.text() == "1 submission"
    view.confirm_resend_all()
    assert asked == ["Resend 1 submission that needs attention? To Staging: PO-0. " + RESEND_SAFETY]
    fill(journal, 1, state=SubmissionState.FAILED, prefix="PX")
    view.apply_filter()
    assert view.count_label.text() == "2 submissions"


def test_states_are_coloured_badges_wide_enough_for_their_text(qtbot, journal, sandbox):
    from spectrum_desktop.ui.badges import BADGE_ROLE

    submit(journal, target(sandbox), order("PO-B1", "R1", "FAIL-2"))
    submit(journal, closed_port_target(), order("PO-B2"))
    view = make_view(qtbot, journal)
    view.show()
    qtbot.waitExposed(view)
    colours = {view.model.data(view.model.index(r, STATE), BADGE_ROLE) for r in range(2)}
    assert len(colours) == 2 and None not in colours
    metrics = view.table.fontMetrics()
    for row in range(2):
        text = view.model.data(view.model.index(row, STATE))
        assert view.table.columnWidth(STATE) > metrics.horizontalAdvance(text), text  # "Failed (could not connect)"


def test_the_date_filter_names_the_month(qtbot, journal):
    view = make_view(qtbot, journal)
    view.date_from.setDate(QDate(2026, 11, 28))
    from PySide6.QtCore import QLocale

    month = view.date_from.locale().monthName(11, QLocale.FormatType.ShortFormat)
    assert view.date_from.text() == f"28 {month} 2026"
    assert not view.use_dates.isChecked() and not view.date_from.isEnabled(), \
        "a date set while From is unticked is kept for later, not applied"


def test_a_bulk_sent_order_shows_its_own_part_of_the_answer(qtbot, journal, sandbox):
    from spectrum_desktop.services.submission import SubmissionService

    service = SubmissionService(journal)
    service.send(service.check_many([order("PO-BULK-1"), order("PO-BULK-2", "R1", "FAIL-2")], None, target(sandbox)),
                 batch_size=10)
    view = make_view(qtbot, journal)
    for row in range(2):
        with qtbot.waitSignal(view.detail_shown, timeout=3000):
            select_row(view, row)
        response = view.detail.toPlainText().split("Response:", 1)[1]
        assert "(none)" not in response
        po = view.model.record(row).purchase_orders[0]
        assert f'"purchaseOrderNumber": "{po}"' in response


def test_sent_by_is_hidden_for_this_computers_own_history_and_shown_and_filtered_for_a_shared_one(qtbot, journal):
    from spectrum_desktop.ui.history_format import SENT_BY

    fill(journal, 2)
    journal.record("staging", OrderKind.ACK, "/api/order/acknowledgement", ["PO-2026-000042"],
                   ["R-9"], ["SKU-9"], "{}", state=SubmissionState.FAILED)
    view = make_view(qtbot, journal)
    view.resize(1024, 600)
    view.show()
    assert view.table.isColumnHidden(SENT_BY) and view.sent_by.isHidden()
    assert view.current_filter().sender is None
    assert view.table.horizontalScrollBar().maximum() == 0
    journal.sender = "Robert Fairweather-Smith"  # a local history is one person's: every row is the owner's
    view.set_shared(True, "Robert Fairweather-Smith")
    view.apply_filter()
    assert not view.table.isColumnHidden(SENT_BY) and not view.sent_by.isHidden()
    assert view.model.headerData(SENT_BY, Qt.Orientation.Horizontal) == "Sent by"
    assert view.model.data(view.model.index(0, SENT_BY)) == "Robert Fairweather-Smith"
    assert view.table.horizontalHeader().sectionSize(SENT_BY) <= 140
    assert view.model.data(view.model.index(0, SENT_BY), Qt.ItemDataRole.ToolTipRole) == "Robert Fairweather-Smith"
    view.sent_by.setCurrentText("bob")
    qtbot.keyClick(view.sent_by.lineEdit(), Qt.Key.Key_Return)
    assert view.model.filter.sender == "bob" and view.model.total == 0
    view.sent_by.setCurrentIndex(view.sent_by.findText("Robert Fairweather-Smith"))
    view.sent_by.activated.emit(view.sent_by.currentIndex())
    assert view.model.filter.sender == "Robert Fairweather-Smith" and view.model.total == 3
    view.show_filter(HistoryFilter())
    assert view.sent_by.currentText() == "Sent by anyone" and view.current_filter().sender is None
    qtbot.wait(50)
    assert view.table.horizontalScrollBar().maximum() == 0  # the extra column pushes nothing out of sight


def test_an_empty_history_shows_every_column_heading_whole(qtbot, journal):
    from spectrum_desktop.ui.badges import text_width
    from spectrum_desktop.ui.history_format import COLUMNS

    view = make_view(qtbot, journal)
    view.resize(1000, 600)
    view.show()
    qtbot.waitExposed(view)
    header = view.table.horizontalHeader()
    assert view.model.rowCount() == 0
    cut = [COLUMNS[c] for c in range(header.count()) if not header.isSectionHidden(c)
           and header.sectionSize(c) < text_width(view.table.font(), [COLUMNS[c]], padding=12)]
    assert cut == []
