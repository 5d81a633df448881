"""Small wording rules every face of the app shares (window, command line): counts with the right plural."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spectrum_desktop.domain.submission import SubmissionRecord

STILL_PARTLY_ACCEPTED = "Still partly accepted"
"""The state a resend shows when Spectrum refused it but had accepted other recipe sets of the order before: the
order as a whole stands partly accepted (the row's own outcome, "failed", stays in the journal and in --json)."""


def count(number: int, singular: str, plural: str | None = None) -> str:
    """`count(1, "submission")` -> "1 submission"; `count(2, "problem")` -> "2 problems"; never "(s)"."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def environments_problem(error) -> str:
    """What is wrong with the list of environments, from a settings error's data (store.environments.SettingsError:
    problem, index, name, problems, keys, line, column), for staff: environment names and field labels, never ids
    or JSON paths. Lower-case start: it follows a colon."""
    from spectrum_desktop.domain.environment import FIELD_LABELS
    from spectrum_desktop.domain.errors import SettingsProblem as P

    which = error.name or (f"environment {error.index + 1} in the list" if error.index is not None
                           else "an environment")
    problem = error.problem
    if problem is P.NOT_TEXT:
        return "the file is not text"
    if problem is P.NOT_JSON:
        return f"the file is not written correctly (line {error.line}, column {error.column})"
    if problem is P.NOT_SETTINGS:
        return "the file does not hold a list of environments"
    if problem is P.UNKNOWN_SETTING:
        return (f"the file holds {count(len(error.keys), 'setting')} this version does not know "
                f"({', '.join(error.keys)})")
    if problem is P.ENTRY_NOT_SETTINGS:
        return f"{which} is not a set of settings"
    if problem is P.ENTRY_INVALID:
        return f"{which}: " + "; ".join(f"{FIELD_LABELS.get(field, field)}: {message.rstrip('.')}"
                                         for field, message in error.problems)
    if problem is P.SAME_ID:
        return f"{which} is stored under the same id as another environment, and each needs its own"
    if problem is P.NO_ACTIVE:
        return "the file does not say which environment is active"
    return "the environment chosen as the active one is not in the list"


def listed(items: list[str], most: int = 5) -> str:
    """`listed(["A", "B", "C"], 2)` -> "A, B and 1 more": a few names of a long list, and how many are left out."""
    return ", ".join(items[:most]) + (f" and {len(items) - most} more" if len(items) > most else "")


def still_partly_accepted(record: SubmissionRecord) -> bool:
    """A resend whose recipe sets Spectrum refused again, of an order it had accepted in part before."""
    return (str(record.state) == "failed" and str(record.reason) == "rejected" and bool(record.accepted_earlier))


def refused_again(record: SubmissionRecord) -> list[str]:
    return [r.recipe_set_id for r in record.results if not r.success] or list(record.recipe_set_ids)


def standing(record: SubmissionRecord) -> str:
    """Where the order as a whole stands, in one line, for History's message column, the result panel and the
    command line: "Still partly accepted: RS-200 accepted earlier; FAIL-2 refused again." ("" when the row's own
    outcome says it all)."""
    if not still_partly_accepted(record):
        return ""
    return (f"{STILL_PARTLY_ACCEPTED}: {', '.join(record.accepted_earlier)} accepted earlier; "
            f"{', '.join(refused_again(record))} refused again.")


def summary(record: SubmissionRecord) -> str:
    """The row's message as staff read it: for a refused resend of a partly accepted order, where the order stands,
    why each recipe set was refused, and what to do; otherwise the row's own message."""
    head = standing(record)
    if not head:
        return record.message
    one = len(refused_again(record)) == 1
    return " ".join(part for part in (head, refused_why(record), f"Correct {'it' if one else 'them'} and resend "
                                      f"{'it' if one else 'them'}; {never_again(record)}") if part)


def refused_why(record: SubmissionRecord) -> str:
    """What Spectrum said about each refused recipe set: "FAIL-2: Recipe set not found." ("" when it said nothing)."""
    why = "; ".join(f"{r.recipe_set_id}: {r.message.strip().rstrip('.')}" for r in record.results
                    if not r.success and r.message.strip())
    return f"{why}." if why else ""


def never_again(record: SubmissionRecord) -> str:
    return (f"{', '.join(record.accepted_earlier)} {'is' if len(record.accepted_earlier) == 1 else 'are'} never "
            "sent again.")
