"""Submit one order of any kind: journal it, send it through the Spectrum client, record the outcome, return it."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spectrum_desktop.domain.endpoints import ENDPOINTS
from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.errors import InvalidAddress, InvalidOrder

if TYPE_CHECKING:
    from spectrum_desktop.store.journal import Journal
    from spectrum_desktop.api import Outcome, RateLimiter, RateLimits, RetryPolicy, SpectrumClient

CANCELLED_IN_FLIGHT = (
    "You cancelled while waiting for Spectrum's answer; the order may have arrived. "
    "Check it in History (Check in Spectrum) before sending it again."
)
RESEND_ALREADY_THERE = "Already in Spectrum: the earlier attempt arrived. Nothing more to send."


@dataclass(frozen=True)
class Target:
    """Where a request goes. `environment_id` is "ad-hoc" for a --base-url target.

    `limits` is the environment's shared rate budget (AppContext hands the same one to every sender);
    `retry` is the client's retry policy (None = the client's default).
    """

    environment_id: str
    name: str
    base_url: str
    token: str
    is_production: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    limits: RateLimits | RateLimiter | None = field(default=None, compare=False)
    retry: RetryPolicy | None = field(default=None, compare=False)

    @property
    def timeouts(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

    def client(self, limits: RateLimits | RateLimiter | None = None) -> SpectrumClient:
        """A client for this target (close it, or use it as a context manager)."""
        from spectrum_desktop.api import SpectrumClient

        return SpectrumClient(self.base_url, self.token, limits=limits if limits is not None else self.limits,
                              retry=self.retry, connect_timeout=self.connect_timeout, read_timeout=self.read_timeout)

    def __repr__(self) -> str:  # the token must never reach a log or traceback
        return f"Target({self.environment_id!r}, {self.base_url!r})"


@dataclass(frozen=True)
class PreparedOrder:
    kind: OrderKind
    body: dict
    purchase_order: str
    recipe_set_ids: list[str]
    skus: list[str]


def prepare(raw: object, kind: OrderKind | None = None) -> PreparedOrder:
    """Validate and return the exact wire body; raises InvalidOrder listing every problem."""
    from spectrum_desktop.domain.validation import validate_order

    result = validate_order(raw, kind)
    if not result.ok or result.body is None:
        raise InvalidOrder([f"{p.label}: {p.message}" for p in result.errors])
    body = result.body
    items = body.get("lineItems") or body.get("recipeSets") or []
    recipe_set_ids = [str(item.get("recipeSetId", "")) for item in items if isinstance(item, dict)]
    skus: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("sku"):
            skus.append(str(item["sku"]))
        for quantity in item.get("skuQuantities") or []:
            if isinstance(quantity, dict) and quantity.get("sku"):
                skus.append(str(quantity["sku"]))
    return PreparedOrder(result.kind, body, str(body.get("purchaseOrderNumber", "")), recipe_set_ids, skus)


def check_target(target: Target) -> None:
    """Refuse an unusable address before anything is journaled (InvalidAddress with the reason)."""
    from spectrum_desktop.api import check_base_url

    try:
        check_base_url(target.base_url)
    except ValueError as error:
        raise InvalidAddress(str(error)) from None


def already_succeeded(journal: Journal, target: Target, purchase_order: str) -> bool:
    """True when this purchase order already succeeded in this environment (the caller decides what to do)."""
    return journal.succeeded_before(target.environment_id, purchase_order)


def journal_order(journal: Journal, target: Target, order: PreparedOrder, original_id: int | None = None) -> int:
    return journal.record(
        target.environment_id,
        order.kind,
        ENDPOINTS[order.kind],
        [order.purchase_order],
        order.recipe_set_ids,
        order.skus,
        json.dumps(order.body),
        original_id=original_id,
        base_url=target.base_url,
    )


def submit(
    journal: Journal,
    target: Target,
    raw: object,
    kind: OrderKind | None = None,
    original_id: int | None = None,
    cancel: threading.Event | None = None,
) -> SubmissionRecord:
    """Journal (committed) before send, send, record the outcome and return the updated row.

    Setting `cancel` while the request is in flight stops the wait at once: the row is recorded as
    unknown (it may have arrived) and returned. Set before the request left, the row stays queued.
    """
    order = prepare(raw, kind)
    check_target(target)
    submission_id = journal_order(journal, target, order, original_id)
    return send_journaled(journal, target, submission_id, order, resend=original_id is not None, cancel=cancel)


def send_journaled(
    journal: Journal,
    target: Target,
    submission_id: int,
    order: PreparedOrder,
    resend: bool = False,
    cancel: threading.Event | None = None,
    client: SpectrumClient | None = None,
) -> SubmissionRecord:
    """Send a row that is already journaled (queued) and record how it ended."""
    journal.mark_sending(submission_id)

    outcome = _call_cancellable(target, lambda active, stop: send_order(active, order, stop), cancel, client)
    if outcome is None:
        journal.finish(submission_id, SubmissionState.UNKNOWN, message=CANCELLED_IN_FLIGHT)
    else:
        record_outcome(journal, submission_id, outcome, resend)
    return journal.get(submission_id)


def send_order(client: SpectrumClient, order: PreparedOrder, cancel: threading.Event | None) -> Outcome:
    """The client call for one order's kind (`cancel` only stops waits for the rate limit or a retry)."""
    if order.kind == OrderKind.FULL:
        return client.send_full_order(order.body, cancel=cancel)
    return client.acknowledge(order.body, cancel=cancel)


def _call_cancellable(
    target: Target,
    call: Callable[[SpectrumClient, threading.Event | None], Outcome],
    cancel: threading.Event | None,
    client: SpectrumClient | None,
) -> Outcome | None:
    """Run one client call; None when `cancel` was set while the request was in flight (the answer is dropped)."""
    if cancel is None:
        if client is not None:
            return call(client, None)
        with target.client() as own:
            return call(own, None)
    done = threading.Event()
    box: list[Outcome] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            if client is not None:
                box.append(call(client, cancel))
            else:
                with target.client() as own:
                    box.append(call(own, cancel))
        except BaseException as error:  # handed to the waiting caller below
            errors.append(error)
        finally:
            done.set()

    threading.Thread(target=work, name="spectrum-send", daemon=True).start()
    while not done.is_set():
        if cancel.wait(0.05):
            # Still waiting for the rate limit or a retry pause ends within moments (nothing in flight then).
            done.wait(0.25)
            break
    if errors:
        raise errors[0]
    return box[0] if box else None


def record_outcome(journal: Journal, submission_id: int, outcome: Outcome, resend: bool) -> None:
    """Write a client outcome onto a journaled row (state, reason, status, message, per-recipeSet results)."""
    from spectrum_desktop.api import AlreadySubmitted

    message = RESEND_ALREADY_THERE if resend and isinstance(outcome, AlreadySubmitted) else outcome.message
    journal.finish(
        submission_id,
        outcome.state,
        outcome.reason,
        http_status=outcome.http_status,
        message=message,
        response_body=outcome.response_text or None,
        results=list(getattr(outcome, "results", ()) or ()),
    )
