"""Adding a field to the schema is one edit: the form, the CSV template and the validator all follow.

A copy of the package gets one line added to the Acknowledgement model in domain/schema.py (the schema's own
extension point: a field declared with pydantic's Field). A fresh process imports that copy and reports what
the order editor, the CSV template and the validator know; the unedited copy is the control.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import spectrum_desktop

NEW_FIELD = ('    gift_wrap_code: Code = Field(None, title="Gift wrap code", '
             'description="The paper the shop wraps it in.", json_schema_extra=ui("text"))\n')
ANCHOR = '    order_reference: Code = Field(None, title="Order reference"'

PROBE = r"""
import json, sys
import spectrum_desktop
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
from spectrum_desktop.ui.order_editor import OrderEditor
from spectrum_desktop.domain.importing import csv_template
from spectrum_desktop.domain.validation import validate_order
editor = OrderEditor()
labels = [w.text() for w in editor.findChildren(QLabel)]
order = {"purchaseOrderNumber": "1", "orderDate": "2022-01-01", "giftWrapCode": " red ",
         "lineItems": [{"recipeSetId": "R", "sku": "S", "quantity": 1}]}
ok = validate_order(order)
long = validate_order(dict(order, giftWrapCode="x" * 101))
print(json.dumps({
    "package": spectrum_desktop.__file__,
    "form": "giftWrapCode" in editor.fields,
    "label": "Gift wrap code" in labels,
    "csv": "giftWrapCode" in csv_template().splitlines()[0].split(","),
    "warnings": [p.message for p in ok.warnings],
    "body": (ok.body or {}).get("giftWrapCode"),
    "too_long": [str(p) for p in long.errors],
}))
"""


def _probe(tmp_path: Path, edit: bool, edits: dict[str, str] | None = None, probe: str = PROBE) -> dict:
    """Run `probe` in a fresh process over a copy of the package whose schema.py had `edits` (old -> new text)
    made when `edit` is true (by default: NEW_FIELD added before ANCHOR)."""
    root = tmp_path / ("edited" if edit else "control")
    package = root / "spectrum_desktop"
    shutil.copytree(Path(spectrum_desktop.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    if edit:
        schema = package / "domain" / "schema.py"
        source = schema.read_text(encoding="utf-8")
        for old, new in (edits or {ANCHOR: NEW_FIELD + ANCHOR}).items():
            assert source.count(old) == 1, old
            source = source.replace(old, new)
        schema.write_text(source, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen",
           "SPECTRUM_DESKTOP_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120,
                          cwd=root)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["package"].startswith(str(root))
    return report


def test_one_line_in_the_schema_adds_the_field_to_form_csv_and_validator(tmp_path):
    control = _probe(tmp_path, edit=False)
    assert not control["form"] and not control["label"] and not control["csv"]
    assert any("unknown field 'giftWrapCode'" in w for w in control["warnings"])
    assert control["too_long"] == []

    edited = _probe(tmp_path, edit=True)
    assert edited["form"] and edited["label"] and edited["csv"]
    assert edited["warnings"] == []
    assert edited["body"] == "red"
    assert any("Gift wrap code (giftWrapCode)" in p and "at most 100 characters" in p for p in edited["too_long"])


RENAMES = {
    'customer_address: Address = Field(title="Customer address"':
        'customer_address: Address = Field(title="Buyer\'s address"',
    'title="Line items", json_schema_extra={"part": "items"}': 'title="Order lines", json_schema_extra={"part": "items"}',
    'placeholder="name@example.com"': 'placeholder="someone@shop.example"',
    'model_config = ConfigDict(title="Line item")': 'model_config = ConfigDict(title="Order line")',
}

PARTS_PROBE = r"""
import json
import spectrum_desktop
from PySide6.QtWidgets import QApplication
app = QApplication([])
from spectrum_desktop.domain.states import OrderKind
from spectrum_desktop.ui.order_editor import OrderEditor
from spectrum_desktop.ui.bulk_model import check
editor = OrderEditor()
editor.kind_combo.setCurrentIndex(editor.kind_combo.findData(OrderKind.FULL))
address = {"firstName": "A", "lastName": "B", "address1": "1 St", "city": "", "state": "OR", "postalCode": "1",
           "country": "US"}
order = {"purchaseOrderNumber": "1", "orderDate": "2022-01-01", "customerAddress": address, "shippingAddress": address,
         "lineItems": [{"recipeSetId": "R1", "sku": "S", "quantity": 1}, {"recipeSetId": "R2", "sku": "S", "quantity": 0}]}
