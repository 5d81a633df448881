"""One rate budget per environment for the whole machine, kept in the journal's database.

Every process that sends to an environment (windows, command-line runs, bulk) draws from the same rows of
`rate_events`: a slot is taken in a short BEGIN IMMEDIATE transaction when a request is about to leave and
counts until `window` seconds after its answer came (the server counts arrivals, which happen in between).
Each process announces its limit in `rate_limits`; a slot is taken only when every limit announced for the
environment has room, so a run with a tighter `--rate-limit` holds everyone to it. A refusal (403) seen by
one process writes `rate_blocks`, and every process waits it out. The objects offer
the same acquire/release/note_rate_limited interface as api.RateLimiter, so the client takes either.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

from spectrum_desktop.domain.errors import InvalidRateLimit
from spectrum_desktop.store.database import Database

IN_FLIGHT_SECONDS = 120.0
"""How long a slot still in flight counts at most (a process that died mid-request frees it after this)."""
POLL_SECONDS = 0.02
KEEP_SECONDS = 3600.0
"""Answered slots older than this are deleted (longer than any window worth having)."""


class SlotPermit:
    """A slot taken in a shared budget; release() records (once) that the request's answer came."""

    def __init__(self, answered: Callable[[int], None], slot: int) -> None:
        self._answered = answered
        self._slot: int | None = slot

    def release(self) -> None:
        slot, self._slot = self._slot, None
        if slot is not None:
            self._answered(slot)

    def __enter__(self) -> SlotPermit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def take_slot(try_take: Callable[[], tuple[int | None, float]], answered: Callable[[int], None],
              cancel: threading.Event | None = None) -> SlotPermit | None:
    """Block until `try_take` gives a slot (it answers (slot, 0) or (None, seconds to wait)); None if `cancel` was
    set first. Shared by the machine's budget (SQLite) and the team's (the shared history)."""
    while True:
        if cancel is not None and cancel.is_set():
            return None
        slot, wait = try_take()
        if slot is not None:
            return SlotPermit(answered, slot)
        pause = min(max(wait, POLL_SECONDS), 0.25)
        if cancel is not None:
            if cancel.wait(pause):
                return None
        else:
            time.sleep(pause)


