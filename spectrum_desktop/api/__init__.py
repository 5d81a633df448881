"""The Spectrum REST client: typed outcomes, rate limiting and retries. No Qt."""

from spectrum_desktop.api.client import SpectrumClient, default_user_agent
from spectrum_desktop.api.outcomes import (
    Accepted,
    AlreadySubmitted,
    Cancelled,
    Found,
    LookupOutcome,
    ManyOutcome,
    NotFound,
    Outcome,
    OutcomeUnknown,
    PartiallyAccepted,
    RateLimited,
    Rejected,
    ServerError,
    Unauthorized,
    Unreachable,
    Unrecognised,
)
from spectrum_desktop.api.ratelimit import Permit, RateLimiter, RateLimitRegistry, RateLimits
from spectrum_desktop.api.retry import RetryPolicy
from spectrum_desktop.api.urls import InsecureBaseUrl, InvalidBaseUrl, InvalidToken, check_base_url, join_url

__all__ = [
    "Accepted", "AlreadySubmitted", "Cancelled", "Found", "InsecureBaseUrl", "InvalidBaseUrl", "InvalidToken",
    "LookupOutcome",
    "ManyOutcome", "NotFound", "Outcome", "OutcomeUnknown", "PartiallyAccepted", "Permit", "RateLimitRegistry",
    "RateLimited", "RateLimiter", "RateLimits", "Rejected", "RetryPolicy", "ServerError", "SpectrumClient",
    "Unauthorized", "Unreachable", "Unrecognised", "check_base_url", "default_user_agent", "join_url",
]
