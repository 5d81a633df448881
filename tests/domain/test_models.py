from __future__ import annotations

import pytest
from pydantic import ValidationError

from spectrum_desktop.domain.schema import Acknowledgement, LineItem, Priority, ProofStatus, model_for
from spectrum_desktop.domain.states import OrderKind
from spectrum_desktop.domain.validation import validate_order


def test_typed_view_uses_snake_case_and_writes_camel_case():
    raw = {"purchaseOrderNumber": "1", "orderDate": "2022-01-01", "priority": 2, "extraThing": "kept",
           "lineItems": [{"recipeSetId": "R", "sku": "S", "quantity": "3", "proofStatus": "requested"}]}
    body = validate_order(raw).body
    order = model_for(OrderKind.ACK).model_validate(body)
    assert isinstance(order, Acknowledgement)
    assert order.purchase_order_number == "1" and order.priority is Priority.NORMAL
    assert order.line_items[0].recipe_set_id == "R" and order.line_items[0].proof_status is ProofStatus.REQUESTED
    assert order.to_wire() == {"purchaseOrderNumber": "1", "orderDate": "2022-01-01", "priority": "normal",
                               "lineItems": [{"recipeSetId": "R", "sku": "S", "quantity": 3, "proofStatus": "Requested"}],
                               "extraThing": "kept"}


def test_model_rejects_non_positive_quantity():
    with pytest.raises(ValidationError):
        LineItem(recipe_set_id="R", sku="S", quantity=0)
