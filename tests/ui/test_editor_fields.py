"""The order editor's header widgets and SKU quantities sub-table, driven as a user would."""

import json
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from spectrum_desktop.ui.line_items_model import SKU_QUANTITIES_COLUMN
from spectrum_desktop.ui.order_editor import OrderEditor

VALID = {
    "purchaseOrderNumber": "PO-9",
    "orderDate": "2024-05-01T10:00:00+02:00",
    "lineItems": [{"recipeSetId": "RS-1", "sku": "SKU-1", "quantity": 1}],
}


@pytest.fixture
def editor(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    widget = OrderEditor()
    qtbot.addWidget(widget)
    widget.resize(1000, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def preview(editor):
    return json.loads(editor.preview.toPlainText())


def problems(editor):
    return [editor.problems.item(i).text() for i in range(editor.problems.count())]


def type_into_cell(qtbot, table, row, column, text):
    index = table.model().index(row, column)
    table.setFocus()
    table.setCurrentIndex(index)
    table.edit(index)
    cell_editor = QApplication.focusWidget()
    assert cell_editor is not table, "the cell did not open for editing"
    cell_editor.selectAll()
    qtbot.keyClicks(cell_editor, text)
    qtbot.keyClick(cell_editor, Qt.Key.Key_Return)
    # The delegate commits a Return on the next turn of the event loop.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState, timeout=2000)


def test_a_new_form_dates_the_order_now_with_the_local_offset(editor):
    text = editor.fields["orderDate"].text()
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() == datetime.now().astimezone().utcoffset()
    assert abs(datetime.now().astimezone() - moment) < timedelta(minutes=1)
    assert preview(editor)["orderDate"] == text


def test_a_pasted_iso_date_is_kept_exactly_as_given_and_the_picker_follows(editor, qtbot):
    field = editor.fields["orderDate"]
    field.clear()
    QApplication.clipboard().setText("2024-05-01T10:00:00.250Z")
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.order()["orderDate"] == "2024-05-01T10:00:00.250Z"
    assert editor.order_date.picker.dateTime().toString("yyyy-MM-dd HH:mm:ss") == "2024-05-01 10:00:00"
    assert not editor.order_date.hint.isVisible()


def test_a_converted_date_shows_what_it_becomes(editor, qtbot):
    field = editor.fields["orderDate"]
    field.clear()
    qtbot.keyClicks(field, "8/6/2019 4:05PM")
    expected = datetime(2019, 8, 6, 16, 5).astimezone().isoformat()
    hint = editor.order_date.hint
    assert hint.isVisible()
    assert hint.text() == f"Will be sent as {expected}"
    assert editor.order_date.picker.dateTime().toString("yyyy-MM-dd HH:mm:ss") == "2019-08-06 16:05:00"
    assert editor.order()["orderDate"] == "8/6/2019 4:05PM"  # the form keeps what was typed
    editor.load(dict(VALID, orderDate="8/6/2019 4:05PM"))
    assert preview(editor)["orderDate"] == expected
    field.clear()
    qtbot.keyClicks(field, "2024-01-31T13:15:05-05:00")
    assert not hint.isVisible()


def test_picking_a_date_writes_it_with_the_local_offset(editor):
    editor.order_date.picker.setDateTime(QDateTime.fromString("2025-03-04 09:30:00", "yyyy-MM-dd HH:mm:ss"))
    expected = datetime(2025, 3, 4, 9, 30).astimezone().isoformat(timespec="seconds")
    assert editor.order()["orderDate"] == expected


def test_the_now_button_resets_the_date(editor, qtbot):
    editor.fields["orderDate"].setText("2001-01-01")
    qtbot.mouseClick(editor.order_date.now_button, Qt.MouseButton.LeftButton)
    moment = datetime.fromisoformat(editor.order()["orderDate"])
    assert abs(datetime.now().astimezone() - moment) < timedelta(minutes=1)


def test_priority_and_proof_status_are_choices(editor, qtbot):
    editor.load(VALID)
    priority = editor.fields["priority"]
    assert [priority.itemText(i) for i in range(priority.count())] == ["(not set)", "lower", "normal", "higher"]
    assert "priority" not in editor.order()
    priority.setFocus()
    qtbot.keyClick(priority, Qt.Key.Key_Down)
    qtbot.keyClick(priority, Qt.Key.Key_Down)
    assert preview(editor)["priority"] == "normal"
    proof = editor.fields["proofStatus"]
    proof.setFocus()
    qtbot.keyClick(proof, Qt.Key.Key_End)
    assert preview(editor)["proofStatus"] == "Fulfilled"


def test_a_loaded_code_shows_its_choice_and_an_unknown_value_is_reported(editor):
    editor.load(dict(VALID, priority="3", proofStatus="requested"))
    assert editor.fields["priority"].currentText() == "higher"
    assert editor.fields["proofStatus"].currentText() == "Requested"
    assert problems(editor) == []
    editor.load(dict(VALID, priority="urgent"))
    assert editor.fields["priority"].currentText() == "urgent (not allowed)"
    assert any("Priority" in text and "lower, normal or higher" in text for text in problems(editor))
    editor.load(VALID)
    assert editor.fields["priority"].count() == 4


def test_every_spelling_of_every_header_choice_shows_as_its_choice(editor):
    """The editor knows a choice field's other spellings from its choices (not from a list of field names)."""
    from spectrum_desktop.domain.choices import SPELLINGS
    from spectrum_desktop.domain.fields import order_fields
    from spectrum_desktop.domain.states import OrderKind

    choice_fields = [f for f in order_fields(OrderKind.FULL) if f.choices]
    assert {f.key for f in choice_fields} >= {"priority", "proofStatus"}
    for info in choice_fields:
        (spellings,) = [s for c, s in SPELLINGS.items() if tuple(m.value for m in c) == info.choices]
        for spelling, word in spellings.items():
            editor.load(dict(VALID, **{info.key: spelling.upper()}))
            assert editor.fields[info.key].currentData() == word, (info.key, spelling)
            assert problems(editor) == []


def test_sku_quantities_are_edited_in_a_sub_table(editor, qtbot):
    editor.load(dict(VALID, lineItems=[{"recipeSetId": "RS-1"}, {"recipeSetId": "RS-2", "sku": "S", "quantity": 1}]))
    assert any("Line item 1" in text for text in problems(editor))
    editor.table.setFocus()
    editor.table.setCurrentIndex(editor.model.index(0, 0))
    panel = editor.sku_panel
    assert panel.caption.text() == "Line item 1: no SKUs yet"
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    type_into_cell(qtbot, panel.table, 0, 0, "SKU-A")
    type_into_cell(qtbot, panel.table, 0, 1, "2")
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    type_into_cell(qtbot, panel.table, 1, 0, "SKU-B")
    assert preview(editor)["lineItems"][0] == {
        "recipeSetId": "RS-1", "skuQuantities": [{"sku": "SKU-A", "quantity": 2}, {"sku": "SKU-B", "quantity": 1}]
    }
    assert editor.model.data(editor.model.index(0, SKU_QUANTITIES_COLUMN)) == "SKU-A × 2, SKU-B × 1"
    assert problems(editor) == []
    editor.table.setCurrentIndex(editor.model.index(1, 0))
    assert panel.caption.text() == "Line item 2: no SKUs yet"
    editor.table.setCurrentIndex(editor.model.index(0, 0))
    assert panel.model.rows() == [{"sku": "SKU-A", "quantity": 2}, {"sku": "SKU-B", "quantity": 1}]
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert preview(editor)["lineItems"][0]["skuQuantities"] == [{"sku": "SKU-B", "quantity": 1}]


def test_a_bad_sku_quantity_is_marked_in_the_sub_table_and_clicking_the_problem_goes_there(editor, qtbot):
    editor.load(dict(VALID, lineItems=[{"recipeSetId": "RS-1", "skuQuantities": [{"sku": "A", "quantity": 1},
                                                                                {"sku": "B", "quantity": 0}]}]))
    texts = problems(editor)
    assert len(texts) == 1 and "SKU quantity 2" in texts[0]
    editor.problems.itemClicked.emit(editor.problems.item(0))
    panel = editor.sku_panel
    current = panel.table.currentIndex()
    assert (current.row(), current.column()) == (1, 1)
    assert "1 or more" in panel.model.problem_at(1, 1)
    assert editor.model.problem_at(0, SKU_QUANTITIES_COLUMN) is not None
    type_into_cell(qtbot, panel.table, 1, 1, "5")
    assert problems(editor) == []
    assert panel.model.problem_at(1, 1) is None


def test_the_recipe_set_kind_sends_recipe_sets_and_shows_only_their_columns(editor):
    order = {
        "purchaseOrderNumber": "PO-RS",
        "orderDate": "2024-01-31T13:15:05-05:00",
        "recipeSets": [{"recipeSetId": "RS-1", "skuQuantities": [{"sku": "S-1", "quantity": 1}]}],
    }
    editor.load(order)
    assert editor.kind() == "ack-recipeset"
    assert problems(editor) == []
    assert editor.order() == order
    assert editor.table.isColumnHidden(2) and not editor.table.isColumnHidden(SKU_QUANTITIES_COLUMN)
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("ack"))
    assert "recipeSets" not in editor.order()
    assert editor.order()["lineItems"] == order["recipeSets"]
    assert not editor.table.isColumnHidden(2)


def test_new_order_keeps_the_kind_and_dates_it_now(editor):
    editor.load(dict(VALID, customerAddress={"city": "X"}))
    editor.new_order()
    assert editor.kind() == "full"
    assert editor.model.rowCount() == 0
    assert editor.fields["purchaseOrderNumber"].text() == ""
    moment = datetime.fromisoformat(editor.order()["orderDate"])
    assert abs(datetime.now().astimezone() - moment) < timedelta(minutes=1)


def test_a_line_items_proof_status_is_chosen_from_a_list(editor, qtbot):
    editor.load(VALID)
    column = 3
    index = editor.model.index(0, column)
    editor.table.setFocus()
    editor.table.setCurrentIndex(index)
    editor.table.edit(index)
    box = QApplication.focusWidget()
    assert [box.itemText(i) for i in range(box.count())] == ["(not set)", "Requested", "Fulfilled"]
    qtbot.keyClick(box, Qt.Key.Key_End)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.table.state() != QAbstractItemView.State.EditingState, timeout=2000)
    assert preview(editor)["lineItems"][0]["proofStatus"] == "Fulfilled"


