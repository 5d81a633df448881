"""The drafts service over a real SQLite file and the real keyring (the fixture's gnome-keyring)."""

from spectrum_desktop.services.context import AppContext
from spectrum_desktop.services.drafts import UNTITLED, DraftKeeper

ORDER = {"purchaseOrderNumber": "PO-D1", "lineItems": [{"recipeSetId": "RS", "sku": "S", "quantity": 1}],
         "customerAddress": {"firstName": "Ada", "city": "Springfield"}}


def test_a_draft_survives_a_restart_encrypted_and_is_removed_once_sent(secret_service, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    first = AppContext()
    keeper = DraftKeeper(first)
    assert keeper.persistent
    draft_id = keeper.save(ORDER, "full")
    assert keeper.save(dict(ORDER, purchaseOrderNumber="PO-D2"), "full") == draft_id
    assert keeper.unsent() is None  # this window's own draft is not "left behind"
    first.close()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"Springfield" not in path.read_bytes(), path

    second = AppContext()
    again = DraftKeeper(second)
    found = again.unsent()
    assert found is not None
    assert (found.id, found.name, found.kind) == (draft_id, "PO-D2", "full")
    assert found.order["customerAddress"]["city"] == "Springfield"
    again.adopt(found)
    assert again.save({"lineItems": []}, "ack") == draft_id
    again.sent()
    assert again.unsent() is None
    second.close()
    third = AppContext()
    assert DraftKeeper(third).unsent() is None
    third.close()


def test_discarding_an_unsent_draft_removes_it(secret_service, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    first = AppContext()
    DraftKeeper(first).save({"lineItems": []}, "ack")
    first.close()
    second = AppContext()
    keeper = DraftKeeper(second)
    found = keeper.unsent()
    assert found is not None and found.name == UNTITLED
    keeper.discard(found)
    assert keeper.unsent() is None
    second.close()
