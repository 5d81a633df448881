"""The window's one place for words: typed errors (which carry data) become one paragraph a person can act on."""

from pathlib import Path

from spectrum_desktop.domain.errors import LocalDataError, LocalDataProblem, NotInHistory
from spectrum_desktop.services.errors import BodyNotKept, InvalidOrder, LookupFailed, MissingToken
from spectrum_desktop.ui.errors import GENERIC, user_message


def test_local_data_problems_say_where_and_what_to_do():
    path = Path("/home/ann/.local/share/spectrum-desktop/spectrum.sqlite3")
    moved = path.with_name("spectrum.sqlite3.damaged-20261206T080000Z")
    damaged = user_message(LocalDataError(LocalDataProblem.DAMAGED, path, moved_to=moved))
    assert str(moved) in damaged and "new, empty history" in damaged and "\n" not in damaged
    assert "read-only" in user_message(LocalDataError(LocalDataProblem.READ_ONLY, path))
    assert "full" in user_message(LocalDataError(LocalDataProblem.FULL, path))


def test_service_errors_are_worded_from_their_data_without_developer_terms():
    messages = [
        user_message(InvalidOrder(["Quantity: must be at least 1"])),
        user_message(MissingToken("Staging")),
        user_message(BodyNotKept(7, ["PO-7"])),
        user_message(LookupFailed("PO-9", "Staging", "Spectrum did not answer.")),
        user_message(NotInHistory(99)),
    ]
    assert "Quantity: must be at least 1" in messages[0] and "Staging" in messages[1] and "PO-7" in messages[2]
    assert "PO-9" in messages[3] and "Staging" in messages[3] and "99" in messages[4]
    assert not [m for m in messages if "SPECTRUM_" in m or "Traceback" in m or m == GENERIC]


def test_token_problems_are_worded_from_their_data():
    from spectrum_desktop.services.tokens import TokenNotSaved
    from spectrum_desktop.store.tokens import TokenStoreError

    locked = user_message(TokenNotSaved.from_store(TokenStoreError("save", "GNOME Keyring")))
    assert "GNOME Keyring" in locked and "refused to save the token" in locked and "Unlock" in locked
    assert "could not be read" in user_message(TokenNotSaved.from_store(TokenStoreError("read", "Keychain")))
    assert "empty" in user_message(TokenNotSaved(TokenNotSaved.EMPTY))
    assert "needs no token" in user_message(TokenNotSaved(TokenNotSaved.SANDBOX))
    assert str(TokenNotSaved(TokenNotSaved.EMPTY)) != user_message(TokenNotSaved(TokenNotSaved.EMPTY))


def test_bulk_words_for_orders_not_sent_again_count_right():
    from spectrum_desktop.ui.errors import bulk_not_sent_again

    one = bulk_not_sent_again(["PO-1"], {}, set(), "Staging")
    assert "1 order was already delivered to Staging" in one and "Send it anyway sends it" in one
    many = bulk_not_sent_again(["A", "B"], {"P": ("R1", "R2"), "Q": ("S1",)}, {"Q"}, "Staging")
    assert "2 orders were" in many and "Send them anyway" in many
    assert "P: R1, R2 were already accepted and not sent again; only its other recipe sets were sent" in many
    assert "Q: S1 was already accepted and not sent again; nothing else in it was left to send; correct the rest " \
           "from History" in many


def test_draft_problems_are_worded_in_the_window_not_by_the_service():
    from spectrum_desktop.services.drafts import DraftNotKept

    saving = user_message(DraftNotKept("save", "OSError"))
    assert "still in the window" in saving and "OSError" not in saving
    reading = user_message(DraftNotKept("read", "InvalidToken"))
    assert "could not be read" in reading and "InvalidToken" not in reading


def test_an_unreadable_saved_body_is_worded_not_shown_as_its_reason():
    from spectrum_desktop.store.crypto import BodyUnreadable

    for reason in ("no_key", "key_changed"):
        text = user_message(BodyUnreadable(reason))
        assert reason not in text and text != GENERIC and "Nothing was sent" in text, text


def test_a_file_the_system_refused_is_worded_without_errno():
    """Saving the CSV template or an export where one may not write: no "[Errno 13] ... '/x'" at the desk."""
    text = user_message(PermissionError(13, "Permission denied", "/home/ann/orders-template.csv"))
    assert "Errno" not in text and "/home/ann/orders-template.csv" in text and "permission denied" in text
    assert "Errno" not in user_message(OSError(28, "No space left on device"))
