from __future__ import annotations

import csv
import io

import pytest

from spectrum_desktop.domain.importing import (
    CSV_COLUMNS, TEMPLATE_EXAMPLE_PO, OrderImportError, csv_template, load_csv_text, load_json_text, read_csv,
)
from spectrum_desktop.domain.validation import validate_many

REFERENCE_MISTAKE = '{\n  "purchaseOrderNumber": "42015953",\n  "priority" "normal",\n  "lineItems": []\n}'


def test_missing_colon_names_line_column_and_repair():
    with pytest.raises(OrderImportError) as caught:
        load_json_text(REFERENCE_MISTAKE)
    error = caught.value
    assert (error.line, error.column) == (3, 14)
    assert '"priority" "normal"' in str(error)
    assert 'colon is missing after "priority"' in str(error)


def test_trailing_comma_is_explained():
    with pytest.raises(OrderImportError, match="remove that comma"):
        load_json_text('{"error": "x",\n}')


@pytest.mark.parametrize(("text", "words"), [
    ("", "nothing to read"),
    ("[]", "empty"),
    ("[1]", "not an order"),
    ('"text"', "not an order"),
    ('{"a": NaN}', "NaN"),
])
def test_unusable_json(text, words):
    with pytest.raises(OrderImportError, match=words):
        load_json_text(text)


def test_bytes_that_are_not_utf8():
    with pytest.raises(OrderImportError, match="UTF-8"):
        load_json_text(b"\xff\xfe{")


def test_single_object_and_array():
    assert load_json_text(b'{"a": 1}') == [{"a": 1}]
    assert load_json_text('[{"a": 1}, {"b": 2}]') == [{"a": 1}, {"b": 2}]


