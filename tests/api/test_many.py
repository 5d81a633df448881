"""acknowledge_many: results mapped back to each order by purchaseOrderNumber, whatever the answer's shape."""

import pytest

from spectrum_desktop.api import (
    Accepted,
    AlreadySubmitted,
    OutcomeUnknown,
    PartiallyAccepted,
    Rejected,
    ServerError,
    SpectrumClient,
    Unauthorized,
    Unrecognised,
)
from spectrum_desktop.api.responses import many_results
from spectrum_desktop.sandbox import SandboxServer
from tests.api.conftest import FAST_RETRY, TOKEN, ack


def test_mixed_results_mapped_by_purchase_order(client):
    assert isinstance(client.acknowledge(ack("M-DUP")), Accepted)
    bad = ack("M-BAD")
    del bad["orderDate"]
    many = client.acknowledge_many([ack("M-OK"), ack("M-PART", "OK1", "FAIL-1"), ack("M-DUP"), bad])
    assert many.http_status == 200 and not many.all_accepted
    assert isinstance(many.results["M-OK"], Accepted)
    assert many.results["M-PART"].failed_ids == ("FAIL-1",)
    assert isinstance(many.results["M-PART"], PartiallyAccepted)
    assert isinstance(many.results["M-DUP"], AlreadySubmitted) and many.results["M-DUP"].http_status == 409
    assert isinstance(many.results["M-BAD"], Rejected) and "orderDate" in many.results["M-BAD"].error
    assert not isinstance(many.outcome, Accepted)


@pytest.mark.parametrize("shape", ["array", "wrapped", "single"])
def test_every_answer_shape_is_understood(shape):
    with SandboxServer(token=TOKEN, rate_limit=None, many_shape=shape) as server, \
            SpectrumClient(server.url, TOKEN, retry=FAST_RETRY) as client:
        many = client.acknowledge_many([ack("S-1", "R1")])
    assert many.all_accepted and isinstance(many.outcome, Accepted)
    assert many.results["S-1"].results[0].recipe_set_id == "R1"


def test_request_level_failure_applies_to_every_order(sandbox):
    with SpectrumClient(sandbox.url, "wrong", retry=FAST_RETRY) as client:
        many = client.acknowledge_many([ack("W-1"), ack("W-2")])
    assert set(many.results) == {"W-1", "W-2"}
    assert all(isinstance(o, Unauthorized) for o in many.results.values())
    assert isinstance(many.outcome, Unauthorized) and many.http_status == 401


def test_server_error_for_the_batch_is_retried_then_reported_for_each(client, sandbox):
    many = client.acknowledge_many([ack("N-1"), ack("ERR500-N")])
    assert all(isinstance(o, ServerError) for o in many.results.values())
    assert many.attempts == FAST_RETRY.max_attempts == len(sandbox.received())


def test_order_missing_from_the_answer_is_unknown():
    answer = [{"purchaseOrderNumber": "X-1", "statuses": [{"recipeSetId": "R", "success": True}],
               "allSuccessful": True}]
    results = many_results(answer, ["X-1", "X-2"], 200)
    assert isinstance(results["X-1"], Accepted)
    assert isinstance(results["X-2"], OutcomeUnknown)


def test_unknown_shape_is_unrecognised_over_http(sandbox):
    # An answer that is neither a list nor holds one: the sandbox's validation error for a non-array body
    with SpectrumClient(sandbox.url, TOKEN, retry=FAST_RETRY) as client:
        many = client.acknowledge_many([])
    assert isinstance(many.outcome, Rejected) and many.http_status == 400
    assert many_results({"count": 2}, ["A"], 200) is None
    assert many_results("nonsense", ["A"], 200) is None


def test_bad_json_for_the_batch_is_unrecognised(client):
    many = client.acknowledge_many([ack("BADJSON-M")])
    assert isinstance(many.outcome, Unrecognised)
    assert isinstance(many.results["BADJSON-M"], Unrecognised)
