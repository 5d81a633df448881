"""Acceptance per recipeSet, the POST log, percent-decoded lookups and the request deadline, over loopback."""

import select
import socket
import threading
import time
from urllib.parse import quote

import pytest
import requests

from spectrum_desktop.domain.endpoints import lookup_path
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.sandbox.server import ALREADY_ACCEPTED

TOKEN = "partial-token"
HEADERS = {"SPECTRUM_API_TOKEN": TOKEN}
ACK = "/api/order/acknowledgement"


def order(po, *rids):
    return {"purchaseOrderNumber": po, "orderDate": "2022-01-31T13:15:05-05:00",
            "lineItems": [{"recipeSetId": r, "sku": "S", "quantity": 1} for r in (rids or ("R1",))]}


@pytest.fixture
def sandbox():
    with SandboxServer(token=TOKEN, rate_limit=None) as server:
        yield server


def post(sandbox, body, path=ACK):
    return requests.post(sandbox.url + path, json=body, headers=HEADERS, timeout=5)


def posts_log(sandbox):
    reply = requests.get(sandbox.url + "/_sandbox/posts", timeout=5)
    assert reply.status_code == 200
    return reply.json()["purchaseOrders"]


def test_partly_accepted_order_sent_whole_again_processes_only_the_failed_recipe_set(sandbox):
    first = post(sandbox, order("PART-1", "OK-1", "FAIL-2", "OK-3")).json()
    assert [s["success"] for s in first["statuses"]] == [True, False, True]
    assert sandbox.accepted_recipe_sets("PART-1") == {"OK-1", "OK-3"} and sandbox.accepted_count("PART-1") == 0

    sandbox.set_accept_failures(True)
    again = post(sandbox, order("PART-1", "OK-1", "FAIL-2", "OK-3"))
    assert again.status_code == 200
    assert again.json() == {"purchaseOrderNumber": "PART-1", "allSuccessful": False, "statuses": [
        {"recipeSetId": "OK-1", "success": False, "message": ALREADY_ACCEPTED},
        {"recipeSetId": "FAIL-2", "success": True, "message": "Processed Successfully"},
        {"recipeSetId": "OK-3", "success": False, "message": ALREADY_ACCEPTED}]}
    assert sandbox.accepted_count("PART-1") == 1  # wholly accepted once, never twice
    assert post(sandbox, order("PART-1", "FAIL-2")).status_code == 409

    log = posts_log(sandbox)["PART-1"]
    assert log["posts"] == 3 and log["answers"] == {"200": 2, "409": 1}
    assert log["recipeSets"] == {"OK-1": {"posts": 2, "accepted": True, "alreadyAccepted": 1},
                                 "FAIL-2": {"posts": 3, "accepted": True, "alreadyAccepted": 1},
                                 "OK-3": {"posts": 2, "accepted": True, "alreadyAccepted": 1}}


def test_resend_of_only_the_failed_recipe_set_is_accepted_and_lookup_shows_the_whole_order(sandbox):
    post(sandbox, order("PART-2", "OK-1", "FAIL-2"))
    only_accepted_again = post(sandbox, order("PART-2", "OK-1")).json()
    assert only_accepted_again["statuses"] == [{"recipeSetId": "OK-1", "success": False, "message": ALREADY_ACCEPTED}]
    still_failing = post(sandbox, order("PART-2", "FAIL-2")).json()  # FAIL values still refused
    assert still_failing["allSuccessful"] is False and sandbox.accepted_count("PART-2") == 0
    requests.post(sandbox.url + "/_sandbox/accept-failures", timeout=5)
    fixed = post(sandbox, order("PART-2", "FAIL-2")).json()
    assert fixed["allSuccessful"] is True and sandbox.accepted_count("PART-2") == 1
    found = requests.get(sandbox.url + lookup_path("PART-2"), headers=HEADERS, timeout=5).json()
    assert [i["recipeSetId"] for i in found["lineItems"]] == ["OK-1", "FAIL-2"]
    log = posts_log(sandbox)["PART-2"]
    assert log["recipeSets"]["OK-1"] == {"posts": 2, "accepted": True, "alreadyAccepted": 1}
    assert log["recipeSets"]["FAIL-2"] == {"posts": 3, "accepted": True, "alreadyAccepted": 0}


