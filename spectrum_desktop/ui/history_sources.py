"""The History and Bulk pages' callables over the submission service (pages, detail, resend, check, bulk).

This module only turns the service into the plain callables the views take; it never opens the journal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from spectrum_desktop.domain.environment import RequestFormat
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services import history
from spectrum_desktop.services.progress import ProgressCallback
from spectrum_desktop.services.submission import Target
from spectrum_desktop.ui.bulk_view import BulkSource, SendPlan
from spectrum_desktop.ui.history_format import HistoryFilter
from spectrum_desktop.ui.history_view import CheckResult, HistorySource

TargetFor = Callable[[SubmissionRecord], Target]


def history_source(service: Any, remote: bool | None = None) -> HistorySource:
    """The History page's callables over a SubmissionService (it knows where each row's resend or check goes).
    `remote`: the pages come from the shared history's server (read off the GUI thread); by default the window's
    LazyService says."""
    if remote is None:
        remote = isinstance(service, LazyService) and service.remote

    def fetch(f: HistoryFilter, page: int, size: int) -> tuple[list[SubmissionRecord], int]:
        reads = _Reads(service)
        result = history.page(reads, f.environment_id, f.states, f.search, page, size, since=f.since,
                              until=f.until, latest_only=f.latest_only, sender=f.sender)
        if reads.error is not None:
            raise reads.error
        return list(result.rows), result.total

    def check(submission_id: int) -> CheckResult:
        found = service.check_delivered(submission_id)
        return CheckResult(found.record, found.delivered)

    def resend(submission_id: int) -> SubmissionRecord:
        report = service.resend([submission_id])
        if report.problems:
            raise report.problems[0]
        if report.records:
            return report.records[-1]
        return service.record(submission_id)  # another window or run holds it: show it as it stands

    def request_body(submission_id: int) -> str | None:
        """The request as it was sent (Export CSV with personal data)."""
        return service.detail(submission_id).request_body

    return HistorySource(
        fetch=fetch,
        detail=lambda submission_id: history.detail(service, submission_id),
        resend=resend,
        check=check,
        request_body=request_body,
        delivered=lambda record: bool(service.delivered(record)),
        correction=lambda submission_id: service.correction(submission_id),  # resend_body + the accepted ones
        senders=lambda: history.senders(service),
        remote=remote,
    )


class _Reads:
    """The service as history.page sees it, keeping what its page read raised: history.page answers a shared history
    that cannot be reached with an empty page (for callers reading on the GUI thread); the History page reads off
    that thread and tells the person why the page is empty instead."""

    def __init__(self, service: Any) -> None:
        self._service = service
        self.error: BaseException | None = None

    def page(self, query: Any) -> Any:
        try:
            return self._service.page(query)
        except Exception as exc:
            self.error = exc
            raise


def bulk_source(service: Any, plan: Callable[[], SendPlan],
                target_for_plan: Callable[[SendPlan], Target]) -> BulkSource:
    """The Bulk page's callables: send many, and resume rows a cancelled run left queued (no new rows).

    The rate budget is the target's: every sender to one environment on this machine draws from one budget.
    """

    def send(p: SendPlan, raws: list[dict], progress: ProgressCallback, cancel: threading.Event,
             force: bool = False):
        """force=False: orders History shows delivered to that environment are skipped and reported; a partly
        accepted order goes without its accepted recipe sets (the service's rule for a run of orders)."""
        target = target_for_plan(p)
        return service.send(service.check_many(raws, None, target), force=force, batch_size=p.batch_size,
                            progress=progress, cancel=cancel)

    def resume(p: SendPlan, ids: list[int], progress: ProgressCallback, cancel: threading.Event):
        report = service.resend(ids, progress=progress, cancel=cancel, batch_size=p.batch_size,
                                target=target_for_plan(p))
        if report.problems:
            raise report.problems[0]
        return report

    def delivered(p: SendPlan, purchase_orders: list[str]) -> set[str]:
        return service.delivered_to(p.environment_id, purchase_orders)

    return BulkSource(plan=plan, send=send, resume=resume, delivered=delivered)


def plan_for(environment: Any) -> SendPlan:
    """A send plan from a domain Environment."""
    return SendPlan(environment.id, environment.name, environment.is_production, environment.batch_size,
                    environment.rate_limit_requests, environment.rate_limit_seconds,
                    recipe_sets=environment.request_format == RequestFormat.RECIPE_SET)


class LazyService:
    """Opens the context's submission service (database and keyring) on first use, not while the window is
    built."""

    def __init__(self, context: Any) -> None:
        self._context = context

    @property
    def remote(self) -> bool:
        """The history is the team's shared one on a database server (known from the settings; nothing opened)."""
        return bool(getattr(self._context, "shared_history_url", ""))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context.submissions, name)
