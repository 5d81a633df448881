"""Send many acknowledgements to the multiple endpoint in batches, inside the rate budget, every order journaled."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

from spectrum_desktop.domain.states import FailureReason, OrderKind, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.pacing import RateBudget
from spectrum_desktop.services.progress import Progress, ProgressCallback, no_progress
from spectrum_desktop.services.submit import ENDPOINTS, PreparedOrder, Target, prepare, record_reply, send_journaled
from spectrum_desktop.services.transport import Reply, Unreachable, post_json
from spectrum_desktop.store.journal import Journal

MANY_ENDPOINT = "/api/order/acknowledgements"


@dataclass
class BulkOutcome:
    records: list[SubmissionRecord] = field(default_factory=list)
    queued_ids: list[int] = field(default_factory=list)
    cancelled: bool = False
    requests: int = 0
    rate_limited: int = 0


@dataclass
class _Run:
    journal: Journal
    target: Target
    budget: RateBudget
    cancel: threading.Event
    progress: ProgressCallback
    total: int
    outcome: BulkOutcome
    alone: bool


def send_many(
    journal: Journal,
    target: Target,
    raws: list[object],
    kind: OrderKind | None = None,
    batch_size: int = 50,
    budget: RateBudget | None = None,
    progress: ProgressCallback = no_progress,
    cancel: threading.Event | None = None,
) -> BulkOutcome:
    """Every order is journaled queued first; batches go out until done or cancelled (the rest stay queued).

    Full orders have no multiple endpoint and go one by one; so do all orders when there is only one or the
    batch size is 1 (the single endpoint answers them the same way). A 413 splits a batch and retries the halves.
    """
    orders = [prepare(raw, kind) for raw in raws]
    alone = batch_size == 1 or len(orders) == 1
    ids = [
        journal.record(target.environment_id, o.kind, ENDPOINTS[o.kind] if alone or o.kind == OrderKind.FULL
                       else MANY_ENDPOINT, [o.purchase_order], o.recipe_set_ids, o.skus, json.dumps(o.body),
                       base_url=target.base_url)
        for o in orders
    ]
    run = _Run(journal, target, budget or RateBudget(100, 60.0), cancel or threading.Event(), progress,
               len(orders), BulkOutcome(), alone)
    pending = list(zip(ids, orders))
    singles = [p for p in pending if alone or p[1].kind == OrderKind.FULL]
    many = [p for p in pending if not alone and p[1].kind != OrderKind.FULL]
    batches = [many[i:i + batch_size] for i in range(0, len(many), batch_size)] + [[p] for p in singles]
    for number, batch in enumerate(batches):
        if not run.budget.wait_turn(run.cancel):
            run.outcome.cancelled = True
            run.outcome.queued_ids = [i for b in batches[number:] for i, _ in b]
            break
        _send_batch(run, batch)
    return run.outcome


def _send_batch(run: _Run, batch: list[tuple[int, PreparedOrder]]) -> None:
    if len(batch) == 1 and (run.alone or batch[0][1].kind == OrderKind.FULL):
        record = send_journaled(run.journal, run.target, batch[0][0], batch[0][1])
        run.budget.spent()
        run.outcome.requests += 1
        _done(run, [record])
        return
    for submission_id, _ in batch:
        run.journal.mark_sending(submission_id)
    try:
        reply = post_json(run.target.base_url, MANY_ENDPOINT, [o.body for _, o in batch], run.target.token,
                          run.target.timeouts)
    except Unreachable as error:
        run.budget.spent()
        run.outcome.requests += 1
        state = SubmissionState.UNKNOWN if error.maybe_arrived else SubmissionState.FAILED
        reason = None if error.maybe_arrived else FailureReason.UNREACHABLE
        for submission_id, _ in batch:
            run.journal.finish(submission_id, state, reason, message=str(error))
        _done(run, [run.journal.get(i) for i, _ in batch])
        return
    run.budget.spent()
    run.outcome.requests += 1
    if reply.status == 403:
        run.outcome.rate_limited += 1
    if reply.status == 413 and len(batch) > 1:
        half = len(batch) // 2
        for part in (batch[:half], batch[half:]):
            if not run.budget.wait_turn(run.cancel):
                for submission_id, _ in part:
                    run.journal.finish(submission_id, SubmissionState.QUEUED)
                run.outcome.cancelled = True
                run.outcome.queued_ids.extend(i for i, _ in part)
                continue
            _send_batch(run, part)
        return
    per_order = _split_reply(reply, batch)
    for (submission_id, order), single in zip(batch, per_order):
        record_reply(run.journal, submission_id, single, order.purchase_order, resend=False)
    _done(run, [run.journal.get(i) for i, _ in batch])


def _split_reply(reply: Reply, batch: list[tuple[int, PreparedOrder]]) -> list[Reply]:
    """One reply per order: a JSON array of per-order results, a single object, or an object holding a list."""
    if reply.status != 200:
        return [reply] * len(batch)
    data = reply.json()
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)
                 and "statuses" in v[0]]
        data = lists[0] if lists else [data]
    if not isinstance(data, list):
        return [Reply(200, reply.text)] * len(batch)
    by_po = {str(d.get("purchaseOrderNumber")): d for d in data if isinstance(d, dict)}
    return [Reply(200, json.dumps(by_po[o.purchase_order])) if o.purchase_order in by_po
            else Reply(200, "missing from the response") for _, o in batch]


def _done(run: _Run, records: list[SubmissionRecord]) -> None:
    run.outcome.records.extend(records)
    run.progress(Progress(len(run.outcome.records), run.total, records[-1] if records else None))
