"""Plain-text formatting of history rows for the table, the detail pane and CSV export."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime

from spectrum_desktop.domain.states import NEEDS_ATTENTION, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord

COLUMNS = ("When", "Environment", "State", "Purchase order", "Recipe sets", "HTTP", "Message")

STATE_LABELS = {
    SubmissionState.QUEUED: "Queued",
    SubmissionState.SENDING: "Sending",
    SubmissionState.SUCCEEDED: "Succeeded",
    SubmissionState.PARTIAL: "Partly accepted",
    SubmissionState.FAILED: "Failed",
    SubmissionState.ALREADY_SUBMITTED: "Already submitted",
    SubmissionState.UNKNOWN: "Unknown – check",
}


@dataclass(frozen=True)
class HistoryFilter:
    """What the History page shows; an empty field means 'any'."""

    environment_id: str | None = None
    states: frozenset[SubmissionState] = field(default_factory=frozenset)
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""

    @classmethod
    def needs_attention(cls, environment_id: str | None = None) -> HistoryFilter:
        return cls(environment_id=environment_id, states=NEEDS_ATTENTION)


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def cell(record: SubmissionRecord, column: int) -> str:
    values = (
        lambda: local_time(record.created_at),
        lambda: record.environment_id,
        lambda: STATE_LABELS.get(record.state, str(record.state)),
        lambda: ", ".join(record.purchase_orders),
        lambda: ", ".join(record.recipe_set_ids),
        lambda: "" if record.http_status is None else str(record.http_status),
        lambda: record.message,
    )
    return values[column]()


def pretty_json(text: str | None) -> str:
    """Indented JSON for reading and copying; text that is not JSON is shown as it is."""
    if not text:
        return ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


EXPORT_HEADER = ("id", "created_at", "environment", "state", "reason", "http_status",
                 "purchase_orders", "recipe_set_ids", "skus", "attempts", "original_id", "message")


def export_csv(records: list[SubmissionRecord]) -> str:
    """CSV of history rows. Rows carry order identifiers only: no names, addresses, e-mails or phones."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    for r in records:
        writer.writerow((
            r.id, r.created_at.isoformat() if r.created_at else "", r.environment_id, str(r.state),
            "" if r.reason is None else str(r.reason), "" if r.http_status is None else r.http_status,
            ";".join(r.purchase_orders), ";".join(r.recipe_set_ids), ";".join(r.skus), r.attempts,
            "" if r.original_id is None else r.original_id, r.message,
        ))
    return out.getvalue()
