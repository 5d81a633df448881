import time
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet

from spectrum_desktop.domain.states import FailureReason, OrderKind, SubmissionState
from spectrum_desktop.domain.submission import RecipeSetResult
from spectrum_desktop.store.crypto import BodyCipher, BodyUnreadable
from spectrum_desktop.store.journal import HistoryQuery, SubmissionNotFound

BODY = '{"purchaseOrderNumber": "PO-1", "shipTo": {"address1": "12 Secret Lane", "email": "jo@example.com"}}'


def _record(journal, po="PO-1", env="staging", body=BODY):
    return journal.record(env, OrderKind.FULL, "/api/order", [po], [f"RS-{po}"], [f"SKU-{po}"], body)


def test_record_is_committed_before_send_and_visible_to_another_connection(journal, journal_factory):
    submission_id = _record(journal)
    journal.mark_sending(submission_id)
    other = journal_factory(BodyCipher(None)).get(submission_id)
    assert (other.state, other.attempts) == (SubmissionState.SENDING, 1)


def test_finish_stores_outcome_results_and_attempt(journal):
    submission_id = _record(journal)
    journal.mark_sending(submission_id)
    results = [RecipeSetResult("RS-PO-1", False, "sku unknown", "PO-1", "SKU-PO-1")]
    journal.finish(submission_id, SubmissionState.PARTIAL, http_status=200, message="1 of 2", results=results,
                   response_body='{"statuses": []}')
    record = journal.get(submission_id)
    assert record.state is SubmissionState.PARTIAL
    assert record.results == tuple(results)
    assert record.purchase_orders == ("PO-1",)
    assert journal.response_body(submission_id) == '{"statuses": []}'
    [attempt] = journal.attempts(submission_id)
    assert attempt.state is SubmissionState.PARTIAL and attempt.finished_at is not None


def test_failure_reason_round_trips(journal):
    submission_id = _record(journal)
    journal.mark_sending(submission_id)
    journal.finish(submission_id, SubmissionState.FAILED, FailureReason.RATE_LIMITED, 403, "slow down")
    record = journal.get(submission_id)
    assert record.reason is FailureReason.RATE_LIMITED and record.http_status == 403


def test_bodies_are_encrypted_on_disk(sqlite_journal, database):
    journal = sqlite_journal
    submission_id = _record(journal)
    assert journal.request_body(submission_id) == BODY
    database.connect().execute("PRAGMA wal_checkpoint(FULL)")
    for path in database.path.parent.iterdir():
        data = path.read_bytes()
        assert b"Secret Lane" not in data and b"jo@example.com" not in data
        if path.name.endswith("sqlite3"):
            assert b"PO-1" in data  # searchable fields stay in clear


def test_bodies_are_stored_encrypted(journal, stored_body):
    submission_id = _record(journal)
    assert journal.request_body(submission_id) == BODY
    stored = stored_body(submission_id)
    assert stored and b"Secret Lane" not in stored and b"jo@example.com" not in stored


def test_without_a_key_bodies_stay_in_memory_only_or_a_shared_history_writes_nothing(journal_factory, stored_body):
    journal = journal_factory(BodyCipher(None))
    assert not journal.bodies_persistent
    if journal.notice:  # this computer's own history: the contents are kept for this session, the person told why
        submission_id = _record(journal)
        assert journal.request_body(submission_id) == BODY
        assert stored_body(submission_id) is None
        assert journal_factory(BodyCipher(None)).request_body(submission_id) is None
        return
    # A shared history refuses (typed): nothing is written, or sent, that the team could not open again.
    problem = journal.team_key_problem()
    assert problem is not None
    before = journal.history(HistoryQuery()).total
    with pytest.raises(type(problem)):
        _record(journal)
    assert journal.history(HistoryQuery()).total == before


def test_a_changed_key_gives_a_readable_error(journal, journal_factory):
    submission_id = _record(journal)
    with pytest.raises(BodyUnreadable, match="key"):
        journal_factory(BodyCipher(Fernet.generate_key())).request_body(submission_id)


def test_recover_turns_sending_into_unknown_and_returns_those_rows(journal_factory, journal):
    crashed = journal_factory(BodyCipher(Fernet.generate_key()), lease_seconds=0.3)
    sending = _record(crashed, "PO-A")
    crashed.mark_sending(sending)
    crashed.close() if hasattr(crashed, "close") else None  # the sender stops without finishing
    done = _record(journal, "PO-B")
    journal.mark_sending(done)
    journal.finish(done, SubmissionState.SUCCEEDED)
    queued = _record(journal, "PO-C")
    time.sleep(0.5)  # past the crashed sender's lease
    reopened = journal_factory(BodyCipher(None))
    recovered = reopened.recover().unknown
    assert [r.id for r in recovered] == [sending]
    assert recovered[0].state is SubmissionState.UNKNOWN
    assert journal.get(queued).state is SubmissionState.QUEUED
    assert journal.get(done).state is SubmissionState.SUCCEEDED
    assert journal.attempts(sending)[0].state is SubmissionState.UNKNOWN
    assert reopened.recover().unknown == ()


