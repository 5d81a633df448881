"""Send many acknowledgements to the multiple endpoint in batches, inside the rate budget, every order journaled."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.errors import BodyNotKept
from spectrum_desktop.services.progress import Progress, ProgressCallback, no_progress
from spectrum_desktop.services.submit import (
    ENDPOINTS,
    PreparedOrder,
    Target,
    prepare,
    record_outcome,
    send_order,
)
from spectrum_desktop.store.journal import Journal

if TYPE_CHECKING:
    from spectrum_desktop.api import Outcome, RateLimiter, RateLimits, SpectrumClient

MANY_ENDPOINT = "/api/order/acknowledgements"
TOO_LARGE = 413


@dataclass
class BulkOutcome:
    records: list[SubmissionRecord] = field(default_factory=list)
    queued_ids: list[int] = field(default_factory=list)
    cancelled: bool = False
    requests: int = 0
    """HTTP requests made, retries included."""
    rate_limited: int = 0
    """Orders that ended rate limited (after the client's retries)."""


@dataclass
class _Run:
    journal: Journal
    client: SpectrumClient
    cancel: threading.Event
    progress: ProgressCallback
    total: int
    outcome: BulkOutcome


def send_many(
    journal: Journal,
    target: Target,
    raws: list[object],
    kind: OrderKind | None = None,
    batch_size: int = 50,
    budget: RateLimits | RateLimiter | None = None,
    progress: ProgressCallback = no_progress,
    cancel: threading.Event | None = None,
) -> BulkOutcome:
    """Every order is journaled queued first; batches go out until done or cancelled (the rest stay queued).

    Full orders have no multiple endpoint and go one by one; so do all orders when there is only one or the
    batch size is 1 (the single endpoint answers them the same way). A 413 splits a batch and retries the halves.
    `budget` overrides the target's shared rate limits for this run.
    """
    orders = [prepare(raw, kind) for raw in raws]
    alone = batch_size == 1 or len(orders) == 1
    pending = []
    for order in orders:
        endpoint = ENDPOINTS[order.kind] if alone or order.kind == OrderKind.FULL else MANY_ENDPOINT
        submission_id = journal.record(target.environment_id, order.kind, endpoint, [order.purchase_order],
                                       order.recipe_set_ids, order.skus, json.dumps(order.body),
                                       base_url=target.base_url)
        pending.append((submission_id, order, endpoint))
    return _send(journal, target, pending, batch_size, budget, progress, cancel)


def send_queued(
    journal: Journal,
    target: Target,
    ids: list[int],
    batch_size: int = 50,
    budget: RateLimits | RateLimiter | None = None,
    progress: ProgressCallback = no_progress,
    cancel: threading.Event | None = None,
) -> BulkOutcome:
    """Send rows already journaled (e.g. left queued by a cancelled run) without new rows, the same way.

    Raises BodyNotKept (nothing sent) when a row's contents were kept only for the session that made it.
    """
    pending = []
    for submission_id in ids:
        record = journal.get(submission_id)
        body = journal.request_body(submission_id)
        if body is None:
            raise BodyNotKept(submission_id)
        pending.append((submission_id, prepare(json.loads(body), record.kind), record.endpoint))
    return _send(journal, target, pending, batch_size, budget, progress, cancel)


def _send(
    journal: Journal,
    target: Target,
    pending: list[tuple[int, PreparedOrder, str]],
    batch_size: int,
    budget: RateLimits | RateLimiter | None,
    progress: ProgressCallback,
    cancel: threading.Event | None,
) -> BulkOutcome:
    many = [(i, o) for i, o, endpoint in pending if endpoint == MANY_ENDPOINT]
    singles = [[(i, o)] for i, o, endpoint in pending if endpoint != MANY_ENDPOINT]
    batches = [many[i:i + batch_size] for i in range(0, len(many), batch_size)] + singles
    single_ids = {b[0][0] for b in singles}
    with target.client(limits=budget) as client:
        run = _Run(journal, client, cancel or threading.Event(), progress, len(pending), BulkOutcome())
        for number, batch in enumerate(batches):
            if run.cancel.is_set() or run.outcome.cancelled:
                run.outcome.cancelled = True
                run.outcome.queued_ids.extend(i for b in batches[number:] for i, _ in b)
                break
            if len(batch) == 1 and batch[0][0] in single_ids:
                _send_single(run, *batch[0])
            else:
                _send_batch(run, batch)
    return run.outcome


def _cancelled(run: _Run, batch: list[tuple[int, PreparedOrder]], outcome: Outcome) -> None:
    """Cancel came while waiting for the rate limit: nothing left, the rows go back to queued."""
    for submission_id, _ in batch:
        record_outcome(run.journal, submission_id, outcome, resend=False)
    run.outcome.cancelled = True
    run.outcome.queued_ids.extend(i for i, _ in batch)


def _send_single(run: _Run, submission_id: int, order: PreparedOrder) -> None:
    from spectrum_desktop.api import Cancelled, RateLimited

    run.journal.mark_sending(submission_id)
    outcome = send_order(run.client, order, run.cancel)
    run.outcome.requests += outcome.attempts
    if isinstance(outcome, Cancelled):
        _cancelled(run, [(submission_id, order)], outcome)
        return
    run.outcome.rate_limited += isinstance(outcome, RateLimited)
    record_outcome(run.journal, submission_id, outcome, resend=False)
    _done(run, [run.journal.get(submission_id)])


def _send_batch(run: _Run, batch: list[tuple[int, PreparedOrder]]) -> None:
    from spectrum_desktop.api import Cancelled, RateLimited

    for submission_id, _ in batch:
        run.journal.mark_sending(submission_id)
    many = run.client.acknowledge_many([o.body for _, o in batch], cancel=run.cancel)
    run.outcome.requests += many.attempts
    if isinstance(many.outcome, Cancelled):
        _cancelled(run, batch, many.outcome)
        return
    if many.http_status == TOO_LARGE and len(batch) > 1:
        for submission_id, _ in batch:
            run.journal.finish(submission_id, SubmissionState.QUEUED, http_status=TOO_LARGE,
                               message="Too large for one request: sent again in smaller batches.")
        half = len(batch) // 2
        for part in (batch[:half], batch[half:]):
            if run.cancel.is_set():
                run.outcome.cancelled = True
                run.outcome.queued_ids.extend(i for i, _ in part)
                continue
            _send_batch(run, part)
        return
    for submission_id, order in batch:
        outcome = many.results.get(order.purchase_order, many.outcome)
        run.outcome.rate_limited += isinstance(outcome, RateLimited)
        record_outcome(run.journal, submission_id, outcome, resend=False)
    _done(run, [run.journal.get(i) for i, _ in batch])


def _done(run: _Run, records: list[SubmissionRecord]) -> None:
    run.outcome.records.extend(records)
    run.progress(Progress(len(run.outcome.records), run.total, records[-1] if records else None))
