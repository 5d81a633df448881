"""The words every layer uses for what kind of request it is and how a submission ended."""

from __future__ import annotations

from enum import StrEnum


class OrderKind(StrEnum):
    """The three kinds of request the form can build."""

    ACK = "ack"
    ACK_RECIPESET = "ack-recipeset"
    FULL = "full"


class SubmissionState(StrEnum):
    """Where a journaled submission stands."""

    QUEUED = "queued"
    SENDING = "sending"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    FAILED = "failed"
    ALREADY_SUBMITTED = "already_submitted"
    UNKNOWN = "unknown"


class FailureReason(StrEnum):
    """Why a failed submission failed."""

    REJECTED = "rejected"
    SERVER_ERROR = "server_error"
    UNAUTHORIZED = "unauthorized"
    RATE_LIMITED = "rate_limited"
    UNREACHABLE = "unreachable"


NEEDS_ATTENTION = frozenset(
    {SubmissionState.FAILED, SubmissionState.PARTIAL, SubmissionState.UNKNOWN, SubmissionState.QUEUED}
)
DELIVERED = frozenset({SubmissionState.SUCCEEDED, SubmissionState.ALREADY_SUBMITTED})
"""Spectrum has the order: there is nothing more to send."""
