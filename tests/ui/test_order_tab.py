"""The Order tab as a person at the desk meets it: keyboard and mouse on the real window, the real sandbox."""

import json

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QPlainTextEdit

from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.line_items_model import KEYS
from spectrum_desktop.ui.startup import build_main_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SEND_TIMEOUT_MS = 10_000


@pytest.fixture
def sandbox():
    server = SandboxServer(rate_limit=None).start()
    yield server
    server.stop()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    return tmp_path


def open_window(qtbot, sandbox, size=(1100, 720)):
    window = build_main_window(AppContext(sandbox=sandbox))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    return window


@pytest.fixture
def window(qtbot, home, sandbox):
    return open_window(qtbot, sandbox)


def focused():
    return QApplication.focusWidget()


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focused(), key, modifiers)


def type_text(qtbot, text):
    qtbot.keyClicks(focused(), text)


def enter_cell(qtbot, table):
    """Return in a cell: the delegate commits it on the next turn of the event loop."""
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState, timeout=2000)


def tab(qtbot, times=1):
    for _ in range(times):
        press(qtbot, Qt.Key.Key_Tab)


def problem_texts(editor):
    return [editor.problems.item(i).text() for i in range(editor.problems.count())]


def marked_fields(editor):
    """Every input of the header and the addresses that shows a problem (red outline and tooltip)."""
    widgets = list(editor.fields.values())
    for panel in (editor.customer, editor.shipping):
        widgets += panel.widgets()
    return [w.objectName() for w in widgets if w.toolTip() or w.styleSheet()]


