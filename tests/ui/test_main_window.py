import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from spectrum_desktop.ui.startup import build_main_window


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    win = build_main_window()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_opens_on_the_local_sandbox_with_the_band_and_title(window):
    band = window.findChild(QLabel, "environmentBand")
    assert "Local sandbox" in band.text()
    assert "PRODUCTION" not in band.text()
    assert window.windowTitle().startswith("Local sandbox")


def test_switching_to_production_says_so_plainly_and_is_remembered(window, qtbot, tmp_path):
    seen = []
    window.environment_changed.connect(seen.append)
    combo = window.environment_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)
    assert seen == ["production"]
    assert window.findChild(QLabel, "environmentBand").text().startswith("PRODUCTION")
    assert window.windowTitle().startswith("PRODUCTION")
    window.close()
    again = build_main_window()
    qtbot.addWidget(again)
    assert again.active_environment().name == "Production"


def test_every_splitter_position_is_remembered(window, qtbot):
    splitters = {"editor": window.editor.splitter, "form": window.editor.form_splitter, "result": window.splitter}
    defaults = {name: splitter.sizes()[0] for name, splitter in splitters.items()}
    share = {"result": 0.85, "editor": 0.6, "form": 0.66}  # of each splitter's length, for its first pane
    for name in ("result", "editor", "form"):  # outer first: it sets the room the inner ones have
        total = sum(splitters[name].sizes())
        splitters[name].setSizes([int(total * share[name]), total - int(total * share[name])])
    wanted = {name: splitter.sizes()[0] for name, splitter in splitters.items()}  # where each handle was left
    assert all(wanted[name] != defaults[name] for name in splitters)
    window.close()
    again = build_main_window()
    qtbot.addWidget(again)
    again.resize(window.size())
    again.show()
    qtbot.waitExposed(again)
    restored = {"editor": again.editor.splitter, "form": again.editor.form_splitter, "result": again.splitter}
    assert {name: splitter.sizes()[0] for name, splitter in restored.items()} == wanted


def test_typing_an_order_updates_the_json_preview(window, qtbot):
    editor = window.editor
    qtbot.keyClicks(editor.fields["purchaseOrderNumber"], "PO-1001")
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    editor.model.setData(editor.model.index(0, 0), "RS-1")
    editor.model.setData(editor.model.index(0, 2), "3")
    preview = json.loads(editor.preview.toPlainText())
    assert preview["purchaseOrderNumber"] == "PO-1001"
    assert preview["lineItems"] == [{"recipeSetId": "RS-1", "quantity": 3}]


