"""What the result panel says about one submission: plain words for a person, no widgets here."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from spectrum_desktop.domain.states import FailureReason, SubmissionState
from spectrum_desktop.domain.dates import readable_moment
from spectrum_desktop.domain.words import count as counted
from spectrum_desktop.domain.words import never_again, refused_again, refused_why, standing, still_partly_accepted

if TYPE_CHECKING:  # annotations only: the records' module is loaded when a send or the History needs it
    from spectrum_desktop.domain.submission import RecipeSetResult, SubmissionRecord

# Patterns as text: `re` compiles (and caches) them on first use, not while the window is being built.
TRACE_ID = r"(?i)trace\s*(?:log\s*)?id\s*[:=#]?\s*([A-Za-z0-9][A-Za-z0-9._-]{3,})"
CHECK_LABEL = "Check in Spectrum"
SEND_AGAIN_LABEL = "Send again"
CORRECT_LABEL = "Correct the failed ones"
"""The result panel's buttons, named here so the texts name them as they are labelled."""
WAIT = r"(?i)wait\s+(?:about\s+|up\s+to\s+)?(\d+(?:\.\d+)?)\s*s"


class Tone(StrEnum):
    SUCCESS = "success"
    PARTIAL = "partial"
    FAILURE = "failure"
    NOTICE = "notice"  # already submitted: nothing went wrong, nothing new happened
    UNKNOWN = "unknown"


class Action(StrEnum):
    COPY_TRACE_ID = "copy-trace-id"
    SET_TOKEN = "set-token"
    SEND_AGAIN = "send-again"
    CHECK = "check"
    CORRECT = "correct-failed"


@dataclass(frozen=True)
class ResultText:
    tone: Tone
    headline: str
    detail: str = ""
    rows: tuple[RecipeSetResult, ...] = ()
    trace_id: str = ""
    actions: tuple[Action, ...] = field(default=())


def trace_id_in(text: str) -> str:
    match = re.search(TRACE_ID, text or "")
    return match.group(1).rstrip(".") if match else ""


def submitted_at(response_body: str | None) -> str:
    """The lastModification date of a 409 answer, as Spectrum gave it ("" when absent)."""
    try:
        data = json.loads(response_body or "")
    except ValueError:
        return ""
    value = data.get("lastModification") if isinstance(data, dict) else None
    return str(value) if value else ""


def what_happened(message: str) -> str:
    """The first part of an unknown outcome's message (what happened), without its advice, which the panel gives
    once in its own words: "You cancelled while waiting for Spectrum's answer"."""
    first = re.split(r";|\.\s", (message or "").strip(), maxsplit=1)[0].strip().rstrip(".")
    return "" if "arrived" in first.lower() else first


def wait_seconds(record: SubmissionRecord) -> float | None:
    value = getattr(record, "retry_after", None)
    if isinstance(value, (int, float)) and value > 0:
        return float(value)
    match = re.search(WAIT, record.message or "")
    return float(match.group(1)) if match else None


