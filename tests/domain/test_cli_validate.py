from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).with_name("spectrum-desktop"))
EXAMPLES = Path(__file__).parent / "examples"


def _run(*args, stdin=None, home):
    env = {**os.environ, "SPECTRUM_DESKTOP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([EXE, "validate", *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    return tmp_path


def test_reference_examples_are_valid(home):
    done = _run(*sorted(str(p) for p in EXAMPLES.glob("*.json")), home=home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": valid") == 5
    assert "'8/6/2019 4:05PM' will be sent as '2019-08-06T16:05:00" in done.stdout


def test_invalid_order_from_stdin_exits_2_with_label_and_path(home):
    order = {"purchaseOrderNumber": "1", "orderDate": "2022-01-01",
             "lineItems": [{"recipeSetId": "A", "sku": "S", "quantity": 1},
                           {"recipeSetId": "B", "skuQuantities": [{"sku": "X", "quantity": "two"}]}]}
    done = _run("-", stdin=json.dumps(order), home=home)
    assert done.returncode == 2
    assert "Line item 2 › SKU quantity 1 › Quantity (lineItems[1].skuQuantities[0].quantity)" in done.stdout
    assert "whole number of 1 or more" in done.stdout


def test_kind_full_requires_addresses(home, tmp_path):
    path = tmp_path / "order.json"
    path.write_text((EXAMPLES / "ack_lineitem.json").read_text())
    done = _run("--kind", "full", str(path), home=home)
    assert done.returncode == 2
    assert "customerAddress" in done.stdout and "shippingAddress" in done.stdout


def test_syntax_error_names_repair(home, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "purchaseOrderNumber": "1",\n  "priority" "normal"\n}')
    done = _run(str(path), home=home)
    assert done.returncode == 2
    assert "line 3, column 14" in done.stdout and "colon is missing" in done.stdout


def test_csv_template_round_trips_through_validate(home, tmp_path):
    template = _run("--csv-template", home=home)
    assert template.returncode == 0
    path = tmp_path / "orders.csv"
    path.write_text(template.stdout)
    refused = _run(str(path), home=home)
    assert refused.returncode == 2 and "example row" in refused.stdout + refused.stderr
    path.write_text(template.stdout.replace("EXAMPLE-DELETE-THIS-ROW", "42015953"))
    done = _run(str(path), home=home)
    assert done.returncode == 0, done.stdout
    assert "order 1 (42015953, ack): valid" in done.stdout


def test_csv_with_kind_ack_recipeset(home, tmp_path):
    path = tmp_path / "sets.csv"
    path.write_text("purchaseOrderNumber,orderDate,lineItems.recipeSetId,lineItems.skuQuantities.sku,"
                    "lineItems.skuQuantities.quantity\n7,2022-01-01,A,X,0\n")
    done = _run("--kind", "ack-recipeset", str(path), home=home)
    assert done.returncode == 2
    assert "Recipe set 1 › SKU quantity 1 › Quantity (recipeSets[0].skuQuantities[0].quantity)" in done.stdout


def _line_item_order(**changes):
    order = {"purchaseOrderNumber": "PO-9", "orderDate": "2022-01-01",
             "lineItems": [{"recipeSetId": "A", "sku": "S", "quantity": 1}]}
    order.update(changes)
    return order


def test_quantity_beyond_32_bits_exits_2_naming_field_and_limit(home):
    order = _line_item_order(lineItems=[{"recipeSetId": "A", "sku": "S", "quantity": 2147483648}])
    done = _run("-", stdin=json.dumps(order), home=home)
    assert done.returncode == 2
    assert "Line item 1 › Quantity (lineItems[0].quantity)" in done.stdout
    assert "2147483648 is not allowed" in done.stdout and "at most 2,147,483,647" in done.stdout


def test_purchase_order_number_with_a_line_break_exits_2(home):
    done = _run("-", stdin=json.dumps(_line_item_order(purchaseOrderNumber="PO-9\nPO-10")), home=home)
    assert done.returncode == 2
    assert "Purchase order number (purchaseOrderNumber)" in done.stdout
    assert "without line breaks, tabs or other control characters" in done.stdout
    heading, problem = done.stdout.splitlines()  # the number's line break does not split the order's heading
    assert heading == "standard input: order 1 ('PO-9\\nPO-10', ack): INVALID"
    assert problem.startswith("  error: Purchase order number")


def test_repeated_key_exits_2_with_line_and_column(home, tmp_path):
    path = tmp_path / "twice.json"
    path.write_text('{\n  "purchaseOrderNumber": "1",\n  "orderDate": "2022-01-01",\n  "purchaseOrderNumber": "2"\n}')
    done = _run(str(path), home=home)
    assert done.returncode == 2
    assert "line 4, column 3" in done.stdout and "'purchaseOrderNumber' is given twice" in done.stdout


@pytest.mark.parametrize(("country", "shown"), [("USA", "'USA'"), ("Germany", "'Germany'"), (" usa ", "'usa'")])
def test_a_country_that_is_not_a_two_letter_code_gets_the_country_code_hint(home, country, shown):
    """A three-letter code or a country's name is told what a country code is, not "at most 2 characters"."""
    order = json.loads((EXAMPLES / "full_order.json").read_text())
    order["shippingAddress"]["country"] = country
    done = _run("--kind", "full", "-", stdin=json.dumps(order), home=home)
    assert done.returncode == 2
    (problem,) = [line for line in done.stdout.splitlines() if "error:" in line]
    assert "Shipping address › Country (shippingAddress.country)" in problem
    assert f"{shown} is not a country code; use the two-letter ISO 3166 code, for example US or DE" in problem
    assert "characters" not in problem
