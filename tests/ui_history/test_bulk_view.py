import json
import time

from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent

from spectrum_desktop.domain.states import NEEDS_ATTENTION, SubmissionState
from spectrum_desktop.api import RateLimits
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.ui.bulk_view import BulkView, SendPlan
from spectrum_desktop.ui.history_sources import bulk_source, history_source
from tests.services.orders import service
from spectrum_desktop.ui.history_view import HistoryView
from tests.ui_history.helpers import api_statuses, order, orders_csv, rows_per_po, target


def plan(rate=(100, 1.0), batch_size=50, production=False):
    return SendPlan("staging", "Staging", production, batch_size, *rate)


def make_view(qtbot, journal, server, send_plan, confirm=None):
    sandbox_target = target(server, limits=RateLimits(send_plan.rate_requests, send_plan.rate_seconds))
    source = bulk_source(service(journal), lambda: send_plan, lambda _p: sandbox_target)
    view = BulkView(source, confirm=confirm)
    qtbot.addWidget(view)
    return view


class Ticks:
    """A 10 ms timer on the GUI thread; the largest gap between ticks shows whether the GUI stayed responsive."""

    def __init__(self):
        self.times = []
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(lambda: self.times.append(time.monotonic()))

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.stop()

    def largest_gap(self):
        return max(b - a for a, b in zip(self.times, self.times[1:]))


def test_thousand_rows_flagged_sent_cancelled_resumed_each_order_once_gui_responsive(qtbot, journal, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(1000, invalid_every=100))
    rate = (4, 0.5)  # scaled: 8 requests a second, batches of 25 -> 1,000 orders take about 5 s
    with SandboxServer(rate_limit=rate) as server:
        view = make_view(qtbot, journal, server, plan(rate, batch_size=25))
        assert view.open_path(str(path))
        invalid = view.model.invalid_rows()
        assert len(view.model.rows) == 1000 and len(invalid) == 10
        assert all("quantity" in " ".join(r.problems).lower() for r in invalid)
        assert view.model.data(view.model.index(7, 2)) == "Invalid – not sent"
        assert "10 invalid" in view.summary.text()

        with Ticks() as ticks:
            with qtbot.waitSignal(view.send_finished, timeout=20_000) as first:
                qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
                qtbot.waitUntil(lambda: view.progress.value() >= 300, timeout=15_000)
                assert "left" in view.time_left.text()
                qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
            assert first.args[0].cancelled
            sent_first = len(first.args[0].records)
            assert 300 <= sent_first < 990
            assert len(first.args[0].queued_ids) == 990 - sent_first
            assert "resume" in view.summary.text()
            with qtbot.waitSignal(view.send_finished, timeout=20_000) as second:
                qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
        assert not second.args[0].cancelled
        assert len(second.args[0].records) == 990 - sent_first
        assert ticks.largest_gap() < 0.25, ticks.largest_gap()  # a batch sent on the GUI thread would stall it seconds

        valid_pos = {r.purchase_order for r in view.model.valid_rows()}
        assert server.accepted_counts() == {po: 1 for po in valid_pos}
        assert 403 not in api_statuses(server)
        assert all(r.outcome.state == SubmissionState.SUCCEEDED for r in view.model.valid_rows())
        assert all(r.outcome is None for r in invalid)
        assert view.progress.value() == view.progress.maximum()
        assert "990 succeeded" in view.summary.text()
        assert rows_per_po(journal) == {po: 1 for po in valid_pos}


def test_fail_recipe_sets_show_partial_and_one_click_filters_history_to_this_run(qtbot, journal, sandbox, tmp_path):
    journal_before = order("OLD-1", "FAIL-0")
    from tests.services.orders import submit
    submit(journal, target(sandbox), journal_before)  # an older problem: not part of the run
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(40, fail_every=10, prefix="RUN"))
    view = make_view(qtbot, journal, sandbox, plan())
    history = HistoryView(history_source(service(journal, lambda _r: target(sandbox))))
    qtbot.addWidget(history)
    view.show_problems.connect(history.show_filter)
    view.open_path(str(path))
    with qtbot.waitSignal(view.send_finished, timeout=10_000):
        view.send_valid()
    partial = [r for r in view.model.rows if r.outcome.state == SubmissionState.PARTIAL]
    assert sorted(r.purchase_order for r in partial) == ["RUN-13", "RUN-23", "RUN-3", "RUN-33"]
    assert view.model.data(view.model.index(view.model.rows.index(partial[0]), 3)) == "Partly accepted"
    assert "36 succeeded, 4 partly accepted" in view.summary.text()
    assert not view.problems_button.isHidden()
    qtbot.mouseClick(view.problems_button, Qt.MouseButton.LeftButton)
    assert history.model.filter.states == NEEDS_ATTENTION
    assert sorted(history.model.record(r).purchase_orders[0] for r in range(history.model.rowCount())) == \
        ["RUN-13", "RUN-23", "RUN-3", "RUN-33"]


