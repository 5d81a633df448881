"""A draft of a correction (a partly accepted order opened from History) keeps its link to the row it corrects: after
a restart, Restore brings back the "Already accepted" note, and Send is that correction. Real keyring (gnome-keyring
fixture), real SQLite file, real sandbox."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.startup import build_main_window
from tests.ui_history.helpers import order


@pytest.fixture
def server(secret_service, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    with SandboxServer(rate_limit=None) as running:
        yield running


def open_window(qtbot, server):
    window = build_main_window(AppContext(sandbox=server))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.set_environment("local-sandbox")
    qtbot.waitUntil(window.tools.draft_check_done, timeout=10_000)
    return window


def posted(server, po):
    return [[i["recipeSetId"] for i in r.body["lineItems"]] for r in server.received()
            if r.method == "POST" and isinstance(r.body, dict) and r.body.get("purchaseOrderNumber") == po]


def test_a_restored_draft_of_a_correction_keeps_its_note_and_is_sent_as_that_correction(qtbot, server):
    first = open_window(qtbot, server)
    first.load_order(order("DRAFT-C", "R1", "FAIL-1"))
    with qtbot.waitSignal(first.send_finished, timeout=10_000) as sent:
        first.send_action.trigger()
    original = sent.args[0]
    assert original.state == SubmissionState.PARTIAL
    correction = first.context.submissions.correction(original.id)
    first.load_order(correction.body, correction)  # as History › Open in editor does
    assert first.editor.note().startswith("Already accepted by Local sandbox: R1")
    assert first.tools.save_draft()
    first.close()  # the app closes with the correction open

    second = open_window(qtbot, server)
    box = second.tools.recovery
    assert isinstance(box, QMessageBox) and "DRAFT-C" in box.text()
    qtbot.mouseClick(box.findChild(QAbstractButton, "restoreDraft"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: second.editor.note().startswith("Already accepted by Local sandbox: R1"), timeout=5000)
    assert [i["recipeSetId"] for i in second.current_order()["lineItems"]] == ["FAIL-1"]

    server.set_accept_failures(True)
    with qtbot.waitSignal(second.send_finished, timeout=10_000) as again:
        second.send_action.trigger()
    assert again.args[0].state == SubmissionState.SUCCEEDED
    assert again.args[0].original_id == original.id  # sent as the correction of the partly accepted row
    assert posted(server, "DRAFT-C") == [["R1", "FAIL-1"], ["FAIL-1"]]
    assert second.editor.note() == "DRAFT-C is complete: Local sandbox accepted R1 before and FAIL-1 now."