def test_keyboard_duplicate_move_and_delete_rows(window, qtbot):
    window.load_order({"purchaseOrderNumber": "PO", "lineItems": [{"recipeSetId": "A"}, {"recipeSetId": "B"}]})
    editor = window.editor
    editor.table.setFocus()
    editor.table.setCurrentIndex(editor.model.index(0, 0))
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(editor.table, Qt.Key.Key_D, ctrl)
    assert [r["recipeSetId"] for r in window.current_order()["lineItems"]] == ["A", "A", "B"]
    editor.table.setCurrentIndex(editor.model.index(2, 0))
    qtbot.keyClick(editor.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [r["recipeSetId"] for r in window.current_order()["lineItems"]] == ["A", "B", "A"]
    assert editor.table.currentIndex().row() == 1
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert [r["recipeSetId"] for r in window.current_order()["lineItems"]] == ["A", "A"]


def test_paste_tab_separated_rows_from_a_spreadsheet(window, qtbot):
    editor = window.editor
    QApplication.clipboard().setText("RS-1\tSKU-1\t2\nRS-2\tSKU-2\t5\n")
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.current_order()["lineItems"] == [
        {"recipeSetId": "RS-1", "sku": "SKU-1", "quantity": 2},
        {"recipeSetId": "RS-2", "sku": "SKU-2", "quantity": 5},
    ]


def test_pages_can_be_added_with_a_shortcut(window, qtbot):
    page = QLabel("history page")
    window.add_page(page, "History", "Ctrl+2")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is page
    window.show_page("Order")
    assert window.pages.currentWidget() is window.editor


def test_loading_an_order_keeps_unknown_fields(window):
    order = {"purchaseOrderNumber": "PO-7", "orderReference": "ref", "lineItems": [{"recipeSetId": "X", "quantity": 1}]}
    window.load_order(order)
    assert window.current_order() == order


VALID = {
    "purchaseOrderNumber": "PO-9",
    "orderDate": "2024-05-01T10:00:00+02:00",
    "lineItems": [{"recipeSetId": "RS-1", "sku": "SKU-1", "quantity": 1}],
}


def problem_texts(window):
    return [window.editor.problems.item(i).text() for i in range(window.editor.problems.count())]


def test_a_bad_quantity_shows_an_error_that_vanishes_when_fixed(window, qtbot):
    window.load_order(VALID)
    assert problem_texts(window) == []
    assert "valid" in window.send_action.toolTip()
    editor = window.editor
    editor.model.setData(editor.model.index(0, 2), "0")
    texts = problem_texts(window)
    assert any("Line item 1" in t and "Quantity" in t for t in texts)
    assert "Fix 1 problem" in window.send_action.toolTip()
    # Send stays enabled (there is something to send): pressing it shows every problem and sends nothing.
    assert window.send_action.isEnabled()
    editor.model.setData(editor.model.index(0, 2), "4")
    assert problem_texts(window) == []
    assert json.loads(editor.preview.toPlainText())["lineItems"][0]["quantity"] == 4


def test_a_blank_header_field_is_marked_and_clicking_the_problem_goes_there(window, qtbot):
    window.load_order(VALID)
    editor = window.editor
    field = editor.fields["purchaseOrderNumber"]
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert "required" in field.toolTip()
    assert "border" in field.styleSheet()
    editor.table.setFocus()
    item = editor.problems.item(0)
    editor.problems.itemClicked.emit(item)
    assert field.hasFocus()
    qtbot.keyClicks(field, "PO-10")
    assert field.toolTip() == "" and field.styleSheet() == ""


def test_clicking_a_line_item_problem_selects_its_cell(window):
    order = dict(VALID, lineItems=[{"recipeSetId": "A", "sku": "S", "quantity": 1}, {"recipeSetId": "B", "sku": "S", "quantity": -2}])
    window.load_order(order)
    editor = window.editor
    editor.problems.itemClicked.emit(editor.problems.item(0))
    current = editor.table.currentIndex()
    assert (current.row(), current.column()) == (1, 2)


def test_open_a_json_file_fills_the_form(window, tmp_path):
    path = tmp_path / "order.json"
    path.write_text(json.dumps(VALID))
    assert window.open_file(str(path)) is True
    assert window.current_order() == VALID
    assert problem_texts(window) == []


def test_a_broken_json_file_says_where_the_error_is(window, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n "purchaseOrderNumber": "PO",\n}')
    before = window.current_order()
    assert window.open_file(str(path)) is False
    box = window.findChild(QMessageBox, "errorDialog")
    assert "line 3, column 1" in box.text()
    assert window.current_order() == before


def test_paste_json_with_ctrl_shift_v(window, qtbot):
    QApplication.clipboard().setText(json.dumps(VALID))
    qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_order()["purchaseOrderNumber"] == "PO-9"


def test_a_line_item_cell_in_error_is_marked_with_its_message(window):
    window.load_order(VALID)
    editor = window.editor
    editor.model.setData(editor.model.index(0, 2), "0")
    tip = editor.model.data(editor.model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    assert "1 or more" in tip
    assert editor.model.data(editor.model.index(0, 2), Qt.ItemDataRole.BackgroundRole) is not None
    editor.model.setData(editor.model.index(0, 2), "2")
    assert editor.model.data(editor.model.index(0, 2), Qt.ItemDataRole.ToolTipRole) is None


ADDRESS = {
    "firstName": "Ada", "lastName": "Lovelace", "address1": "1 Main St", "city": "Springfield",
    "state": "IL", "postalCode": "62701", "country": "US",
}


def test_full_order_shows_addresses_and_shipping_follows_customer(window, qtbot):
    window.load_order(VALID)
    editor = window.editor
    assert not editor.addresses.isVisible()
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("full"))
    assert editor.addresses.isVisible()
    assert editor.same_as_customer.isChecked()
    for name, value in ADDRESS.items():
        if name != "country":
            qtbot.keyClicks(editor.customer.fields[name], value)
    editor.customer.country.setCurrentIndex(editor.customer.country.findData("US"))
    order = window.current_order()
    assert order["customerAddress"] == ADDRESS
    assert order["shippingAddress"] == ADDRESS
    assert editor.shipping.fields["city"].text() == "Springfield"
    assert problem_texts(window) == []
    editor.same_as_customer.setChecked(False)
    editor.shipping.fields["city"].clear()
    qtbot.keyClicks(editor.shipping.fields["city"], "Shelbyville")
    order = window.current_order()
    assert order["shippingAddress"]["city"] == "Shelbyville"
    assert order["customerAddress"]["city"] == "Springfield"


def test_switching_kind_keeps_what_was_typed(window, qtbot):
    window.load_order(dict(VALID, customerAddress=ADDRESS, shippingAddress=ADDRESS))
    editor = window.editor
    assert editor.kind() == "full"
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("ack"))
    assert "customerAddress" not in window.current_order()
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("full"))
    assert window.current_order()["customerAddress"] == ADDRESS


