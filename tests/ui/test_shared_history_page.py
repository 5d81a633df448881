"""Preferences › Shared history driven as a person would, against a real PostgreSQL and the real keyring."""

import pytest
from PySide6.QtCore import Qt

from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.preferences import PreferencesDialog


@pytest.fixture
def context(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    for name in ("SPECTRUM_DESKTOP_JOURNAL_URL", "SPECTRUM_DESKTOP_TEAM_KEY", "SPECTRUM_DESKTOP_USER"):
        monkeypatch.delenv(name, raising=False)
    ctx = AppContext()
    yield ctx
    ctx.close()


@pytest.fixture
def page(qtbot, context):
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    page = dialog.tabs.currentWidget()
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Shared history"
    yield page
    dialog.deleteLater()


def _answer(qtbot, page, before=""):
    qtbot.waitUntil(lambda: page.status.text() not in ("", before, "Connecting…", "Checking the key…"),
                    timeout=15000)
    return page.status.text()


def test_an_address_with_a_password_is_refused_in_words(qtbot, page):
    page.address.setText("postgresql://ann:pw@127.0.0.1/team")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    text = _answer(qtbot, page)
    assert "must not contain the password" in text and "pw" not in text.replace("password", "")


@pytest.mark.keyring
def test_testing_then_saving_an_empty_shared_history_shows_the_team_key_once(qtbot, page, pg_url,
                                                                              secret_service, tmp_path):
    page.address.setText(pg_url)
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    assert "0 orders" in _answer(qtbot, page) and "no team key yet" in page.status.text()
    page.password.setText("db-pass-123")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.key_box is not None, timeout=15000)
    import keyring

    assert keyring.get_password("spectrum-desktop", "journal:" + pg_url) == "db-pass-123"
    assert "db-pass-123" not in (tmp_path / "config" / "team.json").read_text() and page.password.text() == ""
    key = page.key_box.key.text()
    assert len(key) == 44 and "only this once" in page.key_box.message.text()
    assert pg_url in (tmp_path / "config" / "team.json").read_text()
    assert key not in (tmp_path / "config" / "team.json").read_text()
    page.key_box.close()
    page.key_box = None
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)  # a second save: the key exists, not shown
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved."), timeout=15000)
    qtbot.wait(200)
    assert page.key_box is None
    page.team_key.setText("not-the-key")
    qtbot.mouseClick(page.key_button, Qt.MouseButton.LeftButton)
    assert "does not belong to this shared history" in _answer(qtbot, page, page.status.text())
    page.team_key.setText(key)
    qtbot.mouseClick(page.key_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "kept in your keyring" in page.status.text(), timeout=15000)


def test_an_address_set_by_the_administrator_is_shown_and_cannot_be_changed(qtbot, context, monkeypatch):
    from spectrum_desktop.store.team_settings import TeamSettings, TeamSettingsStore

    TeamSettingsStore().save(TeamSettings(journal_url="postgresql://me@127.0.0.1:5432/mine"))
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", "postgresql://team@127.0.0.1:5432/team")
    dialog = PreferencesDialog(context)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(dialog.tabs.count() - 1)
    page = dialog.tabs.currentWidget()
    assert page.address.text() == "postgresql://team@127.0.0.1:5432/team"
    assert page.address.isReadOnly()
    note = page.set_by_administrator
    assert not note.isHidden() and "administrator" in note.text()
    assert "SPECTRUM_DESKTOP" not in note.text()  # words for staff; the tooltip may name the setting
    assert "SPECTRUM_DESKTOP_JOURNAL_URL" in note.toolTip()


def test_without_an_administrator_address_the_address_is_editable(qtbot, page):
    assert not page.address.isReadOnly()
    assert page.set_by_administrator.isHidden()


