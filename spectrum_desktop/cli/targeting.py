"""Shared CLI rules: production confirmation and the exit code for a set of outcomes."""

from __future__ import annotations

import sys

from spectrum_desktop.cli.errors import production_needs_yes, production_question
from spectrum_desktop.domain.states import FailureReason, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord

EXIT_CODES_HELP = (
    "exit codes: 0 everything succeeded; 1 something was sent and not all succeeded (or outcome unknown); "
    "2 bad input or usage, nothing sent; 3 could not reach or authenticate to the server; "
    "4 could not read or write local data (damaged, read-only or full) or a shared history set up by a newer "
    "version, nothing sent"
)

DONE = {SubmissionState.SUCCEEDED, SubmissionState.ALREADY_SUBMITTED}
NO_CONTACT = {FailureReason.UNREACHABLE, FailureReason.UNAUTHORIZED}


def confirm_production(target, assume_yes: bool, count: int) -> bool:
    if not target.is_production or assume_yes:
        return True
    if not sys.stdin.isatty():
        print(production_needs_yes(target.name), file=sys.stderr)
        return False
    answer = input(production_question(count, target.name))
    return answer.strip().lower() == "yes"


def exit_code_for(records: list[SubmissionRecord]) -> int:
    from spectrum_desktop.cli import EXIT_NOT_ALL_SUCCEEDED, EXIT_OK, EXIT_UNREACHABLE

    if all(r.state in DONE for r in records):
        return EXIT_OK
    if all(r.state == SubmissionState.FAILED and r.reason in NO_CONTACT for r in records):
        return EXIT_UNREACHABLE
    return EXIT_NOT_ALL_SUCCEEDED
