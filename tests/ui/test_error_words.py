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


def test_an_unexpected_error_gets_the_generic_words_and_its_detail_goes_to_the_log(caplog):
    """No raw exception text at the desk: a ValueError, an OSError without a reason or an app error nobody worded
    gets GENERIC (which says what to do); the log names the error's type."""
    from spectrum_desktop.domain.errors import SpectrumDesktopError

    class Unworded(SpectrumDesktopError):
        pass

    for error in (ValueError("invalid literal for int() with base 10: 'x'"), OSError("socket went away"),
                  Unworded("internal state 7"), KeyError("recipeSetId")):
        with caplog.at_level("ERROR", logger="spectrum_desktop.ui"):
            assert user_message(error) == GENERIC, error
        assert type(error).__name__ in caplog.text
    assert "Try again" in GENERIC and "log file" in GENERIC


def test_the_windows_own_refusal_to_send_is_typed_and_worded_here():
    from spectrum_desktop.ui.errors import OrderNotReady

    assert user_message(OrderNotReady(1, ("Purchase order", "is required"))) == (
        "Fix the order first: 1 problem to fix, listed beside the form. First: Purchase order: is required.")
    assert user_message(OrderNotReady(3)) == "Fix the order first: 3 problems to fix, listed beside the form."


def test_a_refused_environment_edit_is_worded_with_labels_not_setting_keys(tmp_path, monkeypatch):
    from spectrum_desktop.services.context import AppContext
    from spectrum_desktop.services.environments import InvalidEnvironment

    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    service = AppContext().environments
    try:
        service.update("staging", {"batch_size": 0})
    except InvalidEnvironment as error:
        text = user_message(error)
    assert text == "That change was not saved: Batch size: Use a whole number of orders from 1 to 1000."
    try:
        service.remove("local-sandbox")
    except InvalidEnvironment as error:
        text = user_message(error)
    assert text.startswith("That change was not saved: Local sandbox is the active environment; choose another")
    assert "settings:" not in text


def test_a_refused_save_of_the_list_names_the_environment_not_its_id(tmp_path, monkeypatch):
    """A save the settings file refuses (two entries with one id) reaches Preferences in words: the environment's
    name, no JSON path, no 'settings:' key."""
    from spectrum_desktop.services.context import AppContext
    from spectrum_desktop.services.environments import InvalidEnvironment

    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    context = AppContext()
    staging = context.environments.get("staging")
    try:
        context.environments._save([*context.environments.list(), staging], "staging")
    except InvalidEnvironment as error:
        text = user_message(error)
    assert "Staging" in text and "environments[" not in text and "settings" not in text, text


def test_a_broken_environments_file_says_which_environment_and_field_without_json_paths(tmp_path, monkeypatch):
    from spectrum_desktop.services.context import AppContext
    from spectrum_desktop.services.errors import EnvironmentsFileInvalid

    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "environments.json").write_text(
        '{"environments": [{"id": "b", "name": "Berlin", "base_url": "sandbox:", "batch_size": 0}], "active_id": "b"}')
    try:
        AppContext().environments.list()
    except EnvironmentsFileInvalid as error:
        text = user_message(error)
    assert "Berlin: Batch size: Use a whole number of orders from 1 to 1000" in text, text
    assert "environments[" not in text and "batch_size" not in text and "environments.json" in text


def test_store_errors_carry_data_and_are_worded_here():
    from spectrum_desktop.domain.errors import DraftNotFound, InvalidRateLimit

    gone = user_message(DraftNotFound(12))
    assert gone != GENERIC and "draft" in gone and "12" not in gone
    limit = user_message(InvalidRateLimit(0, 60.0))
    assert limit != GENERIC and "Preferences" in limit