def test_a_missing_address_field_is_marked_in_its_panel(window):
    window.load_order(dict(VALID, customerAddress=dict(ADDRESS, city="")))
    city = window.editor.customer.fields["city"]
    assert city.toolTip() != ""
    assert any("city" in t.lower() for t in problem_texts(window))


def test_recipeset_kind_shows_only_its_header_fields(window):
    window.load_order(dict(VALID, orderReference="REF-1"))
    editor = window.editor
    assert editor.fields["orderReference"].isVisible()
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("ack-recipeset"))
    assert not editor.fields["orderReference"].isVisible()
    assert editor.fields["accountNumber"].isVisible()
    assert "orderReference" not in window.current_order()
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("ack"))
    assert window.current_order()["orderReference"] == "REF-1"


def test_environments_come_from_the_settings_file_and_reload_keeps_the_active_one(window, tmp_path):
    assert [window.environment_combo.itemText(i) for i in range(window.environment_combo.count())] == [
        "Local sandbox", "Staging", "Production"]
    window.set_environment("staging")
    (tmp_path / "config" / "environments.json").write_text(json.dumps({
        "environments": [
            {"id": "local-sandbox", "name": "Local sandbox", "base_url": "sandbox:"},
            {"id": "staging", "name": "Staging EU", "base_url": "https://staging.example.com", "colour": "#ffeb3b"},
        ],
        "active_id": "local-sandbox",
    }))
    window.reload_environments()
    assert window.environment_combo.count() == 2
    assert window.active_environment().name == "Staging EU"
    band = window.findChild(QLabel, "environmentBand")
    assert "Staging EU" in band.text() and "#ffeb3b" in band.styleSheet() and "color: black" in band.styleSheet()


def test_a_broken_environments_file_offers_the_sandbox_and_says_what_to_fix(qtbot, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "environments.json").write_text('{"environments": [{"name": 5}], "active_id": "x"}')
    win = build_main_window()
    qtbot.addWidget(win)
    win.show()
    assert [win.environment_combo.itemText(i) for i in range(win.environment_combo.count())] == ["Local sandbox"]
    qtbot.waitUntil(lambda: win.findChild(QMessageBox, "errorDialog") is not None)
    text = win.findChild(QMessageBox, "errorDialog").text()
    assert "environments.json" in text and "Only the Local sandbox" in text
    # Words from the one place (ui/errors.py), not the settings file's technical detail: nothing was being
    # changed, and staff get no JSON paths.
    assert "change was not saved" not in text and "environments[0]" not in text, text
    assert "environments[0].id" in caplog.text, "the message sends them to the log: it must say what is wrong"


def test_closing_lets_background_work_finish_before_the_data_files_close(window):
    import time as _time

    from spectrum_desktop.ui import tasks

    delivered = []

    def work(_report, _cancel):
        _time.sleep(0.3)  # e.g. a History query that ignores cancel
        return "done"

    tasks.run(window.editor, work, delivered.append, progress=None)
    window.close()
    assert delivered == ["done"]


def test_send_and_set_token_on_the_toolbar_have_icons_and_keep_their_words(window):
    for action in (window.send_action, window.tools.token_action):
        assert not action.icon().isNull()
        button = window.toolbar.widgetForAction(action)
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon


def test_the_send_icon_is_drawn_in_the_highlight_colour_not_black(window):
    image = window.send_action.icon().pixmap(32, 32).toImage()
    painted = [image.pixelColor(x, y) for x in range(32) for y in range(32) if image.pixelColor(x, y).alpha() > 200]
    assert painted, "the arrow is drawn"
    highlight = window.palette().highlight().color()
    assert all(max(abs(c.red() - highlight.red()), abs(c.green() - highlight.green()),
                   abs(c.blue() - highlight.blue())) <= 2 for c in painted)  # rounding of premultiplied alpha
