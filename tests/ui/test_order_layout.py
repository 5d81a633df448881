"""The Order page at 1920x1080 and 1024x700 as a new person met it: fields of sensible width, the line items'
spare width for Recipe set ID and SKU (not Quantity), the send's result near eye level, and the order date's
text box said to be the value sent (the picker beside it only fills it in)."""

import pytest
from PySide6.QtCore import Qt

from spectrum_desktop.ui.line_items_model import KEYS
from spectrum_desktop.ui.order_date import AS_SENT
from tests.ui.test_order_tab import home, open_window, sandbox  # noqa: F401 - fixtures

RECIPE, SKU, QUANTITY = (KEYS.index(k) for k in ("recipeSetId", "sku", "quantity"))


@pytest.mark.parametrize("size", [(1920, 1040), (1024, 660)], ids=["1920x1080", "1024x700"])
def test_fields_have_sensible_widths_and_the_line_items_spare_room_goes_to_recipe_set_and_sku(
        qtbot, home, sandbox, size):
    window = open_window(qtbot, sandbox, size)
    editor = window.editor
    date = editor.order_date
    assert date.edit.width() <= 400 and date.picker.width() <= 250, "no 570 px date fields"
    assert editor.kind_combo.width() <= 420, "Kind as wide as its longest kind, not the screen"
    assert editor.fields["purchaseOrderNumber"].width() <= 460
    assert date.now_button.geometry().right() <= date.width(), "nothing cut off"
    table = editor.table
    assert table.columnWidth(QUANTITY) < 120, "Quantity stays narrow"
    assert table.columnWidth(RECIPE) > table.columnWidth(QUANTITY) and table.columnWidth(SKU) > table.columnWidth(
        QUANTITY)
    used = sum(table.columnWidth(c) for c in range(len(KEYS)) if not table.isColumnHidden(c))
    assert abs(used - table.viewport().width()) <= 2, "the columns fill the table, no sideways scroll"
    if size[0] > 1900:
        assert table.columnWidth(RECIPE) > 300 and table.columnWidth(SKU) > 300


def test_the_result_starts_about_half_way_down_the_side(qtbot, home, sandbox):
    window = open_window(qtbot, sandbox, (1920, 1040))
    preview, result = window.editor.side_splitter.sizes()
    assert 0.35 <= preview / (preview + result) <= 0.55, (preview, result)


def test_a_dragged_line_item_column_keeps_its_width_and_the_other_takes_the_rest(qtbot, home, sandbox):
    window = open_window(qtbot, sandbox, (1600, 900))
    table = window.editor.table
    table.setColumnWidth(RECIPE, 222)  # as the person drags it
    assert table.columnWidth(RECIPE) == 222
    assert window.editor.column_widths() == {"recipeSetId": 222}
    used = sum(table.columnWidth(c) for c in range(len(KEYS)) if not table.isColumnHidden(c))
    assert abs(used - table.viewport().width()) <= 2


def test_the_date_text_is_labelled_as_the_value_sent(qtbot, home, sandbox):
    window = open_window(qtbot, sandbox)
    date = window.editor.order_date
    assert date.caption.isVisible() and date.caption.text() == AS_SENT
    assert date.caption.y() > date.edit.y() and date.caption.x() == date.edit.x(), "under the text box"
    assert date.caption.font().pointSizeF() < date.edit.font().pointSizeF(), "a smaller caption"
    date.edit.setText("05/01/2024 10:00")  # converted: the hint says what is sent, in the caption's place
    qtbot.waitUntil(lambda: date.hint.isVisible(), timeout=2000)
    assert not date.caption.isVisible()
    qtbot.mouseClick(date.now_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: date.caption.isVisible(), timeout=2000)