def _csv(*rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_csv_groups_rows_into_orders_and_line_items():
    text = _csv(
        {"purchaseOrderNumber": "1", "orderDate": "2022-01-01", "lineItems.recipeSetId": "A",
         "lineItems.skuQuantities.sku": "X", "lineItems.skuQuantities.quantity": "3"},
        {"purchaseOrderNumber": "1", "lineItems.recipeSetId": "A",
         "lineItems.skuQuantities.sku": "Y", "lineItems.skuQuantities.quantity": "4"},
        {"purchaseOrderNumber": "1", "lineItems.recipeSetId": "B", "lineItems.sku": "Z", "lineItems.quantity": "1"},
        {"purchaseOrderNumber": "2", "orderDate": "2022-01-02", "lineItems.recipeSetId": "A",
         "lineItems.sku": "Z", "lineItems.quantity": "5"},
    )
    first, second = load_csv_text(text)
    assert first["lineItems"] == [
        {"recipeSetId": "A", "skuQuantities": [{"sku": "X", "quantity": "3"}, {"sku": "Y", "quantity": "4"}]},
        {"recipeSetId": "B", "sku": "Z", "quantity": "1"},
    ]
    results = validate_many([first, second])
    assert all(r.ok for r in results)
    assert results[0].body["lineItems"][0]["skuQuantities"][1]["quantity"] == 4


def test_csv_errors_name_row_and_column():
    with pytest.raises(OrderImportError, match="row 1, column 2: unknown column 'purchaseOrderNumbr'"):
        load_csv_text("orderDate,purchaseOrderNumbr\n2022-01-01,1\n")
    with pytest.raises(OrderImportError, match="row 3, column orderDate") as caught:
        load_csv_text(_csv({"purchaseOrderNumber": "1", "orderDate": "2022-01-01"},
                           {"purchaseOrderNumber": "1", "orderDate": "2022-01-02"}))
    assert caught.value.row == 3


def test_csv_rows_with_wrong_values_load_as_orders_that_validation_refuses_with_their_lines():
    """Only a file that is not readable CSV is refused as a whole; a blank recipe set ID or order number, a bad
    quantity or date, or a value given twice differently makes an order with its problem, on its file lines."""
    text = _csv(
        {"purchaseOrderNumber": "1", "orderDate": "2022-01-01", "lineItems.recipeSetId": "A",
         "lineItems.sku": "S", "lineItems.quantity": "1"},
        {"purchaseOrderNumber": "1", "lineItems.sku": "T", "lineItems.quantity": "2"},  # line 3: no recipe set ID
        {"purchaseOrderNumber": "2", "orderDate": "2022-01-01", "lineItems.recipeSetId": "A",
         "lineItems.sku": "S", "lineItems.quantity": "two"},
        {"orderDate": "2022-01-01", "lineItems.recipeSetId": "A", "lineItems.sku": "S",
         "lineItems.quantity": "1"},  # line 5: no order number
        {"purchaseOrderNumber": "3", "orderDate": "last tuesday", "lineItems.recipeSetId": "A",
         "lineItems.sku": "S", "lineItems.quantity": "1"},
        {"purchaseOrderNumber": "3", "orderDate": "2022-01-02", "lineItems.recipeSetId": "B",
         "lineItems.sku": "S", "lineItems.quantity": "1"},  # line 7: a second, different date for order 3
    )
    found = read_csv(text)
    assert [(e.lines, e.item_lines) for e in found] == [([2, 3], [2, 3]), ([4], [4]), ([5], [5]), ([6, 7], [6, 7])]
    assert found[0].order["lineItems"][1] == {"sku": "T", "quantity": "2"}
    assert [(p.line, p.column) for p in found[3].problems] == [(7, "orderDate")]
    assert "'2022-01-02' differs from 'last tuesday'" in found[3].problems[0].message
    results = validate_many([e.order for e in found])
    assert not any(r.ok for r in results)
    assert [p.path for p in results[0].errors] == ["lineItems[1].recipeSetId"]
    assert [p.path for p in results[1].errors] == ["lineItems[0].quantity"]
    assert [p.path for p in results[2].errors] == ["purchaseOrderNumber"]
    assert [p.path for p in results[3].errors] == ["orderDate"]
    with pytest.raises(OrderImportError, match="row 7, column orderDate"):  # the command line has no row to show it
        load_csv_text(text)


@pytest.mark.parametrize(("data", "words"), [
    ("purchaseOrderNumber,quantity\n1,2\n", "unknown column 'quantity'"),
    ("orderDate\n2022-01-01\n", "column purchaseOrderNumber is missing"),
    ("purchaseOrderNumber\n1,2\n", "row 2 has 2 cells but the header has 1 columns"),
    ("purchaseOrderNumber\n1\n".encode("utf-16"), "not UTF-8"),
])
def test_a_file_that_is_not_readable_csv_is_refused_as_a_whole(data, words):
    with pytest.raises(OrderImportError, match=words):
        read_csv(data)


def test_csv_template_has_every_column_and_an_example_that_is_never_sent_by_mistake():
    assert csv_template().splitlines()[0].split(",") == CSV_COLUMNS
    (example,) = read_csv(csv_template())
    assert [p.message for p in example.problems] == [
        "this is the template's example row: delete it, or put a real order in its place"]
    with pytest.raises(OrderImportError, match="example row"):
        load_csv_text(csv_template())
    (order,) = load_csv_text(csv_template().replace(TEMPLATE_EXAMPLE_PO, "PO-REAL-1"))
    assert validate_many([order])[0].ok, "the example shows a valid order"


def test_csv_full_order_with_addresses_repeated_on_each_row():
    address = {"firstName": "John", "lastName": "Smith", "address1": "123 Fake Street", "city": "Portland",
               "state": "OR", "postalCode": "97205", "country": "US"}
    common = {"purchaseOrderNumber": "9", "orderDate": "2022-01-01",
              **{f"customerAddress.{k}": v for k, v in address.items()},
              **{f"shippingAddress.{k}": v for k, v in address.items()}}
    text = _csv({**common, "lineItems.recipeSetId": "A", "lineItems.sku": "S", "lineItems.quantity": "1"},
                {**common, "lineItems.recipeSetId": "B", "lineItems.sku": "T", "lineItems.quantity": "2"})
    (order,) = load_csv_text(text)
    (result,) = validate_many([order])
    assert result.kind == "full" and result.ok, [str(p) for p in result.problems]
    assert result.body["shippingAddress"] == address
    assert [item["quantity"] for item in result.body["lineItems"]] == [1, 2]


def test_csv_as_deprecated_recipe_sets():
    text = _csv({"purchaseOrderNumber": "1", "orderDate": "2022-01-01", "lineItems.recipeSetId": "A",
                 "lineItems.skuQuantities.sku": "X", "lineItems.skuQuantities.quantity": "3"})
    (order,) = load_csv_text(text, recipe_sets=True)
    (result,) = validate_many([order])
    assert result.kind == "ack-recipeset" and result.ok
    assert result.body["recipeSets"] == [{"recipeSetId": "A", "skuQuantities": [{"sku": "X", "quantity": 3}]}]
