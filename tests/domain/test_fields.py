"""domain/fields.py: answers derived from the pydantic schema, and read at start-up without importing pydantic."""

from __future__ import annotations

import json
import subprocess
import sys

from spectrum_desktop.domain import fields
from spectrum_desktop.domain.states import OrderKind

PROBE = r"""
import json, sys
from spectrum_desktop.domain import fields, importing, validation
from spectrum_desktop.domain.states import OrderKind
answers = {kind.value: [[f.key, f.label, f.required, f.input]
                        for f in fields.order_fields(kind) + fields.line_item_fields(kind)]
           for kind in OrderKind}
answers["csv"] = fields.csv_columns()
answers["label"] = fields.label_for("lineItems[2].skuQuantities[0].quantity")
print(json.dumps({"pydantic": "pydantic" in sys.modules, "answers": answers}))
"""


def _probe() -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_field_answers_come_without_pydantic_once_derived_and_match_the_models():
    _probe()  # derives and caches the answers if this checkout has not yet
    probe = _probe()
    assert probe["pydantic"] is False
    live = fields.derive()  # straight from the models
    for kind in OrderKind:
        rows = live["kinds"][kind.value]["order"] + live["kinds"][kind.value]["items"]
        assert probe["answers"][kind.value] == [[r["key"], r["label"], r["required"], r["input"]] for r in rows]
    assert probe["answers"]["csv"] == live["csv"]
    assert probe["answers"]["label"] == "Line item 3 › SKU quantity 1 › Quantity"


def test_required_per_kind_comes_from_each_kinds_model():
    ack = {f.key: f.required for f in fields.line_item_fields(OrderKind.ACK)}
    recipe_sets = {f.key: f.required for f in fields.line_item_fields(OrderKind.ACK_RECIPESET)}
    assert ack["recipeSetId"] and not ack["sku"] and not ack["skuQuantities"]
    assert recipe_sets == {"recipeSetId": True, "skuQuantities": True}
    assert [f.key for f in fields.order_fields(OrderKind.ACK_RECIPESET)] == [
        "purchaseOrderNumber", "orderDate", "accountNumber", "organizationId"]
    assert {f.key for f in fields.address_fields() if f.required} == {
        "firstName", "lastName", "address1", "city", "state", "postalCode", "country"}


def test_choices_labels_and_limits_are_the_models():
    priority = fields.field_by_key("priority")
    assert priority.choices == ("lower", "normal", "higher") and priority.input is fields.Input.CHOICE
    assert fields.field_by_key("proofStatus").choices == ("Requested", "Fulfilled")
    assert fields.field_by_key("purchaseOrderNumber").max_length == 100
    assert fields.kind_label(OrderKind.ACK_RECIPESET) == "Acknowledgement (RecipeSet format, deprecated)"
