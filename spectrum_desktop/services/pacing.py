"""Stay inside a rate budget of N requests per S seconds (sliding window), waiting cancellably."""

from __future__ import annotations

import threading
import time
from collections import deque


class RateBudget:
    def __init__(self, requests: int, seconds: float, clock=time.monotonic) -> None:
        self.requests = requests
        self.seconds = seconds
        self._clock = clock
        self._done: deque[float] = deque()

    def wait_turn(self, cancel: threading.Event) -> bool:
        """Block until one more request fits the budget; False if cancelled while waiting."""
        while len(self._done) >= self.requests:
            wait = self._done[0] + self.seconds - self._clock()
            if wait <= 0:
                self._done.popleft()
                continue
            if cancel.wait(wait):
                return False
        return not cancel.is_set()

    def spent(self) -> None:
        """Call when the answer arrived: stamping late keeps the server's window and ours apart safely."""
        self._done.append(self._clock())
