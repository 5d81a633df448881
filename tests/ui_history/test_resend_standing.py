"""A resend of a partly accepted order that Spectrum refuses again says where the order as a whole stands (History,
the result panel, the command line), and opening it in the editor keeps the "Already accepted" note."""

import io

from spectrum_desktop.cli.output import print_records
from spectrum_desktop.domain.states import FailureReason, SubmissionState
from spectrum_desktop.ui.badges import BADGE_ROLE, STATE_COLOURS
from spectrum_desktop.ui.history_format import MESSAGE, STATE
from tests.ui_history.helpers import order
from tests.ui_history.test_window_pages import posted, sent_partly_accepted, window_and_sandbox  # noqa: F401


def _partly_accepted_then_resent(qtbot, window, server, po):
    history, original = sent_partly_accepted(qtbot, window, po, "RS-200", "FAIL-2")
    with qtbot.waitSignal(history.resend_finished, timeout=10_000) as resent:
        history.resend_selected()
    again = resent.args[0][0]
    qtbot.waitUntil(lambda: history.model.total == 2, timeout=3000)
    return history, original, again


def test_a_refused_resend_of_a_partly_accepted_order_says_the_order_is_still_partly_accepted(
        qtbot, window_and_sandbox):  # noqa: F811
    window, server = window_and_sandbox
    history, original, again = _partly_accepted_then_resent(qtbot, window, server, "STAND-1")
    assert [[i["recipeSetId"] for i in b["lineItems"]] for b in posted(server, "STAND-1")] == \
        [["RS-200", "FAIL-2"], ["FAIL-2"]]
    # The journal keeps the row's own truth: this request was refused.
    assert (again.state, again.reason, again.original_id) == (SubmissionState.FAILED, FailureReason.REJECTED,
                                                              original.id)
    model = history.model
    row = model.row_of(again.id)
    assert model.data(model.index(row, STATE)) == "Still partly accepted"
    assert model.data(model.index(row, STATE), BADGE_ROLE) == STATE_COLOURS[SubmissionState.PARTIAL]
    message = model.data(model.index(row, MESSAGE))
    assert message.startswith("Still partly accepted: RS-200 accepted earlier; FAIL-2 refused again.")
    assert "1 of 1" not in message and "RS-200 is never sent again" in message
    assert history.status.text() == "Resent 1: 1 still partly accepted."
    # The result panel under the order says the same.
    assert window.results.headline.text() == "Still partly accepted: RS-200 accepted earlier; FAIL-2 refused again."
    assert not window.results.correct_button.isHidden()
    # So does `history` on the command line (the --json keeps the row's state and adds what was accepted earlier).
    record = window.context.submissions.record(again.id)
    out = io.StringIO()
    print_records([record], False, out)
    assert "still partly accepted" in out.getvalue() and "RS-200 accepted earlier" in out.getvalue()
    out = io.StringIO()
    print_records([record], True, out)
    assert '"state": "failed"' in out.getvalue() and '"RS-200"' in out.getvalue()
    # The original partly accepted row keeps its own words.
    assert model.data(model.index(model.row_of(original.id), STATE)) == "Partly accepted"


def test_opening_the_refused_resend_in_the_editor_keeps_the_already_accepted_note(qtbot, window_and_sandbox):  # noqa: F811
    window, server = window_and_sandbox
    history, original, again = _partly_accepted_then_resent(qtbot, window, server, "STAND-2")
    for submission_id in (original.id, again.id):
        history.table.selectRow(history.model.row_of(submission_id))
        with qtbot.waitSignal(history.open_in_editor, timeout=3000):
            assert history.open_selected_in_editor()
        assert [i["recipeSetId"] for i in window.current_order()["lineItems"]] == ["FAIL-2"]
        assert window.editor.note().startswith("Already accepted by Local sandbox: RS-200"), submission_id
    # Sent from there, it is a correction of the resend: RS-200 is not sent again.
    server.set_accept_failures(True)
    with qtbot.waitSignal(window.send_finished, timeout=10_000) as sent:
        window.send_action.trigger()
    assert sent.args[0].state == SubmissionState.SUCCEEDED and sent.args[0].original_id == again.id
    assert [[i["recipeSetId"] for i in b["lineItems"]] for b in posted(server, "STAND-2")][-1] == ["FAIL-2"]