def test_an_order_typed_field_by_field_with_a_bad_quantity_fixed_from_the_keyboard(editor, qtbot):
    qtbot.keyClicks(editor.fields["purchaseOrderNumber"], "PO-KEYS-1")
    qtbot.keyClicks(editor.fields["accountNumber"], "2000690402")
    qtbot.keyClicks(editor.fields["emailAddress"], "ada@example.com")
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    type_into_cell(qtbot, editor.table, 0, 0, "RS-1")
    type_into_cell(qtbot, editor.table, 0, 1, "SKU-1")
    type_into_cell(qtbot, editor.table, 0, 2, "0")
    texts = problems(editor)
    assert len(texts) == 1 and "Line item 1 › Quantity" in texts[0]
    assert "1 or more" in editor.model.problem_at(0, 2)
    type_into_cell(qtbot, editor.table, 0, 2, "3")
    assert problems(editor) == []
    body = preview(editor)
    assert body["purchaseOrderNumber"] == "PO-KEYS-1" and body["emailAddress"] == "ada@example.com"
    assert body["lineItems"] == [{"recipeSetId": "RS-1", "sku": "SKU-1", "quantity": 3}]


def test_a_field_in_error_shows_its_message_until_fixed(editor, qtbot):
    # The message is the field's tooltip and red outline (and its line in Problems): nothing is inserted under
    # the field any more, so nothing moves (see test_order_tab.py).
    editor.load(VALID)
    email = editor.fields["emailAddress"]
    assert email.toolTip() == "" and email.styleSheet() == ""
    qtbot.keyClicks(email, "not-an-address")
    qtbot.waitUntil(lambda: email.toolTip() != "", timeout=2000)
    assert "e-mail" in email.toolTip().lower() or "email" in email.toolTip().lower()
    assert "border" in email.styleSheet()
    assert any(email.toolTip() in text for text in problems(editor))
    email.clear()
    qtbot.keyClicks(email, "staff@example.com")
    qtbot.waitUntil(lambda: email.toolTip() == "", timeout=2000)
    assert email.styleSheet() == ""


