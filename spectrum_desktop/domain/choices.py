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


# Other spellings the API also takes (any case, or the numeric codes), and the word each one means.
PRIORITY_SPELLINGS = {"lower": "lower", "normal": "normal", "higher": "higher",
                      "1": "lower", "2": "normal", "3": "higher"}
PROOF_STATUS_SPELLINGS = {"requested": "Requested", "fulfilled": "Fulfilled", "1": "Requested", "2": "Fulfilled"}
SPELLINGS = {Priority: PRIORITY_SPELLINGS, ProofStatus: PROOF_STATUS_SPELLINGS}
