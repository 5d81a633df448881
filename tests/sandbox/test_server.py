import json
import socket

import pytest
import requests

from spectrum_desktop.sandbox import SandboxServer

TOKEN = "test-token"
HEADERS = {"SPECTRUM_API_TOKEN": TOKEN}


def order(po, *rids):
    return {"purchaseOrderNumber": po, "orderDate": "2022-01-31T13:15:05.2151663-05:00",
            "lineItems": [{"recipeSetId": r, "sku": "S", "quantity": 1} for r in (rids or ("ABCD1234",))]}


@pytest.fixture
def sandbox():
    with SandboxServer(token=TOKEN, rate_limit=None, slow_delay=0.2) as server:
        yield server


def post(sandbox, path, body, headers=HEADERS):
    return requests.post(sandbox.url + path, json=body, headers=headers, timeout=5)


def test_ack_accepted_then_repeat_is_409(sandbox):
    first = post(sandbox, "/api/order/acknowledgement", order("42015953"))
    assert first.status_code == 200
    assert first.json() == {"purchaseOrderNumber": "42015953", "allSuccessful": True,
                            "statuses": [{"recipeSetId": "ABCD1234", "success": True,
                                          "message": "Processed Successfully"}]}
    again = post(sandbox, "/api/order/acknowledgement", order("42015953"))
    assert again.status_code == 409
    assert again.json()["error"] == "Purchase order has already been submitted."
    assert sandbox.accepted_count("42015953") == 1


def test_fail_recipe_set_then_accept_failures_over_http(sandbox):
    body = order("P1", "OK1", "FAIL-2")
    first = post(sandbox, "/api/order/acknowledgement", body).json()
    assert first["allSuccessful"] is False
    assert [s["success"] for s in first["statuses"]] == [True, False]
    assert requests.post(sandbox.url + "/_sandbox/accept-failures", timeout=5).status_code == 200
    second = post(sandbox, "/api/order/acknowledgement", order("P1", "FAIL-2")).json()
    assert second["allSuccessful"] is True
    assert sandbox.accepted_count("P1") == 1
    assert post(sandbox, "/api/order/acknowledgement", body).status_code == 409  # now wholly accepted


def test_wrong_token_401_and_token_not_recorded(sandbox):
    reply = post(sandbox, "/api/order/acknowledgement", order("P2"), headers={"SPECTRUM_API_TOKEN": "nope"})
    assert reply.status_code == 401
    assert all("SPECTRUM_API_TOKEN" not in r.headers and "spectrum_api_token" not in r.headers
               for r in sandbox.received())


def test_validation_400_names_missing_field(sandbox):
    bad = order("P3")
    del bad["orderDate"]
    reply = post(sandbox, "/api/order/acknowledgement", bad)
    assert reply.status_code == 400
    assert "orderDate" in reply.json()["error"]
    full = post(sandbox, "/api/order", order("P4"))
    assert full.status_code == 400 and "customerAddress" in full.json()["error"]


def test_magic_err500_and_html502(sandbox):
    err = post(sandbox, "/api/order/acknowledgement", order("ERR500-1"))
    assert err.status_code == 500 and "Trace log ID" in err.json()["error"]
    html = post(sandbox, "/api/order/acknowledgement", order("HTML502-1"))
    assert html.status_code == 502 and html.text.startswith("<html>")


def test_multiple_returns_array_and_lookup(sandbox):
    reply = post(sandbox, "/api/order/acknowledgements", [order("M1"), order("M2")])
    assert reply.status_code == 200
    assert [r["purchaseOrderNumber"] for r in reply.json()] == ["M1", "M2"]
    found = requests.get(sandbox.url + "/api/order/order-number/M2", headers=HEADERS, timeout=5)
    assert found.status_code == 200 and found.json()["purchaseOrderNumber"] == "M2"
    missing = requests.get(sandbox.url + "/api/order/order-number/NOPE", headers=HEADERS, timeout=5)
    assert missing.status_code == 404


def test_rate_limit_403_with_headers():
    with SandboxServer(token=TOKEN, rate_limit=(3, 30)) as server:
        codes = [post(server, "/api/order/acknowledgement", order(f"R{i}")).status_code for i in range(4)]
        assert codes == [200, 200, 200, 403]
        last = post(server, "/api/order/acknowledgement", order("R9"))
        assert last.headers["X-RateLimit-Remaining"] == "0" and int(last.headers["Retry-After"]) >= 1


def test_garbage_survives(sandbox):
    big = requests.post(sandbox.url + "/api/order/acknowledgement", data=b"x" * (3 * 1024 * 1024),
                        headers={**HEADERS, "Content-Type": "application/json"}, timeout=10)
    assert big.status_code == 413
    bad_utf8 = requests.post(sandbox.url + "/api/order/acknowledgement", data=b"\xff\xfe{",
                             headers={**HEADERS, "Content-Type": "application/json"}, timeout=5)
    assert bad_utf8.status_code == 400
    deep = requests.post(sandbox.url + "/api/order/acknowledgement", data=("[" * 100000).encode(),
                         headers={**HEADERS, "Content-Type": "application/json"}, timeout=5)
    assert deep.status_code == 400
    wrong_type = requests.post(sandbox.url + "/api/order/acknowledgement", data=json.dumps(order("G1")),
                               headers={**HEADERS, "Content-Type": "text/plain"}, timeout=5)
    assert wrong_type.status_code == 415
    idle = socket.create_connection(("127.0.0.1", int(sandbox.url.rsplit(":", 1)[1])))
    try:
        ok = post(sandbox, "/api/order/acknowledgement", order("G2"))
        assert ok.status_code == 200
    finally:
        idle.close()
