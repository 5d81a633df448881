"""Reconcile an `unknown` row by looking the purchase order up in Spectrum."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.submit import Target
from spectrum_desktop.services.transport import get_json
from spectrum_desktop.store.journal import Journal


@dataclass(frozen=True)
class Reconciliation:
    record: SubmissionRecord
    delivered: bool
    line_items: list
    """What Spectrum holds for the order when delivered; when not delivered it is safe to resend."""


def reconcile(journal: Journal, submission_id: int, target: Target) -> Reconciliation:
    """Found -> the row becomes already submitted (delivered); not found -> unchanged, safe to resend.

    Raises transport.Unreachable when Spectrum cannot be asked.
    """
    record = journal.get(submission_id)
    po = record.purchase_orders[0] if record.purchase_orders else ""
    reply = get_json(target.base_url, f"/api/order/order-number/{quote(po, safe='')}", target.token, target.timeouts)
    if reply.status == 200:
        data = reply.json()
        items = data.get("lineItems", []) if isinstance(data, dict) else []
        journal.finish(
            submission_id, SubmissionState.ALREADY_SUBMITTED, http_status=200,
            message=f"Delivered: Spectrum has this order ({len(items)} line items).", response_body=reply.text,
        )
        return Reconciliation(journal.get(submission_id), True, items)
    return Reconciliation(record, False, [])
