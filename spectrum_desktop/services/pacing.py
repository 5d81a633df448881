"""A rate budget of N requests per S seconds for one run (the Spectrum client's rolling-window limiter)."""

from __future__ import annotations

from spectrum_desktop.api import RateLimiter


class RateBudget(RateLimiter):
    """`RateBudget(requests, seconds)`: one window shared by every endpoint, for a run that overrides the
    environment's budget (e.g. `send --rate-limit`). Normal sends use the environment's shared RateLimits."""

    def __init__(self, requests: int, seconds: float) -> None:
        super().__init__(requests, seconds)