def test_production_asks_once_naming_the_count(qtbot, journal, sandbox, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(12, invalid_every=10))
    asked, answers = [], [False, True]
    view = make_view(qtbot, journal, sandbox, plan(production=True),
                     confirm=lambda n, name: asked.append((n, name)) or answers.pop(0))
    view.open_path(str(path))
    assert view.send_valid() is None
    assert asked == [(11, "Staging")]
    assert api_statuses(sandbox) == []
    with qtbot.waitSignal(view.send_finished, timeout=5000):
        view.send_valid()
    assert len(asked) == 2 and sum(sandbox.accepted_counts().values()) == 11


def test_template_several_files_drop_and_invalid_row_opens_in_editor(qtbot, journal, sandbox, tmp_path):
    view = make_view(qtbot, journal, sandbox, plan())
    view.save_template(str(tmp_path / "t.csv"))
    (tmp_path / "more.json").write_text(json.dumps([order("J-1"), {**order("J-2"), "orderDate": "yesterday-ish"}]))
    assert view.open_paths([str(tmp_path / "t.csv"), str(tmp_path / "more.json")])
    assert [r.valid for r in view.model.rows] == [False, True, False], "the template's example row is never sent"
    assert "example row" in " ".join(view.model.rows[0].problems)
    assert view.model.rows[2].source == "more.json, order 2"
    with qtbot.waitSignal(view.open_in_editor, timeout=1000) as opened:
        view.open_row_in_editor(2)
    assert opened.args[0]["purchaseOrderNumber"] == "J-2"

    view.clear()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "more.json"))])
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    view.dropEvent(drop)
    assert [r.purchase_order for r in view.model.rows] == ["J-1", "J-2"]


def test_unfocused_window_gets_a_notification_at_the_end(qtbot, journal, sandbox, tmp_path):
    (tmp_path / "o.json").write_text(json.dumps([order("N-1"), order("N-2", "FAIL-1")]))
    view = make_view(qtbot, journal, sandbox, plan())
    view.open_path(str(tmp_path / "o.json"))
    assert not view.isActiveWindow()
    with qtbot.waitSignal(view.send_finished, timeout=5000):
        view.send_valid()
    assert "1 succeeded" in view.last_notification and "1 failed" in view.last_notification


def test_a_recipe_set_environment_imports_csv_as_recipe_sets(qtbot, journal, sandbox, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(3, sku_quantities=True))
    recipe_plan = SendPlan("staging", "Staging", recipe_sets=True)
    view = make_view(qtbot, journal, sandbox, recipe_plan)
    view.open_path(str(path))
    assert all("recipeSets" in r.raw and "lineItems" not in r.raw for r in view.model.rows)
    with qtbot.waitSignal(view.send_finished, timeout=5000) as done:
        view.send_valid()
    assert {r.state for r in done.args[0].records} == {SubmissionState.SUCCEEDED}
    assert all(r.kind == "ack-recipeset" for r in done.args[0].records)


def test_csv_rows_and_problems_name_the_file_line_and_column(qtbot, journal, sandbox, tmp_path):
    from spectrum_desktop.ui.bulk_model import VALID

    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(10, invalid_every=100))  # order PO-7 has quantity 0, on line 9 of the file
    view = make_view(qtbot, journal, sandbox, plan())
    view.open_path(str(path))
    assert view.model.rows[0].source == "orders.csv, line 2"
    bad = view.model.rows[7]
    assert bad.source == "orders.csv, line 9"
    assert any(p.startswith("Line 9, column lineItems.quantity: ") for p in bad.problems), bad.problems
    tooltip = view.model.data(view.model.index(7, VALID), Qt.ItemDataRole.ToolTipRole)
    assert "Line 9" in tooltip and "Quantity" in tooltip


def test_a_second_send_keeps_the_runs_summary_and_send_is_enabled_only_with_something_to_send(
        qtbot, journal, sandbox, tmp_path):
    view = make_view(qtbot, journal, sandbox, plan())
    assert not view.send_button.isEnabled() and not view.edit_button.isEnabled()
    (tmp_path / "o.json").write_text(json.dumps([order("S-1"), order("S-2")]))
    view.open_path(str(tmp_path / "o.json"))
    assert view.send_button.isEnabled()
    with qtbot.waitSignal(view.send_finished, timeout=5000):
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    summary = view.summary.text()
    assert "2 succeeded" in summary and "0 " not in summary
    assert not view.send_button.isEnabled()
    assert view.send_valid() is None
    assert view.summary.text() == summary
    view.table.selectRow(0)
    assert view.edit_button.isEnabled()


