"""Read-only, copyable detail text for one history row."""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrum_desktop.domain.submission import AttemptRecord, RecipeSetResult, SubmissionRecord
from spectrum_desktop.ui.history_format import STATE_LABELS, local_time, pretty_json


@dataclass(frozen=True)
class SubmissionDetail:
    record: SubmissionRecord
    request_body: str | None = None
    response_body: str | None = None
    results: list[RecipeSetResult] = field(default_factory=list)
    attempts: list[AttemptRecord] = field(default_factory=list)
    trace_id: str = ""


def detail_text(detail: SubmissionDetail) -> str:
    r = detail.record
    lines = [
        f"Submission {r.id} — {STATE_LABELS.get(r.state, str(r.state))}",
        f"Environment: {r.environment_id}   Endpoint: {r.endpoint}",
        f"Purchase orders: {', '.join(r.purchase_orders)}",
        f"Created: {local_time(r.created_at)}   Updated: {local_time(r.updated_at)}",
    ]
    if r.original_id is not None:
        lines.append(f"Resend of submission {r.original_id}")
    if detail.trace_id:
        lines.append(f"Trace ID: {detail.trace_id}")
    if r.message:
        lines.append(f"Message: {r.message}")
    if detail.results:
        lines.append("")
        lines.append("Recipe sets:")
        for res in detail.results:
            mark = "accepted" if res.success else "REJECTED"
            lines.append(f"  {res.recipe_set_id} ({res.sku}): {mark} {res.message}".rstrip())
    if detail.attempts:
        lines.append("")
        lines.append("Attempts:")
        for a in detail.attempts:
            status = "" if a.http_status is None else f" HTTP {a.http_status}"
            lines.append(f"  #{a.number} {local_time(a.started_at)} {a.state}{status} {a.message}".rstrip())
    lines += ["", "Request:", pretty_json(detail.request_body) or "(not kept)"]
    lines += ["", "Response:", pretty_json(detail.response_body) or "(none)"]
    return "\n".join(lines)
