"""Validate a raw order dict (as imported or typed) and build the exact JSON body the API takes.

Hand-written checks over plain dicts: the editor revalidates a 1,000-line order on every keystroke
and bulk import checks thousands of orders, so this path avoids building model objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from spectrum_desktop.domain.countries import is_country_code
from spectrum_desktop.domain.dates import DATE_HELP, normalise_date
from spectrum_desktop.domain.labels import label_for
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
        where = f"{self.label} ({self.path})" if self.path else self.label
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


PRIORITIES = {"lower": "lower", "normal": "normal", "higher": "higher", "1": "lower", "2": "normal", "3": "higher"}
PROOF_STATUSES = {"requested": "Requested", "fulfilled": "Fulfilled", "1": "Requested", "2": "Fulfilled"}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE = re.compile(r"^[0-9 +\-().]+$")

# kind of each known field: "text", "date", "priority", "proof", "email", "phone", "country"
_ORDER_FIELDS = {
    "purchaseOrderNumber": "text",
    "orderDate": "date",
    "accountNumber": "text",
    "organizationId": "text",
    "priority": "priority",
    "emailAddress": "email",
    "phoneNumber": "phone",
    "serialNumber": "text",
    "proofStatus": "proof",
    "estimatedDeliveryDate": "date",
    "orderReference": "text",
    "customerServiceContact": "text",
}
_RECIPESET_ORDER_FIELDS = {k: _ORDER_FIELDS[k] for k in ("purchaseOrderNumber", "orderDate", "accountNumber", "organizationId")}
_LINE_FIELDS = {
    "recipeSetId": "text",
    "sku": "text",
    "proofStatus": "proof",
    "giftMessage": "text",
    "shipmentVendor": "text",
    "shipmentTracking": "text",
    "estimatedDeliveryDate": "date",
    "serialNumber": "text",
}
_ADDRESS_FIELDS = {
    "firstName": "text",
    "lastName": "text",
    "address1": "text",
    "address2": "text",
    "city": "text",
    "state": "text",
    "province": "text",
    "postalCode": "text",
    "country": "country",
}
ADDRESS_REQUIRED = ("firstName", "lastName", "address1", "city", "state", "postalCode", "country")
ORDER_REQUIRED = ("purchaseOrderNumber", "orderDate")
_STRUCTURE = {"lineItems", "recipeSets", "customerAddress", "shippingAddress", "skuQuantities", "quantity"}


def infer_kind(raw: object) -> OrderKind:
    """recipeSets means the deprecated format, an address means a full order, otherwise LineItem format."""
    if isinstance(raw, dict):
        if "recipeSets" in raw and "lineItems" not in raw:
            return OrderKind.ACK_RECIPESET
        if "customerAddress" in raw or "shippingAddress" in raw:
            return OrderKind.FULL
    return OrderKind.ACK


def _join(base: str, name: str) -> str:
    return f"{base}.{name}" if base else name


class _Checker:
    __slots__ = ("problems", "conversions", "reported")

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.conversions: list[Conversion] = []
        self.reported: set[str] = set()

    def error(self, path: str, message: str) -> None:
        self.reported.add(path)
        self.problems.append(Problem(label_for(path), path, message, Severity.ERROR))

    def warn(self, path: str, message: str) -> None:
        self.problems.append(Problem(label_for(path), path, message, Severity.WARNING))

    def text(self, value: object, path: str) -> str | None:
        """Trimmed text for a string field; numbers are accepted and written as text."""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.error(path, f"must be text, not {_describe(value)}")
        return None

    def value(self, kind: str, value: object, path: str) -> object:
        """The wire value of a known scalar field, or None when it is empty or wrong (wrong is reported)."""
        if value is None:
            return None
        if kind == "priority" or kind == "proof":
            table = PRIORITIES if kind == "priority" else PROOF_STATUSES
            key = str(value).strip().lower() if isinstance(value, str | int) and not isinstance(value, bool) else None
            if key == "":
                return None
            if key not in table:
                allowed = "lower, normal or higher (or 1, 2, 3)" if kind == "priority" else "Requested or Fulfilled (or 1, 2)"
                self.error(path, f"{_describe(value)} is not allowed; use {allowed}")
                return None
            return table[key]
        text = self.text(value, path)
        if not text:
            return None
        if kind == "date":
            if not isinstance(value, str):
                self.error(path, f"must be a date; use {DATE_HELP}")
                return None
            try:
                iso, converted = normalise_date(value)
            except ValueError:
                self.error(path, f"{value!r} is not a date; use {DATE_HELP}")
                return None
            if converted and iso != value.strip():
                self.conversions.append(Conversion(label_for(path), path, value, iso))
            return iso
        if kind == "email" and not _EMAIL.match(text):
            self.error(path, f"{text!r} is not an e-mail address; use the form name@example.com")
            return None
        if kind == "phone" and not _PHONE.match(text):
            self.error(path, f"{text!r} is not allowed; a phone number may hold only digits, spaces and + - ( ) .")
            return None
        if kind == "country":
            if not is_country_code(text):
                hint = f" (did you mean {text.upper()}?)" if is_country_code(text.upper()) else ""
                self.error(path, f"{text!r} is not a country code; use the two-letter ISO 3166 code such as US or DE{hint}")
                return None
        return text

    def quantity(self, value: object, path: str) -> int | None:
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
            number = int(value.strip())
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            number = None
        if number is None or number <= 0:
            shown = "empty" if value is None or value == "" else _describe(value)
            self.error(path, f"{shown} is not allowed; a quantity must be a whole number of 1 or more")
            return None
        return number

    def fields(self, raw: dict, known: dict[str, str], base: str, out: dict, structured: frozenset | set = frozenset()) -> None:
        """Copy known scalar fields (converted) and unknown fields (unchanged, with a warning) into `out`."""
        for name, value in raw.items():
            kind = known.get(name)
            if kind is not None:
                wire = self.value(kind, value, _join(base, name))
                if wire is not None:
                    out[name] = wire
            elif name not in structured:
                self.warn(_join(base, name), f"unknown field {name!r} will be sent unchanged; check its spelling")
                out[name] = value

    def require(self, out: dict, raw: dict, names: Iterable[str], base: str) -> None:
        for name in names:
            if name not in out and not self._already_reported(_join(base, name)):
                self.error(_join(base, name), "is required and must not be blank")

    def _already_reported(self, path: str) -> bool:
        return path in self.reported

    def sku_quantities(self, value: object, path: str) -> list | None:
        if not isinstance(value, list):
            self.error(path, f"must be a list of SKU and quantity pairs, not {_describe(value)}")
            return None
        result = []
        for index, entry in enumerate(value):
            entry_path = f"{path}[{index}]"
            if not isinstance(entry, dict):
                self.error(entry_path, f"must be an object with sku and quantity, not {_describe(entry)}")
                continue
            out: dict = {}
            self.fields(entry, {"sku": "text"}, entry_path, out, {"quantity"})
            if "quantity" in entry:
                number = self.quantity(entry["quantity"], f"{entry_path}.quantity")
                if number is not None:
                    out["quantity"] = number
            else:
                self.error(f"{entry_path}.quantity", "is required; a quantity must be a whole number of 1 or more")
            self.require(out, entry, ("sku",), entry_path)
            result.append(_in_order(out, entry))
        return result

    def line_item(self, raw: object, path: str, recipeset_format: bool) -> dict | None:
        if not isinstance(raw, dict):
            self.error(path, f"must be an object, not {_describe(raw)}")
            return None
        out: dict = {}
        known = {"recipeSetId": "text"} if recipeset_format else _LINE_FIELDS
        self.fields(raw, known, path, out, {"quantity", "skuQuantities"} if not recipeset_format else {"skuQuantities"})
        self.require(out, raw, ("recipeSetId",), path)
        has_pairs = False
        if "skuQuantities" in raw and raw["skuQuantities"] is not None:
            pairs = self.sku_quantities(raw["skuQuantities"], f"{path}.skuQuantities")
            if pairs:
                out["skuQuantities"] = pairs
                has_pairs = True
            elif pairs is not None and recipeset_format:
                self.error(f"{path}.skuQuantities", "must hold at least one SKU and quantity")
        elif recipeset_format:
            self.error(f"{path}.skuQuantities", "is required and must hold at least one SKU and quantity")
        if recipeset_format:
            return _in_order(out, raw)
        quantity_given = raw.get("quantity") not in (None, "")
        if quantity_given:
            number = self.quantity(raw["quantity"], f"{path}.quantity")
            if number is not None:
                out["quantity"] = number
        if "sku" in out and not quantity_given:
            self.error(f"{path}.quantity", "is required when a SKU is given; a quantity must be a whole number of 1 or more")
        elif quantity_given and "sku" not in out and not self._already_reported(f"{path}.sku"):
            self.error(f"{path}.sku", "is required when a quantity is given")
        elif "sku" not in out and not quantity_given and not has_pairs and "skuQuantities" not in raw:
            self.error(f"{path}.sku", "a line item needs a SKU and quantity, or a non-empty list of SKU quantities, or both")
        elif "sku" not in out and not has_pairs and not self._already_reported(f"{path}.sku"):
            self.error(f"{path}.skuQuantities", "must hold at least one SKU and quantity, or give a SKU and quantity")
        return _in_order(out, raw)

    def items(self, raw: dict, name: str, out: dict, recipeset_format: bool) -> None:
        value = raw.get(name)
        if not isinstance(value, list) or not value:
            shown = "missing" if value is None else ("empty" if value == [] else _describe(value))
            self.error(name, f"is {shown}; an order needs a list of at least one {label_for(name + '[0]')[:-2].lower()}")
            return
        result = []
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            path = f"{name}[{index}]"
            built = self.line_item(item, path, recipeset_format)
            if built is None:
                continue
            recipe = built.get("recipeSetId")
            if recipe is not None:
                if recipe in seen:
                    self.error(f"{path}.recipeSetId", f"{recipe!r} is already used by {label_for(f'{name}[{seen[recipe]}]')}; recipe set IDs must be unique within an order")
                else:
                    seen[recipe] = index
            result.append(built)
        out[name] = result

    def address(self, raw: dict, name: str, out: dict) -> None:
        value = raw.get(name)
        if not isinstance(value, dict):
            self.error(name, "is required for a full order" if value is None else f"must be an object, not {_describe(value)}")
            return
        built: dict = {}
        self.fields(value, _ADDRESS_FIELDS, name, built)
        self.require(built, value, ADDRESS_REQUIRED, name)
        out[name] = _in_order(built, value)


def _in_order(out: dict, raw: dict) -> dict:
    """The wire body keeps the user's field order."""
    return {name: out[name] for name in raw if name in out}


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def validate_order(raw: object, kind: OrderKind | None = None) -> ValidationResult:
    """Check one raw order for a request kind (inferred when None); never raises for bad input."""
    kind = infer_kind(raw) if kind is None else OrderKind(kind)
    checker = _Checker()
    if not isinstance(raw, dict):
        checker.error("", f"an order must be a JSON object, not {_describe(raw)}")
        return ValidationResult(kind, checker.problems)
    out: dict = {}
    if kind is OrderKind.ACK_RECIPESET:
        checker.fields(raw, _RECIPESET_ORDER_FIELDS, "", out, {"recipeSets"})
        checker.require(out, raw, ORDER_REQUIRED, "")
        checker.items(raw, "recipeSets", out, recipeset_format=True)
    else:
        structured = {"lineItems", "customerAddress", "shippingAddress"} if kind is OrderKind.FULL else {"lineItems"}
        checker.fields(raw, _ORDER_FIELDS, "", out, structured)
        checker.require(out, raw, ORDER_REQUIRED, "")
        checker.items(raw, "lineItems", out, recipeset_format=False)
        if kind is OrderKind.FULL:
            checker.address(raw, "customerAddress", out)
            checker.address(raw, "shippingAddress", out)
    body = _in_order(out, raw)
    result = ValidationResult(kind, checker.problems, checker.conversions)
    if result.ok:
        result.body = body
    return result


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