class SharedRateLimiter:
    """At most `max_requests` per rolling `window_seconds` for one scope (environment) and endpoint, counted
    across every process using the same database file."""

    def __init__(self, budget: SharedRateLimits, endpoint: str) -> None:
        self._budget = budget
        self.endpoint = endpoint
        self.max_requests = budget.max_requests
        self.window_seconds = budget.window_seconds

    def __repr__(self) -> str:
        return f"SharedRateLimiter({self._budget.scope!r}, {self.endpoint!r}, {self.max_requests}, {self.window_seconds})"

    def acquire(self, cancel: threading.Event | None = None) -> SlotPermit | None:
        """Block until a request may go and take its slot; None if `cancel` was set first."""
        return take_slot(self._try, self._release, cancel)

    def _try(self) -> tuple[int | None, float]:
        """One short transaction: announce our limit, then take a slot if every limit announced for this
        scope (the strictest wins, whoever set it) has room. Returns (slot, 0) or (None, seconds to wait)."""
        budget = self._budget
        now = budget.clock()
        scope = (budget.scope, self.endpoint)
        with budget.transaction() as conn:
            conn.execute(
                "INSERT INTO rate_limits (scope, endpoint, max_requests, window_seconds, seen_until)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, endpoint, max_requests, window_seconds)"
                " DO UPDATE SET seen_until = excluded.seen_until",
                (*scope, self.max_requests, self.window_seconds, now + self.window_seconds + IN_FLIGHT_SECONDS))
            conn.execute("DELETE FROM rate_limits WHERE scope = ? AND endpoint = ? AND seen_until < ?", (*scope, now))
            conn.execute("DELETE FROM rate_events WHERE scope = ? AND endpoint = ? AND"
                         " coalesce(answered, started + ?) < ?", (*scope, IN_FLIGHT_SECONDS, now - KEEP_SECONDS))
            block = conn.execute("SELECT until FROM rate_blocks WHERE scope = ? AND endpoint = ?", scope).fetchone()
            if block is not None and block[0] > now:
                return None, block[0] - now
            wait = 0.0
            for limit, window in conn.execute(
                    "SELECT max_requests, window_seconds FROM rate_limits WHERE scope = ? AND endpoint = ?",
                    scope).fetchall():
                # A slot counts from when it was taken until `window` after its answer (in flight: for a while).
                count, earliest = conn.execute(
                    "SELECT COUNT(*), MIN(answered) FROM rate_events WHERE scope = ? AND endpoint = ?"
                    " AND coalesce(answered, started + ?) + ? > ?",
                    (*scope, IN_FLIGHT_SECONDS, window, now)).fetchone()
                if count >= limit:
                    wait = max(wait, (earliest + window - now) if earliest is not None else POLL_SECONDS)
            if wait > 0:
                return None, wait
            cursor = conn.execute("INSERT INTO rate_events (scope, endpoint, started, answered) VALUES (?, ?, ?, NULL)",
                                  (*scope, now))
            return int(cursor.lastrowid or 0), 0.0

    def _release(self, rowid: int) -> None:
        budget = self._budget
        with budget.transaction() as conn:
            conn.execute("UPDATE rate_events SET answered = ? WHERE rowid = ?", (budget.clock(), rowid))

    def remaining(self) -> int:
        """Free slots right now across the machine under this limiter's own limit (0 while Spectrum asked
        everyone to wait)."""
        budget = self._budget
        now = budget.clock()
        scope = (budget.scope, self.endpoint)
        conn = budget.connection()
        try:
            block = conn.execute("SELECT until FROM rate_blocks WHERE scope = ? AND endpoint = ?", scope).fetchone()
            if block is not None and block[0] > now:
                return 0
            used = conn.execute(
                "SELECT COUNT(*) FROM rate_events WHERE scope = ? AND endpoint = ?"
                " AND coalesce(answered, started + ?) + ? > ?",
                (*scope, IN_FLIGHT_SECONDS, self.window_seconds, now)).fetchone()[0]
        except sqlite3.Error as error:
            raise budget.database.problem(error) from None
        return max(0, self.max_requests - int(used))

    def note_rate_limited(self, wait_seconds: float) -> None:
        """Spectrum said 'too many': nobody on this machine sends to this endpoint for `wait_seconds`."""
        budget = self._budget
        until = budget.clock() + max(0.0, wait_seconds)
        with budget.transaction() as conn:
            conn.execute(
                "INSERT INTO rate_blocks (scope, endpoint, until) VALUES (?, ?, ?) ON CONFLICT (scope, endpoint)"
                " DO UPDATE SET until = max(until, excluded.until)", (budget.scope, self.endpoint, until))


class SharedRateLimits:
    """One environment's machine-wide budget: a SharedRateLimiter per endpoint path (api.RateLimits' interface)."""

    def __init__(self, database: Database, scope: str, max_requests: int = 100, window_seconds: float = 60.0,
                 clock: Callable[[], float] = time.time) -> None:
        if max_requests < 1 or window_seconds <= 0:
            raise InvalidRateLimit(max_requests, window_seconds)
        self.database = database
        self.scope = scope
        self.max_requests = max_requests
        self.window_seconds = window_seconds
        self.clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._by_path: dict[str, SharedRateLimiter] = {}

    def __repr__(self) -> str:
        return f"SharedRateLimits({self.scope!r}, {self.max_requests}, {self.window_seconds})"

    def for_path(self, path: str) -> SharedRateLimiter:
        with self._lock:
            limiter = self._by_path.get(path)
            if limiter is None:
                limiter = self._by_path[path] = SharedRateLimiter(self, path)
            return limiter

    def connection(self) -> sqlite3.Connection:
        """This thread's connection for the budget (synchronous=OFF: losing a rate event to a power cut is harmless)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self.database.open_connection(synchronous="OFF")
        return conn

    def transaction(self):
        return self.database.transaction_on(self.connection())
