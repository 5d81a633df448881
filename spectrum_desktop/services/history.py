"""History for the window and the command line: pages, filters, one row's detail, CSV export. Everything reads
through the SubmissionService (the journal stays private to the services)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.domain.submission import AttemptRecord, RecipeSetResult, SubmissionRecord

if TYPE_CHECKING:
    from spectrum_desktop.services.submission import SubmissionService
    from spectrum_desktop.store.journal import HistoryPage

EXPORT_COLUMNS = [
    "id", "environment", "base_url", "kind", "purchase_orders", "recipe_set_ids", "skus", "state", "reason",
    "http_status", "message", "attempts", "created_at", "updated_at", "original_id", "sent_by",
]


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


@dataclass(frozen=True)
class SubmissionDetail:
    record: SubmissionRecord
    results: list[RecipeSetResult]
    attempts: list[AttemptRecord]
    request_body: str | None
    response_body: str | None
    notice: str
    """Set when the bodies cannot be shown (kept for their session only, or no keyring key)."""


def detail(service: SubmissionService, submission_id: int) -> SubmissionDetail:
    """One row with its decrypted bodies, for display only."""
    found = service.detail(submission_id)
    notice = {
        None: "",
        "unreadable": "The contents of this order cannot be read: the key they were saved with is no longer in "
                      "the keyring.",
        "session_only": "The contents of this order were kept only for the session that sent it.",
        "no_team_key": "This order's contents are encrypted with your team's key, which has not been entered on "
                       "this computer, so they cannot be opened or sent again. Ask a colleague for the team key and "
                       "paste it in Preferences › Shared history.",
    }[found.body_problem]
    return SubmissionDetail(found.record, found.results, found.attempts, found.request_body, found.response_body,
                            notice)


def export_csv(service: SubmissionService, records: Iterable[SubmissionRecord], out: TextIO,
               include_personal_data: bool = False) -> int:
    """Write rows as CSV; request bodies (names, addresses, e-mails, phones) only when asked. Returns rows written."""
    columns = EXPORT_COLUMNS + (["request_body"] if include_personal_data else [])
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for r in records:
        row = [r.id, r.environment_id, r.base_url, r.kind, " ".join(r.purchase_orders), " ".join(r.recipe_set_ids),
               " ".join(r.skus), r.state, r.reason or "", r.http_status or "", r.message, r.attempts,
               r.created_at.isoformat(), r.updated_at.isoformat(), r.original_id or "", r.sender or ""]
        if include_personal_data:
            row.append(service.detail(r.id).request_body or "")
        writer.writerow(row)
        count += 1
    return count
