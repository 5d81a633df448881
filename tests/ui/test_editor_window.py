"""The editor's tools in the real main window: New/Save draft/Preferences/Set token, the status bar, drafts across
a real crash (a child process killed after autosave), all on real gnome-keyring and SQLite in tmp_path."""

import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from spectrum_desktop.services.context import AppContext
from spectrum_desktop.services.drafts import DraftKeeper
from spectrum_desktop.ui.startup import build_main_window

ORDER = {
    "purchaseOrderNumber": "PO-WIN-1",
    "orderDate": "2024-05-01T10:00:00+02:00",
    "lineItems": [{"recipeSetId": "RS-1", "sku": "SKU-1", "quantity": 1}],
}


@pytest.fixture
def home(secret_service, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    return tmp_path


def open_window(qtbot):
    window = build_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.tools.draft_check_done, timeout=10_000)
    return window


@pytest.fixture
def window(qtbot, home):
    return open_window(qtbot)


def unsent_elsewhere():
    context = AppContext()
    try:
        return DraftKeeper(context).unsent()
    finally:
        context.close()


def test_menus_follow_the_platform(window):
    def keys(standard):
        return QKeySequence.keyBindings(standard)

    assert window.new_action.shortcuts() == keys(QKeySequence.StandardKey.New)
    assert window.open_action.shortcuts() == keys(QKeySequence.StandardKey.Open)
    assert window.save_action.shortcuts() == keys(QKeySequence.StandardKey.Save)
    assert window.quit_action.shortcuts() == keys(QKeySequence.StandardKey.Quit)
    assert window.quit_action.menuRole() == QAction.MenuRole.QuitRole
    assert QKeySequence("Ctrl+,") in window.preferences_action.shortcuts()
    assert window.preferences_action.menuRole() == QAction.MenuRole.PreferencesRole


def test_ctrl_n_starts_a_new_order_dated_now(window, qtbot):
    window.load_order(ORDER)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    order = window.current_order()
    assert "purchaseOrderNumber" not in order and order["lineItems"] == []
    moment = datetime.fromisoformat(order["orderDate"])
    assert abs(datetime.now().astimezone() - moment) < timedelta(minutes=1)


def test_ctrl_s_saves_the_draft_at_once(window, qtbot):
    window.load_order(ORDER)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Draft saved."
    found = unsent_elsewhere()
    assert found is not None and found.order == ORDER


def test_a_delivered_order_drops_its_draft(window, qtbot):
    window.load_order(ORDER | {"purchaseOrderNumber": f"PO-WIN-{os.getpid()}-{datetime.now().timestamp():.0f}"})
    window.tools.save_draft()
    assert unsent_elsewhere() is not None
    with qtbot.waitSignal(window.send_finished, timeout=15_000) as sent:
        window.send_current()
    assert sent.args[0].state == "succeeded"
    assert unsent_elsewhere() is None


def test_status_bar_says_where_the_token_is_and_the_budget_left(window, qtbot):
    qtbot.waitUntil(lambda: "not needed" in window.token_label.text(), timeout=10_000)
    assert window.token_label.text() == "Token: not needed here"
    assert "needs no token" in window.token_label.toolTip()
    assert window.rate_label.text().startswith("Requests left for acknowledgements: ")
    window.set_environment("staging")
    qtbot.waitUntil(lambda: "none saved" in window.token_label.text(), timeout=10_000)
    assert "GNOME Keyring" in window.token_label.text()
    keyring.set_password("spectrum-desktop", "staging", "staging-token")
    window.tools.refresh_status()
    qtbot.waitUntil(lambda: window.token_label.text() == "Token: GNOME Keyring", timeout=10_000)
    assert "staging-token" not in window.token_label.text()


def test_set_token_opens_the_dialog_for_the_active_environment(window, qtbot):
    window.set_environment("staging")
    window.findChild(QAction, "setTokenAction").trigger()
    dialog = window.tools.token_dialog
    assert dialog.isVisible() and dialog.environment.id == "staging"
    qtbot.waitUntil(dialog.location_known, timeout=10_000)
    qtbot.keyClicks(dialog.entry, "from-the-dialog")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.token_label.text() == "Token: GNOME Keyring", timeout=10_000)
    assert keyring.get_password("spectrum-desktop", "staging") == "from-the-dialog"


