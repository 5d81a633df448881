"""What the form, the tables, the CSV columns and the messages ask of the order schema.

Callers (editor, line-items table, address panels, CSV importer and template, history) read fields only
through these functions: which fields a request kind has, in what order, which are required, their labels,
help, kind of input and CSV column.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from spectrum_desktop.domain.states import OrderKind


class Input(StrEnum):
    """The kind of control a field needs."""

    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    EMAIL = "email"
    PHONE = "phone"
    COUNTRY = "country"
    QUANTITY = "quantity"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class FieldInfo:
    key: str
    """The API's (camelCase) name."""
    label: str
    help: str
    input: Input
    required: bool
    """Required for the kind it was asked for."""
    essential: bool
    """Shown by default (the rest waits behind "More fields" or the Columns menu)."""
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    csv_column: str | None = None


# --- the tables below are replaced by the pydantic schema (issue 12); the functions' contract stays ---
_H = [
    # key, label, help, input, essential
    ("purchaseOrderNumber", "Purchase order number", "The order's number in your shop.", Input.TEXT, True),
    ("orderDate", "Order date", "When the customer bought it.", Input.DATE, True),
    ("accountNumber", "Account number", "", Input.TEXT, False),
    ("organizationId", "Organization ID", "", Input.TEXT, False),
    ("emailAddress", "E-mail address", "", Input.EMAIL, False),
    ("phoneNumber", "Phone number", "", Input.PHONE, False),
    ("priority", "Priority", "", Input.CHOICE, False),
    ("proofStatus", "Proof status", "", Input.CHOICE, False),
    ("serialNumber", "Serial number", "", Input.TEXT, False),
    ("orderReference", "Order reference", "", Input.TEXT, False),
    ("customerServiceContact", "Customer service contact", "", Input.TEXT, False),
    ("estimatedDeliveryDate", "Estimated delivery date", "", Input.DATE, False),
]
_RECIPESET_HEADER = ("purchaseOrderNumber", "orderDate", "accountNumber", "organizationId")
_L = [
    ("recipeSetId", "Recipe set ID", "", Input.TEXT, True),
    ("sku", "SKU", "", Input.TEXT, True),
    ("quantity", "Quantity", "", Input.QUANTITY, True),
    ("proofStatus", "Proof status", "", Input.CHOICE, False),
    ("giftMessage", "Gift message", "", Input.TEXT, False),
    ("shipmentVendor", "Shipment vendor", "", Input.TEXT, False),
    ("shipmentTracking", "Shipment tracking", "", Input.TEXT, False),
    ("estimatedDeliveryDate", "Estimated delivery date", "", Input.DATE, False),
    ("serialNumber", "Serial number", "", Input.TEXT, False),
    ("skuQuantities", "SKU quantities", "", Input.LIST, False),
]
_A = [
    ("firstName", "First name", "", Input.TEXT, True),
    ("lastName", "Last name", "", Input.TEXT, True),
    ("address1", "Address line 1", "", Input.TEXT, True),
    ("address2", "Address line 2", "", Input.TEXT, False),
    ("city", "City", "", Input.TEXT, True),
    ("state", "State", "", Input.TEXT, True),
    ("province", "Province", "", Input.TEXT, False),
    ("postalCode", "Postal code", "", Input.TEXT, True),
    ("country", "Country", "", Input.COUNTRY, True),
]
_CHOICES = {"priority": ("lower", "normal", "higher"), "proofStatus": ("Requested", "Fulfilled")}


def _info(row: tuple, required: bool, csv_prefix: str = "") -> FieldInfo:
    key, label, help_text, kind, essential = row
    return FieldInfo(key, label, help_text, kind, required, essential, _CHOICES.get(key, ()),
                     csv_column=csv_prefix + key)


def order_fields(kind: OrderKind) -> list[FieldInfo]:
    """The order's own (header) fields for a request kind, in form order."""
    rows = [r for r in _H if kind is not OrderKind.ACK_RECIPESET or r[0] in _RECIPESET_HEADER]
    return [_info(r, r[0] in ("purchaseOrderNumber", "orderDate")) for r in rows]


def line_item_fields(kind: OrderKind) -> list[FieldInfo]:
    """A line item's (or, in the RecipeSet format, a recipe set's) fields, in column order."""
    if kind is OrderKind.ACK_RECIPESET:
        return [_info(r, True, "lineItems.") for r in _L if r[0] in ("recipeSetId", "skuQuantities")]
    return [_info(r, r[0] == "recipeSetId", "lineItems.") for r in _L]


def sku_quantity_fields() -> list[FieldInfo]:
    return [_info(r, True, "lineItems.skuQuantities.") for r in _L if r[0] in ("sku", "quantity")]


def address_fields() -> list[FieldInfo]:
    """The fields of a customer or shipping address (full orders)."""
    return [_info(r, r[4]) for r in _A]
