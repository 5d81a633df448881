"""Validate a raw order dict (as imported or typed) and build the exact JSON body the API takes.

The checking is pydantic validation by the order schema (`domain/schema.py`); this module holds what callers
get back (problems, conversions, the body) and imports pydantic only when the first order is validated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from spectrum_desktop.domain.fields import label_for
from spectrum_desktop.domain.states import OrderKind


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an order: where (form label and JSON path), what, and how bad."""

    label: str
    path: str
    message: str
    severity: Severity

    def __str__(self) -> str:
        where = f"{self.label} ({self.path})" if self.path and self.path != self.label else self.label
        return f"{self.severity}: {where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Conversion:
    """A value the validator rewrote (a non-ISO date), so the GUI can show what will be sent."""

    label: str
    path: str
    original: str
    converted: str


@dataclass(slots=True)
class ValidationResult:
    kind: OrderKind
    problems: list[Problem] = field(default_factory=list)
    conversions: list[Conversion] = field(default_factory=list)
    body: dict | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)


def infer_kind(raw: object) -> OrderKind:
    """recipeSets means the deprecated format, an address means a full order, otherwise LineItem format."""
    if isinstance(raw, dict):
        if "recipeSets" in raw and "lineItems" not in raw:
            return OrderKind.ACK_RECIPESET
        if "customerAddress" in raw or "shippingAddress" in raw:
            return OrderKind.FULL
    return OrderKind.ACK


def validate_order(raw: object, kind: OrderKind | None = None) -> ValidationResult:
    """Check one raw order for a request kind (inferred when None); never raises for bad input.

    When nothing needed rewriting, `body` is `raw` itself (not a copy)."""
    kind = infer_kind(raw) if kind is None else OrderKind(kind)
    if not isinstance(raw, dict):
        from spectrum_desktop.domain.schema import describe

        message = f"an order must be a JSON object, not {describe(raw)}"
        return ValidationResult(kind, [Problem(label_for(""), "", message, Severity.ERROR)])
    from spectrum_desktop.domain.schema import validate  # pydantic: off the start-up path until first needed

    body, problems, conversions = validate(raw, kind)
    result = ValidationResult(kind, problems, conversions)
    if result.ok:
        result.body = body
    return result


def warm_up() -> None:
    """Import pydantic and build every kind's validator now (about 0.1-0.2 s), so the first validation the
    person waits for is fast: meant for a worker thread right after the window shows."""
    from spectrum_desktop.domain.schema import warm_up as build

    build()


def validate_many(raws: Iterable[object], kind: OrderKind | None = None) -> list[ValidationResult]:
    """Validate many orders; purchase order numbers repeated within the batch are reported."""
    results = []
    seen: set[str] = set()
    for raw in raws:
        result = validate_order(raw, kind)
        number = raw.get("purchaseOrderNumber") if isinstance(raw, dict) else None
        if isinstance(number, str) and number.strip():
            if number.strip() in seen:
                result.problems.append(
                    Problem(label_for("purchaseOrderNumber"), "purchaseOrderNumber",
                            f"{number.strip()!r} appears more than once in this batch; each order needs its own number",
                            Severity.ERROR)
                )
                result.body = None
            seen.add(number.strip())
        results.append(result)
    return results