def test_preferences_add_an_environment_and_the_toolbar_offers_it(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.tools.preferences
    assert dialog is not None and dialog.isVisible()
    page = dialog.environments
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    page.form.name.selectAll()
    qtbot.keyClicks(page.form.name, "Training")
    page.form.base_url.selectAll()
    qtbot.keyClicks(page.form.base_url, "https://training.example.com")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    combo = window.environment_combo
    assert "Training" in [combo.itemText(i) for i in range(combo.count())]


CHILD = textwrap.dedent(
    """
    import json, os, sys
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from spectrum_desktop.ui.startup import build_main_window
    window = build_main_window()
    window.show()
    window.load_order(json.loads(sys.argv[1]))
    window.tools.autosave.saved.connect(lambda _id: os._exit(9))  # crash right after the autosave
    app.exec()
    """
)


def test_after_a_real_crash_the_unsent_order_is_offered_back(home, qtbot):
    child = subprocess.run([sys.executable, "-c", CHILD, json.dumps(ORDER)], env=dict(os.environ),
                           capture_output=True, timeout=60)
    assert child.returncode == 9, child.stderr.decode(errors="replace")[-2000:]
    window = open_window(qtbot)
    box = window.tools.recovery
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "PO-WIN-1" in box.text()
    qtbot.mouseClick(box.findChild(QAbstractButton, "restoreDraft"), Qt.MouseButton.LeftButton)
    assert window.current_order() == ORDER


@pytest.fixture
def no_keyring(tmp_path, monkeypatch):
    from keyring.backends import fail

    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_without_a_keyring_the_status_bar_says_memory_only(no_keyring, qtbot):
    window = open_window(qtbot)
    window.set_environment("staging")
    qtbot.waitUntil(lambda: "memory only" in window.token_label.text(), timeout=10_000)
    assert "memory only: no keyring available" in window.token_label.text()
    assert "kept only while the app runs" in window.statusBar().currentMessage()
    dialog = window.tools.open_token_dialog()
    qtbot.waitUntil(lambda: "memory only" in dialog.where.text(), timeout=10_000)


def test_the_result_panels_set_token_request_opens_the_dialog(window):
    window.set_environment("production")
    window.token_requested.emit("production")
    dialog = window.tools.token_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "API token for Production"


def test_an_environment_in_the_recipe_set_format_switches_the_acknowledgement_kind(window, qtbot):
    window.context.environments.update("staging", {"request_format": "RecipeSet"})
    window.reload_environments()
    window.load_order(ORDER)
    window.set_environment("staging")
    assert window.editor.kind() == "ack-recipeset"
    assert window.current_order()["recipeSets"] == [
        {"recipeSetId": "RS-1", "skuQuantities": [{"sku": "SKU-1", "quantity": 1}]}
    ]
    assert window.editor.result.ok
    assert "RecipeSet format" in window.statusBar().currentMessage()
    window.set_environment("local-sandbox")
    assert window.editor.kind() == "ack"
    assert window.current_order() == ORDER


def test_closing_waits_for_the_start_up_draft_lookup(home, qtbot):
    earlier = AppContext()
    DraftKeeper(earlier).save(ORDER, "ack")
    earlier.close()
    window = build_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.tools.draft_check_started, timeout=5000)
    window.close()  # the lookup must finish before the window closes the database
    assert window.tools.draft_check_done()


def test_closing_before_the_background_checks_start_skips_them(home, qtbot):
    window = build_main_window()
    qtbot.addWidget(window)
    window.show()
    window.close()
    qtbot.wait(700)
    assert not window.tools.draft_check_started()
    assert window.token_label.text() == ""


def test_a_closed_window_reads_no_more_from_its_closed_data(window, qtbot):
    qtbot.waitUntil(lambda: window.rate_label.text().startswith("Requests left"), timeout=10_000)
    qtbot.waitUntil(lambda: window.tools._budget_task is None, timeout=5000)
    window.close()
    window.pages.setCurrentIndex(1)  # pages torn down after closing still say their page changed
    window.tools.refresh_rate_budget()
    assert window.tools._budget_task is None, "no read of the rate budget after the database was closed"