def test_three_line_items_by_button_and_by_shortcut_from_any_field(window, qtbot):
    editor = window.editor
    add_button = editor.line_item_buttons["addLineItemAction"]
    assert add_button.isVisible() and add_button.text() == "Add"
    qtbot.mouseClick(add_button, Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 1
    type_text(qtbot, "RS-1")  # the cursor is in the new row's Recipe set ID cell
    enter_cell(qtbot, editor.table)
    # From the E-mail field (behind More fields): the line item is added and what is typed next goes into it.
    qtbot.mouseClick(editor.more_button, Qt.MouseButton.LeftButton)
    email = editor.fields["emailAddress"]
    qtbot.mouseClick(email, Qt.MouseButton.LeftButton)
    assert focused() is email
    press(qtbot, Qt.Key.Key_Return, CTRL_SHIFT)
    assert editor.model.rowCount() == 2
    assert editor.table.currentIndex().row() == 1 and KEYS[editor.table.currentIndex().column()] == "recipeSetId"
    type_text(qtbot, "RS-2")
    enter_cell(qtbot, editor.table)
    assert email.text() == ""
    # From the purchase order number field, and then the Order menu.
    qtbot.mouseClick(editor.fields["purchaseOrderNumber"], Qt.MouseButton.LeftButton)
    press(qtbot, Qt.Key.Key_Return, CTRL_SHIFT)
    type_text(qtbot, "RS-3")
    enter_cell(qtbot, editor.table)
    order_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Order")
    assert editor.add_action in order_menu.actions() and editor.remove_action in order_menu.actions()
    assert [item["recipeSetId"] for item in window.current_order()["lineItems"]] == ["RS-1", "RS-2", "RS-3"]
    # Duplicate, move and remove by their buttons.
    qtbot.mouseClick(editor.line_item_buttons["duplicateLineItemAction"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.line_item_buttons["moveUpLineItemAction"], Qt.MouseButton.LeftButton)
    ids = [item.get("recipeSetId") for item in window.current_order()["lineItems"]]
    assert ids == ["RS-1", "RS-2", "RS-3", "RS-3"]
    assert editor.table.currentIndex().row() == 2
    qtbot.mouseClick(editor.line_item_buttons["removeLineItemAction"], Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 3


def test_an_empty_line_items_table_says_how_to_add_one_and_enter_there_adds_it(window, qtbot):
    table = window.editor.table
    assert window.editor.model.rowCount() == 0

    def colours_in_corner():
        image = table.viewport().grab().toImage()
        return {image.pixel(x, y) for x in range(0, 300, 2) for y in range(0, 40, 2)}

    assert len(colours_in_corner()) > 1, "the empty table shows its hint"
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.editor.model.rowCount() == 1
    assert table.state() == QAbstractItemView.State.EditingState  # typing goes into the Recipe set ID
    type_text(qtbot, "RS-ENTER")
    enter_cell(qtbot, table)
    assert window.current_order()["lineItems"][0]["recipeSetId"] == "RS-ENTER"
    assert window.editor.model.rowCount() == 1, "Return in a filled table does not add another"


def test_the_right_click_menu_offers_the_line_item_actions(window, qtbot):
    editor = window.editor
    window.load_order({"purchaseOrderNumber": "PO-1", "lineItems": [{"recipeSetId": "A", "sku": "S", "quantity": 1}]})
    editor.table.customContextMenuRequested.emit(QPoint(5, 5))
    menu = next(m for m in editor.table.findChildren(QMenu) if m.isVisible())
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert {"Add line item", "Duplicate line item", "Remove line item"} <= set(texts)
    menu.actions()[texts.index("Duplicate line item")].trigger()
    menu.close()
    assert editor.model.rowCount() == 2


def test_a_full_order_typed_with_tab_only(window, qtbot):
    editor = window.editor
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert focused() is editor.fields["purchaseOrderNumber"]
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is editor.kind_combo
    press(qtbot, Qt.Key.Key_End)  # Full order details
    assert editor.kind() == "full"
    tab(qtbot)
    type_text(qtbot, "PO-TAB-1")
    tab(qtbot)
    assert focused() is editor.fields["orderDate"]  # one stop for the date
    editor.fields["orderDate"].selectAll()
    type_text(qtbot, "2024-05-01T10:00:00+02:00")
    tab(qtbot)
    assert focused() is editor.more_button
    tab(qtbot)
    customer = ["Ada", "Lovelace", "1 Main St", "", "Springfield", "IL", "", "62701", "United States"]
    shipping = ["Charles", "Babbage", "5 Dorset St", "", "London", "LDN", "", "W1U 6QU", "United Kingdom"]
    # Address line 2 and Province are behind More fields: Tab passes them by.
    for value in customer:
        if value:
            type_text(qtbot, value)
            tab(qtbot)
    assert focused() is editor.same_as_customer
    press(qtbot, Qt.Key.Key_Space)
    assert not editor.same_as_customer.isChecked()
    tab(qtbot)
    for value in shipping:
        if value:
            type_text(qtbot, value)
            tab(qtbot)
    assert focused() is editor.table
    press(qtbot, Qt.Key.Key_Return, CTRL_SHIFT)
    for value in ("RS-1", "SKU-1", "2"):
        type_text(qtbot, value)
        tab(qtbot)
    qtbot.waitUntil(lambda: editor.table.state() != QAbstractItemView.State.EditingState, timeout=2000)
    assert focused() is editor.preview, "Tab from the last cell leaves the table"
    order = window.current_order()
    assert order["purchaseOrderNumber"] == "PO-TAB-1"
    assert order["customerAddress"] == {"firstName": "Ada", "lastName": "Lovelace", "address1": "1 Main St",
                                        "city": "Springfield", "state": "IL", "postalCode": "62701", "country": "US"}
    assert order["shippingAddress"]["country"] == "GB" and order["shippingAddress"]["city"] == "London"
    assert order["lineItems"] == [{"recipeSetId": "RS-1", "sku": "SKU-1", "quantity": 2}]
    assert editor.result.ok, problem_texts(editor)
    assert window.send_action.isEnabled()


def test_ctrl_tab_leaves_the_table_from_any_cell_and_shift_tab_from_the_first(window, qtbot):
    editor = window.editor
    window.load_order({"purchaseOrderNumber": "PO-1",
                       "lineItems": [{"recipeSetId": "A", "sku": "S", "quantity": 1}] * 2})
    editor.table.setFocus()
    editor.table.setCurrentIndex(editor.model.index(0, 1))
    tab(qtbot)
    assert focused() is editor.table and editor.table.currentIndex().column() == 2
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert focused() is not editor.table
    editor.table.setFocus()
    editor.table.setCurrentIndex(editor.model.index(0, 0))
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is not editor.table and not editor.table.isAncestorOf(focused())


def test_a_fresh_form_shows_no_problem_and_a_field_shows_its_own_once_left(window, qtbot):
    editor = window.editor
    assert not editor.result.ok  # there is plenty missing...
    assert problem_texts(editor) == [] and not editor.problems.isVisible()  # ...but nothing is said yet
    assert marked_fields(editor) == []
    editor.set_more_fields_shown(True)
    qtbot.mouseClick(editor.fields["emailAddress"], Qt.MouseButton.LeftButton)
    type_text(qtbot, "not-an-address")
    assert marked_fields(editor) == [], "no message while the field is being typed in"
    tab(qtbot)
    assert marked_fields(editor) == ["emailAddress"]
    assert len(problem_texts(editor)) == 1 and "E-mail" in problem_texts(editor)[0]
    assert editor.problems.isVisible()
    # A line item's empty cells say nothing until its row is left.
    press(qtbot, Qt.Key.Key_Return, CTRL_SHIFT)
    assert any(p.path.startswith("lineItems[0]") for p in editor.result.problems)
    assert not any("Line item" in text for text in problem_texts(editor))
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Return, CTRL_SHIFT)  # a second row: the first was left without its Recipe set ID
    texts = problem_texts(editor)
    assert any("Line item 1" in text for text in texts), texts
    assert not any("Line item 2" in text for text in texts), "the new row is not blamed yet"


def test_the_first_send_attempt_shows_every_problem_and_sends_nothing(window, qtbot, sandbox):
    editor = window.editor
    qtbot.mouseClick(editor.fields["purchaseOrderNumber"], Qt.MouseButton.LeftButton)
    type_text(qtbot, "PO-EMPTY-1")
    assert window.send_action.isEnabled(), "there is something to send"
    assert problem_texts(editor) == []
    with qtbot.waitSignal(window.send_not_sent) as blocker:
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Fix the order first" in blocker.args[0] and "problem" in blocker.args[0]
    assert problem_texts(editor), "the Send attempt shows the problems"
    assert sandbox.received() == []


def test_disabled_shipping_fields_show_no_problem(window, qtbot):
    editor = window.editor
    window.load_order({"purchaseOrderNumber": "PO-1", "lineItems": [{"recipeSetId": "A", "sku": "S", "quantity": 1}],
                       "customerAddress": {"firstName": "Ada"}})
    assert editor.kind() == "full" and editor.same_as_customer.isChecked()
    texts = problem_texts(editor)
    assert any("Customer" in t for t in texts) and not any("Shipping" in t for t in texts)
    assert not [name for name in marked_fields(editor) if name.startswith("shippingAddress")]
    window.send_current()  # the count said in the result is the list's, not doubled by the greyed-out copy
    listed = len(problem_texts(editor))
    assert window.results.detail.text().startswith(f"Fix the order first: {listed} problems to fix")
    assert f"Fix {listed} problems" in window.send_action.toolTip()
    editor.same_as_customer.setChecked(False)
    assert any("Shipping" in t for t in problem_texts(editor))


def test_showing_a_message_never_moves_a_field(window, qtbot):
    editor = window.editor
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("full"))
    editor.set_more_fields_shown(True)
    editor.same_as_customer.setChecked(False)
    qtbot.wait(50)
    widgets = list(editor.fields.values()) + editor.customer.widgets() + editor.shipping.widgets() + [editor.table]

    def places():
        return [(w.mapTo(window, QPoint(0, 0)), w.size()) for w in widgets]

    before = places()
    assert marked_fields(editor) == []
    editor.fields["emailAddress"].setText("bad")
    editor.fields["orderDate"].setText("05/01/2024 10:00")  # a date that is converted shows a hint
    window.send_current()
    qtbot.wait(50)
    assert len(marked_fields(editor)) > 10
    assert editor.order_date.hint.isVisible()
    assert places() == before


def test_at_1024x700_a_full_order_with_both_addresses_needs_no_horizontal_scrolling(qtbot, home, sandbox):
    window = open_window(qtbot, sandbox, (1024, 700))
    editor = window.editor
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("full"))
    editor.same_as_customer.setChecked(False)
    editor.set_more_fields_shown(True)
    window.send_current()  # with every problem shown
    qtbot.wait(50)
    assert window.width() <= 1024
    assert not editor.header_scroll.horizontalScrollBar().isVisible()
    viewport = editor.header_scroll.viewport()
    for widget in list(editor.fields.values()) + editor.customer.widgets() + editor.shipping.widgets():
        if widget.isVisible():
            right = widget.mapTo(viewport, QPoint(widget.width(), 0)).x()
            assert right <= viewport.width(), widget.objectName()
    assert not editor.table.horizontalScrollBar().isVisible()