def test_partial_memory_holds_in_a_multiple_acknowledgement(sandbox):
    post(sandbox, [order("M-1", "A", "FAIL-B"), order("M-2")], path="/api/order/acknowledgements")
    sandbox.set_accept_failures(True)
    results = post(sandbox, [order("M-1", "A", "FAIL-B"), order("M-2")], path="/api/order/acknowledgements").json()
    assert [s["success"] for s in results[0]["statuses"]] == [False, True]
    assert results[1]["status"] == 409
    log = posts_log(sandbox)
    assert log["M-1"]["answers"] == {"200": 2} and log["M-2"]["answers"] == {"200": 1, "409": 1}
    assert sandbox.accepted_counts() == {"M-1": 1, "M-2": 1}


def test_post_log_counts_refused_posts_and_reset_forgets(sandbox):
    requests.post(sandbox.url + ACK, json=order("LOG-1"), headers={"SPECTRUM_API_TOKEN": "wrong"}, timeout=5)
    post(sandbox, order("LOG-1"))
    post(sandbox, order("ERR500-LOG"))
    log = posts_log(sandbox)
    assert log["LOG-1"]["posts"] == 2 and log["LOG-1"]["answers"] == {"200": 1, "401": 1}
    assert log["ERR500-LOG"]["answers"] == {"500": 1}
    assert sandbox.posts() == log
    requests.post(sandbox.url + "/_sandbox/reset", timeout=5)
    assert posts_log(sandbox) == {}


@pytest.mark.parametrize("po", ["LOSTA|Z", "100%", "A,B", "PO 7", "Bestellung-Ä-ß-東京", "a/b?c#d+e"])
def test_lookup_decodes_the_purchase_order_number(sandbox, po):
    assert post(sandbox, order(po)).status_code == 200
    found = requests.get(sandbox.url + lookup_path(po), headers=HEADERS, timeout=5)
    assert found.status_code == 200 and found.json()["purchaseOrderNumber"] == po
    other = requests.get(sandbox.url + "/api/order/order-number/" + quote(po + "x", safe=""), headers=HEADERS,
                         timeout=5)
    assert other.status_code == 404


def test_lookup_with_a_number_that_is_not_utf8_is_400(sandbox):
    reply = requests.get(sandbox.url + "/api/order/order-number/%FF%FE", headers=HEADERS, timeout=5)
    assert reply.status_code == 400 and "UTF-8" in reply.json()["error"]


def address(server):
    host, port = server.url.rsplit("//", 1)[1].rsplit(":", 1)
    return host, int(port)


def trickle(server, at_once: bytes, data: bytes, results: list) -> None:
    """Send `at_once`, then `data` one byte per 0.1 s until the server answers or hangs up; record how long it
    took and the answer."""
    started = time.monotonic()
    answer = b""
    with socket.create_connection(address(server), timeout=10) as sock:
        try:
            sock.sendall(at_once)
            for byte in data:
                if select.select([sock], [], [], 0)[0]:
                    answer = sock.recv(65536)
                    break
                sock.sendall(bytes([byte]))
                time.sleep(0.1)
        except OSError:
            pass
    results.append((time.monotonic() - started, answer))


@pytest.mark.parametrize("part", ["request line and headers", "body"])
def test_a_trickling_sender_is_cut_off_at_the_deadline_and_others_are_served(part):
    body = b'{"purchaseOrderNumber": "TRICKLE", "orderDate": "2022-01-31", "lineItems": [{"recipeSetId": "R"}]}'
    head = (b"POST " + ACK.encode() + b" HTTP/1.1\r\nHost: x\r\nSPECTRUM_API_TOKEN: " + TOKEN.encode()
            + b"\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    at_once, trickled = (b"", head + body) if part != "body" else (head, body)
    with SandboxServer(token=TOKEN, rate_limit=None, socket_timeout=2.0, request_deadline=1.0) as server:
        results: list = []
        sender = threading.Thread(target=trickle, args=(server, at_once, trickled, results))
        sender.start()
        time.sleep(0.3)
        assert post(server, order("OTHER")).status_code == 200  # the slow sender holds no one up
        sender.join(timeout=30)
        assert results, "the trickling sender never finished"
        took, answer = results[0]
        assert took < 3.0, f"the slow sender was served for {took:.1f} s (deadline 1 s, {len(trickled)} bytes)"
        if part == "body":
            assert answer.startswith(b"HTTP/1.1 408"), answer
        assert server.accepted_count("TRICKLE") == 0
        assert post(server, order("AFTER")).status_code == 200


def test_a_normal_request_is_not_touched_by_the_deadline():
    with SandboxServer(token=TOKEN, rate_limit=None, request_deadline=0.5) as server:
        with requests.Session() as session:  # one kept-alive connection, several requests past 0.5 s in all
            for n in range(4):
                reply = session.post(server.url + ACK, json=order(f"KEEP-{n}"), headers=HEADERS, timeout=5)
                assert reply.status_code == 200
                time.sleep(0.2)
