"""The sandbox survives garbage: it answers with an error, never crashes, never hangs another client."""

import json
import socket
import threading
import time

import pytest
import requests

from spectrum_desktop.sandbox import SandboxServer

TOKEN = "garbage-token"
ACK = "/api/order/acknowledgement"


def order(po, **extra):
    return {"purchaseOrderNumber": po, "orderDate": "2022-01-31T13:15:05-05:00",
            "lineItems": [{"recipeSetId": "R1", "sku": "S", "quantity": 1, **extra}]}


@pytest.fixture
def sandbox():
    with SandboxServer(token=TOKEN, rate_limit=None, max_body_bytes=64 * 1024, socket_timeout=2.0) as server:
        yield server


def address(sandbox):
    host, port = sandbox.url.rsplit("//", 1)[1].rsplit(":", 1)
    return host, int(port)


def raw_exchange(sandbox, data: bytes, timeout=5.0) -> bytes:
    """Send raw bytes, return everything the server answers until it closes or goes quiet."""
    with socket.create_connection(address(sandbox), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and not data.startswith(b"POST /keep"):
                    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                    length = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")]
                    if length and len(body) >= length[0]:
                        break
        except (TimeoutError, ConnectionResetError):
            pass
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def still_serves(sandbox, po="ALIVE"):
    reply = requests.post(sandbox.url + ACK, json=order(po), headers={"SPECTRUM_API_TOKEN": TOKEN}, timeout=3)
    return reply.status_code == 200


def request(body: bytes, content_type=b"application/json", length: bytes | None = None, path=ACK.encode()) -> bytes:
    length = str(len(body)).encode() if length is None else length
    return (b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nSPECTRUM_API_TOKEN: " + TOKEN.encode() +
            b"\r\nContent-Type: " + content_type + b"\r\nContent-Length: " + length + b"\r\n\r\n" + body)


def test_body_over_the_size_limit_is_413_without_reading_it(sandbox):
    answer = raw_exchange(sandbox, request(b"", length=str(10 * 1024 * 1024 * 1024).encode()))
    assert status_of(answer) == 413
    assert still_serves(sandbox)


def test_huge_body_sent_by_requests_gets_413(sandbox):
    reply = requests.post(sandbox.url + ACK, data=b"[" + b"1," * 100_000 + b"1]",
                          headers={"SPECTRUM_API_TOKEN": TOKEN, "Content-Type": "application/json"}, timeout=5)
    assert reply.status_code == 413 and "bytes" in reply.json()["error"]
    # The sandbox closes this connection after the answer, and says so: a client that pooled it would otherwise
    # send its next request into the closed socket (seen as "no answer": outcome unknown).
    assert reply.headers.get("Connection", "").lower() == "close"
    assert still_serves(sandbox)


@pytest.mark.parametrize("body", [b"\xff\xfe{}", b'{"purchaseOrderNumber": "\xc3\x28"}', b"\x00" * 50, b"", b"{",
                                  b"9" * 5000, b'{"a": NaN', "🎁".encode("utf-16")])
def test_invalid_utf8_or_json_is_400(sandbox, body):
    answer = raw_exchange(sandbox, request(body))
    assert status_of(answer) == 400
    assert b"not valid JSON" in answer or b"is required" in answer
    assert still_serves(sandbox)


@pytest.mark.parametrize("content_type", [b"text/plain", b"application/x-www-form-urlencoded", b"application/jsonx"])
def test_wrong_content_type_is_415(sandbox, content_type):
    answer = raw_exchange(sandbox, request(json.dumps(order("CT")).encode(), content_type=content_type))
    assert status_of(answer) == 415
    assert sandbox.accepted_count("CT") == 0


def test_content_type_with_charset_is_fine(sandbox):
    answer = raw_exchange(sandbox, request(json.dumps(order("CS")).encode(),
                                           content_type=b"application/json; charset=utf-8"))
    assert status_of(answer) == 200


@pytest.mark.parametrize("length", [b"-5", b"abc", b"1e3"])
def test_bad_content_length_is_400_quickly(sandbox, length):
    started = time.monotonic()
    answer = raw_exchange(sandbox, request(b"{}", length=length))
    assert status_of(answer) == 400
    assert time.monotonic() - started < 1.5  # not the 2 s socket timeout


def test_chunked_body_is_refused_with_411(sandbox):
    data = (b"POST " + ACK.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n")
    assert status_of(raw_exchange(sandbox, data)) == 411
    assert still_serves(sandbox)


@pytest.mark.parametrize("depth", [50, 900, 5000, 200_000])
def test_deep_nesting_never_crashes(sandbox, depth):
    nested = "[" * depth + "]" * depth
    body = json.dumps(order(f"DEEP{depth}")).replace('"quantity": 1', '"quantity": 1, "x": ' + nested)
    answer = raw_exchange(sandbox, request(body.encode()))
    assert status_of(answer) in (200, 400, 413)
    lookup = requests.get(sandbox.url + f"/api/order/order-number/DEEP{depth}",
                          headers={"SPECTRUM_API_TOKEN": TOKEN}, timeout=3)
    assert lookup.status_code in (200, 404)
    assert still_serves(sandbox, f"ALIVE{depth}")


@pytest.mark.parametrize("body", [b"null", b'"text"', b"[1, 2]", b'{"purchaseOrderNumber": 5}',
                                  b'{"purchaseOrderNumber": "X", "orderDate": "d", "lineItems": [1, null, []]}',
                                  b'{"purchaseOrderNumber": "X", "orderDate": "d", "lineItems": {"a": 1}}'])
def test_json_of_the_wrong_shape_is_400(sandbox, body):
    assert status_of(raw_exchange(sandbox, request(body))) == 400
    assert status_of(raw_exchange(sandbox, request(body, path=b"/api/order/acknowledgements"))) in (200, 400)
    assert status_of(raw_exchange(sandbox, request(body, path=b"/api/order"))) == 400


def test_garbage_request_lines_and_methods(sandbox):
    assert b"400" in raw_exchange(sandbox, b"HELLO\r\n\r\n")  # stdlib answers an HTTP/0.9-style page
    assert status_of(raw_exchange(sandbox, b"DELETE /api/order HTTP/1.1\r\nHost: x\r\n\r\n")) == 501
    assert status_of(raw_exchange(sandbox, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")) == 414
    many_headers = b"".join(b"X-%d: y\r\n" % i for i in range(150))
    assert status_of(raw_exchange(sandbox, b"GET / HTTP/1.1\r\n" + many_headers + b"\r\n")) == 431
    assert still_serves(sandbox)


def test_slow_clients_do_not_block_others(sandbox):
    """Ten clients that send half a request and stall; a normal client is still answered at once."""
    stalled = []
    try:
        for n in range(5):
            sock = socket.create_connection(address(sandbox))
            sock.sendall(b"POST " + ACK.encode() + b" HTT")  # half a request line
            stalled.append(sock)
        for n in range(5):
            sock = socket.create_connection(address(sandbox))
            sock.sendall(request(b'{"purchaseOrderNumber": "SL', length=b"500"))  # promised more body
            stalled.append(sock)
        started = time.monotonic()
        assert still_serves(sandbox, "FAST")
        assert time.monotonic() - started < 0.9  # a full listen backlog would cost a 1 s SYN retry
    finally:
        for sock in stalled:
            sock.close()


def test_stalled_body_times_out_and_frees_its_thread(sandbox):
    with socket.create_connection(address(sandbox), timeout=5) as sock:
        sock.sendall(request(b'{"purchaseOrderNumber": "ST', length=b"500"))
        started = time.monotonic()
        try:
            answer = sock.recv(65536)
        except ConnectionResetError:
            answer = b""
        assert time.monotonic() - started < 4  # socket_timeout is 2 s
    assert status_of(answer) == 408
    assert sandbox.accepted_count("ST") == 0
    assert still_serves(sandbox)


def test_many_parallel_clients(sandbox):
    results = []

    def send(n):
        results.append(still_serves(sandbox, f"PAR{n}"))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert results.count(True) == 40
    assert len(sandbox.accepted_counts()) == 40


def test_a_client_still_sending_a_large_body_reads_the_413(sandbox):
    for _ in range(5):
        reply = requests.post(sandbox.url + ACK, data=b" " * (300 * 1024),
                              headers={"SPECTRUM_API_TOKEN": TOKEN, "Content-Type": "application/json"}, timeout=5)
        assert reply.status_code == 413
