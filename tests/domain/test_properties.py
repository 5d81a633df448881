"""Property tests: valid orders survive a JSON round trip; any input ends in a typed error, never a crash."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from spectrum_desktop.domain.importing import OrderImportError, load_csv_text, load_json_text
from spectrum_desktop.domain.validation import validate_order

_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s != ""
)

_pair = st.fixed_dictionaries({"sku": _text, "quantity": st.integers(1, 10**6)})
_line = st.fixed_dictionaries(
    {"sku": _text, "quantity": st.integers(1, 10**6)},
    optional={"skuQuantities": st.lists(_pair, min_size=1, max_size=3), "giftMessage": _text,
              "proofStatus": st.sampled_from(["Requested", "Fulfilled"])},
)
_order = st.builds(
    lambda header, lines: {**header, "lineItems": [{"recipeSetId": f"R{i}", **line} for i, line in enumerate(lines)]},
    st.fixed_dictionaries(
        {"purchaseOrderNumber": _text, "orderDate": st.sampled_from(["2022-01-31T13:15:05.2151663-05:00", "2019-08-06"])},
        optional={"priority": st.sampled_from(["lower", "normal", "higher"]), "accountNumber": _text,
                  "phoneNumber": st.from_regex(r"\A[0-9+()-][0-9 +().-]{0,10}[0-9]\Z")},
    ),
    st.lists(_line, min_size=1, max_size=4),
)


@settings(max_examples=150, deadline=None)
@given(_order)
def test_valid_order_survives_serialise_import_serialise(order):
    first = validate_order(order)
    assert first.ok, [str(p) for p in first.problems]
    text = json.dumps(first.body)
    (again,) = load_json_text(text)
    second = validate_order(again)
    assert second.body == first.body
    assert json.dumps(second.body) == text


def _import_and_validate(loader, data):
    try:
        orders = loader(data)
    except OrderImportError as exc:
        assert str(exc)
        return
    for order in orders:
        result = validate_order(order)
        assert all(p.message for p in result.problems)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_importers(data):
    _import_and_validate(load_json_text, data)
    _import_and_validate(load_csv_text, data)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["purchaseOrderNumber", "orderDate", "lineItems", "sku", "quantity", "recipeSetId",
                         "skuQuantities", "customerAddress", "country", "priority", "x"]), children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_arbitrary_json_ends_in_problems_not_exceptions(value):
    _import_and_validate(load_json_text, json.dumps(value))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=6), max_size=6), max_size=5), st.sampled_from(
    ["purchaseOrderNumber,lineItems.recipeSetId,lineItems.sku,lineItems.quantity\n", ""]))
def test_arbitrary_csv_ends_in_problems_not_exceptions(rows, header):
    text = header + "\n".join(",".join(json.dumps(c) for c in row) for row in rows)
    _import_and_validate(load_csv_text, text)