def test_enter_in_a_field_does_that_fields_action_and_keeps_the_dialog_open(qtbot, page):
    page.address.setText("postgresql://ann@db.example.com/team")  # another computer without TLS: Test refuses it
    qtbot.keyClick(page.address, Qt.Key.Key_Return)
    assert "encrypted connection" in _answer(qtbot, page)  # Test ran (not Keep team key, not Close)
    page.address.clear()
    page.team_key.setText("a-key-from-a-colleague")
    qtbot.keyClick(page.team_key, Qt.Key.Key_Return)
    assert page.status.text() == "Enter the address and paste the team key first."  # Keep team key ran
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert page.status.text() == "Enter the address your team was given, then Test."
    assert page.window().isVisible()


def test_saving_a_name_then_copying_puts_the_copied_rows_under_that_name(qtbot, page, context, pg_url, monkeypatch):
    """The desk walk: this window started with the login name; "Your name" saved as Ann Desk, then Copy: the
    copied rows are Ann Desk's (not the login name read when the window opened), and so are this window's sends."""
    from cryptography.fernet import Fernet

    from spectrum_desktop.domain.states import OrderKind
    from spectrum_desktop.services.team import open_shared
    from spectrum_desktop.store.journal import HistoryQuery

    local = context.local_journal  # opened at start, before the name was saved
    local.record("staging", OrderKind.FULL, "/api/order", ["PO-1"], ["RS-1"], ["SKU-1"], "{}")
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    page.address.setText(pg_url)
    page.display_name.setText("Ann Desk")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved."), timeout=15000)
    assert "start it again" in page.status.text()
    assert context.sender == "Ann Desk" and local.sender == "Ann Desk"
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("Copied"), timeout=15000)
    assert page.status.text().startswith("Copied 1 order as sent by “Ann Desk”")
    shared = open_shared(pg_url, "someone else", make_key=False)
    try:
        assert shared.journal.senders() == ["Ann Desk"]
        assert shared.journal.history(HistoryQuery(sender="Ann Desk")).total == 1
    finally:
        shared.journal.close()


def test_copying_with_a_name_typed_but_not_saved_uses_it_and_says_to_save(qtbot, page, context, pg_url,
                                                                           monkeypatch):
    from cryptography.fernet import Fernet

    from spectrum_desktop.domain.states import OrderKind
    from spectrum_desktop.services.team import open_shared

    context.local_journal.record("staging", OrderKind.FULL, "/api/order", ["PO-2"], ["RS-2"], ["SKU-2"], "{}")
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    page.address.setText(pg_url)
    page.display_name.setText("Ann Desk")
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("Copied"), timeout=15000)
    assert "“Ann Desk”" in page.status.text() and "Save to send under this name too" in page.status.text()
    shared = open_shared(pg_url, "x", make_key=False)
    try:
        assert shared.journal.senders() == ["Ann Desk"]
    finally:
        shared.journal.close()


def test_testing_an_unreachable_address_says_what_to_check_not_an_outage(qtbot, page):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    page.address.setText(f"postgresql://ann@127.0.0.1:{port}/team")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    text = _answer(qtbot, page)
    assert text.startswith("Could not connect to the database team on 127.0.0.1")
    assert "server name and port" in text and "network" in text and "database server is running" in text
    assert "nothing can be sent" not in text


def test_the_new_team_key_has_a_copy_button_and_a_fixed_width_selectable_font(qtbot, page):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QFontInfo, QGuiApplication

    key = "lI1O0-abcdefghijklmnopqrstuvwxyzABCDEFGHIJ="
    page.show_new_key(key)
    box = page.key_box
    qtbot.waitExposed(box)
    assert box.key.text() == key and box.key.isReadOnly()  # selectable, not editable
    assert QFontInfo(box.key.font()).fixedPitch()
    # The whole key in view: its first character at the left edge, its end inside the field.
    box.key.setCursorPosition(len(key))
    assert box.key.cursorPositionAt(QPoint(4, box.key.height() // 2)) == 0
    assert box.key.cursorRect().right() < box.key.width()
    assert "only this once" in box.message.text()
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(box.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == key
    assert box.isVisible()  # copying does not close it
    box.accept()
