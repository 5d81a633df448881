"""The History and Bulk pages' callables over the services (history, resend, reconcile, bulk).

This module only turns a journal and targets into the plain callables the views take.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from spectrum_desktop.domain.environment import RequestFormat
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services import bulk, history, reconcile, resend
from spectrum_desktop.services.progress import ProgressCallback
from spectrum_desktop.services.submit import Target
from spectrum_desktop.ui.bulk_view import BulkSource, SendPlan
from spectrum_desktop.ui.history_format import HistoryFilter
from spectrum_desktop.ui.history_view import CheckResult, HistorySource

TargetFor = Callable[[SubmissionRecord], Target]


def history_source(journal: Any, target_for: TargetFor) -> HistorySource:
    """The History page's callables over a journal; `target_for(record)` says where a resend or check goes."""

    def fetch(f: HistoryFilter, page: int, size: int) -> tuple[list[SubmissionRecord], int]:
        result = history.page(journal, f.environment_id, f.states, f.search, page, size, since=f.since,
                              until=f.until, latest_only=f.latest_only)
        return list(result.rows), result.total

    def check(submission_id: int) -> CheckResult:
        found = reconcile.reconcile(journal, submission_id, target_for(journal.get(submission_id)))
        return CheckResult(found.record, found.delivered)

    return HistorySource(
        fetch=fetch,
        detail=lambda submission_id: history.detail(journal, submission_id),
        resend=lambda submission_id: resend.resend(journal, submission_id, target_for),
        check=check,
        request_body=lambda submission_id: history.detail(journal, submission_id).request_body,
        delivered=lambda record: any(journal.succeeded_before(record.environment_id, po)
                                     for po in record.purchase_orders),
    )


def bulk_source(journal: Any, plan: Callable[[], SendPlan],
                target_for_plan: Callable[[SendPlan], Target]) -> BulkSource:
    """The Bulk page's callables: send many, and resume rows a cancelled run left queued (no new rows).

    The rate budget is the target's: AppContext gives every sender to one environment the same limits.
    """

    def send(p: SendPlan, raws: list[dict], progress: ProgressCallback, cancel: threading.Event):
        return bulk.send_many(journal, target_for_plan(p), raws, batch_size=p.batch_size, progress=progress,
                              cancel=cancel)

    def resume(p: SendPlan, ids: list[int], progress: ProgressCallback, cancel: threading.Event):
        return bulk.send_queued(journal, target_for_plan(p), ids, batch_size=p.batch_size, progress=progress,
                                cancel=cancel)

    return BulkSource(plan=plan, send=send, resume=resume)


def plan_for(environment: Any) -> SendPlan:
    """A send plan from a domain Environment."""
    return SendPlan(environment.id, environment.name, environment.is_production, environment.batch_size,
                    environment.rate_limit_requests, environment.rate_limit_seconds,
                    recipe_sets=environment.request_format == RequestFormat.RECIPE_SET)


class LazyJournal:
    """Opens the context's journal (database and keyring) on first use, not while the window is built."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context.journal, name)
