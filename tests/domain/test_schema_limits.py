"""The limits the schema adds (quantity range, identifiers on one line, text lengths) and how they are worded."""

from __future__ import annotations

import json

import pytest

from spectrum_desktop.domain.fields import address_fields, line_item_fields, order_fields, sku_quantity_fields
from spectrum_desktop.domain.importing import OrderImportError, load_json_text
from spectrum_desktop.domain.states import OrderKind
from spectrum_desktop.domain.validation import validate_order


def _order(**changes):
    order = {"purchaseOrderNumber": "PO-1", "orderDate": "2022-01-31T13:15:05.2151663-05:00",
             "lineItems": [{"recipeSetId": "R1", "sku": "S1", "quantity": 2}]}
    order.update(changes)
    return order


@pytest.mark.parametrize("quantity", [2_147_483_647, "2147483647"])
def test_the_largest_32_bit_quantity_is_accepted(quantity):
    result = validate_order(_order(lineItems=[{"recipeSetId": "R", "sku": "S", "quantity": quantity}]))
    assert result.ok and result.body["lineItems"][0]["quantity"] == 2_147_483_647


@pytest.mark.parametrize("quantity", [2_147_483_648, 2**63, 10**30, "2147483648", 1e30])
def test_quantities_beyond_32_bits_are_refused_naming_the_limit(quantity):
    result = validate_order(_order(lineItems=[{"recipeSetId": "R", "sku": "S", "quantity": quantity}]))
    (problem,) = result.errors
    assert problem.path == "lineItems[0].quantity" and problem.label == "Line item 1 › Quantity"
    assert "2,147,483,647" in problem.message and "whole number" in problem.message


@pytest.mark.parametrize(("path", "order"), [
    ("purchaseOrderNumber", _order(purchaseOrderNumber="PO-1\nPO-2")),
    ("purchaseOrderNumber", _order(purchaseOrderNumber="PO\t1")),
    ("lineItems[0].recipeSetId", _order(lineItems=[{"recipeSetId": "R\r1", "sku": "S", "quantity": 1}])),
    ("lineItems[0].sku", _order(lineItems=[{"recipeSetId": "R", "sku": "S\x001", "quantity": 1}])),
    ("lineItems[0].skuQuantities[0].sku",
     _order(lineItems=[{"recipeSetId": "R", "skuQuantities": [{"sku": "A\u0085B", "quantity": 1}]}])),
    ("purchaseOrderNumber", _order(purchaseOrderNumber="PO-1\u2028PO-2")),  # Unicode line separator
    ("lineItems[0].sku", _order(lineItems=[{"recipeSetId": "R", "sku": "S\u20291", "quantity": 1}])),  # paragraph
])
def test_identifiers_with_line_breaks_tabs_or_control_characters_are_refused(path, order):
    (problem,) = validate_order(order).errors
    assert problem.path == path
    assert "line break" in problem.message and "control characters" in problem.message


def test_identifiers_are_trimmed_and_a_trailing_line_break_is_only_whitespace():
    body = validate_order(_order(purchaseOrderNumber="  PO-7\n", lineItems=[
        {"recipeSetId": "\tR1 ", "sku": " S1", "quantity": 1}])).body
    assert body["purchaseOrderNumber"] == "PO-7"
    assert body["lineItems"][0] == {"recipeSetId": "R1", "sku": "S1", "quantity": 1}


def _text_fields():
    kinds = [(f, f"{f.key}") for f in order_fields(OrderKind.ACK)]
    kinds += [(f, f"lineItems[0].{f.key}") for f in line_item_fields(OrderKind.ACK)]
    kinds += [(f, f"lineItems[0].skuQuantities[0].{f.key}") for f in sku_quantity_fields()]
    kinds += [(f, f"customerAddress.{f.key}") for f in address_fields()]
    return [(f, path) for f, path in kinds if f.max_length is not None and f.input is not None
            and f.input.value in ("text", "email", "phone")]


