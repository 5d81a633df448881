"""SpectrumClient: one requests.Session, one method per endpoint, typed outcomes, rate limit and retries."""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from spectrum_desktop.api.outcomes import (
    Accepted,
    Cancelled,
    ManyOutcome,
    Outcome,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    Unauthorized,
    Unreachable,
    Unrecognised,
)
from spectrum_desktop.api.ratelimit import Permit, RateLimiter, RateLimits
from spectrum_desktop.api.responses import classify, many_results, parse_json
from spectrum_desktop.api.retry import RetryPolicy
from spectrum_desktop.api.urls import (
    ACK_PATH,
    ACKS_PATH,
    LOOKUP_PATH_PREFIX,
    ORDER_PATH,
    check_base_url,
    InvalidToken,
    check_token,
    join_url,
    lookup_path,
)

TOKEN_HEADER = "SPECTRUM_API_TOKEN"
APP_NAME = "spectrum-desktop"
log = logging.getLogger("spectrum_desktop.api")


def default_user_agent() -> str:
    from spectrum_desktop import __version__

    return f"{APP_NAME}/{__version__}"


def _nothing_sent(error: requests.RequestException) -> bool:
    """True when the request never left this machine (so sending again cannot duplicate it)."""
    if isinstance(error, (requests.ConnectTimeout, requests.exceptions.SSLError, requests.exceptions.InvalidURL,
                          requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                          requests.exceptions.ProxyError)):
        return True
    if isinstance(error, requests.ConnectionError):
        cause = error.args[0] if error.args else None
        if isinstance(cause, MaxRetryError):
            cause = cause.reason
        return isinstance(cause, (NewConnectionError, ConnectTimeoutError))
    return False


def _describe(error: Exception) -> str:
    """A short description without URL, headers or token."""
    if isinstance(error, requests.exceptions.SSLError):
        return "the server's security certificate could not be verified"
    if isinstance(error, requests.ConnectTimeout):
        return "the server did not answer the connection in time"
    if isinstance(error, requests.ReadTimeout):
        return "the server did not answer in time"
    cause = error.args[0] if error.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    text = str(cause or error).lower()
    if "name or service not known" in text or "nodename nor servname" in text or "failed to resolve" in text \
            or "name resolution" in text:
        return "the server name could not be found"
    if "refused" in text:
        return "the connection was refused"
    if "remote end closed" in text or "aborted" in text or "reset" in text:
        return "the connection was closed before an answer came"
    return type(error).__name__