def test_a_saved_template_is_confirmed(qtbot, journal, sandbox, tmp_path):
    view = make_view(qtbot, journal, sandbox, plan())
    view.save_template(str(tmp_path / "t.csv"))
    box = view.confirm_template_saved(str(tmp_path / "t.csv"))
    assert box.isVisible() and str(tmp_path / "t.csv") in box.text()


def test_every_row_of_a_finished_batch_shows_its_outcome_while_the_run_goes_on(qtbot, journal, sandbox, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(30, prefix="LIVE"))
    view = make_view(qtbot, journal, sandbox, plan(rate=(1, 0.7), batch_size=10))  # a batch every 0.7 s
    view.open_path(str(path))
    with qtbot.waitSignal(view.send_finished, timeout=15_000):
        view.send_valid()
        qtbot.waitUntil(lambda: view.progress.value() >= 10, timeout=5000)
        assert view.is_sending()  # the run is still going
        shown = [r.purchase_order for r in view.model.rows if r.outcome is not None]
        assert len(shown) >= 10, shown


def test_bulk_skips_delivered_orders_until_asked_and_never_resends_accepted_recipe_sets(
        qtbot, journal, sandbox, tmp_path):
    from tests.services.orders import submit

    assert submit(journal, target(sandbox), order("BD-DONE")).state is SubmissionState.SUCCEEDED
    assert submit(journal, target(sandbox), order("BD-PART", "R1", "FAIL-2")).state is SubmissionState.PARTIAL

    def posted(po):
        return [[i["recipeSetId"] for i in o["lineItems"]] for r in sandbox.received() if r.method == "POST"
                for o in (r.body if isinstance(r.body, list) else [r.body])
                if isinstance(o, dict) and o.get("purchaseOrderNumber") == po]

    view = make_view(qtbot, journal, sandbox, plan())
    (tmp_path / "o.json").write_text(json.dumps([order("BD-DONE"), order("BD-PART", "R1", "R2"),
                                                 order("BD-NEW")]))
    view.open_path(str(tmp_path / "o.json"))
    with qtbot.waitSignal(view.send_finished, timeout=5000) as run:
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    assert run.args[0].skipped_delivered == ["BD-DONE"]
    assert posted("BD-DONE") == [["R1"]] and posted("BD-NEW") == [["R1"]]
    assert posted("BD-PART") == [["R1", "FAIL-2"], ["R2"]]  # R1 was accepted: never POSTed again
    summary = view.summary.text()
    assert "1 order was already delivered to Staging, not sent again (BD-DONE)" in summary
    assert "BD-PART: R1 was already accepted and not sent again; only its other recipe sets were sent" in summary
    assert not view.send_button.isEnabled()  # nothing else to send; the skipped one waits for its own button
    assert not view.send_delivered_button.isHidden() and view.send_delivered_button.text() == "Send it anyway"

    with qtbot.waitSignal(view.send_finished, timeout=5000) as forced:
        qtbot.mouseClick(view.send_delivered_button, Qt.MouseButton.LeftButton)
    assert [r.purchase_orders for r in forced.args[0].records] == [("BD-DONE",)]
    assert forced.args[0].records[0].state is SubmissionState.ALREADY_SUBMITTED
    assert len(posted("BD-DONE")) == 2 and view.send_delivered_button.isHidden()
    assert "already delivered" not in view.summary.text()


