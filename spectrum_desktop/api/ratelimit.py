"""Client-side rate limiting: never more than the budget per rolling window, even from many threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Permit:
    """One request's place in the window. release() when its answer is in (idempotent)."""

    def __init__(self, limiter: RateLimiter, slot: list[float]) -> None:
        self._limiter = limiter
        self._slot = slot

    def release(self) -> None:
        self._limiter._release(self._slot)

    def __enter__(self) -> Permit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class RateLimiter:
    """At most `max_requests` per rolling `window_seconds`.

    A slot counts from the moment it is acquired until `window_seconds` after its
    answer arrived (release): the server counts arrivals, which happen between
    those two moments, so its window can never hold more than ours.
    """

    def __init__(self, max_requests: int = 100, window_seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if max_requests < 1 or window_seconds <= 0:
            raise ValueError("A rate limit needs at least 1 request per a positive number of seconds.")
        self.max_requests = max_requests
        self.window_seconds = window_seconds
        self._clock = clock
        self._changed = threading.Condition()
        self._slots: list[list[float]] = []  # [end]; end == inf while the request is in flight
        self._blocked_until = 0.0

    def __repr__(self) -> str:
        return f"RateLimiter({self.max_requests}, {self.window_seconds})"

    def _prune(self, now: float) -> None:
        self._slots = [s for s in self._slots if s[0] + self.window_seconds > now]

    def _wait_needed(self, now: float) -> float:
        """Seconds until one more request may go; 0 when it may go now; inf while all slots are in flight."""
        self._prune(now)
        wait = max(0.0, self._blocked_until - now)
        if len(self._slots) >= self.max_requests:
            earliest = min(s[0] for s in self._slots)
            wait = max(wait, earliest + self.window_seconds - now)
        return wait

    def acquire(self, cancel: threading.Event | None = None) -> Permit | None:
        """Block until a request may go and take its slot; None if `cancel` was set first."""
        with self._changed:
            while True:
                if cancel is not None and cancel.is_set():
                    return None
                wait = self._wait_needed(self._clock())
                if wait <= 0:
                    slot = [float("inf")]
                    self._slots.append(slot)
                    return Permit(self, slot)
                # Wake at least every 0.1 s to notice cancel (an Event cannot notify a Condition).
                self._changed.wait(min(wait, 0.1) if cancel is not None else min(wait, 1.0))

    def _release(self, slot: list[float]) -> None:
        with self._changed:
            if slot[0] == float("inf"):
                slot[0] = self._clock()
                self._changed.notify_all()

    def remaining(self) -> int:
        """Free slots right now (0 while the server asked us to wait)."""
        with self._changed:
            now = self._clock()
            self._prune(now)
            if self._blocked_until > now:
                return 0
            return max(0, self.max_requests - len(self._slots))

    def note_rate_limited(self, wait_seconds: float) -> None:
        """The server said 'too many': nobody sends through this limiter for `wait_seconds`."""
        with self._changed:
            self._blocked_until = max(self._blocked_until, self._clock() + max(0.0, wait_seconds))
            self._changed.notify_all()


class RateLimits:
    """One environment's budget: a separate RateLimiter per endpoint path, created on first use."""

    def __init__(self, max_requests: int = 100, window_seconds: float = 60.0) -> None:
        self.max_requests = max_requests
        self.window_seconds = window_seconds
        self._lock = threading.Lock()
        self._by_path: dict[str, RateLimiter] = {}

    def __repr__(self) -> str:
        return f"RateLimits({self.max_requests}, {self.window_seconds})"

    def for_path(self, path: str) -> RateLimiter:
        with self._lock:
            limiter = self._by_path.get(path)
            if limiter is None:
                limiter = self._by_path[path] = RateLimiter(self.max_requests, self.window_seconds)
            return limiter


class RateLimitRegistry:
    """Holds each environment's RateLimits so every sender to one environment shares one budget."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_environment: dict[str, RateLimits] = {}

    def get(self, environment_id: str, max_requests: int = 100, window_seconds: float = 60.0) -> RateLimits:
        with self._lock:
            limits = self._by_environment.get(environment_id)
            if limits is None or (limits.max_requests, limits.window_seconds) != (max_requests, window_seconds):
                limits = self._by_environment[environment_id] = RateLimits(max_requests, window_seconds)
            return limits
