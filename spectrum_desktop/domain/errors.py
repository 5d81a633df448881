"""The root of the app's typed errors, and the one error the storage layer raises. Data only, no prose:
the window (ui/errors.py) and the command line (cli/errors.py) turn them into words, each in one place."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class SpectrumDesktopError(Exception):
    """Base of every error the app raises on purpose (services.errors.ServiceError derives from it)."""


class LocalDataProblem(StrEnum):
    DAMAGED = "damaged"
    """The database file is not a database (random bytes, truncated, zero bytes); it was moved aside."""
    READ_ONLY = "read_only"
    FULL = "full"
    UNAVAILABLE = "unavailable"
    """Could not be opened or written for another reason (missing folder, permissions, locked too long)."""


class SettingsProblem(StrEnum):
    """What is wrong with the list of environments (the settings file, or an edit of it)."""
    NOT_TEXT = "not_text"
    NOT_JSON = "not_json"
    NOT_SETTINGS = "not_settings"
    """Not an object with a list of environments."""
    UNKNOWN_SETTING = "unknown_setting"
    ENTRY_NOT_SETTINGS = "entry_not_settings"
    """An entry of the list is not an object of settings."""
    ENTRY_INVALID = "entry_invalid"
    """An entry's fields were refused (see `problems`)."""
    SAME_ID = "same_id"
    NO_ACTIVE = "no_active"
    """Nothing says which environment is active."""
    ACTIVE_MISSING = "active_missing"


class InvalidRateLimit(SpectrumDesktopError, ValueError):
    """A rate budget was asked for fewer than 1 request, or a window of 0 seconds or less."""

    def __init__(self, requests: int, seconds: float) -> None:
        self.requests = requests
        self.seconds = seconds
        super().__init__(requests, seconds)


class LocalDataError(SpectrumDesktopError):
    """Local data (the history database) could not be read or written; nothing was sent."""

    def __init__(self, problem: LocalDataProblem, path: Path, moved_to: Path | None = None,
                 detail: str = "") -> None:
        self.problem = problem
        self.path = path
        self.moved_to = moved_to
        self.detail = detail  # the SQLite error text, for the log only
        super().__init__(problem.value, str(path))


class NotInHistory(SpectrumDesktopError, LookupError):
    """No history row has this id."""

    def __init__(self, submission_id: int) -> None:
        self.submission_id = submission_id
        super().__init__(submission_id)


class BodyUnreadable(SpectrumDesktopError):
    """A stored body cannot be decrypted. `reason`: "no_key" (no keyring key now) or "key_changed"."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class DraftNotFound(SpectrumDesktopError, LookupError):
    """No draft has this id (`draft_id`); the window words it (ui/errors.py)."""

    def __init__(self, draft_id: int) -> None:
        self.draft_id = draft_id
        super().__init__(draft_id)