def test_the_line_items_get_the_room(window, qtbot):
    editor = window.editor
    window.load_order({"purchaseOrderNumber": "PO-1",
                       "lineItems": [{"recipeSetId": f"RS-{i}", "sku": "S", "quantity": 1} for i in range(20)]})
    qtbot.wait(50)
    rows = editor.table.viewport().height() // editor.table.rowHeight(0)
    assert rows >= 8, f"only {rows} rows visible at {window.width()}x{window.height()}"


def drag(qtbot, handle, offset):
    """Drag a splitter handle with the mouse by offset pixels (down or right)."""
    start = handle.rect().center()
    vertical = handle.orientation() == Qt.Orientation.Vertical
    end = start + (QPoint(0, offset) if vertical else QPoint(offset, 0))
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(handle, end)
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=end)


def test_a_dragged_splitter_survives_a_send_and_a_restart(qtbot, home, sandbox):
    window = open_window(qtbot, sandbox)
    splitters = {"side": window.editor.side_splitter, "form": window.editor.form_splitter,
                 "editor": window.editor.splitter}
    before = {name: s.sizes() for name, s in splitters.items()}
    drag(qtbot, window.editor.side_splitter.handle(1), -120)
    drag(qtbot, window.editor.form_splitter.handle(1), 60)
    drag(qtbot, window.editor.splitter.handle(1), -80)
    dragged = {name: s.sizes() for name, s in splitters.items()}
    assert all(dragged[name] != before[name] for name in splitters), (before, dragged)
    window.load_order({"purchaseOrderNumber": "PO-DRAG-1", "orderDate": "2024-05-01T10:00:00+02:00",
                       "lineItems": [{"recipeSetId": "RS-1", "sku": "S", "quantity": 1}]})
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS):
        assert window.send_current()
    assert window.results.headline.text().startswith("Sent")
    assert {name: s.sizes() for name, s in splitters.items()} == dragged
    window.close()
    again = open_window(qtbot, sandbox)
    restored = {"side": again.editor.side_splitter, "form": again.editor.form_splitter, "editor": again.editor.splitter}
    assert {name: s.sizes() for name, s in restored.items()} == dragged


