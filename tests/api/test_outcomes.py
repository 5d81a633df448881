"""Every outcome the client knows, produced by the real sandbox over loopback HTTP."""

import socket
import threading
import time

from spectrum_desktop.api import (
    Accepted,
    AlreadySubmitted,
    Cancelled,
    Found,
    NotFound,
    OutcomeUnknown,
    PartiallyAccepted,
    RateLimited,
    Rejected,
    RetryPolicy,
    ServerError,
    SpectrumClient,
    Unauthorized,
    Unreachable,
    Unrecognised,
)
from spectrum_desktop.domain.states import FailureReason, SubmissionState
from tests.api.conftest import FAST_RETRY, TOKEN, ack


def posts(sandbox, po):
    return [r for r in sandbox.received() if isinstance(r.body, dict) and r.body.get("purchaseOrderNumber") == po]


def test_accepted_with_per_recipe_set_results(client):
    outcome = client.acknowledge(ack("A-1", "R1", "R2"))
    assert isinstance(outcome, Accepted)
    assert outcome.http_status == 200 and outcome.attempts == 1
    assert [(r.recipe_set_id, r.success, r.message) for r in outcome.results] == [
        ("R1", True, "Processed Successfully"), ("R2", True, "Processed Successfully")]
    assert outcome.state is SubmissionState.SUCCEEDED and outcome.reason is None
    assert '"allSuccessful": true' in outcome.response_text


def test_partially_accepted_lists_failed_recipe_sets_and_messages(client):
    outcome = client.acknowledge(ack("P-1", "OK1", "FAIL-2", "FAIL-3"))
    assert isinstance(outcome, PartiallyAccepted)
    assert outcome.failed_ids == ("FAIL-2", "FAIL-3")
    assert all("FAIL" in r.message for r in outcome.failed)
    assert outcome.state is SubmissionState.PARTIAL
    assert "2 of 3" in outcome.message and "FAIL-2" in outcome.message


def test_all_recipe_sets_failed_is_failed_rejected(client):
    outcome = client.acknowledge(ack("P-2", "FAIL-1"))
    assert isinstance(outcome, PartiallyAccepted)
    assert outcome.state is SubmissionState.FAILED and outcome.reason is FailureReason.REJECTED


def test_repeat_is_already_submitted_with_last_modification_and_not_retried(client, sandbox):
    assert isinstance(client.acknowledge(ack("D-1")), Accepted)
    outcome = client.acknowledge(ack("D-1"))
    assert isinstance(outcome, AlreadySubmitted)
    assert outcome.http_status == 409 and outcome.attempts == 1
    assert outcome.last_modification and outcome.last_modification.startswith("20")
    assert outcome.error == "Purchase order has already been submitted."
    assert outcome.state is SubmissionState.ALREADY_SUBMITTED
    assert len(posts(sandbox, "D-1")) == 2


def test_server_error_keeps_text_trace_id_and_api_version_after_bounded_retries(client, sandbox):
    outcome = client.acknowledge(ack("ERR500-1"))
    assert isinstance(outcome, ServerError)
    assert outcome.http_status == 500
    assert outcome.trace_id and len(outcome.trace_id) == 32
    assert outcome.trace_id in outcome.text and "Trace log ID" in outcome.text
    assert outcome.api_version and outcome.last_modification
    assert outcome.reason is FailureReason.SERVER_ERROR
    assert outcome.attempts == FAST_RETRY.max_attempts == len(posts(sandbox, "ERR500-1"))
    assert outcome.message.count(outcome.trace_id) == 1, "the trace ID is named once"
    assert "Give support that trace ID." in outcome.message and ".." not in outcome.message


def test_a_server_error_without_the_trace_id_in_its_text_names_it_once():
    outcome = ServerError(http_status=500, attempts=1, text="Database unavailable.", trace_id="abc123")
    assert outcome.message == ("Spectrum had an error (HTTP 500): Database unavailable. "
                               "Give support this trace ID: abc123. Try again later.")


