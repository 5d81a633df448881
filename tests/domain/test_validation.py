from __future__ import annotations

import pytest

from spectrum_desktop.domain.dates import normalise_date
from spectrum_desktop.domain.fields import label_for
from spectrum_desktop.domain.states import OrderKind
from spectrum_desktop.domain.validation import Severity, validate_many, validate_order


def _order(**changes):
    order = {
        "purchaseOrderNumber": "PO-1",
        "orderDate": "2022-01-31T13:15:05.2151663-05:00",
        "lineItems": [{"recipeSetId": "R1", "sku": "S1", "quantity": 2}],
    }
    order.update(changes)
    return order


def _address(**changes):
    address = {"firstName": "A", "lastName": "B", "address1": "1 St", "city": "C", "state": "OR",
               "postalCode": "97205", "country": "US"}
    address.update(changes)
    return address


@pytest.mark.parametrize("quantity", [2, "2", " 7 "])
def test_accepted_quantities_are_sent_as_numbers(quantity):
    result = validate_order(_order(lineItems=[{"recipeSetId": "R", "sku": "S", "quantity": quantity}]))
    assert result.ok
    assert result.body["lineItems"][0]["quantity"] == int(str(quantity).strip())


@pytest.mark.parametrize("quantity", [0, -1, 2.5, "two", "", True, None, "٣"])
def test_rejected_quantities_name_label_path_and_what_is_allowed(quantity):
    raw = _order(lineItems=[{"recipeSetId": "R", "skuQuantities": [{"sku": "S", "quantity": quantity}]}])
    result = validate_order(raw)
    assert not result.ok and result.body is None
    (problem,) = result.errors
    assert problem.path == "lineItems[0].skuQuantities[0].quantity"
    assert problem.label == "Line item 1 › SKU quantity 1 › Quantity"
    assert "whole number of 1 or more" in problem.message


def test_label_of_third_line_item():
    assert label_for("lineItems[2].quantity") == "Line item 3 › Quantity"


def test_blank_required_fields_are_errors():
    result = validate_order(_order(purchaseOrderNumber="   ", orderDate=None))
    assert {p.path for p in result.errors} == {"purchaseOrderNumber", "orderDate"}
    assert all("required" in p.message for p in result.errors)


def test_line_item_needs_sku_and_quantity_or_sku_quantities():
    result = validate_order(_order(lineItems=[{"recipeSetId": "R"}]))
    assert [p.path for p in result.errors] == ["lineItems[0].sku"]
    result = validate_order(_order(lineItems=[{"recipeSetId": "R", "sku": "S"}]))
    assert [p.path for p in result.errors] == ["lineItems[0].quantity"]
    result = validate_order(_order(lineItems=[{"recipeSetId": "R", "skuQuantities": []}]))
    assert [p.path for p in result.errors] == ["lineItems[0].skuQuantities"]


def test_duplicate_recipe_set_ids_are_rejected():
    item = {"recipeSetId": "R", "sku": "S", "quantity": 1}
    result = validate_order(_order(lineItems=[item, dict(item)]))
    (problem,) = result.errors
    assert problem.path == "lineItems[1].recipeSetId"
    assert "unique" in problem.message and "Line item 1" in problem.message


def test_unknown_field_is_kept_and_warned():
    result = validate_order(_order(purchaseOrderNumbr="x"))
    assert result.ok
    (warning,) = result.warnings
    assert warning.severity is Severity.WARNING and warning.path == "purchaseOrderNumbr"
    assert result.body["purchaseOrderNumbr"] == "x"
    # an unknown field has no label of its own: its name is said once, not "purchaseOrderNumbr (purchaseOrderNumbr)"
    assert str(warning) == "warning: purchaseOrderNumbr: unknown field 'purchaseOrderNumbr' will be sent unchanged; " \
                           "check its spelling"


@pytest.mark.parametrize(("field", "value", "words"), [
    ("emailAddress", "john.smith@", "e-mail"),
    ("phoneNumber", "call me", "digits"),
    ("priority", "urgent", "lower, normal or higher"),
    ("proofStatus", "maybe", "Requested or Fulfilled"),
    ("orderDate", "yesterday", "ISO 8601"),
])
def test_bad_scalar_fields(field, value, words):
    (problem,) = validate_order(_order(**{field: value})).errors
    assert problem.path == field and words in problem.message


def test_codes_and_any_case_words_become_api_words():
    body = validate_order(_order(priority=3, proofStatus="fulfilled")).body
    assert body["priority"] == "higher" and body["proofStatus"] == "Fulfilled"


def test_optional_blank_fields_are_left_out():
    body = validate_order(_order(accountNumber="", serialNumber=None)).body
    assert "accountNumber" not in body and "serialNumber" not in body


def test_full_order_needs_both_addresses_and_real_country():
    result = validate_order(_order(customerAddress=_address(country="us", city=" ")), OrderKind.FULL)
    paths = {p.path for p in result.errors}
    assert paths == {"customerAddress.country", "customerAddress.city", "shippingAddress"}
    country = next(p for p in result.errors if p.path == "customerAddress.country")
    assert "did you mean US" in country.message


def test_recipeset_format_requires_sku_quantities():
    raw = {"purchaseOrderNumber": "1", "orderDate": "2022-01-01", "recipeSets": [{"recipeSetId": "R"}]}
    (problem,) = validate_order(raw).errors
    assert problem.path == "recipeSets[0].skuQuantities"


def test_batch_reports_repeated_purchase_order_numbers():
    first, second = validate_many([_order(), _order()])
    assert first.ok and not second.ok


def test_non_object_order():
    result = validate_order([1, 2])
    assert not result.ok and "JSON object" in result.errors[0].message


def test_iso_kept_and_invalid_calendar_date_rejected():
    assert normalise_date("2022-01-31T13:15:05.2151663-05:00") == ("2022-01-31T13:15:05.2151663-05:00", False)
    with pytest.raises(ValueError):
        normalise_date("2022-02-30")
