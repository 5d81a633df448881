"""Small wording rules every face of the app shares (window, command line): counts with the right plural."""

from __future__ import annotations


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
