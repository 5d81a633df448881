"""What leaves the machine: the reference's example bodies arrive field for field, with the reference's headers."""

import json

import pytest

from spectrum_desktop.api import Accepted, SpectrumClient, default_user_agent
from spectrum_desktop.domain.validation import validate_order
from tests.api.conftest import FAST_RETRY, TOKEN, example

ACK = "/api/order/acknowledgement"


def _without_empty(value):
    """Domain validation leaves the reference's blank optional fields (address2: "") out of what is sent."""
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v not in ("", None)}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


@pytest.mark.parametrize(("name", "method", "path"), [
    ("ack_lineitem.json", "acknowledge", ACK),
    ("ack_recipeset.json", "acknowledge", ACK),
    ("full_order.json", "send_full_order", "/api/order"),
])
def test_reference_example_arrives_field_for_field(client, sandbox, name, method, path):
    body = example(name)
    outcome = getattr(client, method)(body)
    assert isinstance(outcome, Accepted)
    (received,) = sandbox.received()
    assert (received.method, received.path) == ("POST", path)
    assert received.body == example(name)
    assert list(received.body) == list(example(name))  # key order kept too


@pytest.mark.parametrize("name", ["ack_lineitem.json", "ack_recipeset.json", "full_order.json"])
def test_domain_validated_body_arrives_as_the_reference_example(client, sandbox, name):
    result = validate_order(example(name))
    assert result.ok
    send = client.send_full_order if name == "full_order.json" else client.acknowledge
    assert isinstance(send(result.body), Accepted)
    assert sandbox.received()[0].body == _without_empty(example(name))


def test_bulk_example_arrives_as_a_json_array(client, sandbox):
    bodies = example("ack_bulk.json")
    many = client.acknowledge_many(bodies)
    assert many.all_accepted and set(many.results) == {"42015953", "42015954"}
    (received,) = sandbox.received()
    assert received.path == "/api/order/acknowledgements"
    assert received.body == example("ack_bulk.json")


def test_headers_are_the_reference_headers(sandbox):
    with SpectrumClient(sandbox.url, TOKEN, retry=FAST_RETRY) as client:
        assert isinstance(client.acknowledge(example("ack_lineitem.json")), Accepted)  # the token was accepted
    headers = sandbox.received()[0].headers
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"] == default_user_agent()
    assert default_user_agent().startswith("spectrum-desktop/") and default_user_agent()[-1].isdigit()
    assert TOKEN not in json.dumps(headers)  # the sandbox never records the token


def test_token_header_name_is_exactly_the_reference_one(sandbox):
    import requests

    wrong_name = requests.post(sandbox.url + ACK, json=example("ack_lineitem.json"),
                               headers={"Authorization": TOKEN}, timeout=5)
    assert wrong_name.status_code == 401
    with SpectrumClient(sandbox.url, TOKEN, retry=FAST_RETRY) as client:
        assert client.acknowledge(example("ack_lineitem.json")).http_status == 200


def test_unicode_is_sent_as_utf8_json(client, sandbox):
    body = example("ack_lineitem.json")
    body["lineItems"][0]["giftMessage"] = "Joyeux Noël — 🎁"
    assert isinstance(client.acknowledge(body), Accepted)
    assert sandbox.received()[0].body["lineItems"][0]["giftMessage"] == "Joyeux Noël — 🎁"


def test_lookup_quotes_the_purchase_order_number(client, sandbox):
    client.lookup("A B/C?d")
    assert sandbox.received()[0].path == "/api/order/order-number/A%20B%2FC%3Fd"
