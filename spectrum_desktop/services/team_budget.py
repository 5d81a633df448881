"""One rate budget for the whole team: every machine sending to an environment draws from the same rows of the
shared history (see PgJournal.budget_take), so together they stay inside Spectrum's limit for the team's token.

TeamRateLimits is an api.RateLimits (the client asks it for a limiter per endpoint); its limiters have the
api.RateLimiter interface: acquire(cancel) -> permit, remaining(), note_rate_limited(seconds).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from spectrum_desktop.api.ratelimit import RateLimits
from spectrum_desktop.store.ratebudget import SlotPermit, take_slot

if TYPE_CHECKING:
    from spectrum_desktop.store.pg_journal import PgJournal


class TeamRateLimiter:
    def __init__(self, journal: PgJournal, scope: str, endpoint: str, max_requests: int, window_seconds: float
                 ) -> None:
        self._journal = journal
        self.scope, self.endpoint = scope, endpoint
        self.max_requests, self.window_seconds = max_requests, window_seconds

    def __repr__(self) -> str:
        return f"TeamRateLimiter({self.scope!r}, {self.endpoint!r}, {self.max_requests}, {self.window_seconds})"

    def acquire(self, cancel: threading.Event | None = None) -> SlotPermit | None:
        """Block until a request may go and take its slot in the team's budget; None if `cancel` was set first."""
        return take_slot(
            lambda: self._journal.budget_take(self.scope, self.endpoint, self.max_requests, self.window_seconds),
            self._journal.budget_answered, cancel)

    def remaining(self) -> int:
        used, blocked = self._journal.budget_used(self.scope, self.endpoint, self.window_seconds)
        return 0 if blocked else max(0, self.max_requests - used)

    def note_rate_limited(self, wait_seconds: float) -> None:
        self._journal.budget_block(self.scope, self.endpoint, wait_seconds)


class TeamRateLimits(RateLimits):
    """One environment's team-wide budget: a TeamRateLimiter per endpoint path."""

    def __init__(self, journal: PgJournal, scope: str, max_requests: int = 100, window_seconds: float = 60.0) -> None:
        super().__init__(max_requests, window_seconds)
        self._journal = journal
        self.scope = scope
        self._team: dict[str, TeamRateLimiter] = {}

    def for_path(self, path: str) -> TeamRateLimiter:  # type: ignore[override]
        with self._lock:
            limiter = self._team.get(path)
            if limiter is None:
                limiter = self._team[path] = TeamRateLimiter(self._journal, self.scope, path, self.max_requests,
                                                             self.window_seconds)
            return limiter