def test_while_a_run_goes_only_cancel_is_enabled_and_the_time_left_waits_for_a_measurement(
        qtbot, journal, sandbox, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(orders_csv(15, prefix="RUN"))
    view = make_view(qtbot, journal, sandbox, plan(rate=(1, 0.8), batch_size=5))  # a batch every 0.8 s
    view.open_path(str(path))
    view.table.selectRow(0)
    idle = (view.open_button, view.clear_button, view.edit_button, view.send_button)
    assert all(b.isEnabled() for b in idle) and not view.cancel_button.isEnabled()
    with qtbot.waitSignal(view.send_finished, timeout=15_000):
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
        assert view.is_sending()
        assert [b.objectName() for b in idle if b.isEnabled()] == []
        assert view.cancel_button.isEnabled()
        assert view.time_left.text() == "estimating…"  # nothing measured yet: no "about 0 s left"
        assert "Cancel" in view.send_button.toolTip()
        assert view.send_valid() is None and not view.open_path(str(path))  # nor by code, a drop or a double-click
        with qtbot.assertNotEmitted(view.open_in_editor):
            view.open_row_in_editor(0)
        qtbot.waitUntil(lambda: view.progress.value() >= 5, timeout=5000)
        assert view.is_sending() and not view.send_button.isEnabled() and not view.open_button.isEnabled()
        left = view.time_left.text()
        assert left.startswith("about ") and left.endswith(" left") and left != "about 0 s left", left
    assert view.time_left.text() == "done"
    assert not view.cancel_button.isEnabled()
    assert view.open_button.isEnabled() and view.clear_button.isEnabled() and view.edit_button.isEnabled()
    assert "Cancel" not in view.open_button.toolTip()
    assert len(view.model.rows) == 15 and all(r.outcome is not None for r in view.model.rows)


def test_a_csv_row_with_a_blank_recipe_set_id_loads_as_an_invalid_row_naming_line_and_column(
        qtbot, journal, sandbox, tmp_path):
    from spectrum_desktop.ui.bulk_model import PROBLEMS

    path = tmp_path / "orders.csv"
    path.write_text("purchaseOrderNumber,orderDate,lineItems.recipeSetId,lineItems.sku,lineItems.quantity\n"
                    "B-1,2024-05-01,R1,100003-0001-S,1\n"
                    "B-1,2024-05-01,R2,100003-0001-S,1\n"
                    "B-2,2024-05-01,,100003-0001-S,1\n"
                    "B-3,2024-05-01,R1,100003-0001-S,two\n"
                    "B-4,2024-05-01,R1,100003-0001-S,1\n")
    view = make_view(qtbot, journal, sandbox, plan())
    assert view.open_path(str(path))  # no dialog: the file is read, its bad rows shown as such
    assert [(r.purchase_order, r.source, r.valid) for r in view.model.rows] == [
        ("B-1", "orders.csv, lines 2–3", True), ("B-2", "orders.csv, line 4", False),
        ("B-3", "orders.csv, line 5", False), ("B-4", "orders.csv, line 6", True)]
    blank = view.model.data(view.model.index(1, PROBLEMS))
    assert blank.startswith("Line 4, column lineItems.recipeSetId: "), blank
    assert "Recipe set ID" in blank and "[" not in blank  # the header's name, not a JSON path
    assert view.model.data(view.model.index(2, PROBLEMS)).startswith("Line 5, column lineItems.quantity: ")
    assert "2 invalid" in view.summary.text()
    with qtbot.waitSignal(view.send_finished, timeout=5000) as done:
        view.send_valid()
    assert sorted(p for r in done.args[0].records for p in r.purchase_orders) == ["B-1", "B-4"]


def test_a_failed_row_shows_the_servers_reason_in_historys_words(qtbot, journal, sandbox, tmp_path):
    from spectrum_desktop.ui.bulk_model import PROBLEMS
    from spectrum_desktop.ui.history_format import MESSAGE, cell

    (tmp_path / "o.json").write_text(json.dumps([order("F-1"), order("F-2", "FAIL-7"), order("F-3", "R1", "FAIL-8")]))
    view = make_view(qtbot, journal, sandbox, plan())
    view.open_path(str(tmp_path / "o.json"))
    with qtbot.waitSignal(view.send_finished, timeout=5000):
        view.send_valid()
    states = [r.outcome.state for r in view.model.rows]
    assert states == [SubmissionState.SUCCEEDED, SubmissionState.FAILED, SubmissionState.PARTIAL]
    problems = [view.model.data(view.model.index(n, PROBLEMS)) for n in range(3)]
    assert problems[0] == ""
    assert "FAIL-7" in problems[1] and "FAIL-8" in problems[2] and "R1:" not in problems[2]
    assert problems[1:] == [cell(r.outcome, MESSAGE) for r in view.model.rows[1:]]  # as History's Message column
    assert view.model.data(view.model.index(1, PROBLEMS), Qt.ItemDataRole.ToolTipRole) == problems[1]


def test_this_runs_problems_are_only_the_rows_this_run_created(qtbot, journal, sandbox, tmp_path):
    (tmp_path / "first.json").write_text(json.dumps([order("ONE-1", "FAIL-1"), order("ONE-2")]))
    (tmp_path / "second.json").write_text(json.dumps([order("TWO-1", "FAIL-2"), order("TWO-2", "R1", "FAIL-3"),
                                                      order("TWO-3")]))
    view = make_view(qtbot, journal, sandbox, plan())
    history = HistoryView(history_source(service(journal, lambda _r: target(sandbox))))
    qtbot.addWidget(history)
    view.show_problems.connect(history.show_filter)
    for name in ("first.json", "second.json"):  # two runs of the same day, a moment apart
        view.open_path(str(tmp_path / name))
        with qtbot.waitSignal(view.send_finished, timeout=5000):
            view.send_valid()
    qtbot.mouseClick(view.problems_button, Qt.MouseButton.LeftButton)
    shown = sorted(history.model.record(r).purchase_orders[0] for r in range(history.model.rowCount()))
    assert shown == ["TWO-1", "TWO-2"]
