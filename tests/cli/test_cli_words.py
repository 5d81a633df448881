"""The command line's sentences for people: right plurals, no "(s)"."""

from spectrum_desktop.cli.errors import left_queued, orders_were, production_question


def test_production_question_counts_orders_right():
    assert production_question(1, "Production").startswith("Send 1 order to PRODUCTION (Production)?")
    assert production_question(3, "Production").startswith("Send 3 orders to PRODUCTION")


def test_queued_message_says_was_or_were():
    assert left_queued(1).startswith("1 order was not sent and stays queued")
    assert left_queued(4).startswith("4 orders were not sent and stay queued")
    assert orders_were(2) == "2 orders were"
    assert "(s)" not in left_queued(1) + left_queued(2) + production_question(2, "P")


def test_already_accepted_names_the_recipe_sets_and_the_way_out():
    from spectrum_desktop.cli.errors import message
    from spectrum_desktop.services.errors import AlreadyAccepted

    text = message(AlreadyAccepted("PO-1", ["R1", "R2"], "Staging"))
    assert "Staging already accepted R1, R2 of PO-1" in text and "resend --failed" in text and "them" in text


def test_a_locked_keyring_is_worded_with_its_exit_code():
    from spectrum_desktop.cli import EXIT_UNREACHABLE
    from spectrum_desktop.cli.errors import exit_code, message
    from spectrum_desktop.services.tokens import TokenNotSaved
    from spectrum_desktop.store.tokens import TokenStoreError

    error = TokenNotSaved.from_store(TokenStoreError("read", "GNOME Keyring"))
    assert "GNOME Keyring" in message(error) and "could not be read" in message(error)
    assert exit_code(error) == EXIT_UNREACHABLE


def test_errors_a_send_or_resend_can_meet_are_worded_not_printed_as_their_data():
    """str() of a typed error is its data, for the log ("PO-5", "key_changed"); the command line says more."""
    from spectrum_desktop.cli.errors import message
    from spectrum_desktop.services.errors import BeingSentElsewhere
    from spectrum_desktop.store.crypto import BodyUnreadable

    busy = message(BeingSentElsewhere("PO-5"))
    assert "PO-5" in busy and "right now" in busy and busy != str(BeingSentElsewhere("PO-5"))
    for reason in ("no_key", "key_changed"):
        unreadable = message(BodyUnreadable(reason))
        assert reason not in unreadable and "Nothing was sent" in unreadable, unreadable


def test_an_error_nobody_worded_gets_generic_words_not_its_text(caplog):
    from spectrum_desktop.cli.errors import message
    from spectrum_desktop.domain.errors import SpectrumDesktopError

    class Unworded(SpectrumDesktopError):
        pass

    with caplog.at_level("ERROR", logger="spectrum_desktop.cli"):
        text = message(Unworded("row 17 state=claimed owner=abc"))
    assert "row 17" not in text and "Unworded" not in text and "log file" in text
    assert "Unworded" in caplog.text


def test_store_errors_are_worded_for_the_command_line():
    from spectrum_desktop.cli.errors import message
    from spectrum_desktop.domain.errors import InvalidRateLimit

    assert "--rate-limit" in message(InvalidRateLimit(0, 60.0))
