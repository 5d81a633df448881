"""The fixed choices an order offers: priority and proof status, as the API spells them."""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    LOWER = "lower"
    NORMAL = "normal"
    HIGHER = "higher"


class ProofStatus(StrEnum):
    REQUESTED = "Requested"
    FULFILLED = "Fulfilled"
