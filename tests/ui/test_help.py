"""Help menu in the real window: About names the version, Keyboard shortcuts lists the real actions' keys, the
sandbox's test values are the README's, and Where data and logs live shows the real folders."""

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QTableWidget

from spectrum_desktop import __version__
from spectrum_desktop.sandbox.magic import MAGIC_VALUES
from spectrum_desktop.ui.startup import build_main_window


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    win = build_main_window()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def help_menu(window):
    menus = {m.title().replace("&", ""): m for m in window.menuBar().findChildren(QMenu)}
    return menus["Help"]


def trigger(window, name):
    action = next(a for a in help_menu(window).actions() if a.objectName() == name)
    action.trigger()
    return window.help.dialog


def texts(dialog):
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def table_rows(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_menus_are_named_as_the_messages_name_them(window):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles[-1] == "Help" and "Edit" in titles
    edit = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Edit")
    assert "Preferences…" in [a.text().replace("&", "") for a in edit.actions()]
    assert "Set token…" in [a.text().replace("&", "") for a in edit.actions()]


def test_about_names_the_version(qtbot, window):
    dialog = trigger(window, "helpAbout")
    assert dialog.isVisible()
    assert __version__ in texts(dialog) and "Spectrum Desktop" in texts(dialog)


def test_keyboard_shortcuts_lists_every_action_with_keys_as_the_actions_have_them(qtbot, window):
    dialog = trigger(window, "helpShortcuts")
    rows = table_rows(dialog.findChild(QTableWidget, "shortcutsTable"))
    listed = {(action, keys) for _menu, action, keys in rows}
    expected = set()
    for action in window.findChildren(QAction):
        keys = [k for n, k in enumerate(action.shortcuts())
                if not k.isEmpty() and (n == 0 or "+" in k.toString())]  # not a special keyboard's "Save" key
        if keys and action.text():
            name = action.text().replace("&", "").rstrip("…").strip()
            expected.add((name, ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)))
    assert expected and expected <= listed
    names = {action for action, _keys in listed}
    assert {"New order", "Preferences", "Set token", "History", "Bulk", "Keyboard shortcuts"} <= names
    assert ("History", QKeySequence("Ctrl+H").toString(QKeySequence.SequenceFormat.NativeText)) in listed
    # a shortcut added later (another page, another helper) is listed too: the table is read from the actions
    extra = QAction("Practise something", window, shortcut=QKeySequence("Ctrl+Alt+P"))
    window.addAction(extra)
    from PySide6.QtGui import QShortcut

    bound = QShortcut(QKeySequence("Ctrl+Alt+L"), window)
    bound.setWhatsThis("Add a line item")
    rows = table_rows(trigger(window, "helpShortcuts").findChild(QTableWidget, "shortcutsTable"))
    assert any(r[1] == "Practise something" for r in rows)
    assert any(r[1] == "Add a line item" for r in rows)


def test_every_listed_shortcut_is_in_a_menu_of_the_menu_bar_even_after_a_right_click_menu(qtbot, window):
    table = window.editor.table
    window.editor.add_line_item()
    table.customContextMenuRequested.emit(QPoint(5, 5))  # a right-click menu, as a person opens it
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=2000)
    QApplication.activePopupWidget().close()
    rows = table_rows(trigger(window, "helpShortcuts").findChild(QTableWidget, "shortcutsTable"))
    bar = [a.text().replace("&", "") for a in window.menuBar().actions()]
    menus = {action: menu for menu, action, _keys in rows}
    assert menus["Add line item"] == "Order" and menus["Order"] == "View" and menus["Choose environment"] == "Order"
    assert menus["Paste rows from a spreadsheet"] == "Line items (right-click)"
    assert {menu for menu, _action, _keys in rows} <= set(bar) | {"Line items (right-click)"}, "no 'Window' group"


def test_sandbox_test_values_are_the_readme_table(qtbot, window):
    dialog = trigger(window, "helpSandbox")
    rows = table_rows(dialog.findChild(QTableWidget, "sandboxValuesTable"))
    assert len(rows) == len([v for v in MAGIC_VALUES if v.seen]) == len(MAGIC_VALUES) - 1  # a wrong token: not here
    words = " ".join(" ".join(r) for r in rows)
    assert rows[0][:2] == ["FAIL... (e.g. FAIL-1)", "Recipe set ID"]
    assert any(r[0].startswith("ERR500") and r[1] == "Purchase order number" and "reference number" in r[2]
               for r in rows)
    said = " ".join(" ".join(r[1:]) for r in rows)  # the values themselves (RATE403, BADJSON) are what to type
    for developer_word in ("`", "recipeSetId", "purchaseOrderNumber", "success: false", "--slow-delay", "HTTP",
                           "403", "SPECTRUM_API_TOKEN", "JSON"):
        assert developer_word not in (words if developer_word in ("`", "purchaseOrderNumber") else said), \
            developer_word


def test_where_data_and_logs_live_shows_the_real_folders(qtbot, window, tmp_path):
    dialog = trigger(window, "helpLocations")
    shown = texts(dialog)
    assert str(tmp_path / "data") in shown and str(tmp_path / "logs") in shown
    assert "keyring" in shown
