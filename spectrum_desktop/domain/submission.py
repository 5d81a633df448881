"""Plain records of journaled submissions, as the store returns them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from spectrum_desktop.domain.states import FailureReason, OrderKind, SubmissionState


@dataclass(frozen=True)
class RecipeSetResult:
    """What Spectrum said about one recipeSet of a submission."""

    recipe_set_id: str
    success: bool
    message: str = ""
    purchase_order: str = ""
    sku: str = ""


@dataclass(frozen=True)
class AttemptRecord:
    """One time a submission left (or tried to leave) the machine."""

    number: int
    started_at: datetime
    finished_at: datetime | None
    state: SubmissionState
    http_status: int | None
    message: str
    requests: int = 1
    """HTTP requests this attempt made (the client's retries included)."""


@dataclass(frozen=True)
class SubmissionRecord:
    """One row of the journal: what was sent where, and how it stands."""

    id: int
    environment_id: str
    base_url: str
    kind: OrderKind
    endpoint: str
    purchase_orders: tuple[str, ...]
    recipe_set_ids: tuple[str, ...]
    skus: tuple[str, ...]
    state: SubmissionState
    reason: FailureReason | None
    http_status: int | None
    message: str
    attempts: int
    created_at: datetime
    updated_at: datetime
    original_id: int | None = None
    owner: str | None = None
    """The sender holding this row (a claim), or None."""
    results: tuple[RecipeSetResult, ...] = field(default=())
    sender: str = ""
    """Who sent it: a login or display name (the shared history records it; a local history is one person's)."""
    accepted_earlier: tuple[str, ...] = ()
    """Not stored: for a resend Spectrum refused, the recipeSetIds of its purchase order that the rows it resends
    had accepted (filled by the services when they hand a row out), so the row can say where the order as a whole
    stands (domain.words.standing)."""
