"""The form label for each JSON path, so every problem names the field the way the form shows it."""

from __future__ import annotations

import re

_FIELD_LABELS = {
    "purchaseOrderNumber": "Purchase order number",
    "orderDate": "Order date",
    "accountNumber": "Account number",
    "organizationId": "Organization ID",
    "priority": "Priority",
    "emailAddress": "E-mail address",
    "phoneNumber": "Phone number",
    "serialNumber": "Serial number",
    "proofStatus": "Proof status",
    "estimatedDeliveryDate": "Estimated delivery date",
    "orderReference": "Order reference",
    "customerServiceContact": "Customer service contact",
    "lineItems": "Line items",
    "recipeSets": "Recipe sets",
    "recipeSetId": "Recipe set ID",
    "sku": "SKU",
    "quantity": "Quantity",
    "skuQuantities": "SKU quantities",
    "giftMessage": "Gift message",
    "shipmentVendor": "Shipment vendor",
    "shipmentTracking": "Shipment tracking",
    "customerAddress": "Customer address",
    "shippingAddress": "Shipping address",
    "firstName": "First name",
    "lastName": "Last name",
    "address1": "Address line 1",
    "address2": "Address line 2",
    "city": "City",
    "state": "State",
    "province": "Province",
    "postalCode": "Postal code",
    "country": "Country",
}

_ITEM_LABELS = {"lineItems": "Line item", "recipeSets": "Recipe set", "skuQuantities": "SKU quantity"}

_PART = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


def label_for(path: str) -> str:
    """`lineItems[2].skuQuantities[0].quantity` -> `Line item 3 › SKU quantity 1 › Quantity`."""
    if not path:
        return "Order"
    parts = []
    for name, index in _PART.findall(path):
        if index:
            parts.append(f"{_ITEM_LABELS.get(name, name)} {int(index) + 1}")
        else:
            parts.append(_FIELD_LABELS.get(name, name))
    return " › ".join(parts)