def test_resend_all_is_off_when_nothing_needs_attention_and_its_question_names_environments_and_orders(
        qtbot, journal):
    from tests.ui_history.test_history_view import fill, make_view

    asked = []
    view = make_view(qtbot, journal, confirm=lambda q: asked.append(q) or False)
    assert view.model.total == 0
    assert not view.resend_all_button.isEnabled()
    assert view.resend_all_button.toolTip() == "Nothing in this list needs attention: there is nothing to resend."
    fill(journal, 2)  # delivered: still nothing to resend
    view.apply_filter()
    assert view.model.total == 2 and not view.resend_all_button.isEnabled()

    fill(journal, 6, SubmissionState.FAILED, prefix="ST")
    fill(journal, 1, SubmissionState.FAILED, environment="production", prefix="PR")
    view.apply_filter()
    assert view.resend_all_button.isEnabled()
    assert "failed, partly accepted" in view.resend_all_button.toolTip()
    assert view.confirm_resend_all() is None  # answered No
    assert len(asked) == 1
    question = asked[0]
    assert question.startswith("Resend 7 submissions that need attention? To Production and Staging: "
                               "PR-0, ST-5, ST-4, ST-3, ST-2 and 2 more. 1 of them goes to PRODUCTION"), question


def test_bulk_marks_orders_delivered_before_sending_says_so_after_skipping_and_the_bar_ends_full(
        qtbot, journal, sandbox, tmp_path):
    import json

    from PySide6.QtCore import Qt

    from spectrum_desktop.ui.bulk_model import OUTCOME, PROBLEMS, VALID
    from tests.ui_history.test_bulk_view import make_view as bulk_view
    from tests.ui_history.test_bulk_view import plan

    path = tmp_path / "o.json"
    path.write_text(json.dumps([order("BK-1"), order("BK-2"), order("BK-3")]))
    view = bulk_view(qtbot, journal, sandbox, plan())
    view.open_path(str(path))
    qtbot.waitUntil(lambda: view.guard.running == 0, timeout=3000)
    model = view.model
    assert [model.data(model.index(r, VALID)) for r in range(3)] == ["Valid"] * 3
    with qtbot.waitSignal(view.send_finished, timeout=10_000):
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    assert view.progress.text() == "3 / 3" and view.time_left.text() == "done"

    # The same file, opened again: every order is marked before anything is sent.
    path.write_text(json.dumps([order("BK-1"), order("BK-4"), order("BK-3")]))
    view.clear()
    view.open_path(str(path))
    qtbot.waitUntil(lambda: model.data(model.index(0, VALID)) == "Already delivered", timeout=3000)
    assert [model.data(model.index(r, VALID)) for r in range(3)] == ["Already delivered", "Valid",
                                                                     "Already delivered"]
    assert "delivered to Staging already" in model.data(model.index(0, VALID), Qt.ItemDataRole.ToolTipRole)
    assert "2 already delivered there will be skipped" in view.send_button.toolTip()
    assert "2 were already delivered there" in view.summary.text()
    assert view.progress.text() != "3 / 3", "the last run's bar is not this table's"
    with qtbot.waitSignal(view.send_finished, timeout=10_000) as run:
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    assert sorted(run.args[0].skipped_delivered) == ["BK-1", "BK-3"]
    outcomes = [model.data(model.index(r, OUTCOME)) for r in range(3)]
    assert outcomes == ["Not sent again", "Succeeded", "Not sent again"]
    assert model.data(model.index(0, PROBLEMS)) == "Already delivered to Staging: not sent again."
    assert view.progress.value() == view.progress.maximum() == 3
    assert view.progress.text() == "3 / 3: 1 sent, 2 skipped" and view.time_left.text() == "done"
