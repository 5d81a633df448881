"""Autosave and the unsent-draft offer, over a real SQLite file and the real keyring (gnome-keyring fixture)."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from spectrum_desktop.services.context import AppContext
from spectrum_desktop.services.drafts import DraftKeeper
from spectrum_desktop.ui.draft_recovery import DraftAutosave, offer_unsent_draft
from spectrum_desktop.ui.order_editor import OrderEditor

ORDER = {
    "purchaseOrderNumber": "PO-DRAFT-1",
    "orderDate": "2024-05-01T10:00:00+02:00",
    "lineItems": [{"recipeSetId": "RS-1", "sku": "SKU-1", "quantity": 2}],
}


@pytest.fixture
def home(secret_service, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def contexts(home):
    opened = []

    def open_context():
        ctx = AppContext()
        opened.append(ctx)
        return ctx

    yield open_context
    for ctx in opened:
        ctx.close()


def make_editor(qtbot):
    editor = OrderEditor()
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_typing_is_autosaved_within_two_seconds_not_on_every_keystroke(qtbot, contexts):
    editor = make_editor(qtbot)
    keeper = DraftKeeper(contexts())
    autosave = DraftAutosave(editor, keeper)
    saves = []
    autosave.saved.connect(saves.append)
    with qtbot.waitSignal(autosave.saved, timeout=5000):
        qtbot.keyClicks(editor.fields["purchaseOrderNumber"], "PO-TYPED")
    assert len(saves) == 1
    found = DraftKeeper(contexts()).unsent()
    assert found is not None and found.order["purchaseOrderNumber"] == "PO-TYPED"
    autosave.stop()


def test_after_a_crash_the_unsent_draft_is_offered_and_restored(qtbot, contexts):
    first = make_editor(qtbot)
    first.load(ORDER)
    DraftAutosave(first, DraftKeeper(contexts())).save_now()
    # The first session ends without sending or cleaning up, as a crash would.

    second = make_editor(qtbot)
    keeper = DraftKeeper(contexts())
    restored = []
    box = offer_unsent_draft(second, keeper, keeper.unsent(),
                             lambda order, kind: (restored.append(kind), second.load(order, kind)))
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "PO-DRAFT-1" in box.text() and "1 line item" in box.text()
    qtbot.mouseClick(box.findChild(QAbstractButton, "restoreDraft"), Qt.MouseButton.LeftButton)
    assert second.order() == ORDER
    assert restored == ["ack"]
    autosave = DraftAutosave(second, keeper)
    draft_id = keeper.draft_id
    assert autosave.save_now()
    assert keeper.draft_id == draft_id  # carries on in the same draft, no second copy
    autosave.sent()
    assert DraftKeeper(contexts()).unsent() is None


def test_discarding_the_offered_draft_deletes_it(qtbot, contexts):
    DraftKeeper(contexts()).save(ORDER, "ack")
    editor = make_editor(qtbot)
    keeper = DraftKeeper(contexts())
    box = offer_unsent_draft(editor, keeper, keeper.unsent(), editor.load)
    qtbot.mouseClick(box.findChild(QAbstractButton, "discardDraft"), Qt.MouseButton.LeftButton)
    assert editor.fields["purchaseOrderNumber"].text() == ""
    assert DraftKeeper(contexts()).unsent() is None


def test_nothing_to_offer_on_a_clean_start(qtbot, contexts):
    editor = make_editor(qtbot)
    keeper = DraftKeeper(contexts())
    assert offer_unsent_draft(editor, keeper, keeper.unsent(), editor.load) is None