print(json.dumps({
    "package": spectrum_desktop.__file__,
    "customer": editor.customer.title(),
    "items": editor.items_title.text(),
    "email": editor.fields["emailAddress"].placeholderText(),
    "bulk": [p.split(": ")[0] for p in check(order, "orders.csv", order_line=2, item_lines=[2, 5]).problems],
}))
"""


def test_the_form_and_bulk_name_the_order_parts_as_the_schema_does(tmp_path):
    """The address panels' and the line items' titles and the e-mail hint are the schema's, and Bulk finds a
    problem's CSV line and column whatever the parts are called: renamed in the schema, the form follows and
    Bulk still places each problem (no second copy of the labels in the editor or in Bulk)."""
    places = ["Line 2, column customerAddress.city", "Line 2, column shippingAddress.city",
              "Line 5, column lineItems.quantity"]
    control = _probe(tmp_path, edit=False, probe=PARTS_PROBE)
    assert (control["customer"], control["items"], control["email"]) == (
        "Customer address", "Line items", "name@example.com")
    assert sorted(control["bulk"]) == places
    edited = _probe(tmp_path, edit=True, edits=RENAMES, probe=PARTS_PROBE)
    assert (edited["customer"], edited["items"], edited["email"]) == (
        "Buyer's address", "Order lines", "someone@shop.example")
    assert sorted(edited["bulk"]) == places



LABEL_RENAMES = {
    'sku_quantities: list[SkuQuantity] = Field(None, title="SKU quantities"':
        'sku_quantities: list[SkuQuantity] = Field(None, title="Product lines"',
    'title="SKU quantities", description="The SKUs of the recipe set':
        'title="Product lines", description="The SKUs of the recipe set',
    'model_config = ConfigDict(title="Line item")': 'model_config = ConfigDict(title="Order line")',
    'model_config = ConfigDict(title="Recipe set")': 'model_config = ConfigDict(title="Design set")',
    'RecipeSetId = Annotated[Identifier, Field(title="Recipe set ID"':
        'RecipeSetId = Annotated[Identifier, Field(title="Design ID"',
    'title="Recipe sets", json_schema_extra={"part": "items"}':
        'title="Design sets", json_schema_extra={"part": "items"}',
}

LABELS_PROBE = r"""
import json
from datetime import datetime, timezone
import spectrum_desktop
from PySide6.QtWidgets import QApplication
app = QApplication([])
from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.domain.submission import RecipeSetResult, SubmissionRecord
from spectrum_desktop.services.history import SubmissionDetail
from spectrum_desktop.ui.history_detail import detail_text
from spectrum_desktop.ui.order_editor import OrderEditor
from spectrum_desktop.ui.result_panel import ResultPanel
editor = OrderEditor()
editor.load({"purchaseOrderNumber": "1", "orderDate": "2022-01-01",
             "lineItems": [{"recipeSetId": "R1", "sku": "S", "quantity": 1}, {"recipeSetId": "R2"}]})
editor.table.setCurrentIndex(editor.model.index(1, 0))
panel = editor.sku_panel
line_item = panel.caption.text()
editor.kind_combo.setCurrentIndex(editor.kind_combo.findData(OrderKind.ACK_RECIPESET))
recipe_set = panel.caption.text()
result = ResultPanel()
now = datetime(2026, 1, 2, tzinfo=timezone.utc)
record = SubmissionRecord(1, "local-sandbox", "sandbox:", OrderKind.ACK, "/api/order/acknowledgement", ("1",),
                          ("R1",), ("S",), SubmissionState.SUCCEEDED, None, 200, "", 1, now, now)
detail = SubmissionDetail(record, [RecipeSetResult("R1", True)], [], None, None, "")
print(json.dumps({
    "package": spectrum_desktop.__file__,
    "panel": panel.title(),
    "line_item": line_item,
    "recipe_set": recipe_set,
    "result_column": result.table.horizontalHeaderItem(0).text(),
    "history": detail_text(detail, {}).splitlines(),
}))
"""


def test_the_sku_panel_result_table_and_history_name_fields_as_the_schema_does(tmp_path):
    """The SKU quantities panel's title and its caption's line item, the result table's Recipe set ID column and
    the history detail's list of recipe sets are the schema's labels: renamed there, renamed on screen."""
    control = _probe(tmp_path, edit=False, probe=LABELS_PROBE)
    assert (control["panel"], control["line_item"], control["recipe_set"], control["result_column"]) == (
        "SKU quantities", "Line item 2: no SKUs yet", "Recipe set 2: no SKUs yet", "Recipe set ID")
    assert "Recipe sets:" in control["history"]
    edited = _probe(tmp_path, edit=True, edits=LABEL_RENAMES, probe=LABELS_PROBE)
    assert (edited["panel"], edited["line_item"], edited["recipe_set"], edited["result_column"]) == (
        "Product lines", "Order line 2: no SKUs yet", "Design set 2: no SKUs yet", "Design ID")
    assert "Design sets:" in edited["history"] and "Recipe sets:" not in edited["history"]
