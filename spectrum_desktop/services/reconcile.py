"""Reconcile an `unknown` row by looking the purchase order up in Spectrum."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.errors import ServiceError
from spectrum_desktop.services.submit import Target

if TYPE_CHECKING:
    from spectrum_desktop.store.journal import Journal


class LookupFailed(ServiceError):
    """Spectrum could not be asked (unreachable, token refused, busy); the row is unchanged."""


@dataclass(frozen=True)
class Reconciliation:
    record: SubmissionRecord
    delivered: bool
    line_items: list
    """What Spectrum holds for the order when delivered; when not delivered it is safe to resend."""


def reconcile(journal: Journal, submission_id: int, target: Target) -> Reconciliation:
    """Found -> the row becomes already submitted (delivered); not found -> unchanged, safe to resend.

    Raises LookupFailed (with the reason for the user) when Spectrum cannot be asked.
    """
    from spectrum_desktop.api import Found, NotFound

    record = journal.get(submission_id)
    po = record.purchase_orders[0] if record.purchase_orders else ""
    with target.client() as client:
        outcome = client.lookup(po)
    if isinstance(outcome, Found):
        order = outcome.order if isinstance(outcome.order, dict) else {}
        items = order.get("lineItems") or order.get("recipeSets") or []
        journal.finish(
            submission_id, SubmissionState.ALREADY_SUBMITTED, http_status=200,
            message=f"Delivered: Spectrum has this order ({len(items)} line items). Nothing more to send.",
            response_body=outcome.response_text or None,
        )
        return Reconciliation(journal.get(submission_id), True, list(items))
    if isinstance(outcome, NotFound):
        return Reconciliation(record, False, [])
    raise LookupFailed(f"Could not check order {po} in Spectrum. {outcome.message}")
