"""Shared CLI output: a readable table of submissions and their per-recipeSet results, or JSON."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.domain.words import STILL_PARTLY_ACCEPTED, still_partly_accepted, summary

NO_ANSWER = {
    SubmissionState.UNKNOWN: "No answer was recorded (the run sending it stopped or was cut off); "
                             "`spectrum-desktop resend --failed` asks Spectrum first and sends it only if it did not "
                             "arrive.",
    SubmissionState.QUEUED: "Not sent yet; `spectrum-desktop resend --failed` sends it.",
    SubmissionState.SENDING: "Being sent right now.",
}
"""The table's words for a row without a message of its own (the journal keeps data, not prose)."""


def record_dict(record: SubmissionRecord) -> dict:
    return {
        "id": record.id,
        "environment": record.environment_id,
        "base_url": record.base_url,
        "kind": str(record.kind),
        "purchase_orders": list(record.purchase_orders),
        "state": str(record.state),
        "reason": str(record.reason) if record.reason else None,
        "http_status": record.http_status,
        "message": record.message,
        "attempts": record.attempts,
        "created_at": record.created_at.isoformat(),
        "original_id": record.original_id,
        "sender": record.sender,
        "accepted_earlier": list(record.accepted_earlier),
        "results": [
            {"recipeSetId": r.recipe_set_id, "success": r.success, "message": r.message} for r in record.results
        ],
    }


def print_records(records: Iterable[SubmissionRecord], as_json: bool, out=None,
                  names: Mapping[str, str] | None = None) -> None:
    """`names`: environment id -> name, for the table (JSON keeps the id)."""
    try:
        _print_records(records, as_json, out or sys.stdout, names or {})
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly, as other tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _print_records(records: Iterable[SubmissionRecord], as_json: bool, out, names: Mapping[str, str]) -> None:
    records = list(records)
    if as_json:
        json.dump([record_dict(r) for r in records], out, indent=2)
        out.write("\n")
        return
    if not records:
        return
    shown = {r.environment_id: names.get(r.environment_id, r.environment_id) for r in records}
    width = max(14, *(len(name) for name in shown.values()))
    header = f"{'ID':>6}  {'ENVIRONMENT':<{width}} {'PURCHASE ORDER':<18} {'STATE':<24} {'HTTP':>4}  MESSAGE"
    out.write(header + "\n")
    for r in records:
        state = STILL_PARTLY_ACCEPTED.lower() if still_partly_accepted(r) else \
            str(r.state) + (f" ({r.reason})" if r.reason else "")
        http = str(r.http_status) if r.http_status is not None else "-"
        message = summary(r) or NO_ANSWER.get(r.state, "")
        out.write(f"{r.id:>6}  {shown[r.environment_id]:<{width}} {','.join(r.purchase_orders):<18} {state:<24} "
                  f"{http:>4}  {message}\n")
        for result in r.results:
            mark = "ok  " if result.success else "FAIL"
            out.write(f"{'':>8}{mark} recipeSet {result.recipe_set_id}: {result.message}\n")
