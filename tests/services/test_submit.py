import pytest

from spectrum_desktop.api import RetryPolicy

from spectrum_desktop.domain.states import FailureReason, SubmissionState
from spectrum_desktop.services.errors import InvalidOrder
from spectrum_desktop.services.submission import Target
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database
from spectrum_desktop.store.journal import HistoryQuery, Journal
from tests.services.orders import already_succeeded, needs_attention, order, posts, reconcile, resend, submit

NO_RETRY = RetryPolicy.none()


def target(server, token=None, read_timeout=5.0, retry=NO_RETRY):
    return Target("staging", "Staging", server.url, token or server.token, read_timeout=read_timeout, retry=retry)


def test_success_is_journaled_with_per_recipe_set_results(journal, server):
    record = submit(journal, target(server), order("PO-1", "R1", "R2"))
    assert record.state == SubmissionState.SUCCEEDED
    assert record.http_status == 200
    assert [r.recipe_set_id for r in journal.results(record.id)] == ["R1", "R2"]
    assert already_succeeded(journal, target(server), "PO-1")
    assert not already_succeeded(journal, target(server), "PO-2")
    assert server.accepted_count("PO-1") == 1


def test_partial_when_a_recipe_set_fails(journal, server):
    record = submit(journal, target(server), order("PO-2", "R1", "FAIL-9"))
    assert record.state == SubmissionState.PARTIAL
    assert [r.success for r in journal.results(record.id)] == [True, False]


def test_unauthorized_server_error_and_unreachable(journal, server):
    assert submit(journal, target(server, token="wrong"), order("PO-3")).reason == FailureReason.UNAUTHORIZED
    error = submit(journal, target(server), order("ERR500-1"))
    assert (error.state, error.reason, error.http_status) == (SubmissionState.FAILED, FailureReason.SERVER_ERROR, 500)
    assert "Trace log ID" in error.message
    dead = Target("staging", "Staging", "http://127.0.0.1:9", server.token, retry=NO_RETRY)
    gone = submit(journal, dead, order("PO-4"))
    assert (gone.state, gone.reason) == (SubmissionState.FAILED, FailureReason.UNREACHABLE)
    assert server.token not in gone.message


def test_server_errors_are_retried_by_the_client_and_the_last_answer_recorded(journal, server):
    quick = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02, jitter=0)
    record = submit(journal, target(server, retry=quick), order("ERR500-2"))
    assert (record.state, record.reason) == (SubmissionState.FAILED, FailureReason.SERVER_ERROR)
    assert posts(server) == 3 and "trace ID" in record.message


def test_rate_limited_and_dropped_connection(journal, server):
    limited = submit(journal, target(server), order("RATE403-1"))
    assert (limited.state, limited.reason) == (SubmissionState.FAILED, FailureReason.RATE_LIMITED)
    dropped = submit(journal, target(server), order("DROP-1"))
    assert dropped.state == SubmissionState.UNKNOWN  # the sandbox recorded it, then hung up


def test_read_timeout_is_unknown_and_resend_finds_it_delivered_without_sending(journal, server):
    record = submit(journal, target(server, read_timeout=0.2), order("SLOW-1"))
    assert record.state == SubmissionState.UNKNOWN
    again = resend(journal, record.id, lambda original: target(server))
    assert (again.id, again.state) == (record.id, SubmissionState.ALREADY_SUBMITTED)
    assert server.accepted_count("SLOW-1") == 1 and posts(server) == 1


def test_resend_of_a_failed_row_that_spectrum_has_is_delivered_on_409(journal, server):
    refused = submit(journal, target(server, token="wrong"), order("PO-5"))
    assert refused.reason == FailureReason.UNAUTHORIZED
    assert submit(journal, target(server), order("PO-5")).state == SubmissionState.SUCCEEDED
    again = resend(journal, refused.id, lambda original: target(server))
    assert (again.state, again.http_status, again.original_id) == (SubmissionState.ALREADY_SUBMITTED, 409, refused.id)
    assert server.accepted_count("PO-5") == 1


