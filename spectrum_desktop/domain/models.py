"""Typed view of the three requests (pydantic v2): snake_case attributes, camelCase on the wire.

Build these from `ValidationResult.body` (already checked and normalised); unknown fields are kept.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from spectrum_desktop.domain.choices import Priority, ProofStatus
from spectrum_desktop.domain.states import OrderKind

__all__ = ["Acknowledgement", "Address", "FullOrder", "LineItem", "Priority", "ProofStatus", "RecipeSet",
           "RecipeSetAcknowledgement", "SkuQuantity", "model_for"]


class _Wire(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def to_wire(self) -> dict:
        """The API's JSON: camelCase names, empty optional fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class SkuQuantity(_Wire):
    sku: str
    quantity: int = Field(gt=0)


class LineItem(_Wire):
    recipe_set_id: str
    sku: str | None = None
    quantity: int | None = Field(default=None, gt=0)
    sku_quantities: list[SkuQuantity] | None = None
    proof_status: ProofStatus | None = None
    gift_message: str | None = None
    shipment_vendor: str | None = None
    shipment_tracking: str | None = None
    estimated_delivery_date: str | None = None
    serial_number: str | None = None


class RecipeSet(_Wire):
    recipe_set_id: str
    sku_quantities: list[SkuQuantity]


class Address(_Wire):
    first_name: str
    last_name: str
    address1: str
    address2: str | None = None
    city: str
    state: str
    province: str | None = None
    postal_code: str
    country: str


class _OrderHeader(_Wire):
    purchase_order_number: str
    order_date: str
    account_number: str | None = None
    organization_id: str | None = None


class Acknowledgement(_OrderHeader):
    """LineItem format acknowledgement."""

    priority: Priority | None = None
    email_address: str | None = None
    phone_number: str | None = None
    serial_number: str | None = None
    proof_status: ProofStatus | None = None
    estimated_delivery_date: str | None = None
    order_reference: str | None = None
    customer_service_contact: str | None = None
    line_items: list[LineItem]


class RecipeSetAcknowledgement(_OrderHeader):
    """Deprecated RecipeSet format acknowledgement."""

    recipe_sets: list[RecipeSet]


class FullOrder(Acknowledgement):
    customer_address: Address
    shipping_address: Address


_MODELS: dict[OrderKind, type[_Wire]] = {
    OrderKind.ACK: Acknowledgement,
    OrderKind.ACK_RECIPESET: RecipeSetAcknowledgement,
    OrderKind.FULL: FullOrder,
}


def model_for(kind: OrderKind) -> type[_Wire]:
    return _MODELS[OrderKind(kind)]