def test_an_address_field_in_error_shows_its_message(editor, qtbot):
    editor.load(VALID)
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("full"))
    city = editor.customer.fields["city"]
    qtbot.waitUntil(lambda: city.toolTip() != "", timeout=2000)
    assert "required" in city.toolTip()
    qtbot.keyClicks(city, "Leeds")
    qtbot.waitUntil(lambda: city.toolTip() == "", timeout=2000)


def test_a_selected_cell_with_a_problem_still_shows_its_problem_colour(editor, qtbot):
    """The selected cell of a line item with a problem keeps its red fill (the selection is drawn as a frame):
    a selection fill over it hid the problem until another row was chosen."""
    from PySide6.QtGui import QColor

    from spectrum_desktop.ui.colour_scheme import tone
    from spectrum_desktop.ui.line_items_model import KEYS

    editor.load({**VALID, "lineItems": [{"recipeSetId": "RS-1", "sku": "SKU-1", "quantity": 0}]})
    editor.reveal_problems()
    table = editor.table
    cell = table.model().index(0, KEYS.index("quantity"))
    qtbot.waitUntil(lambda: cell.data(Qt.ItemDataRole.BackgroundRole) is not None)
    table.setCurrentIndex(cell)
    table.selectionModel().select(cell, table.selectionModel().SelectionFlag.ClearAndSelect)
    editor.findChild(QLineEdit, "purchaseOrderNumber").setFocus()  # the focus leaves the table
    qtbot.wait(50)
    middle = table.visualRect(cell).center()
    shown = QColor(table.viewport().grab().toImage().pixel(middle))
    fill = QColor(tone("error_fill"))
    assert abs(shown.red() - fill.red()) + abs(shown.green() - fill.green()) + abs(shown.blue() - fill.blue()) < 30, \
        shown.name()
