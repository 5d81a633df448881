"""A local emulator of the Spectrum order API on a stdlib ThreadingHTTPServer.

Implements the acknowledgement (single and multiple), full order and order
lookup endpoints, the token check, the vendor's rate limit and the magic values
in `magic.py`. Remembers acceptance per recipeSet: a second request for a partly
accepted purchase order processes only the recipeSets not accepted yet. Every
request has an overall deadline, so a client that trickles its request cannot
hold a thread for long. Thread safe; records what it received (and counts the
POSTs per purchase order and recipeSet) so tests can check the wire.
"""

from __future__ import annotations

import io
import json
import secrets
import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote_to_bytes

from spectrum_desktop.domain.endpoints import ACK_PATH, ACKS_PATH, ORDER_PATH
from spectrum_desktop.domain.endpoints import LOOKUP_PATH_PREFIX as LOOKUP_PREFIX
from spectrum_desktop.sandbox import magic
from spectrum_desktop.sandbox.ratelimit import SlidingWindow

API_VERSION = "3.0.21055.9-sandbox"
TOKEN_HEADER = "SPECTRUM_API_TOKEN"
MAX_BODY_BYTES = 2 * 1024 * 1024
CONTROL_PREFIX = "/_sandbox/"
DRAIN_FACTOR = 8  # a too-large body up to 8x the limit is read and dropped before the 413; larger: not read
POLL_SECONDS = 0.05  # how quickly stop() is noticed
MANY_SHAPES = ("array", "wrapped", "single")
REQUEST_DEADLINE = 30.0  # seconds from the start of a request until all of it (line, headers, body) must be in
ALREADY_ACCEPTED = "RecipeSet has already been submitted; it was not processed again."
ORDER_PATHS = (ACK_PATH, ACKS_PATH, ORDER_PATH)
ADDRESS_FIELDS = ("firstName", "lastName", "address1", "city", "state", "postalCode", "country")


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the stdlib's 5 makes a burst of clients wait for SYN retries

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that vanished mid-answer is not the sandbox's problem; keep test output clean


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