class SpectrumClient:
    """Talks to one Spectrum environment. Thread safe enough to share between worker threads
    (requests.Session with a connection pool); every method blocks and returns an outcome."""

    def __init__(self, base_url: str, token: str, *, limits: RateLimits | RateLimiter | None = None,
                 retry: RetryPolicy | None = None, connect_timeout: float = 5.0, read_timeout: float = 30.0,
                 user_agent: str | None = None) -> None:
        self.base_url = check_base_url(base_url)
        self._token_problem: str | None = None
        try:
            token = check_token(token)
        except InvalidToken as error:  # answered as Unauthorized by every call, without sending the token anywhere
            self._token_problem, token = str(error), ""
        self._limits = limits
        self.retry = retry if retry is not None else RetryPolicy()
        self.timeouts = (connect_timeout, read_timeout)
        self._session = requests.Session()
        self._session.verify = True
        self._session.headers.update({
            TOKEN_HEADER: token,
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": user_agent or default_user_agent(),
        })

    def __repr__(self) -> str:
        return f"SpectrumClient({self.base_url!r})"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SpectrumClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- endpoints ---
    def acknowledge(self, body: Mapping[str, Any], *, cancel: threading.Event | None = None) -> Outcome:
        """POST /api/order/acknowledgement (LineItem or deprecated RecipeSet format)."""
        return self._post_one(ACK_PATH, body, cancel)

    def send_full_order(self, body: Mapping[str, Any], *, cancel: threading.Event | None = None) -> Outcome:
        """POST /api/order (full order details with customer and shipping address)."""
        return self._post_one(ORDER_PATH, body, cancel)

    def acknowledge_many(self, bodies: Sequence[Mapping[str, Any]], *,
                         cancel: threading.Event | None = None) -> ManyOutcome:
        """POST /api/order/acknowledgements with a JSON array; results mapped back by purchaseOrderNumber."""
        pos = [str(b.get("purchaseOrderNumber", "")) if isinstance(b, Mapping) else "" for b in bodies]
        outcome = self._exchange("POST", ACKS_PATH, _encode(list(bodies)), cancel, many=pos)
        if isinstance(outcome, _ManyAnswer):
            results = outcome.results
            summary = next((o for o in results.values() if not isinstance(o, Accepted)), None)
            if summary is None:
                summary = Accepted(http_status=outcome.http_status, attempts=outcome.attempts,
                                   purchase_order_number="")
            many = ManyOutcome(outcome=summary, results=results, http_status=outcome.http_status,
                               attempts=outcome.attempts, response_text=outcome.response_text)
        else:
            many = ManyOutcome(outcome=outcome, results={po: outcome for po in pos},
                               http_status=outcome.http_status, attempts=outcome.attempts,
                               response_text=outcome.response_text)
        counts: dict[str, int] = {}
        for result in many.results.values():
            counts[result.label] = counts.get(result.label, 0) + 1
        log.info("POST %s %d orders (PO %s) -> %s (HTTP %s, %d attempt(s))", ACKS_PATH, len(pos),
                 ", ".join(pos[:20]) + (" ..." if len(pos) > 20 else ""),
                 ", ".join(f"{n} {label}" for label, n in sorted(counts.items())), many.http_status, many.attempts)
        return many

    def lookup(self, purchase_order_number: str, *, cancel: threading.Event | None = None) -> Outcome:
        """GET /api/order/order-number/{po}: Found(order), NotFound, or a failure outcome."""
        path = lookup_path(purchase_order_number)
        outcome = self._exchange("GET", path, None, cancel, lookup=True, endpoint=LOOKUP_PATH_PREFIX)
        log.info("GET lookup PO %s -> %s (HTTP %s)", purchase_order_number, outcome.label, outcome.http_status)
        return outcome

    # --- plumbing ---
    def _post_one(self, path: str, body: Mapping[str, Any], cancel: threading.Event | None) -> Outcome:
        outcome = self._exchange("POST", path, _encode(body), cancel)
        po = body.get("purchaseOrderNumber", "") if isinstance(body, Mapping) else ""
        log.info("POST %s PO %s -> %s (HTTP %s, %d attempt(s))", path, po, outcome.label, outcome.http_status,
                 outcome.attempts)
        return outcome

    def _limiter(self, path: str) -> RateLimiter | None:
        """The limiter for `path`: a RateLimits-like budget (anything with for_path, e.g. the machine-wide one
        kept in the journal's database) gives one per endpoint; a single limiter serves every path."""
        if hasattr(self._limits, "for_path"):
            return self._limits.for_path(path)
        return self._limits

    def _exchange(self, method: str, path: str, data: bytes | None, cancel: threading.Event | None, *,
                  lookup: bool = False, many: list[str] | None = None, endpoint: str | None = None) -> Any:
        if self._token_problem is not None:
            return Unauthorized(attempts=0, error=self._token_problem)
        limiter = self._limiter(endpoint or path)  # every lookup counts against one endpoint, whatever the PO
        policy = self.retry
        first_sent: float | None = None
        attempt = 0
        while True:
            if cancel is not None and cancel.is_set():
                return Cancelled(attempts=attempt)
            permit: Permit | None = None
            if limiter is not None:
                permit = limiter.acquire(cancel)
                if permit is None:
                    return Cancelled(attempts=attempt)
            attempt += 1
            if first_sent is None:
                first_sent = time.monotonic()
            try:
                outcome, retryable = self._attempt(method, path, data, lookup, many)
            finally:
                if permit is not None:
                    permit.release()
            outcome = replace(outcome, attempts=attempt)
            retry_after = None
            if isinstance(outcome, RateLimited):
                retry_after = outcome.wait_seconds
                if limiter is not None:
                    limiter.note_rate_limited(outcome.wait_seconds)
            if not retryable or attempt >= policy.max_attempts:
                return outcome
            delay = policy.delay(attempt, retry_after)
            if time.monotonic() - first_sent + delay > policy.max_total_seconds:
                return outcome
            log.info("%s %s: %s (HTTP %s), trying again in %.1f s", method, path, outcome.label,
                     outcome.http_status, delay)
            if cancel is not None:
                if cancel.wait(delay):
                    return outcome
            else:
                time.sleep(delay)

    def _attempt(self, method: str, path: str, data: bytes | None, lookup: bool,
                 many: list[str] | None) -> tuple[Any, bool]:
        """One request. Returns (outcome, may be retried)."""
        try:
            response = self._session.request(method, join_url(self.base_url, path), data=data,
                                             timeout=self.timeouts, verify=True, allow_redirects=False)
            text = response.text
        except requests.RequestException as error:
            if _nothing_sent(error):
                retryable = not isinstance(error, (requests.exceptions.SSLError, requests.exceptions.InvalidURL))
                return Unreachable(detail=_describe(error)), retryable
            return OutcomeUnknown(detail=_describe(error)), False
        except (OSError, http.client.HTTPException) as error:  # from below requests: it may have left
            return OutcomeUnknown(detail=type(error).__name__), False
        status = response.status_code
        if many is not None and 200 <= status < 300:
            results = many_results(parse_json(text), many, status)
            if results is None:
                return Unrecognised(http_status=status, body=text, response_text=text,
                                    content_type=response.headers.get("Content-Type", "")), False
            return _ManyAnswer(status, results, text), False
        outcome = replace(classify(status, response.headers, text, lookup=lookup), response_text=text)
        retryable = isinstance(outcome, (ServerError, RateLimited)) or (
            isinstance(outcome, Unrecognised) and status in (502, 503, 504))
        return outcome, retryable


@dataclass(frozen=True)
class _ManyAnswer:
    """Internal: a parsed 2xx answer to acknowledge_many, before it becomes a ManyOutcome."""

    http_status: int
    results: dict[str, Outcome]
    response_text: str
    attempts: int = 1


def _encode(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")