def describe(
    record: SubmissionRecord, environment_name: str, response_body: str | None = None,
    rate_window_seconds: float | None = None,
) -> ResultText:
    """Turn a journaled submission into what the panel shows."""
    po = ", ".join(record.purchase_orders) or "the order"
    rows = tuple(record.results)
    state, reason, message = record.state, record.reason, (record.message or "").strip()
    if state is SubmissionState.SUCCEEDED:
        count = len(rows)
        return ResultText(Tone.SUCCESS, f"Sent: {environment_name} accepted {po}"
                          + (f" ({count} of {counted(count, 'recipe set')})." if count else "."), "", rows)
    if state is SubmissionState.PARTIAL:
        failed = sum(1 for r in rows if not r.success)
        return ResultText(
            Tone.PARTIAL,
            f"Partly accepted: {failed} of {counted(len(rows), 'recipe set')} of {po} failed.",
            f"Press {CORRECT_LABEL} to fix {'it' if failed == 1 else 'them'} in the form and send "
            f"{'it' if failed == 1 else 'them'} again; the accepted ones are never sent again.",
            rows, actions=(Action.CORRECT,),
        )
    if state is SubmissionState.ALREADY_SUBMITTED:
        when = submitted_at(response_body)
        since = f" on {readable_moment(when)}" if when else ""
        return ResultText(
            Tone.NOTICE,
            f"Already submitted: {environment_name} already has {po}{since}.",
            (message + " " if message else "") + "Nothing new was created. If it must change, contact Spectrum support.",
            rows,
        )
    if state is SubmissionState.UNKNOWN:
        what = what_happened(message)
        return ResultText(
            Tone.UNKNOWN,
            f"Outcome unknown: no answer came back from {environment_name} for {po}.",
            (f"{what}. " if what else "") + f"The order may or may not have arrived. Press {CHECK_LABEL} to ask "
            f"{environment_name} whether it has it; if it does not, press {SEND_AGAIN_LABEL} (a duplicate would "
            "only be answered “already submitted”).",
            rows,
            actions=(Action.CHECK, Action.SEND_AGAIN),
        )
    if still_partly_accepted(record):
        refused = refused_again(record)
        one = len(refused) == 1
        return ResultText(
            Tone.PARTIAL, standing(record),
            " ".join(part for part in (f"{po}:", refused_why(record), f"Press {CORRECT_LABEL} to fix "
                                       f"{'it' if one else 'them'} in the form and send {'it' if one else 'them'} "
                                       f"again; {never_again(record)}") if part),
            rows, actions=(Action.CORRECT,),
        )
    if state is SubmissionState.FAILED:
        return _failure(reason, message, po, environment_name, rows, record, rate_window_seconds)
    if state is SubmissionState.QUEUED:
        return ResultText(Tone.NOTICE, f"Not sent: {po} was cancelled before it left.",
                          (message + " " if message else "") + "Nothing was sent. Send it when you are ready.", rows,
                          actions=(Action.SEND_AGAIN,))
    return ResultText(Tone.UNKNOWN, f"{po} is {state.value}.", message, rows)


def _failure(
    reason: FailureReason | None, message: str, po: str, environment_name: str, rows: tuple[RecipeSetResult, ...],
    record: SubmissionRecord, rate_window_seconds: float | None,
) -> ResultText:
    if reason is FailureReason.SERVER_ERROR:
        status = f" (HTTP {record.http_status})" if record.http_status else ""
        trace = trace_id_in(message)
        advice = "Send again in a few minutes. If it keeps failing, give support the trace ID." if trace else \
            "Send again in a few minutes. If it keeps failing, give support the error text above."
        if "support" in message.lower():
            advice = ""  # the message already says what to do
        return ResultText(Tone.FAILURE, f"Server error{status}: {environment_name} could not process {po}.",
                          "\n\n".join(part for part in (message, advice) if part), rows, trace,
                          (Action.COPY_TRACE_ID,) if trace else ())
    if reason is FailureReason.UNAUTHORIZED:
        return ResultText(Tone.FAILURE, f"Not sent: {environment_name} refused the API token.",
                          "Set the token for this environment (Set token…), then send again. "
                          + (f"The server said: {message}" if message else ""), rows,
                          actions=(Action.SET_TOKEN,))
    if reason is FailureReason.RATE_LIMITED:
        wait = wait_seconds(record)
        if wait is not None:
            how_long = f"Wait {wait:g} second{'' if wait == 1 else 's'}, then send again."
        elif rate_window_seconds:
            how_long = f"Wait up to {rate_window_seconds:g} seconds (this environment's rate window), then send again."
        else:
            how_long = "Wait a minute, then send again."
        return ResultText(Tone.FAILURE, f"Not sent: too many requests to {environment_name} (rate limit).",
                          how_long + (f" The server said: {message}" if message and not re.search(WAIT, message) else ""),
                          rows,
                          actions=(Action.SEND_AGAIN,))
    if reason is FailureReason.UNREACHABLE:
        return ResultText(Tone.FAILURE, f"Not sent: could not reach {environment_name}.",
                          "Nothing arrived. Check your network or VPN and the environment's address in Preferences, "
                          "then send again." + (f"\n\nDetails: {message}" if message else ""), rows,
                          actions=(Action.SEND_AGAIN,))
    if rows:
        return ResultText(Tone.FAILURE, f"Not accepted: every recipe set of {po} failed.",
                          "Read the server's message on each row, correct the order and send again.", rows)
    return ResultText(Tone.FAILURE, f"Not accepted: {environment_name} refused {po}.",
                      (f"The server said: {message}\n\n" if message else "")
                      + "Correct the order and send again.", rows)


def describe_not_sent(message: str, environment_name: str, needs_token: bool = False) -> ResultText:
    """Something stopped the send before anything left the computer (missing token, bad settings)."""
    return ResultText(Tone.FAILURE, f"Not sent to {environment_name}.", message,
                      actions=(Action.SET_TOKEN,) if needs_token else ())
