"""Resend history rows through the same path, linked to the original, to the target the original went to."""

from __future__ import annotations

import json
from collections.abc import Callable

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.errors import ServiceError
from spectrum_desktop.services.submit import Target, submit
from spectrum_desktop.store.journal import Journal


class BodyNotKept(ServiceError):
    def __init__(self, submission_id: int) -> None:
        super().__init__(
            f"The contents of submission {submission_id} were not kept (no keyring was available when it was sent). "
            "Import the order again and send it."
        )


def resend(
    journal: Journal, submission_id: int, target_for: Callable[[SubmissionRecord], Target]
) -> SubmissionRecord:
    """Send the original's request body again. A 409 is recorded as already submitted (delivered).

    An unknown row is looked up in Spectrum first (reconcile): when it arrived, the original row becomes
    already submitted and is returned, and nothing is sent again.
    """
    original = journal.get(submission_id)
    target = target_for(original)
    if original.state == SubmissionState.UNKNOWN:
        from spectrum_desktop.services.reconcile import reconcile
        from spectrum_desktop.services.transport import Unreachable

        try:
            outcome = reconcile(journal, submission_id, target)
        except Unreachable:
            outcome = None  # the resend below records why Spectrum could not be reached
        if outcome is not None and outcome.delivered:
            return outcome.record
    body = journal.request_body(submission_id)
    if body is None:
        raise BodyNotKept(submission_id)
    return submit(journal, target, json.loads(body), original.kind, original_id=original.id)


def needs_attention(journal: Journal, environment_id: str | None = None) -> list[SubmissionRecord]:
    from spectrum_desktop.domain.states import NEEDS_ATTENTION
    from spectrum_desktop.store.journal import HistoryQuery

    rows: list[SubmissionRecord] = []
    page = 0
    while True:
        result = journal.history(HistoryQuery(environment_id=environment_id, states=NEEDS_ATTENTION, page=page))
        rows.extend(r for r in result.rows if r.state != SubmissionState.SENDING)
        if (page + 1) * 200 >= result.total:
            return rows
        page += 1
