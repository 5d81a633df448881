"""Team mode in the services: which history AppContext opens, senders, the team key, moving a history over.
Real PostgreSQL (tests/pg_fixture.py) and, where a keyring is needed, the real Secret Service fixture."""

import itertools
import os

import keyring
import pytest
from cryptography.fernet import Fernet

from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.services import history as history_service
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.services.owner import Owner
from spectrum_desktop.services.submission import SubmissionService
from spectrum_desktop.services.team import check_connection, enter_team_key, export_history, open_shared, sender_name
from spectrum_desktop.store.journal import HistoryQuery, Journal
from spectrum_desktop.store.keyring_backend import SERVICE
from spectrum_desktop.store.pg_journal import PgJournal, TeamKeyMissing, WrongTeamKey
from spectrum_desktop.store.shared_url import PasswordInJournalUrl
from spectrum_desktop.store.team_settings import TeamSettings, TeamSettingsStore

BODY = '{"purchaseOrderNumber": "PO-1", "shipTo": {"address1": "12 Secret Lane"}}'


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    for name in ("SPECTRUM_DESKTOP_JOURNAL_URL", "SPECTRUM_DESKTOP_USER", "SPECTRUM_DESKTOP_TEAM_KEY", "PGPASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _send_one(journal, po="PO-1"):
    sid = journal.record("staging", OrderKind.FULL, "/api/order", [po], [f"RS-{po}"], [f"SKU-{po}"], BODY)
    journal.mark_sending(sid)
    journal.finish(sid, SubmissionState.FAILED, http_status=500, message="server error", response_body="{}")
    return sid


def test_sender_is_the_variable_then_the_display_name_then_the_login(home, monkeypatch):
    import getpass

    assert sender_name(TeamSettings()) == getpass.getuser()
    assert sender_name(TeamSettings(display_name="Ann Smith")) == "Ann Smith"
    monkeypatch.setenv("SPECTRUM_DESKTOP_USER", "script-7")
    assert sender_name(TeamSettings(display_name="Ann Smith")) == "script-7"


def test_without_an_address_the_context_keeps_the_computers_own_history(home):
    context = AppContext()
    try:
        assert isinstance(context.journal, Journal)
    finally:
        context.close()


def test_the_address_from_the_variable_or_the_settings_file_opens_the_shared_history(home, pg_url, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    TeamSettingsStore().save(TeamSettings(journal_url=pg_url, display_name="Ann"))
    context = AppContext()
    try:
        assert isinstance(context.journal, PgJournal)
        sid = _send_one(context.journal)
        assert context.journal.get(sid).sender == "Ann"
        assert history_service.detail(context.submissions, sid).request_body == BODY
    finally:
        context.close()
    text = (home / "config" / "team.json").read_text()
    assert "Secret" not in text and "password" not in text.lower()


def test_an_address_with_a_password_is_refused_before_connecting(home, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", "postgresql://ann:hunter2@127.0.0.1:1/team")
    context = AppContext()
    try:
        with pytest.raises(PasswordInJournalUrl) as caught:
            context.journal  # noqa: B018 - opening it is the test
        assert "hunter2" not in str(caught.value)
    finally:
        context.close()


@pytest.mark.keyring
def test_the_first_person_makes_the_team_key_and_a_member_pastes_it_once(secret_service, home, pg_url):
    first = open_shared(pg_url, "ann")
    assert first.new_team_key is not None and first.key_saved
    sid = _send_one(first.journal)
    key = first.new_team_key
    first.journal.close()
    again = open_shared(pg_url, "ann")  # the same person later: key from the keyring, not shown again
    assert again.new_team_key is None and again.journal.request_body(sid) == BODY
    again.journal.close()
    keyring.delete_password(SERVICE, "team-key:" + pg_url)  # now a colleague without the key
    member = open_shared(pg_url, "bob")
    assert member.new_team_key is None
    assert member.journal.get(sid).state is SubmissionState.FAILED
    with pytest.raises(TeamKeyMissing):
        member.journal.request_body(sid)
    detail = history_service.detail(SubmissionService(member.journal, None, Owner.for_this_process()), sid)
    assert detail.request_body is None and isinstance(detail.problem, TeamKeyMissing)
    assert detail.problem.state == TeamKeyMissing.NOT_ENTERED and not detail.problem.sending
    member.journal.close()
    with pytest.raises(WrongTeamKey):
        enter_team_key(pg_url, Fernet.generate_key().decode())
    assert enter_team_key(pg_url, key.decode()) is True
    member = open_shared(pg_url, "bob")
    assert member.journal.request_body(sid) == BODY
    member.journal.close()


def test_without_a_keyring_no_team_key_is_made_behind_the_persons_back(home, pg_url):
    shared = open_shared(pg_url, "ann")
    try:
        assert shared.new_team_key is None and not shared.journal.bodies_persistent
        assert shared.journal.team_key_problem().state == TeamKeyMissing.NO_KEYRING
        assert check_connection(pg_url).has_team_key is False
    finally:
        shared.journal.close()


def test_moving_a_local_history_over_is_idempotent_and_keeps_links(home, pg_url, monkeypatch):
    from spectrum_desktop.store.crypto import BodyCipher
    from spectrum_desktop.store.database import Database

    db = Database()
    local = Journal(db, BodyCipher(Fernet.generate_key()), sender="ann")
    first = _send_one(local, "PO-1")
    again = local.record("staging", OrderKind.FULL, "/api/order", ["PO-1"], ["RS-PO-1"], ["SKU-PO-1"], BODY,
                         original_id=first)
    _send_one(local, "PO-2")
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    shared = open_shared(pg_url, "bob")
    try:
        result = export_history(local, shared.journal)
        assert (result.copied, result.already_there, result.bodies_left_out) == (3, 0, 0)
        assert export_history(local, shared.journal).copied == 0
        page = shared.journal.history(HistoryQuery())
        assert page.total == 3 and {r.sender for r in page.rows} == {"ann"}
        linked = [r for r in page.rows if r.original_id is not None]
        [copy_of_again] = linked
        original = shared.journal.get(copy_of_again.original_id)
        assert original.purchase_orders == ("PO-1",) and original.state is SubmissionState.FAILED
        assert shared.journal.request_body(original.id) == BODY
        assert shared.journal.attempts(original.id)[0].http_status == 500
        assert local.get(again).state is SubmissionState.QUEUED
    finally:
        shared.journal.close()
        db.close()


def test_when_the_server_goes_away_history_pages_are_empty_and_the_rest_says_why(home, pg_url, pg_cluster,
                                                                                  monkeypatch):
    from spectrum_desktop.store.pg_journal import SharedHistoryUnavailable
    from spectrum_desktop.store.shared_url import parse_journal_url

    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    shared = open_shared(pg_url, "ann")
    try:
        sid = _send_one(shared.journal)
        service = SubmissionService(shared.journal, None, Owner.for_this_process())
        assert history_service.page(service).total == 1
        shared.journal.database.close()
        shared.journal.database.address = parse_journal_url(f"postgresql://ann@127.0.0.1:{pg_cluster.port + 1}/x")
        assert history_service.page(service).rows == ()
        with pytest.raises(SharedHistoryUnavailable):
            history_service.detail(service, sid)
        with pytest.raises(SharedHistoryUnavailable):
            shared.journal.record("staging", OrderKind.ACK, "/api/order/acknowledgement", ["X"], [], [], "{}")
    finally:
        shared.journal.close()


@pytest.mark.keyring
def test_sending_does_not_make_a_team_key_nobody_is_shown(secret_service, home, pg_url, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", pg_url)
    context = AppContext()
    try:
        journal = context.journal  # what send and the window open
        assert context.new_team_key is None and not journal.bodies_persistent
        assert journal.team_key_problem().state == TeamKeyMissing.NONE_YET
        assert check_connection(pg_url).has_team_key is False
    finally:
        context.close()


def test_copying_again_does_not_count_contents_left_out_the_first_time(home, pg_url, monkeypatch):
    from spectrum_desktop.store.crypto import BodyCipher
    from spectrum_desktop.store.database import Database

    db = Database()
    session_only = Journal(db, BodyCipher(None), sender="ann")  # no keyring: contents kept for this session only
    _send_one(session_only, "PO-1")
    db.close()
    db = Database()
    local = Journal(db, BodyCipher(None), sender="ann")  # the next start: that row's contents are gone
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    shared = open_shared(pg_url, "ann")
    try:
        first = export_history(local, shared.journal)
        assert (first.copied, first.already_there, first.bodies_left_out) == (1, 0, 1)
        second = export_history(local, shared.journal)
        assert (second.copied, second.already_there, second.bodies_left_out) == (0, 1, 0)
    finally:
        shared.journal.close()
        db.close()



def test_a_missing_or_wrong_database_password_is_said_as_such_not_as_a_server_away(home, pg_cluster, monkeypatch):
    from spectrum_desktop.store.pg_journal import SharedHistoryUnavailable
    from spectrum_desktop.ui.errors import user_message

    role = f"pw_{os.getpid()}_{next(_roles)}"
    url = pg_cluster.password_role(role, "right-pass")
    monkeypatch.setenv("PGPASSFILE", str(home / "no-pgpass"))  # nothing of this machine's own
    for typed in ("", "wrong-pass"):
        with pytest.raises(SharedHistoryUnavailable) as caught:
            check_connection(url, typed)
        assert caught.value.login_refused, typed
        words = user_message(caught.value)
        assert "refused the login" in words and "Password" in words and "wrong-pass" not in words
    assert check_connection(url, "right-pass").rows == 0
    with pytest.raises(SharedHistoryUnavailable) as away:
        check_connection(f"postgresql://{role}@127.0.0.1:{pg_cluster.port + 1}/x", "right-pass")
    assert not away.value.login_refused and away.value.trying_address
    words = user_message(away.value)  # Test tried an address: what failed and what to check, not an outage
    assert "Could not connect" in words and "port" in words and "database server is running" in words
    assert "nothing can be sent" not in words


def test_the_history_in_use_going_away_is_still_said_as_an_outage(home, pg_url, pg_cluster, monkeypatch):
    from spectrum_desktop.store.pg_journal import SharedHistoryUnavailable
    from spectrum_desktop.store.shared_url import parse_journal_url
    from spectrum_desktop.ui.errors import user_message

    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    shared = open_shared(pg_url, "ann")
    try:
        shared.journal.database.close()
        shared.journal.database.address = parse_journal_url(f"postgresql://ann@127.0.0.1:{pg_cluster.port + 1}/x")
        with pytest.raises(SharedHistoryUnavailable) as caught:
            shared.journal.record("staging", OrderKind.ACK, "/api/order/acknowledgement", ["X"], [], [], "{}")
        assert not caught.value.trying_address
        assert "nothing can be sent now" in user_message(caught.value)
    finally:
        shared.journal.close()


def test_rows_copied_again_after_a_name_change_go_under_the_name_chosen_now(home, pg_url, monkeypatch):
    """One person, one name: rows copied under the login name (before "Your name" was saved) are the person's;
    copying again under the chosen name moves them to it, so the Sent by filter on that name finds them."""
    from spectrum_desktop.store.crypto import BodyCipher
    from spectrum_desktop.store.database import Database

    db = Database()
    local = Journal(db, BodyCipher(Fernet.generate_key()), sender="root")
    _send_one(local, "PO-1")
    _send_one(local, "PO-2")
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    shared = open_shared(pg_url, "root")
    try:
        assert export_history(local, shared.journal).copied == 2
        assert shared.journal.senders() == ["root"]
        again = export_history(local, shared.journal, sender="Ann Desk")
        assert (again.copied, again.already_there) == (0, 2)
        assert shared.journal.senders() == ["Ann Desk"]
        assert shared.journal.history(HistoryQuery(sender="Ann Desk")).total == 2
        assert [r["sender"] for r in shared.journal.database.read("SELECT DISTINCT sender FROM attempts")] == [
            "Ann Desk"]
    finally:
        shared.journal.close()
        db.close()


def test_a_name_saved_after_start_is_the_sender_of_this_process_at_once(home):
    context = AppContext()
    try:
        local = context.local_journal
        before = context.sender
        assert before != "Ann Desk"
        context.use_team_settings(TeamSettings(display_name="Ann Desk"))
        assert context.sender == "Ann Desk" and local.sender == "Ann Desk"
        assert context.shared_history_url == ""  # the address waits for the next start
    finally:
        context.close()


_roles = itertools.count(1)


@pytest.mark.parametrize("state", ["wrong key", "no key entered", "no key yet"])
def test_without_the_team_key_nothing_is_sent_nor_journaled(home, pg_url, monkeypatch, state):
    """Nothing is sent without being journaled first, contents included: a member without the team key (or with
    the wrong one, or on a shared history that has none yet) is refused before anything is written or sent."""
    from spectrum_desktop.sandbox import SandboxServer
    from spectrum_desktop.services.submission import Target
    from spectrum_desktop.store.shared_url import parse_journal_url
    from tests.services.orders import order

    if state != "no key yet":
        monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
        open_shared(pg_url, "ann").journal.close()  # the team's key is set up
        if state == "wrong key":
            monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
        else:
            monkeypatch.delenv("SPECTRUM_DESKTOP_TEAM_KEY")
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", pg_url)
    context = AppContext()
    with SandboxServer(token="t0ken", rate_limit=None) as server:
        try:
            service = context.submissions
            target = Target("staging", "Staging", server.url, "t0ken")
            with pytest.raises(TeamKeyMissing) as refused:
                service.submit(order("NOKEY-1"), target)
            assert refused.value.sending and refused.value.where == parse_journal_url(pg_url).display
            assert refused.value.state == {"wrong key": TeamKeyMissing.WRONG, "no key entered":
                                           TeamKeyMissing.NOT_ENTERED, "no key yet": TeamKeyMissing.NONE_YET}[state]
            assert service.page(HistoryQuery()).total == 0
        finally:
            context.close()
        assert server.received() == []


def test_the_team_key_missing_words_say_what_to_do_in_each_front_end():
    from spectrum_desktop.cli.errors import message as cli_words
    from spectrum_desktop.ui.errors import user_message as window_words

    for state in (TeamKeyMissing.NOT_ENTERED, TeamKeyMissing.WRONG, TeamKeyMissing.NONE_YET,
                  TeamKeyMissing.NO_KEYRING):
        sending = TeamKeyMissing("team on db.example.com", state, sending=True)
        window, cli = window_words(sending), cli_words(sending)
        for words in (window, cli):
            assert "team on db.example.com" in words and "nothing was sent" in words
            assert "Preferences › Shared history" in words or state == TeamKeyMissing.NO_KEYRING
        assert "SPECTRUM_DESKTOP" not in window  # the window speaks to staff at the desk
        assert "SPECTRUM_DESKTOP_TEAM_KEY" in cli or state == TeamKeyMissing.NONE_YET
        opening = window_words(TeamKeyMissing("team on db.example.com", state))
        assert "nothing was sent" not in opening