def _put(order: dict, path: str, value) -> dict:
    if path.startswith("lineItems[0].skuQuantities[0]."):
        order["lineItems"] = [{"recipeSetId": "R", "skuQuantities": [{"sku": "S", "quantity": 1,
                                                                      path.rsplit(".", 1)[1]: value}]}]
    elif path.startswith("lineItems[0]."):
        order["lineItems"][0][path.split(".", 1)[1]] = value
    elif path.startswith("customerAddress."):
        address = {"firstName": "A", "lastName": "B", "address1": "1 St", "city": "C", "state": "OR",
                   "postalCode": "97205", "country": "US"}
        address[path.split(".", 1)[1]] = value
        order["customerAddress"] = address
        order["shippingAddress"] = dict(address)
    else:
        order[path] = value
    return order


@pytest.mark.parametrize(("field", "path"), _text_fields(), ids=lambda v: getattr(v, "key", v))
def test_every_text_field_has_a_limit_and_the_message_names_it(field, path):
    kind = OrderKind.FULL if path.startswith("customerAddress") else OrderKind.ACK
    fill = "1" * field.max_length if field.input.value == "phone" else "a" * field.max_length
    if field.input.value == "email":
        fill = "a" * (field.max_length - len("@example.com")) + "@example.com"
    at_limit = validate_order(_put(_order(), path, fill), kind)
    assert at_limit.ok, [str(p) for p in at_limit.problems]
    over = validate_order(_put(_order(), path, fill + "1"), kind)
    problems = [p for p in over.errors if p.path == path]
    assert problems, [str(p) for p in over.problems]
    assert f"at most {field.max_length:,} characters" in problems[0].message


def test_no_pydantic_wording_reaches_a_person():
    bad = _order(emailAddress=["x"], priority={"a": 1}, orderDate=5, lineItems=[
        {"recipeSetId": 7.5, "sku": True, "quantity": [1], "skuQuantities": "x"}, "not an item"])
    result = validate_order(bad)
    assert result.errors
    for problem in result.problems:
        for pydantic_words in ("Input should", "valid string", "pydantic", "type=", "errors.pydantic.dev"):
            assert pydantic_words not in problem.message, problem


def test_repeated_key_is_reported_with_line_and_column():
    text = '{\n  "purchaseOrderNumber": "1",\n  "lineItems": [{"recipeSetId": "A",\n     "recipeSetId": "B"}]\n}'
    with pytest.raises(OrderImportError) as caught:
        load_json_text(text)
    assert (caught.value.line, caught.value.column) == (4, 6)
    assert "'recipeSetId' is given twice" in str(caught.value)


def test_same_key_in_different_objects_is_fine():
    text = json.dumps([{"sku": "A", "x": {"sku": "B"}}, {"sku": "C"}])
    assert len(load_json_text(text)) == 2


def test_readme_lists_the_csv_columns_and_limits_the_schema_has():
    from pathlib import Path

    from spectrum_desktop.domain import schema
    from spectrum_desktop.domain.fields import csv_columns

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "The columns are: " + ", ".join(f"`{c}`" for c in csv_columns()) + "." in readme
    # the limits are read from the order-file section's Limits list, not from anywhere in the README
    limits = readme.partition("- **Limits**")[2].partition("- **CSV**")[0]
    assert limits, "the README's order-file section has no Limits list"
    for words, limit in (("quantity: a whole number from 1 to", schema.QUANTITY_MAX),
                         ("purchase order number, recipe set ID, SKU: at most", schema.IDENTIFIER_MAX),
                         ("shipment tracking:\n    at most", schema.CODE_MAX),
                         ("customer service contact:\n    at most", schema.NAME_MAX),
                         ("e-mail address: at most", schema.EMAIL_MAX), ("phone number: at most", schema.PHONE_MAX),
                         ("postal code: at most", schema.POSTAL_CODE_MAX), ("gift message: at most", schema.MESSAGE_MAX),
                         ("dates: at most", schema.DATE_MAX)):
        assert f"{words} " in limits and limits.split(f"{words} ", 1)[1].startswith(f"{limit:,}"), (words, limit)


def test_a_whole_float_quantity_is_sent_as_an_integer():
    body = validate_order(_order(lineItems=[{"recipeSetId": "R", "sku": "S", "quantity": 5.0}])).body
    assert json.dumps(body["lineItems"][0]) == '{"recipeSetId": "R", "sku": "S", "quantity": 5}'