def test_columns_chosen_and_their_widths_survive_a_restart(qtbot, home, sandbox):
    window = open_window(qtbot, sandbox)
    editor = window.editor
    gift = KEYS.index("giftMessage")
    assert editor.table.isColumnHidden(gift)
    shown = [KEYS[c] for c in range(len(KEYS)) if not editor.table.isColumnHidden(c)]
    assert shown == ["recipeSetId", "sku", "quantity"]
    menu = editor.columns_button.menu()
    next(a for a in menu.actions() if a.text() == "Gift message").trigger()
    assert not editor.table.isColumnHidden(gift)
    editor.table.setColumnWidth(0, 222)
    window.close()
    again = open_window(qtbot, sandbox)
    assert not again.editor.table.isColumnHidden(gift)
    assert again.editor.table.columnWidth(0) == 222
    assert again.editor.chosen_columns() == ["recipeSetId", "sku", "quantity", "giftMessage"]


def test_more_fields_is_remembered(qtbot, home, sandbox):
    window = open_window(qtbot, sandbox)
    assert not window.editor.fields["accountNumber"].isVisible()
    qtbot.mouseClick(window.editor.more_button, Qt.MouseButton.LeftButton)
    assert window.editor.fields["accountNumber"].isVisible()
    window.close()
    again = open_window(qtbot, sandbox)
    assert again.editor.fields["accountNumber"].isVisible()


def test_new_order_scrolls_back_up_and_puts_the_cursor_in_the_purchase_order_number(qtbot, home, sandbox):
    window = open_window(qtbot, sandbox, (1024, 700))
    editor = window.editor
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("full"))
    editor.set_more_fields_shown(True)
    editor.customer.fields["city"].setFocus()
    total = sum(editor.form_splitter.sizes())
    editor.form_splitter.setSizes([150, total - 150])  # a short header: the addresses scroll
    bar = editor.header_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.maximum() > 0
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == 0
    assert focused() is editor.fields["purchaseOrderNumber"]
    type_text(qtbot, "PO-NEW")
    assert editor.fields["purchaseOrderNumber"].text() == "PO-NEW"



