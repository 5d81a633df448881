"""Send many acknowledgements to the multiple endpoint in batches, inside the rate budget, every order journaled."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spectrum_desktop.domain.endpoints import ACKS_PATH as MANY_ENDPOINT
from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.errors import BodyNotKept
from spectrum_desktop.services.progress import Progress, ProgressCallback, no_progress
from spectrum_desktop.services.submit import (
    ENDPOINTS,
    PreparedOrder,
    Target,
    check_target,
    prepare,
    record_outcome,
    send_order,
)

if TYPE_CHECKING:
    from spectrum_desktop.store.journal import Journal
    from concurrent.futures import Future

    from spectrum_desktop.api import ManyOutcome, Outcome, RateLimiter, RateLimits, SpectrumClient

TOO_LARGE = 413
PARALLEL = 3
"""Requests in flight at once: enough to keep the rate budget busy while answers are journaled."""


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
    parallel: int = PARALLEL,
) -> BulkOutcome:
    """Every order is journaled queued first; batches go out until done or cancelled (the rest stay queued).

    Full orders have no multiple endpoint and go one by one; so do all orders when there is only one or the
    batch size is 1 (the single endpoint answers them the same way). A 413 splits a batch and retries the halves.
    `budget` overrides the target's shared rate limits for this run. Up to `parallel` requests are in flight at
    once; on cancel those finish and are recorded, and nothing more leaves.
    """
    orders = [prepare(raw, kind) for raw in raws]
    check_target(target)
    alone = batch_size == 1 or len(orders) == 1
    pending = []
    for order in orders:
        endpoint = ENDPOINTS[order.kind] if alone or order.kind == OrderKind.FULL else MANY_ENDPOINT
        submission_id = journal.record(target.environment_id, order.kind, endpoint, [order.purchase_order],
                                       order.recipe_set_ids, order.skus, json.dumps(order.body),
                                       base_url=target.base_url)
        pending.append((submission_id, order, endpoint))
    return _send(journal, target, pending, batch_size, budget, progress, cancel, parallel)


def send_queued(
    journal: Journal,
    target: Target,
    ids: list[int],
    batch_size: int = 50,
    budget: RateLimits | RateLimiter | None = None,
    progress: ProgressCallback = no_progress,
    cancel: threading.Event | None = None,
    parallel: int = PARALLEL,
) -> BulkOutcome:
    """Send rows already journaled (e.g. left queued by a cancelled run) without new rows, the same way.

    Raises BodyNotKept (nothing sent) when a row's contents were kept only for the session that made it.
    """
    check_target(target)
    pending = []
    for submission_id in ids:
        record = journal.get(submission_id)
        body = journal.request_body(submission_id)
        if body is None:
            raise BodyNotKept(submission_id)
        pending.append((submission_id, prepare(json.loads(body), record.kind), record.endpoint))
    return _send(journal, target, pending, batch_size, budget, progress, cancel, parallel)


def _send(
    journal: Journal,
    target: Target,
    pending: list[tuple[int, PreparedOrder, str]],
    batch_size: int,
    budget: RateLimits | RateLimiter | None,
    progress: ProgressCallback,
    cancel: threading.Event | None,
    parallel: int,
) -> BulkOutcome:
    """Up to `parallel` requests in flight (the shared limiter keeps them inside the budget). Rows are marked
    sending on this thread just before their request is handed over, and recorded here when it is answered."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    many = [(i, o) for i, o, endpoint in pending if endpoint == MANY_ENDPOINT]
    jobs = deque(_Job(many[i:i + batch_size], single=False) for i in range(0, len(many), batch_size))
    jobs.extend(_Job([(i, o)], single=True) for i, o, endpoint in pending if endpoint != MANY_ENDPOINT)
    with target.client(limits=budget) as client, \
            ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="spectrum-bulk") as pool:
        run = _Run(journal, client, cancel or threading.Event(), progress, len(pending), BulkOutcome())
        in_flight: dict[Future, _Job] = {}
        while jobs or in_flight:
            while jobs and len(in_flight) < max(1, parallel) and not run.cancel.is_set():
                job = jobs.popleft()
                for submission_id, _ in job.rows:
                    journal.mark_sending(submission_id)
                in_flight[pool.submit(_call, client, job, run.cancel)] = job
            if not in_flight:
                break
            try:
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            except KeyboardInterrupt:  # Ctrl+C on the command line: record what is in flight, send nothing more
                run.cancel.set()
                run.outcome.cancelled = True
                continue
            for future in finished:
                job = in_flight.pop(future)
                jobs.extendleft(reversed(_record(run, job, future.result())))
        if jobs:
            run.outcome.cancelled = True
            run.outcome.queued_ids.extend(i for job in jobs for i, _ in job.rows)
    run.outcome.records.sort(key=lambda r: r.id)
    run.outcome.queued_ids.sort()
    return run.outcome


@dataclass
class _Job:
    rows: list[tuple[int, PreparedOrder]]
    single: bool


def _call(client: SpectrumClient, job: _Job, cancel: threading.Event) -> Outcome | ManyOutcome:
    """On a worker thread: only the HTTP exchange, no journal access."""
    if job.single:
        return send_order(client, job.rows[0][1], cancel)
    return client.acknowledge_many([o.body for _, o in job.rows], cancel=cancel)


def _record(run: _Run, job: _Job, result: Outcome | ManyOutcome) -> list[_Job]:
    """Write a job's answer onto its rows; returns jobs to send next (the halves of a batch that was too large)."""
    from spectrum_desktop.api import Cancelled, RateLimited

    run.outcome.requests += result.attempts
    whole = result if job.single else result.outcome
    if isinstance(whole, Cancelled):
        # Cancel came while waiting for the rate budget: nothing left, the rows go back to queued.
        for submission_id, _ in job.rows:
            record_outcome(run.journal, submission_id, whole, resend=False)
        run.outcome.cancelled = True
        run.outcome.queued_ids.extend(i for i, _ in job.rows)
        return []
    if not job.single and result.http_status == TOO_LARGE and len(job.rows) > 1:
        for submission_id, _ in job.rows:
            run.journal.finish(submission_id, SubmissionState.QUEUED, http_status=TOO_LARGE,
                               message="Too large for one request: sent again in smaller batches.")
        half = len(job.rows) // 2
        return [_Job(job.rows[:half], single=False), _Job(job.rows[half:], single=False)]
    for submission_id, order in job.rows:
        outcome = result if job.single else result.results.get(order.purchase_order, result.outcome)
        run.outcome.rate_limited += isinstance(outcome, RateLimited)
        record_outcome(run.journal, submission_id, outcome, resend=False)
    _done(run, [run.journal.get(i) for i, _ in job.rows])
    return []


def _done(run: _Run, records: list[SubmissionRecord]) -> None:
    run.outcome.records.extend(records)
    run.progress(Progress(len(run.outcome.records), run.total, records[-1] if records else None))
