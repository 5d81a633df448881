"""A rate budget of N requests per S seconds for one run (the Spectrum client's rolling-window limiter)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spectrum_desktop.api import RateLimiter


def RateBudget(requests: int, seconds: float) -> RateLimiter:  # noqa: N802 - kept for callers written as a class
    """One api.RateLimiter window shared by every endpoint, for a run that overrides the environment's budget
    (e.g. `send --rate-limit`). Normal sends use the environment's shared RateLimits from AppContext."""
    from spectrum_desktop.api import RateLimiter

    return RateLimiter(requests, seconds)
