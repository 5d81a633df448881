"""The words the result panel uses, for every way a submission can end."""

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from spectrum_desktop.domain.states import FailureReason, OrderKind, SubmissionState
from spectrum_desktop.domain.submission import RecipeSetResult, SubmissionRecord
from spectrum_desktop.ui.result_text import Action, Tone, describe, submitted_at, trace_id_in

NOW = datetime(2024, 5, 1, tzinfo=timezone.utc)
BASE = SubmissionRecord(
    id=1, environment_id="staging", base_url="https://staging.example.com", kind=OrderKind.ACK,
    endpoint="/api/order/acknowledgement", purchase_orders=("PO-1",), recipe_set_ids=("A", "B"), skus=(),
    state=SubmissionState.SUCCEEDED, reason=None, http_status=200, message="", attempts=1,
    created_at=NOW, updated_at=NOW,
)


def failed(reason, message="", status=None):
    return replace(BASE, state=SubmissionState.FAILED, reason=reason, message=message, http_status=status)


@pytest.mark.parametrize("text, expected", [
    ("An unexpected error occurred. Trace log ID: 0f3c2a9e-77b1-4f0a.", "0f3c2a9e-77b1-4f0a"),
    ("Error (trace id=ABC123XYZ)", "ABC123XYZ"),
    ("TRACE LOG ID 9f8e7d6c5b4a", "9f8e7d6c5b4a"),
    ("Internal error, no id given", ""),
])
def test_trace_ids_are_found_in_the_servers_text(text, expected):
    assert trace_id_in(text) == expected


def test_success_counts_the_recipe_sets():
    record = replace(BASE, results=(RecipeSetResult("A", True, "ok"), RecipeSetResult("B", True, "ok")))
    shown = describe(record, "Staging")
    assert shown.tone is Tone.SUCCESS and shown.headline == "Sent: Staging accepted PO-1 (2 of 2 recipe sets)."


def test_partial_is_not_a_success_and_says_how_many_failed():
    record = replace(BASE, state=SubmissionState.PARTIAL,
                     results=(RecipeSetResult("A", True, "ok"), RecipeSetResult("B", False, "bad sku")))
    shown = describe(record, "Staging")
    assert shown.tone is Tone.PARTIAL and "1 of 2" in shown.headline
    assert [r.recipe_set_id for r in shown.rows] == ["A", "B"]


def test_already_submitted_names_the_date_from_the_answer():
    record = replace(BASE, state=SubmissionState.ALREADY_SUBMITTED, http_status=409,
                     message="Purchase order has already been submitted.")
    body = '{"lastModification": "2024-04-30T08:15:00Z", "error": "Purchase order has already been submitted."}'
    shown = describe(record, "Production", body)
    assert shown.tone is Tone.NOTICE
    assert shown.headline == "Already submitted: Production already has PO-1 on 2024-04-30T08:15:00Z."
    assert submitted_at("not json") == ""


def test_server_error_keeps_the_whole_text_and_offers_the_trace_id():
    text = "An unexpected error occurred. Trace log ID: abcd1234ef"
    shown = describe(failed(FailureReason.SERVER_ERROR, text, 500), "Staging")
    assert text in shown.detail and shown.trace_id == "abcd1234ef"
    assert Action.COPY_TRACE_ID in shown.actions and "HTTP 500" in shown.headline


def test_rate_limited_uses_the_servers_wait_or_the_environments_window():
    from_server = failed(FailureReason.RATE_LIMITED, "Rate limit exceeded. Wait about 12 seconds and send again.")
    assert describe(from_server, "Staging").detail.startswith("Wait 12 seconds, then send again.")
    fallback = describe(failed(FailureReason.RATE_LIMITED, "Rate limit exceeded."), "Staging",
                        rate_window_seconds=60)
    assert "Wait up to 60 seconds" in fallback.detail


def test_unauthorized_offers_the_token_and_unknown_offers_a_check():
    assert describe(failed(FailureReason.UNAUTHORIZED, "Unauthorized"), "Staging").actions == (Action.SET_TOKEN,)
    unknown = describe(replace(BASE, state=SubmissionState.UNKNOWN, message="Read timed out"), "Staging")
    assert unknown.tone is Tone.UNKNOWN and Action.CHECK in unknown.actions
    assert "may or may not have arrived" in unknown.detail


def test_a_refused_order_quotes_the_server():
    shown = describe(failed(FailureReason.REJECTED, "orderDate is required.", 400), "Staging")
    assert shown.headline == "Not accepted: Staging refused PO-1."
    assert "orderDate is required." in shown.detail


def test_cancelled_while_waiting_for_the_budget_says_nothing_was_sent():
    queued = replace(BASE, state=SubmissionState.QUEUED, message="Cancelled before sending. Nothing was sent.")
    shown = describe(queued, "Staging")
    assert shown.tone is Tone.NOTICE and shown.headline == "Not sent: PO-1 was cancelled before it left."
    assert Action.SEND_AGAIN in shown.actions


def test_the_unknown_outcome_says_it_once_and_names_the_buttons_as_labelled():
    from spectrum_desktop.api import OutcomeUnknown
    from spectrum_desktop.ui.result_text import CHECK_LABEL, SEND_AGAIN_LABEL

    message = OutcomeUnknown(detail="read timeout").message  # the client's own words, as the journal keeps them
    unknown = describe(replace(BASE, state=SubmissionState.UNKNOWN, message=message), "Staging")
    assert unknown.detail.lower().count("arrived") == 1
    assert "read timeout" in unknown.detail
    assert f"Press {CHECK_LABEL}" in unknown.detail and f"press {SEND_AGAIN_LABEL}" in unknown.detail
    assert "'Check in Spectrum'" not in unknown.detail


def test_plurals_are_right():
    from spectrum_desktop.domain.words import count

    assert [count(n, "submission") for n in (0, 1, 2)] == ["0 submissions", "1 submission", "2 submissions"]
    assert count(1, "line item") == "1 line item" and count(3, "SKU") == "3 SKUs"