@dataclass(frozen=True)
class Received:
    """One request as the sandbox saw it (body parsed when it was JSON)."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int
    at: float = 0.0  # time.monotonic() when the request was answered (rate-limit checks)


@dataclass
class _PostLog:
    """What arrived for one purchase order: POSTs, their answers, and per recipeSet how often it came."""

    posts: int = 0
    answers: Counter = field(default_factory=Counter)  # HTTP status (for this PO) -> how many
    recipe_set_posts: Counter = field(default_factory=Counter)  # recipeSetId -> POSTs that carried it
    already_accepted: Counter = field(default_factory=Counter)  # recipeSetId -> came again after acceptance

    def as_json(self, accepted: dict[str, str]) -> dict:
        return {"posts": self.posts, "answers": {str(k): v for k, v in sorted(self.answers.items())},
                "recipeSets": {rid: {"posts": n, "accepted": rid in accepted,
                                     "alreadyAccepted": self.already_accepted.get(rid, 0)}
                               for rid, n in self.recipe_set_posts.items()}}


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    received: list[Received] = field(default_factory=list)
    orders: dict[str, dict] = field(default_factory=dict)
    acknowledged: dict[str, str] = field(default_factory=dict)  # PO -> lastModification, every recipeSet accepted
    accepted_sets: dict[str, dict[str, str]] = field(default_factory=dict)  # PO -> {recipeSetId: lastModification}
    known_sets: dict[str, set[str]] = field(default_factory=dict)  # PO -> every recipeSetId processed for it
    accepted_counts: dict[str, int] = field(default_factory=dict)
    post_log: dict[str, _PostLog] = field(default_factory=dict)
    accept_failures: bool = False


class _Reply(Exception):
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None, raw: bytes | None = None,
                 content_type: str = "application/json") -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.raw = raw
        self.content_type = content_type


def _error(status: int, message: str, **headers: str) -> _Reply:
    return _Reply(status, {"lastModification": _now_iso(), "error": message, "apiVersion": API_VERSION}, headers)


class SandboxServer:
    """The local Spectrum emulator. Use as a context manager or call start()/stop().

    token=None generates a random token (read it from `.token`). rate_limit is
    (requests, seconds) per endpoint, or None for no limit. slow_delay is how long
    a `SLOW...` order waits before answering. many_shape is how the (undocumented)
    multiple-acknowledgement answer is shaped: "array" of results, "wrapped" as
    {"results": [...]}, or "single" (one order sent -> one result object).
    socket_timeout bounds each wait for bytes; request_deadline bounds a whole request
    (line, headers and body), so a client that trickles bytes is cut off.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
                 rate_limit: tuple[int, float] | None = (100, 60.0), slow_delay: float = 35.0,
                 max_body_bytes: int = MAX_BODY_BYTES, socket_timeout: float = 10.0,
                 many_shape: str = "array", request_deadline: float = REQUEST_DEADLINE) -> None:
        if many_shape not in MANY_SHAPES:
            raise ValueError(f"many_shape must be one of {', '.join(MANY_SHAPES)}")
        self.many_shape = many_shape
        self.token = token if token is not None else "sandbox-" + secrets.token_urlsafe(12)
        self.slow_delay = slow_delay
        self.max_body_bytes = max_body_bytes
        self.request_deadline = request_deadline
        self._limiter = SlidingWindow(*rate_limit) if rate_limit else None
        self._state = _State()
        self._stopping = threading.Event()
        handler = type("_BoundHandler", (_Handler,), {"sandbox": self, "timeout": socket_timeout})
        self._httpd = _Server((host, port), handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"SandboxServer(url={self.url!r})"

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "SandboxServer":
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, args=(POLL_SECONDS,),
                                            name="spectrum-sandbox", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve on the calling thread until stop() (used by the CLI)."""
        self._httpd.serve_forever(POLL_SECONDS)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> "SandboxServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- controls and records (thread safe) ---
    def set_accept_failures(self, accept: bool = True) -> None:
        """From now on, `FAIL...` recipeSets succeed (used to test resending failures)."""
        with self._state.lock:
            self._state.accept_failures = accept

    def received(self) -> list[Received]:
        with self._state.lock:
            return list(self._state.received)

    def accepted_count(self, purchase_order_number: str) -> int:
        """How many times an acknowledgement or order for this PO was accepted (never >1 if no duplicates)."""
        with self._state.lock:
            return self._state.accepted_counts.get(purchase_order_number, 0)

    def accepted_counts(self) -> dict[str, int]:
        with self._state.lock:
            return dict(self._state.accepted_counts)

    def accepted_recipe_sets(self, purchase_order_number: str) -> set[str]:
        """The recipeSets of this PO that were accepted (each is processed at most once)."""
        with self._state.lock:
            return set(self._state.accepted_sets.get(purchase_order_number, {}))

    def posts(self) -> dict[str, dict]:
        """Per purchase order: POSTs received, their answers, and per recipeSet the POSTs that carried it,
        whether it was accepted and how often it came again after that (the `GET /_sandbox/posts` answer)."""
        with self._state.lock:
            return {po: entry.as_json(self._state.accepted_sets.get(po, {}))
                    for po, entry in self._state.post_log.items()}

    def reset(self) -> None:
        """Forget every order and record (accept_failures back to False)."""
        with self._state.lock:
            lock = self._state.lock
            self._state = _State(lock=lock)

    # --- request handling ---
    def _record(self, method: str, path: str, headers: dict[str, str], body: Any, status: int) -> None:
        safe_headers = {k: v for k, v in headers.items() if k.upper() != TOKEN_HEADER}
        with self._state.lock:
            self._state.received.append(Received(method, path, safe_headers, body, status, time.monotonic()))

    def _rate_check(self, path: str) -> None:
        if self._limiter is None:
            return
        admitted, remaining, reset = self._limiter.admit(path)
        headers = {"X-RateLimit-Limit": str(self._limiter.limit), "X-RateLimit-Remaining": str(remaining),
                   "X-RateLimit-Reset": str(max(1, int(reset + 0.999)))}
        if not admitted:
            headers["Retry-After"] = headers["X-RateLimit-Reset"]
            raise _error(403, "Rate limit exceeded. Wait before sending again.", **headers)

    def _magic_before(self, po: str) -> None:
        if po.startswith(magic.ERR500):
            trace = uuid.uuid4().hex
            raise _error(500, f"An unexpected error occurred. Trace log ID: {trace}")
        if po.startswith(magic.HTML502):
            page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
            raise _Reply(502, None, raw=page, content_type="text/html")
        if po.startswith(magic.RATE403):
            raise _error(403, "Rate limit exceeded.", **{"Retry-After": "1", "X-RateLimit-Limit": "100",
                                                         "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"})
        if po.startswith(magic.DENY403):
            raise _error(403, "Forbidden: this token may not use this endpoint.")

    def _acknowledge(self, order: Any, full: bool) -> tuple[int, dict]:
        problems = _validate(order, full)
        if problems:
            return 400, {"lastModification": _now_iso(), "error": "; ".join(problems), "apiVersion": API_VERSION}
        po = order["purchaseOrderNumber"]
        self._magic_before(po)
        items_key = "lineItems" if order.get("lineItems") else "recipeSets"
        items = order.get(items_key) or []
        with self._state.lock:
            state = self._state
            log = state.post_log.setdefault(po, _PostLog())
            if po in state.acknowledged:
                log.already_accepted.update(str(item.get("recipeSetId")) for item in items)
                return 409, {"lastModification": state.acknowledged[po],
                             "error": "Purchase order has already been submitted.", "apiVersion": API_VERSION}
            accepted = state.accepted_sets.setdefault(po, {})
            known = state.known_sets.setdefault(po, set())
            statuses = []
            now = _now_iso()
            for item in items:
                rid = str(item.get("recipeSetId"))
                known.add(rid)
                if rid in accepted:  # accepted by an earlier request: reported, never processed twice
                    log.already_accepted[rid] += 1
                    statuses.append({"recipeSetId": rid, "success": False, "message": ALREADY_ACCEPTED})
                    continue
                failed = rid.startswith(magic.FAIL_RECIPE_SET) and not state.accept_failures
                if not failed:
                    accepted[rid] = now
                statuses.append({"recipeSetId": rid, "success": not failed,
                                 "message": "RecipeSet could not be processed (sandbox FAIL value)."
                                 if failed else "Processed Successfully"})
            if known and known <= accepted.keys():
                state.acknowledged[po] = now
                state.accepted_counts[po] = state.accepted_counts.get(po, 0) + 1
            stored = state.orders.setdefault(po, order)
            if stored is not order:  # a later request for the same PO adds the recipeSets it brought
                have = {str(i.get("recipeSetId")) for i in stored.get(items_key) or [] if isinstance(i, dict)}
                stored = state.orders[po] = {**stored, items_key: list(stored.get(items_key) or []) + [
                    i for i in items if str(i.get("recipeSetId")) not in have]}
        all_ok = all(s["success"] for s in statuses)
        return 200, {"purchaseOrderNumber": po, "statuses": statuses, "allSuccessful": all_ok}

    def _log_posts(self, path: str, body: Any, reply: _Reply) -> None:
        """Count one POST for every purchase order its body carried, with the answer that PO got."""
        orders = body if isinstance(body, list) else [body]
        per_po: dict[str, int] = {}
        if path == ACKS_PATH and reply.status == 200:
            results = reply.body.get("results", [reply.body]) if isinstance(reply.body, dict) else reply.body
            for result in results or []:
                if isinstance(result, dict) and isinstance(result.get("purchaseOrderNumber"), str):
                    per_po[result["purchaseOrderNumber"]] = int(result.get("status", 200))
        with self._state.lock:
            for order in orders:
                if not isinstance(order, dict) or not isinstance(order.get("purchaseOrderNumber"), str):
                    continue
                po = order["purchaseOrderNumber"]
                log = self._state.post_log.setdefault(po, _PostLog())
                log.posts += 1
                log.answers[per_po.get(po, reply.status)] += 1
                items = order.get("lineItems") or order.get("recipeSets")
                if isinstance(items, list):
                    log.recipe_set_posts.update(str(i.get("recipeSetId")) for i in items
                                                if isinstance(i, dict) and i.get("recipeSetId"))

    def handle(self, method: str, path: str, headers: dict[str, str], body: Any) -> _Reply:
        if path.startswith(CONTROL_PREFIX):
            return self._control(method, path[len(CONTROL_PREFIX):])
        if headers.get(TOKEN_HEADER.lower()) != self.token:
            return _error(401, "Unauthorized: missing or wrong SPECTRUM_API_TOKEN.")
        endpoint = LOOKUP_PREFIX if path.startswith(LOOKUP_PREFIX) else path
        self._rate_check(endpoint)
        if method == "GET" and path.startswith(LOOKUP_PREFIX):
            try:  # the request line arrives as latin-1 text; the number in it is percent-encoded UTF-8
                po = unquote_to_bytes(path[len(LOOKUP_PREFIX):].encode("latin-1")).decode("utf-8")
            except UnicodeError:
                return _error(400, "The purchase order number in the address is not valid UTF-8.")
            with self._state.lock:
                order = self._state.orders.get(po)
            if order is None:
                return _error(404, f"Order {po} was not found.")
            return _Reply(200, order)
        if method != "POST" or path not in ORDER_PATHS:
            return _error(404, f"No endpoint {method} {path}.")
        if body is _NOT_JSON:
            return _error(400, "The request body is not valid JSON.")
        if path == ACKS_PATH:
            if not isinstance(body, list) or not body:
                return _error(400, "The body must be a non-empty JSON array of orders.")
            results = []
            for order in body:
                try:
                    status, result = self._acknowledge(order, full=False)
                except _Reply as reply:
                    raise reply
                if status != 200:
                    result = {"purchaseOrderNumber": order.get("purchaseOrderNumber") if isinstance(order, dict)
                              else None, "status": status, **result}
                results.append(result)
            if self.many_shape == "wrapped":
                return _Reply(200, {"results": results})
            if self.many_shape == "single" and len(results) == 1:
                return _Reply(200, results[0])
            return _Reply(200, results)
        status, result = self._acknowledge(body, full=(path == ORDER_PATH))
        return _Reply(status, result)

    def _control(self, method: str, command: str) -> _Reply:
        if method == "POST" and command == "accept-failures":
            self.set_accept_failures(True)
        elif method == "POST" and command == "reject-failures":
            self.set_accept_failures(False)
        elif method == "POST" and command == "reset":
            self.reset()
        elif method == "GET" and command == "posts":
            return _Reply(200, {"purchaseOrders": self.posts()})
        elif not (method == "GET" and command == "counts"):
            return _error(404, f"Unknown sandbox control {command}.")
        return _Reply(200, {"acceptedCounts": self.accepted_counts()})


_NOT_JSON = object()


def _validate(order: Any, full: bool) -> list[str]:
    if not isinstance(order, dict):
        return ["Each order must be a JSON object."]
    problems = []
    for name in ("purchaseOrderNumber", "orderDate"):
        if not isinstance(order.get(name), str) or not order.get(name):
            problems.append(f"{name} is required.")
    items_key = "recipeSets" if "recipeSets" in order and not full else "lineItems"
    items = order.get(items_key)
    if not isinstance(items, list) or not items:
        problems.append(f"{items_key} is required and must not be empty.")
    else:
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not item.get("recipeSetId"):
                problems.append(f"{items_key}[{index}].recipeSetId is required.")
    if full:
        for name in ("customerAddress", "shippingAddress"):
            address = order.get(name)
            if not isinstance(address, dict):
                problems.append(f"{name} is required.")
                continue
            problems.extend(f"{name}.{f} is required." for f in ADDRESS_FIELDS if not address.get(f))
    return problems


def _transport_magic_po(body: Any) -> str:
    """The PO whose magic prefix (SLOW, DROP, BADJSON) shapes the whole answer; for an array, the first such one."""
    orders = body if isinstance(body, list) else [body]
    pos = [o.get("purchaseOrderNumber") for o in orders if isinstance(o, dict)]
    pos = [p for p in pos if isinstance(p, str)]
    for po in pos:
        if po.startswith((magic.SLOW, magic.DROP, magic.BADJSON)):
            return po
    return pos[0] if pos else ""


class _DeadlineReader(io.RawIOBase):
    """Reads the socket, each wait bounded by the idle timeout and all of them by the request's deadline."""

    def __init__(self, sock: socket.socket, handler: "_Handler") -> None:
        super().__init__()
        self._sock = sock
        self._handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        remaining = self._handler.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request did not arrive before its deadline")
        idle = self._handler.timeout
        self._sock.settimeout(remaining if idle is None else min(idle, remaining))
        try:
            return self._sock.recv_into(buffer)
        finally:
            self._sock.settimeout(idle)  # answers are written with the idle timeout, not what is left


class _Handler(BaseHTTPRequestHandler):
    sandbox: SandboxServer
    server_version = "SpectrumSandbox/1"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: Nagle + delayed ACK would add 40 ms each
    deadline = 0.0

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # the stdlib's reader; ours below bounds the whole request, not each wait
        self.rfile = io.BufferedReader(_DeadlineReader(self.connection, self))

    def handle_one_request(self) -> None:
        self.deadline = time.monotonic() + self.sandbox.request_deadline
        super().handle_one_request()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return  # silent: paths carry purchase order numbers only, but tests need quiet output

    def do_GET(self) -> None:  # noqa: N802
        self._serve("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._serve("POST")

    def _read_body(self) -> Any:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # the body's end is unknown: this connection cannot be reused
            raise _error(411, "Send the body with a Content-Length header, not in chunks.")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            raise _error(400, "Content-Length must be a whole number of bytes.")
        if length > self.sandbox.max_body_bytes:
            self.close_connection = True
            if length <= DRAIN_FACTOR * self.sandbox.max_body_bytes:
                self._discard(length)  # so the client, still sending, can read the 413 instead of a reset
            raise _error(413, f"The request body is larger than {self.sandbox.max_body_bytes} bytes.")
        try:
            raw = self.rfile.read(length) if length else b""
        except (TimeoutError, ValueError):  # ValueError: the reader was closed after a timeout
            raw = b""
        if len(raw) < length:  # the client stalled or hung up before sending all it announced
            self.close_connection = True
            raise _error(408, "The request body did not arrive in time.")
        if self.command != "POST" or self.path.startswith(CONTROL_PREFIX):
            return None
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise _error(415, "Content-Type must be application/json.")
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return _NOT_JSON

    def _discard(self, length: int) -> None:
        try:
            while length > 0:
                chunk = self.rfile.read(min(length, 64 * 1024))
                if not chunk:
                    return
                length -= len(chunk)
        except OSError:
            return

    def _serve(self, method: str) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        path = self.path.split("?")[0]
        body: Any = None
        try:
            body = self._read_body()
            reply = self.sandbox.handle(method, path, headers, body)
        except _Reply as raised:
            reply = raised
        except Exception as error:  # the sandbox never crashes on garbage
            reply = _error(500, f"Sandbox internal error ({type(error).__name__}). Trace log ID: {uuid.uuid4().hex}")
        self.sandbox._record(method, path, headers, None if body is _NOT_JSON else body, reply.status)
        if method == "POST" and path in ORDER_PATHS:
            self.sandbox._log_posts(path, body, reply)
        po = _transport_magic_po(body)
        if po.startswith(magic.SLOW):
            self.sandbox._stopping.wait(self.sandbox.slow_delay)
        if po.startswith(magic.DROP):
            self.close_connection = True
            return
        raw = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
        if po.startswith(magic.BADJSON):
            raw = b'{"purchaseOrderNumber": "' + po.encode() + b'", "statuses": [ {'
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type + "; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if self.close_connection:  # said, so a client does not reuse the connection this answer ends (a race:
                self.send_header("Connection", "close")  # its next request met the closed socket, 1 run in 25)
            self.end_headers()
            self.wfile.write(raw)
        except OSError:
            self.close_connection = True
