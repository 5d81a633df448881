"""Plain-text formatting of history rows for the table, the detail pane and CSV export."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from spectrum_desktop.domain.fields import kind_labels
from spectrum_desktop.domain.states import NEEDS_ATTENTION, FailureReason, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.domain.words import STILL_PARTLY_ACCEPTED, still_partly_accepted, summary

COLUMNS = ("When", "Environment", "Kind", "Purchase order", "Line items", "State", "Attempts", "Sent by", "Message")
WHEN, ENVIRONMENT, KIND, PURCHASE_ORDER, LINE_ITEMS, STATE, ATTEMPTS, SENT_BY, MESSAGE = range(len(COLUMNS))

STATE_LABELS = {
    SubmissionState.QUEUED: "Queued",
    SubmissionState.SENDING: "Sending",
    SubmissionState.SUCCEEDED: "Succeeded",
    SubmissionState.PARTIAL: "Partly accepted",
    SubmissionState.FAILED: "Failed",
    SubmissionState.ALREADY_SUBMITTED: "Already submitted",
    SubmissionState.UNKNOWN: "Unknown – check",
}

REASON_LABELS = {
    FailureReason.REJECTED: "rejected",
    FailureReason.SERVER_ERROR: "server error",
    FailureReason.UNAUTHORIZED: "token refused",
    FailureReason.RATE_LIMITED: "rate limited",
    FailureReason.UNREACHABLE: "could not connect",
}

KIND_LABELS = kind_labels()

_TRACE = re.compile(r"trace\s*(?:log)?\s*id\s*[:#]?\s*([A-Za-z0-9-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class HistoryFilter:
    """What the History page shows; an empty field means 'any'. `until` is exclusive."""

    environment_id: str | None = None
    states: frozenset[SubmissionState] = field(default_factory=frozenset)
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""
    latest_only: bool = False
    """Hide a row once the same purchase order(s) went to the same environment again (resent or re-entered)."""
    sender: str | None = None
    """Only rows sent by this person (a shared history; a local history's rows are all its owner's)."""

    @classmethod
    def needs_attention(cls, environment_id: str | None = None) -> HistoryFilter:
        return cls(environment_id=environment_id, states=NEEDS_ATTENTION, latest_only=True)

    def attention_only(self) -> HistoryFilter:
        """The same filter narrowed to the states that need attention, without rows sent again since."""
        states = (self.states & NEEDS_ATTENTION) if self.states else NEEDS_ATTENTION
        return replace(self, states=frozenset(states), latest_only=True)

    def unknown_only(self) -> HistoryFilter | None:
        """The same filter narrowed to rows whose outcome is unknown (what "Check in Spectrum" asks about), or None
        when the filter shows no such rows (another state was chosen)."""
        if self.states and SubmissionState.UNKNOWN not in self.states:
            return None
        return replace(self, states=frozenset({SubmissionState.UNKNOWN}))


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def state_label(record: SubmissionRecord) -> str:
    if still_partly_accepted(record):
        return STILL_PARTLY_ACCEPTED  # a refused resend: the order as a whole (the message says what was refused)
    label = STATE_LABELS.get(record.state, str(record.state))
    if record.state == SubmissionState.FAILED and record.reason is not None:
        label += f" ({REASON_LABELS.get(record.reason, str(record.reason))})"
    return label


def outcome_texts() -> list[str]:
    """Every text the State column can show (for a column that fits them all)."""
    failed = STATE_LABELS[SubmissionState.FAILED]
    return list(STATE_LABELS.values()) + [f"{failed} ({reason})" for reason in REASON_LABELS.values()] \
        + [STILL_PARTLY_ACCEPTED]


def sent_as(record: SubmissionRecord) -> str:
    """How a row went out, in the words of the Kind column (the endpoint's path is for support only)."""
    return f"Sent as: {KIND_LABELS.get(record.kind, str(record.kind))}"


def support_lines(record: SubmissionRecord) -> list[str]:
    """The row's technical identity for Spectrum or IT support: its number in the history and the API path it went
    to (staff read the words above them; these are kept, not shown first)."""
    number = f"Submission {record.id}"
    if record.original_id is not None:
        number += f" (a resend of submission {record.original_id})"
    return [number, f"Sent to {record.endpoint}"]


def line_item_count(record: SubmissionRecord) -> int:
    return len(record.recipe_set_ids)


def environment_name(record: SubmissionRecord, names: Mapping[str, str] | None = None) -> str:
    """The environment's name as the person knows it; the id only for an environment since removed."""
    return (names or {}).get(record.environment_id) or record.environment_id


def cell(record: SubmissionRecord, column: int, names: Mapping[str, str] | None = None) -> str:
    if column == WHEN:
        return local_time(record.created_at)
    if column == ENVIRONMENT:
        return environment_name(record, names)
    if column == KIND:
        return KIND_LABELS.get(record.kind, str(record.kind))
    if column == PURCHASE_ORDER:
        return ", ".join(record.purchase_orders)
    if column == LINE_ITEMS:
        return str(line_item_count(record))
    if column == STATE:
        return state_label(record)
    if column == ATTEMPTS:
        return str(record.attempts)
    if column == SENT_BY:
        return record.sender
    return summary(record)


def trace_id(*texts: str | None) -> str:
    """The server's trace ID from an error message or response body, or "" when there is none."""
    for text in texts:
        if text:
            match = _TRACE.search(text)
            if match:
                return match.group(1).rstrip(".")
    return ""


def pretty_json(text: str | None) -> str:
    """Indented JSON for reading and copying; text that is not JSON is shown as it is."""
    if not text:
        return ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


EXPORT_HEADER = ("id", "created_at", "environment", "kind", "state", "reason", "http_status",
                 "purchase_orders", "recipe_set_ids", "skus", "line_items", "attempts", "original_id", "message",
                 "sent_by")


def export_csv(records: list[SubmissionRecord], request_body: Callable[[int], str | None] | None = None) -> str:
    """CSV of history rows: order identifiers only, no names, addresses, e-mails or phones.

    Only when `request_body` is given (the user asked for personal data) is each row's request added.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_HEADER + (("request_body",) if request_body else ()))
    for r in records:
        row = [
            r.id, r.created_at.isoformat() if r.created_at else "", r.environment_id, str(r.kind), str(r.state),
            "" if r.reason is None else str(r.reason), "" if r.http_status is None else r.http_status,
            ";".join(r.purchase_orders), ";".join(r.recipe_set_ids), ";".join(r.skus), line_item_count(r),
            r.attempts, "" if r.original_id is None else r.original_id, r.message, r.sender or "",
        ]
        if request_body:
            row.append(request_body(r.id) or "")
        writer.writerow(row)
    return out.getvalue()