def test_total_time_bounds_retries(sandbox):
    policy = RetryPolicy(max_attempts=50, max_total_seconds=0.5, base_delay=0.2, max_delay=0.2, jitter=0.0)
    with SpectrumClient(sandbox.url, TOKEN, retry=policy) as client:
        started = time.monotonic()
        outcome = client.acknowledge(ack("ERR500-2"))
    assert isinstance(outcome, ServerError)
    assert time.monotonic() - started < 1.5  # 50 attempts would take over 10 s
    assert 2 <= outcome.attempts <= 3
    assert outcome.attempts == len(posts(sandbox, "ERR500-2"))


def test_validation_error_is_rejected_with_server_message_not_retried(client, sandbox):
    body = ack("V-1")
    del body["orderDate"]
    outcome = client.acknowledge(body)
    assert isinstance(outcome, Rejected)
    assert outcome.http_status == 400 and "orderDate" in outcome.error
    assert outcome.attempts == 1 and len(posts(sandbox, "V-1")) == 1
    assert outcome.reason is FailureReason.REJECTED


def test_slow_answer_is_outcome_unknown_not_retried_and_still_recorded(client, sandbox):
    started = time.monotonic()
    outcome = client.acknowledge(ack("SLOW-1"))
    assert isinstance(outcome, OutcomeUnknown)
    assert time.monotonic() - started < 1.8  # read timeout 0.4 s; the sandbox would answer after 2 s
    assert outcome.http_status is None and outcome.attempts == 1
    assert outcome.state is SubmissionState.UNKNOWN and outcome.maybe_arrived
    assert len(posts(sandbox, "SLOW-1")) == 1
    assert isinstance(client.lookup("SLOW-1"), Found)  # the order arrived although no answer came


def test_dropped_connection_is_outcome_unknown_not_retried(client, sandbox):
    outcome = client.acknowledge(ack("DROP-1"))
    assert isinstance(outcome, OutcomeUnknown)
    assert len(posts(sandbox, "DROP-1")) == 1


def test_html_from_a_proxy_is_unrecognised_with_body_kept(client):
    outcome = client.acknowledge(ack("HTML502-1"))
    assert isinstance(outcome, Unrecognised)
    assert outcome.http_status == 502 and "<h1>502 Bad Gateway</h1>" in outcome.body
    assert "text/html" in outcome.content_type
    assert outcome.state is SubmissionState.UNKNOWN


def test_malformed_json_is_unrecognised_not_retried(client, sandbox):
    outcome = client.acknowledge(ack("BADJSON-1"))
    assert isinstance(outcome, Unrecognised)
    assert outcome.http_status == 200 and outcome.body.startswith('{"purchaseOrderNumber": "BADJSON-1"')
    assert outcome.attempts == 1 == len(posts(sandbox, "BADJSON-1"))


def test_rate_limited_honours_retry_after(sandbox):
    policy = RetryPolicy(max_attempts=2, max_total_seconds=10, base_delay=0.01, max_delay=0.01, jitter=0)
    with SpectrumClient(sandbox.url, TOKEN, retry=policy) as client:
        started = time.monotonic()
        outcome = client.acknowledge(ack("RATE403-1"))
        elapsed = time.monotonic() - started
    assert isinstance(outcome, RateLimited)
    assert outcome.wait_seconds == 1.0 and outcome.attempts == 2
    assert outcome.reason is FailureReason.RATE_LIMITED
    assert elapsed >= 1.0  # waited the server's Retry-After, not the 0.01 s backoff
    stamps = [r.at for r in posts(sandbox, "RATE403-1")]
    assert len(stamps) == 2 and stamps[1] - stamps[0] >= 0.95


def test_forbidden_without_rate_signs_is_unauthorized(client, sandbox):
    outcome = client.acknowledge(ack("DENY403-1"))
    assert isinstance(outcome, Unauthorized)
    assert outcome.http_status == 403 and outcome.attempts == 1


