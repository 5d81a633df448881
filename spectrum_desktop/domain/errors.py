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