def test_resend_of_unknown_row_spectrum_lacks_sends_it(journal, server):
    lost = submit(journal, Target("staging", "Staging", "http://127.0.0.1:9", server.token, retry=NO_RETRY),
                  order("PO-6"))
    journal.mark_sending(lost.id)  # as if the process died mid-request
    journal.recover()
    assert journal.get(lost.id).state == SubmissionState.UNKNOWN
    again = resend(journal, lost.id, lambda original: target(server))
    assert again.state == SubmissionState.SUCCEEDED and again.original_id == lost.id
    assert server.accepted_count("PO-6") == 1


def test_invalid_order_is_not_journaled_or_sent(journal, server):
    with pytest.raises(InvalidOrder, match="not sent"):
        submit(journal, target(server), {"purchaseOrderNumber": ""})
    assert posts(server) == 0
    assert journal.history(HistoryQuery()).total == 0


def test_reconcile_unknown_row_found_and_not_found(journal, server):
    arrived = submit(journal, target(server, read_timeout=0.2), order("SLOW-2", "R7"))
    never = journal.record("staging", arrived.kind, "/api/order/acknowledgement", ["PO-NEVER"], ["R1"], [], "{}")
    journal.mark_sending(never)
    journal.finish(never, SubmissionState.UNKNOWN)
    assert arrived.state == SubmissionState.UNKNOWN
    found = reconcile(journal, arrived.id, target(server))
    assert found.delivered and found.record.state == SubmissionState.ALREADY_SUBMITTED
    assert found.line_items[0]["recipeSetId"] == "R7"
    missing = reconcile(journal, never, target(server))
    assert not missing.delivered and journal.get(never).state == SubmissionState.UNKNOWN


def test_resend_of_session_only_unknown_row_reconciles(tmp_path, server):
    db = Database(tmp_path / "s.sqlite3")
    session_only = Journal(db, BodyCipher(None))
    record = submit(session_only, target(server, read_timeout=0.2), order("SLOW-3"))
    db.close()
    db = Database(tmp_path / "s.sqlite3")
    later = Journal(db, BodyCipher(None))
    assert later.request_body(record.id) is None
    assert resend(later, record.id, lambda original: target(server)).state == SubmissionState.ALREADY_SUBMITTED
    assert posts(server) == 1 and server.accepted_count("SLOW-3") == 1
    db.close()


def test_needs_attention_keeps_the_newest_row_per_order_and_drops_delivered_ones(journal, server):
    refused = submit(journal, target(server, token="wrong"), order("NA-1"))
    again = resend(journal, refused.id, lambda original: target(server, token="wrong"))
    partial = submit(journal, target(server), order("NA-2", "R1", "FAIL-1"))
    fixed_later = submit(journal, target(server, token="wrong"), order("NA-3"))
    submit(journal, target(server), order("NA-3"))
    assert [r.id for r in needs_attention(journal)] == [partial.id, again.id]
    assert fixed_later.state == SubmissionState.FAILED
    assert needs_attention(journal, "production") == []


def test_a_409_on_resending_a_partial_order_does_not_claim_the_failed_recipe_sets_arrived(journal, server):
    partial = submit(journal, target(server), order("PA-1", "R1", "FAIL-7"))
    assert partial.state == SubmissionState.PARTIAL
    server.set_accept_failures(True)  # someone else completed the order meanwhile (the sandbox counts an order
    submit(journal, target(server), order("PA-1", "FAIL-7"))  # received once each of its recipeSets is accepted)
    server.set_accept_failures(False)
    again = resend(journal, partial.id, lambda original: target(server))
    assert (again.state, again.http_status) == (SubmissionState.ALREADY_SUBMITTED, 409)
    assert "FAIL-7" in again.message and "may still need fixing" in again.message
    assert "Purchase order has already been submitted" in (journal.response_body(again.id) or "")
