"""Build the History and Bulk pages from the application context and put them in the main window.

Everything the pages do goes through the services (history, resend, reconcile, bulk); this module only
turns the context into the plain callables the views take.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMessageBox

from spectrum_desktop.domain.environment import RequestFormat
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services import bulk, history, reconcile, resend
from spectrum_desktop.services.progress import ProgressCallback
from spectrum_desktop.services.submit import Target
from spectrum_desktop.ui.bulk_view import BulkSource, BulkView, SendPlan
from spectrum_desktop.ui.environment_choice import load_environments
from spectrum_desktop.ui.history_format import HistoryFilter
from spectrum_desktop.ui.history_view import CheckResult, HistorySource, HistoryView

TargetFor = Callable[[SubmissionRecord], Target]


def history_source(journal: Any, target_for: TargetFor) -> HistorySource:
    """The History page's callables over a journal; `target_for(record)` says where a resend or check goes."""

    def fetch(f: HistoryFilter, page: int, size: int) -> tuple[list[SubmissionRecord], int]:
        result = history.page(journal, f.environment_id, f.states, f.search, page, size, since=f.since,
                              until=f.until)
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


class _LazyJournal:
    """Opens the context's journal (database and keyring) on first use, not while the window is built."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context.journal, name)


@dataclass
class HistoryPages:
    history: HistoryView
    bulk: BulkView


CLOSE_WAIT_SECONDS = 40.0  # longer than a read timeout: the batch in flight gets its answer recorded


class _FinishBeforeClose(QObject):
    """On the window's Close (before its closeEvent closes the database): stop a bulk send after the batch in
    flight, with the user's agreement, and wait for the pages' background work to end."""

    def __init__(self, window: Any, pages: HistoryPages) -> None:
        super().__init__(window)
        self._pages = pages

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.Close:
            return False
        bulk = self._pages.bulk
        if bulk.is_sending():
            answer = QMessageBox.question(
                watched, "Bulk send running",
                "Orders are still being sent. Stop after the batch being sent now and close? "
                "The rest stay queued in History and can be resumed from the Bulk page.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return True
            bulk.cancel()
        for guard in (bulk.guard, self._pages.history.guard):
            guard.wait(CLOSE_WAIT_SECONDS)
        return False


def install_history_pages(window: Any, context: Any) -> HistoryPages:
    """Add History (Ctrl+H) and Bulk (Ctrl+B) to `window` (a MainWindow), backed by `context` (an AppContext)."""
    journal = _LazyJournal(context)

    def target_for(record: SubmissionRecord) -> Target:
        return context.target(context.environment(record.environment_id))

    environments = load_environments(context).environments
    history_view = HistoryView(history_source(journal, target_for), environments, lazy=True)

    def current_plan() -> SendPlan:
        return plan_for(context.environment(window.active_environment().id))

    bulk_view = BulkView(bulk_source(journal, current_plan,
                                     lambda p: context.target(context.environment(p.environment_id))))
    window.add_page(history_view, "History", "Ctrl+H")
    window.add_page(bulk_view, "Bulk", "Ctrl+B")

    def edit(order: dict) -> None:
        window.load_order(order)
        window.show_page("Order")

    def show_problems(history_filter: HistoryFilter) -> None:
        history_view.show_filter(history_filter)
        window.show_page("History")

    history_view.open_in_editor.connect(edit)
    bulk_view.open_in_editor.connect(edit)
    bulk_view.progressed.connect(history_view.notify_changed)
    bulk_view.show_problems.connect(show_problems)
    history_view.resend_finished.connect(lambda _records: history_view.notify_changed())
    window.environment_changed.connect(
        lambda _id: history_view.set_environments(load_environments(context).environments))
    sent = getattr(window, "send_finished", None)
    if sent is not None:
        sent.connect(lambda *_args: history_view.notify_changed())
    pages = HistoryPages(history_view, bulk_view)
    window.installEventFilter(_FinishBeforeClose(window, pages))
    return pages
