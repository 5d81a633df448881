"""Read-only, copyable detail text for one history row (from services.history.SubmissionDetail)."""

from __future__ import annotations

from collections.abc import Mapping

from spectrum_desktop.domain.words import summary
from spectrum_desktop.domain.fields import field_by_key
from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.services.history import SubmissionDetail
from spectrum_desktop.ui.history_format import (
    STATE_LABELS, environment_name, local_time, pretty_json, sent_as, state_label, support_lines, trace_id,
)

NO_ANSWER_STATES = {SubmissionState.QUEUED, SubmissionState.SENDING, SubmissionState.UNKNOWN}


def detail_trace_id(detail: SubmissionDetail) -> str:
    return trace_id(detail.record.message, detail.response_body)


def no_response(detail: SubmissionDetail) -> str:
    """What the Response section says when no answer body is kept, in words that say why."""
    r = detail.record
    if r.state in NO_ANSWER_STATES:
        return "(no answer came back)"
    if detail.results:
        return "(not kept for this submission: the result of each recipe set is listed above)"
    return "(not kept for this submission)"


def detail_text(detail: SubmissionDetail, names: Mapping[str, str] | None = None) -> str:
    r = detail.record
    lines = [
        state_label(r),
        f"Environment: {environment_name(r, names)}   {sent_as(r)}",
        f"Purchase order: {', '.join(r.purchase_orders)}",
        f"Created: {local_time(r.created_at)}   Updated: {local_time(r.updated_at)}",
    ]
    if r.original_id is not None:
        lines.append("Resent from an earlier submission")
    trace = detail_trace_id(detail)
    if trace:
        lines.append(f"Trace ID: {trace}  (give this to Spectrum support)")
    if r.http_status is not None:
        lines.append(f"HTTP status: {r.http_status}")
    if r.message:
        lines.append(f"Message: {summary(r)}")
    if detail.results:
        lines += ["", f"{field_by_key('recipeSets').label}:"]
        for res in detail.results:
            mark = "accepted" if res.success else "REJECTED"
            sku = f" ({res.sku})" if res.sku else ""
            lines.append(f"  {res.recipe_set_id}{sku}: {mark}" + (f" — {res.message}" if res.message else ""))
    if detail.attempts:
        lines += ["", "Attempts:"]
        for a in detail.attempts:
            status = "" if a.http_status is None else f" HTTP {a.http_status}"
            ended = f" → {local_time(a.finished_at)}" if a.finished_at else ""
            state = STATE_LABELS.get(a.state, str(a.state)) if a.state else ""
            said = "" if a.message == r.message else a.message  # the row's message is shown above once
            lines.append(f"  #{a.number} {local_time(a.started_at)}{ended} {state}{status} {said}".rstrip())
    if detail.notice:
        lines += ["", detail.notice]
    if detail.problem is not None:
        from spectrum_desktop.ui.errors import user_message

        lines += ["", user_message(detail.problem)]
    lines += ["", "Details for support:", *(f"  {line}" for line in support_lines(r))]
    lines += ["", "Request:", pretty_json(detail.request_body) or "(not kept)"]
    lines += ["", "Response:", pretty_json(detail.response_body) or no_response(detail)]
    return "\n".join(lines)