def test_new_order_clears_the_last_result(window, qtbot):
    window.load_order({"purchaseOrderNumber": "PO-CLEAR-1", "orderDate": "2024-05-01T10:00:00+02:00",
                       "lineItems": [{"recipeSetId": "RS-1", "sku": "S", "quantity": 1}]})
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS):
        window.send_current()
    assert window.results.headline.isVisible()
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not window.results.headline.isVisible() and window.results.placeholder.isVisible()


def test_typing_a_country_name_with_spaces_chooses_it(window, qtbot):
    editor = window.editor
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("full"))
    country = editor.customer.country
    qtbot.mouseClick(country.lineEdit(), Qt.MouseButton.LeftButton)
    type_text(qtbot, "United States")
    tab(qtbot)
    assert country.currentData() == "US" and country.currentText() == "United States (US)"
    assert window.current_order()["customerAddress"]["country"] == "US"


def wheel_down(widget):
    """One notch of the mouse wheel with the pointer over the widget."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(widget.rect().center())), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_mouse_wheel_scrolls_the_form_and_changes_no_choice_it_passes(qtbot, home, sandbox):
    window = open_window(qtbot, sandbox, (1024, 700))
    editor = window.editor
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("full"))
    editor.set_more_fields_shown(True)
    editor.customer.country.setCurrentIndex(editor.customer.country.findData("US"))
    qtbot.wait(50)
    editor.fields["purchaseOrderNumber"].setFocus()
    scroll = editor.header_scroll.verticalScrollBar()
    assert scroll.maximum() > 0, "the full order's header scrolls at 1024x700"
    boxes = [editor.kind_combo, editor.fields["priority"], editor.customer.country]
    before = [box.currentIndex() for box in boxes], editor.order_date.picker.dateTime()
    order_before = window.current_order()
    for box in boxes + [editor.order_date.picker]:
        scroll.setValue(0)
        wheel_down(box)
        assert scroll.value() > 0, f"the wheel over {box.objectName()} scrolls the form"
    assert ([box.currentIndex() for box in boxes], editor.order_date.picker.dateTime()) == before
    assert window.current_order() == order_before
    priority = editor.fields["priority"]
    priority.setCurrentIndex(2)  # just chosen from its list: it has the focus now
    priority.setFocus()
    scroll.setValue(0)
    wheel_down(priority)
    assert priority.currentIndex() == 2 and scroll.value() > 0, "a box just used does not take the wheel either"


def test_the_progress_of_a_send_never_moves_the_form(qtbot, home):
    with SandboxServer(rate_limit=None, slow_delay=3.0) as slow:
        window = open_window(qtbot, slow, (1024, 700))
        window.load_order({"purchaseOrderNumber": "SLOW-" + "7" * 40, "orderDate": "2024-05-01T10:00:00+02:00",
                           "lineItems": [{"recipeSetId": "RS-1", "sku": "S", "quantity": 1}]})
        qtbot.wait(50)
        before = window.editor.splitter.sizes()
        with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS):
            assert window.send_current()
            qtbot.waitUntil(window.results.progress_row.isVisible, timeout=3000)
            qtbot.wait(50)
            assert window.editor.splitter.sizes() == before, "the long progress text is cut, not given room"
            assert window.results.progress_label.is_cut()
            window.results.cancel_button.click()


def test_the_json_preview_never_breaks_a_value(window):
    assert window.editor.preview.lineWrapMode() == QPlainTextEdit.LineWrapMode.NoWrap
    window.load_order({"purchaseOrderNumber": "PO-" + "X" * 300, "lineItems": []})
    assert any(len(line) > 300 for line in window.editor.preview.toPlainText().splitlines())


def test_a_cut_cell_has_its_whole_text_as_tooltip(window, qtbot):
    editor = window.editor
    long_id = "RS-" + "7" * 80
    window.load_order({"purchaseOrderNumber": "PO-1",
                       "lineItems": [{"recipeSetId": long_id, "sku": "S", "quantity": 1}]})
    tip = editor.model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Recipe set ID")
    rect = editor.table.visualRect(editor.model.index(0, 0))
    assert editor.table.fontMetrics().horizontalAdvance(long_id) > rect.width()
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip
    event = QHelpEvent(QHelpEvent.Type.ToolTip, rect.center(), editor.table.viewport().mapToGlobal(rect.center()))
    QApplication.sendEvent(editor.table.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text() == long_id


def test_alt_down_in_a_combo_box_does_not_move_a_line_item(window, qtbot):
    editor = window.editor
    window.load_order({"purchaseOrderNumber": "PO-1", "lineItems": [{"recipeSetId": "A"}, {"recipeSetId": "B"}]})
    editor.table.setFocus()
    editor.table.setCurrentIndex(editor.model.index(0, 0))
    editor.set_more_fields_shown(True)
    editor.fields["priority"].setFocus()
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [i["recipeSetId"] for i in window.current_order()["lineItems"]] == ["A", "B"]
    editor.table.setFocus()
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [i["recipeSetId"] for i in window.current_order()["lineItems"]] == ["B", "A"]


def test_an_opened_order_shows_the_columns_that_hold_values(window):
    editor = window.editor
    gift = KEYS.index("giftMessage")
    assert editor.table.isColumnHidden(gift)
    window.load_order({"purchaseOrderNumber": "PO-1",
                       "lineItems": [{"recipeSetId": "A", "sku": "S", "quantity": 1, "giftMessage": "Happy birthday"}]})
    assert not editor.table.isColumnHidden(gift)
    assert editor.table.isColumnHidden(KEYS.index("shipmentVendor"))


def test_the_result_columns_keep_their_width_across_sends_and_restarts(qtbot, home, sandbox):
    window = open_window(qtbot, sandbox)
    order = {"orderDate": "2024-05-01T10:00:00+02:00",
             "lineItems": [{"recipeSetId": "RS-1", "sku": "S", "quantity": 1}]}
    window.load_order(dict(order, purchaseOrderNumber="PO-COL-1"))
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS):
        window.send_current()
    window.results.table.setColumnWidth(0, 177)  # as a drag on the header does
    window.load_order(dict(order, purchaseOrderNumber="PO-COL-2"))
    with qtbot.waitSignal(window.send_finished, timeout=SEND_TIMEOUT_MS):
        window.send_current()
    assert window.results.table.columnWidth(0) == 177
    window.close()
    again = open_window(qtbot, sandbox)
    assert again.results.table.columnWidth(0) == 177


def test_the_json_preview_keeps_its_place_while_the_header_is_typed(window, qtbot):
    editor = window.editor
    window.load_order({"purchaseOrderNumber": "PO-1",
                       "lineItems": [{"recipeSetId": f"RS-{i}", "sku": "S", "quantity": 1} for i in range(300)]})
    bar = editor.preview.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    place = bar.value()
    qtbot.mouseClick(editor.fields["purchaseOrderNumber"], Qt.MouseButton.LeftButton)
    type_text(qtbot, "23")
    assert json.loads(editor.preview.toPlainText())["purchaseOrderNumber"] == "PO-123"
    assert bar.value() == place
    editor.model.setData(editor.model.index(299, 0), "RS-LAST")
    editor.model.remove_row(0)
    body = json.loads(editor.preview.toPlainText())
    assert len(body["lineItems"]) == 299 and body["lineItems"][-1]["recipeSetId"] == "RS-LAST"


def test_a_new_window_takes_typing_into_the_purchase_order_number(qtbot, window):
    type_text(qtbot, "PO-FIRST")
    assert window.editor.fields["purchaseOrderNumber"].text() == "PO-FIRST"


def test_opening_preferences_from_an_empty_field_does_not_flag_it_but_leaving_it_does(window, qtbot):
    """Ctrl+, while the cursor is in the empty purchase order field: the dialog taking the focus is not the person
    leaving the field (nothing is flagged behind Preferences); a real Tab out of it afterwards still is."""
    editor = window.editor
    po = editor.fields["purchaseOrderNumber"]
    qtbot.mouseClick(po, Qt.MouseButton.LeftButton)
    assert focused() is po
    press(qtbot, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.tools.preferences is not None and window.tools.preferences.isVisible()
                    and focused() is not po, timeout=3000)
    dialog = window.tools.preferences
    qtbot.wait(50)
    assert marked_fields(editor) == [], "opening a dialog is not leaving the field"
    dialog.reject()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow() and focused() is po, timeout=3000)
    assert marked_fields(editor) == [], "coming back to the window is not leaving the field either"
    tab(qtbot)
    assert marked_fields(editor) == ["purchaseOrderNumber"], "a real Tab out of the empty field still flags it"
