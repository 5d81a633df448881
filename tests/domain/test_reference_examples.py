"""Every request example of the reference (missing colons repaired) validates and round-trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spectrum_desktop.domain.schema import model_for
from spectrum_desktop.domain.states import OrderKind
from spectrum_desktop.domain.validation import infer_kind, validate_order

EXAMPLES = Path(__file__).parent / "examples"


def _without_empty(value):
    """The reference's blank optional fields (address2: "") are left out of what we send."""
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v not in ("", None)}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


def _orders(name):
    data = json.loads((EXAMPLES / name).read_text())
    return data if isinstance(data, list) else [data]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("ack_lineitem.json", OrderKind.ACK),
        ("ack_recipeset.json", OrderKind.ACK_RECIPESET),
        ("full_order.json", OrderKind.FULL),
    ],
)
def test_example_validates_and_round_trips_field_for_field(name, kind):
    (raw,) = _orders(name)
    assert infer_kind(raw) is kind
    result = validate_order(raw)
    assert result.ok, [str(p) for p in result.problems]
    assert result.problems == []
    assert result.body == _without_empty(raw)
    assert json.dumps(result.body) == json.dumps(_without_empty(raw))
    assert model_for(kind).model_validate(result.body).to_wire() == result.body


def test_iso_dates_with_seven_fraction_digits_are_sent_byte_for_byte():
    (raw,) = _orders("ack_lineitem.json")
    body = validate_order(raw).body
    assert body["orderDate"] == "2022-01-31T13:15:05.2151663-05:00"
    assert body["lineItems"][0]["estimatedDeliveryDate"] == "2022-02-02T00:00:00.00000-00:00"


def test_bulk_example_converts_the_us_style_date_and_reports_it():
    first, second = _orders("ack_bulk.json")
    assert validate_order(first).body == first
    result = validate_order(second)
    assert result.ok
    (conversion,) = result.conversions
    assert conversion.path == "orderDate"
    assert conversion.original == "8/6/2019 4:05PM"
    assert conversion.converted.startswith("2019-08-06T16:05:00")
    assert result.body["orderDate"] == conversion.converted
    assert {k: v for k, v in result.body.items() if k != "orderDate"} == {
        k: v for k, v in second.items() if k != "orderDate"
    }
