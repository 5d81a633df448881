"""How often and how patiently the client tries again when nothing arrived or the server was busy."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with jitter.

    Attempt n (1-based) that failed waits base_delay * 2**(n-1), capped at max_delay,
    spread by +-jitter (a fraction); a server's Retry-After wins when it is longer.
    No retry starts once max_total_seconds would be exceeded.
    """

    max_attempts: int = 4
    max_total_seconds: float = 60.0
    base_delay: float = 0.5
    max_delay: float = 10.0
    jitter: float = 0.25

    @classmethod
    def none(cls) -> RetryPolicy:
        return cls(max_attempts=1)

    def delay(self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None) -> float:
        backoff = min(self.max_delay, self.base_delay * (2 ** max(0, attempt - 1)))
        spread = backoff * self.jitter
        backoff = max(0.0, backoff + (rng or random).uniform(-spread, spread))
        if retry_after is not None:
            return max(backoff, retry_after)
        return backoff