def test_wrong_token_is_unauthorized_and_token_not_in_message(sandbox):
    with SpectrumClient(sandbox.url, "wrong-secret-token", retry=FAST_RETRY) as client:
        outcome = client.acknowledge(ack("T-1"))
    assert isinstance(outcome, Unauthorized)
    assert outcome.http_status == 401 and outcome.reason is FailureReason.UNAUTHORIZED
    assert "wrong-secret-token" not in outcome.message + repr(outcome) + repr(client)


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_closed_port_is_unreachable_after_retries():
    with SpectrumClient(f"http://127.0.0.1:{_closed_port()}", TOKEN, retry=FAST_RETRY) as client:
        outcome = client.acknowledge(ack("U-1"))
    assert isinstance(outcome, Unreachable)
    assert outcome.attempts == FAST_RETRY.max_attempts
    assert outcome.http_status is None and not outcome.maybe_arrived
    assert outcome.reason is FailureReason.UNREACHABLE and "refused" in outcome.detail


def test_unknown_host_is_unreachable():
    with SpectrumClient("https://no-such-host.invalid", TOKEN, retry=RetryPolicy.none()) as client:
        outcome = client.acknowledge(ack("U-2"))
    assert isinstance(outcome, Unreachable)
    assert outcome.detail == "the server name could not be found"


def test_cancel_before_sending_sends_nothing(client, sandbox):
    cancel = threading.Event()
    cancel.set()
    outcome = client.acknowledge(ack("C-1"), cancel=cancel)
    assert isinstance(outcome, Cancelled)
    assert outcome.state is SubmissionState.QUEUED and not outcome.maybe_arrived
    assert posts(sandbox, "C-1") == []


def test_cancel_stops_the_backoff_wait(sandbox):
    policy = RetryPolicy(max_attempts=5, max_total_seconds=60, base_delay=5, max_delay=5, jitter=0)
    cancel = threading.Event()
    with SpectrumClient(sandbox.url, TOKEN, retry=policy) as client:
        threading.Timer(0.3, cancel.set).start()
        started = time.monotonic()
        outcome = client.acknowledge(ack("ERR500-C"), cancel=cancel)
    assert time.monotonic() - started < 2
    assert isinstance(outcome, ServerError) and outcome.attempts == 1


def test_full_order_accepted_and_lookup_found_then_not_found(client):
    from tests.api.conftest import example

    body = example("full_order.json")
    body["purchaseOrderNumber"] = "F-1"
    assert isinstance(client.send_full_order(body), Accepted)
    found = client.lookup("F-1")
    assert isinstance(found, Found) and found.order["customerAddress"]["city"] == "Portland"
    missing = client.lookup("NOPE/../1")
    assert isinstance(missing, NotFound) and missing.http_status == 404


def test_full_order_missing_address_field_is_rejected(client):
    from tests.api.conftest import example

    body = example("full_order.json")
    body["purchaseOrderNumber"] = "F-2"
    del body["shippingAddress"]["postalCode"]
    outcome = client.send_full_order(body)
    assert isinstance(outcome, Rejected) and "shippingAddress.postalCode" in outcome.error


def test_a_partial_answer_reads_as_one_sentence_per_part():
    from spectrum_desktop.api.outcomes import PartiallyAccepted
    from spectrum_desktop.domain.submission import RecipeSetResult

    outcome = PartiallyAccepted(purchase_order_number="PO-1", results=(
        RecipeSetResult("A", True, "Processed Successfully"),
        RecipeSetResult("FAIL-2", False, "RecipeSet could not be processed (sandbox FAIL value)."),
    ))
    assert ").)" not in outcome.message and ".." not in outcome.message
    assert "FAIL-2: RecipeSet could not be processed (sandbox FAIL value). Correct it" in outcome.message


def test_a_partial_answer_counts_its_failed_recipe_sets_in_good_english():
    from spectrum_desktop.api.outcomes import PartiallyAccepted
    from spectrum_desktop.domain.submission import RecipeSetResult

    def answer(*failed_ids):
        results = (RecipeSetResult("R1", True),) + tuple(RecipeSetResult(r, False, "Unknown SKU") for r in failed_ids)
        return PartiallyAccepted(purchase_order_number="PO-1", results=results).message

    assert answer("R2").startswith("Order PO-1: 1 of 2 recipe sets was not accepted. R2: Unknown SKU. Correct it ")
    assert answer("R2", "R3").startswith("Order PO-1: 2 of 3 recipe sets were not accepted.")
    assert answer("R2", "R3").endswith("Correct them and resend the failed ones.")
