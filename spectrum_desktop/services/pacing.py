"""A rate budget of N requests per S seconds for one run (the Spectrum client's rolling-window limiter)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spectrum_desktop.api import RateLimiter


def RateBudget(requests: int, seconds: float) -> RateLimiter:  # noqa: N802 - kept for callers written as a class
    """One in-process api.RateLimiter window shared by every endpoint (tests and benchmarks that want a budget of
    their own). Sends use the environment's machine-wide budget from AppContext (store/ratebudget.py), and
    `send --rate-limit` a tighter one over the same rows (AppContext.budget)."""
    from spectrum_desktop.api import RateLimiter

    return RateLimiter(requests, seconds)
