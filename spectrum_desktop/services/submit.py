"""Submit one order of any kind: journal it, send it, record the outcome, return it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from spectrum_desktop.domain.states import FailureReason, OrderKind, SubmissionState
from spectrum_desktop.domain.submission import RecipeSetResult, SubmissionRecord
from spectrum_desktop.domain.validation import validate_order
from spectrum_desktop.services.errors import InvalidOrder
from spectrum_desktop.services.transport import Reply, Unreachable, post_json
from spectrum_desktop.store.journal import Journal

ENDPOINTS = {
    OrderKind.ACK: "/api/order/acknowledgement",
    OrderKind.ACK_RECIPESET: "/api/order/acknowledgement",
    OrderKind.FULL: "/api/order",
}


@dataclass(frozen=True)
class Target:
    """Where a request goes. `environment_id` is "ad-hoc" for a --base-url target."""

    environment_id: str
    name: str
    base_url: str
    token: str
    is_production: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 30.0

    @property
    def timeouts(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

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
    journal: Journal, target: Target, raw: object, kind: OrderKind | None = None, original_id: int | None = None
) -> SubmissionRecord:
    """Journal (committed) before send, send, record the outcome and return the updated row."""
    order = prepare(raw, kind)
    submission_id = journal_order(journal, target, order, original_id)
    return send_journaled(journal, target, submission_id, order, resend=original_id is not None)


def send_journaled(
    journal: Journal, target: Target, submission_id: int, order: PreparedOrder, resend: bool = False
) -> SubmissionRecord:
    journal.mark_sending(submission_id)
    try:
        reply = post_json(target.base_url, ENDPOINTS[order.kind], order.body, target.token, target.timeouts)
    except Unreachable as error:
        if error.maybe_arrived:
            journal.finish(submission_id, SubmissionState.UNKNOWN, message=str(error))
        else:
            journal.finish(submission_id, SubmissionState.FAILED, FailureReason.UNREACHABLE, message=str(error))
        return journal.get(submission_id)
    record_reply(journal, submission_id, reply, order.purchase_order, resend)
    return journal.get(submission_id)


def _error_text(reply: Reply) -> str:
    data = reply.json()
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return reply.text[:500] or f"HTTP {reply.status}"


def record_reply(journal: Journal, submission_id: int, reply: Reply, purchase_order: str, resend: bool) -> None:
    status = reply.status
    if status == 200:
        data = reply.json()
        statuses = data.get("statuses") if isinstance(data, dict) else None
        if not isinstance(statuses, list):
            journal.finish(
                submission_id, SubmissionState.UNKNOWN, http_status=status,
                message="unrecognised response", response_body=reply.text,
            )
            return
        results = [
            RecipeSetResult(str(s.get("recipeSetId", "")), bool(s.get("success")), str(s.get("message", "")),
                            purchase_order)
            for s in statuses if isinstance(s, dict)
        ]
        if data.get("allSuccessful") is True and all(r.success for r in results):
            state, reason = SubmissionState.SUCCEEDED, None
        elif any(r.success for r in results):
            state, reason = SubmissionState.PARTIAL, None
        else:
            state, reason = SubmissionState.FAILED, FailureReason.REJECTED
        journal.finish(submission_id, state, reason, http_status=status, response_body=reply.text, results=results)
        return
    if status == 409:
        message = "Already in Spectrum (the earlier attempt arrived)." if resend else _error_text(reply)
        journal.finish(submission_id, SubmissionState.ALREADY_SUBMITTED, http_status=status, message=message,
                       response_body=reply.text)
        return
    reason = {401: FailureReason.UNAUTHORIZED, 403: FailureReason.RATE_LIMITED}.get(
        status, FailureReason.SERVER_ERROR if status >= 500 else FailureReason.REJECTED
    )
    journal.finish(submission_id, SubmissionState.FAILED, reason, http_status=status, message=_error_text(reply),
                   response_body=reply.text)
