"""Resend history rows through the same path, linked to the original, to the target the original went to."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.errors import BodyNotKept
from spectrum_desktop.services.submit import Target, prepare, send_journaled, submit

if TYPE_CHECKING:
    from spectrum_desktop.store.journal import Journal

__all__ = ["BodyNotKept", "needs_attention", "resend"]


def resend(
    journal: Journal,
    submission_id: int,
    target_for: Callable[[SubmissionRecord], Target],
    cancel: threading.Event | None = None,
) -> SubmissionRecord:
    """Send the original's request body again as a new row linked to it. A 409 is recorded as already
    submitted (delivered).

    An unknown row is looked up in Spectrum first (reconcile): when it arrived, the original row becomes
    already submitted and is returned, and nothing is sent again. A queued row (never sent) is sent itself.
    """
    original = journal.get(submission_id)
    target = target_for(original)
    if original.state == SubmissionState.UNKNOWN:
        from spectrum_desktop.services.reconcile import LookupFailed, reconcile

        try:
            outcome = reconcile(journal, submission_id, target)
        except LookupFailed:
            outcome = None  # Spectrum answers a duplicate with 409, so sending again stays safe
        if outcome is not None and outcome.delivered:
            return outcome.record
    body = journal.request_body(submission_id)
    if body is None:
        raise BodyNotKept(submission_id)
    if original.state == SubmissionState.QUEUED:
        order = prepare(json.loads(body), original.kind)
        return send_journaled(journal, target, submission_id, order, cancel=cancel)
    record = submit(journal, target, json.loads(body), original.kind, original_id=original.id, cancel=cancel)
    if original.state == SubmissionState.PARTIAL and record.state == SubmissionState.ALREADY_SUBMITTED:
        # Spectrum has the purchase order, but that does not say the recipe sets that failed were fixed.
        failed = [r.recipe_set_id for r in journal.results(original.id) if not r.success]
        journal.finish(record.id, record.state, http_status=record.http_status, message=(
            "Spectrum already has this purchase order, so it was not sent again. The recipe sets that failed "
            f"before ({', '.join(failed) or 'see the original'}) may still need fixing: ask your Spectrum contact."
        ), response_body=journal.response_body(record.id))
        record = journal.get(record.id)
    return record


def needs_attention(journal: Journal, environment_id: str | None = None) -> list[SubmissionRecord]:
    """Failed, partial, unknown and queued rows, newest first, that still need someone.

    Only the newest row per purchase order and environment counts (an earlier attempt was resent), and none
    whose purchase order has since been delivered there, so resending them all never repeats a delivered order.
    """
    from spectrum_desktop.domain.states import NEEDS_ATTENTION
    from spectrum_desktop.store.journal import HistoryQuery

    rows: list[SubmissionRecord] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    page = 0
    while True:
        result = journal.history(HistoryQuery(environment_id=environment_id, states=NEEDS_ATTENTION, page=page))
        for row in result.rows:
            key = (row.environment_id, tuple(row.purchase_orders))
            if row.state == SubmissionState.SENDING or key in seen:
                continue
            seen.add(key)
            if not any(journal.succeeded_before(row.environment_id, po) for po in row.purchase_orders):
                rows.append(row)
        if (page + 1) * 200 >= result.total:
            return rows
        page += 1
