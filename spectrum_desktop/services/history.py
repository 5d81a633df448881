"""History for the window and the command line: pages, filters, one row's detail. Everything reads through the
SubmissionService (the journal stays private to the services). The CSV export is `ui/history_format.export_csv`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.domain.submission import AttemptRecord, RecipeSetResult, SubmissionRecord

if TYPE_CHECKING:
    from spectrum_desktop.services.submission import SubmissionService
    from spectrum_desktop.store.journal import HistoryPage


def page(
    service: SubmissionService,
    environment_id: str | None = None,
    states: Iterable[SubmissionState] = (),
    search: str = "",
    page_number: int = 0,
    page_size: int = 200,
    since: datetime | None = None,
    until: datetime | None = None,
    latest_only: bool = False,
    sender: str | None = None,
) -> HistoryPage:
    """Newest first; `HistoryPage(rows, total)`. `since`/`until` bound the creation time (UTC-aware datetimes).
    `latest_only` leaves out rows that were sent again later (same purchase orders, same environment); `sender`
    keeps one person's rows (shared history)."""
    from spectrum_desktop.store.journal import HistoryPage, HistoryQuery
    from spectrum_desktop.store.pg_journal import SharedHistoryUnavailable

    try:
        return service.page(HistoryQuery(environment_id=environment_id, states=frozenset(states), search=search,
                                         page=page_number, page_size=page_size, since=since, until=until,
                                         latest_only=latest_only, sender=sender))
    except SharedHistoryUnavailable:
        # The shared history's server is away: the window shows an empty page (its status line says why) and
        # keeps working for editing and drafts; sending refuses with the same message.
        return HistoryPage(rows=(), total=0)


def senders(service: SubmissionService) -> list[str]:
    """The names the history's rows were sent by, A to Z (History's Sent by filter offers them; any other name can
    still be typed)."""
    return service.senders()


@dataclass(frozen=True)
class SubmissionDetail:
    record: SubmissionRecord
    results: list[RecipeSetResult]
    attempts: list[AttemptRecord]
    request_body: str | None
    response_body: str | None
    notice: str
    """Set when the bodies cannot be shown (kept for their session only, or no keyring key)."""
    problem: Exception | None = None
    """Set when the bodies cannot be shown because of a typed error (a shared history's team key missing here):
    the front end turns it into words (ui/errors.py)."""


def detail(service: SubmissionService, submission_id: int) -> SubmissionDetail:
    """One row with its decrypted bodies, for display only."""
    found = service.detail(submission_id)
    notice = {
        None: "",
        "unreadable": "The contents of this order cannot be read: the key they were saved with is no longer in "
                      "the keyring.",
        "session_only": "The contents of this order were kept only for the session that sent it.",
        "no_team_key": "",  # typed: `problem` (the front end says it, as it says the same error elsewhere)
    }[found.body_problem]
    return SubmissionDetail(found.record, found.results, found.attempts, found.request_body, found.response_body,
                            notice, found.body_error)
