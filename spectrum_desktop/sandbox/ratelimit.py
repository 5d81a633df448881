"""The vendor's rate limit as the sandbox enforces it: N requests per rolling window, per endpoint."""

from __future__ import annotations

import threading
import time
from collections import deque


class SlidingWindow:
    """Counts requests per key in a rolling window; `admit` says whether one more fits."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    def admit(self, key: str) -> tuple[bool, int, float]:
        """Return (admitted, remaining, seconds until a slot frees)."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return False, 0, max(0.0, hits[0] + self.seconds - now)
            hits.append(now)
            reset = hits[0] + self.seconds - now
            return True, self.limit - len(hits), reset