def test_history_filters_pages_and_counts(journal):
    ids = {}
    for i in range(5):
        for env in ("staging", "production"):
            sid = _record(journal, f"PO-{env}-{i}", env)
            journal.mark_sending(sid)
            state = SubmissionState.FAILED if i % 2 == 0 else SubmissionState.SUCCEEDED
            journal.finish(sid, state)
            ids[(env, i)] = sid
    page = journal.history(HistoryQuery(environment_id="staging", states=frozenset({SubmissionState.FAILED}),
                                        page_size=2))
    assert page.total == 3
    assert [r.id for r in page.rows] == [ids[("staging", 4)], ids[("staging", 2)]]
    second = journal.history(HistoryQuery(environment_id="staging", states=frozenset({SubmissionState.FAILED}),
                                          page=1, page_size=2))
    assert [r.id for r in second.rows] == [ids[("staging", 0)]]
    found = journal.history(HistoryQuery(search="RS-PO-production-3"))
    assert [r.id for r in found.rows] == [ids[("production", 3)]]
    assert journal.history(HistoryQuery(search="SKU-PO-staging")).total == 5
    future = datetime.now(UTC) + timedelta(hours=1)
    assert journal.history(HistoryQuery(since=future)).total == 0
    assert journal.history(HistoryQuery(until=future)).total == 10


def test_latest_only_hides_rows_sent_again_to_the_same_environment(journal):
    def finished(po, env, state):
        sid = _record(journal, po, env)
        journal.mark_sending(sid)
        journal.finish(sid, state)
        return sid

    finished("PO-1", "staging", SubmissionState.FAILED)
    retried = finished("PO-1", "staging", SubmissionState.FAILED)
    other_env = finished("PO-1", "production", SubmissionState.FAILED)
    finished("PO-2", "staging", SubmissionState.PARTIAL)
    finished("PO-2", "staging", SubmissionState.SUCCEEDED)
    lone = finished("PO-3", "staging", SubmissionState.UNKNOWN)
    attention = frozenset({SubmissionState.FAILED, SubmissionState.PARTIAL, SubmissionState.UNKNOWN})
    latest = journal.history(HistoryQuery(states=attention, latest_only=True))
    assert sorted(r.id for r in latest.rows) == sorted([retried, other_env, lone]) and latest.total == 3
    assert journal.history(HistoryQuery(states=attention)).total == 5


def test_search_wildcards_are_literal(journal):
    _record(journal, "PO-1")
    assert journal.history(HistoryQuery(search="%")).total == 0


def test_search_finds_a_number_by_any_part_of_it_on_both_backends(journal):
    wanted = _record(journal, "PO-1002")
    _record(journal, "PO-2001")
    for part in ("1002", "PO-10", "-1002", "RS-PO-1002", "KU-PO-100"):
        found = journal.history(HistoryQuery(search=part))
        assert [r.id for r in found.rows] == [wanted], part
    assert journal.history(HistoryQuery(search="PO-")).total == 2


def test_succeeded_before_matches_whole_po_in_same_environment(journal):
    sid = _record(journal, "PO-7")
    journal.mark_sending(sid)
    journal.finish(sid, SubmissionState.SUCCEEDED)
    assert journal.succeeded_before("staging", "PO-7")
    assert not journal.succeeded_before("staging", "PO-")
    assert not journal.succeeded_before("production", "PO-7")


def test_unknown_id_is_a_clear_error(journal):
    with pytest.raises(SubmissionNotFound) as raised:  # the words are the CLI's and the window's (cli/errors.py)
        journal.get(99)
    assert raised.value.submission_id == 99
    with pytest.raises(SubmissionNotFound):
        journal.mark_sending(99)


def test_succeeded_before_treats_wildcards_literally(journal):
    sid = _record(journal, "PO_1")
    journal.mark_sending(sid)
    journal.finish(sid, SubmissionState.SUCCEEDED)
    assert journal.succeeded_before("staging", "PO_1")
    assert not journal.succeeded_before("staging", "PO%")
    assert not journal.succeeded_before("staging", "POX1")


def test_history_keeps_one_senders_rows(journal_factory, backend):
    from cryptography.fernet import Fernet

    key = Fernet.generate_key()
    ann, bob = journal_factory(BodyCipher(key), sender="ann"), journal_factory(BodyCipher(key), sender="bob")
    a, b = _record(ann, "PO-A"), _record(bob, "PO-B")
    everyone = ann.history(HistoryQuery())
    assert {r.id for r in everyone.rows} == {a, b}
    if backend == "postgresql":  # a shared history: each row is its sender's
        assert [(r.id, r.sender) for r in ann.history(HistoryQuery(sender="bob")).rows] == [(b, "bob")]
        assert [(r.id, r.sender) for r in bob.history(HistoryQuery(sender="ann")).rows] == [(a, "ann")]
    else:  # this computer's own history is one person's: every row is the owner's, nobody else sent any
        assert ann.history(HistoryQuery(sender="ann")).total == 2
        assert ann.history(HistoryQuery(sender="bob")).total == 0
    assert ann.history(HistoryQuery(sender="nobody")).total == 0
