"""The token dialog as a user drives it: real gnome-keyring (fixture) and the real sandbox for Test connection."""

import threading
from types import SimpleNamespace

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from spectrum_desktop.domain.environment import SANDBOX_URL, Environment
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.token_dialog import TokenDialog

SERVICE = "spectrum-desktop"


@pytest.fixture
def server():
    with SandboxServer(rate_limit=None) as running:
        yield running


@pytest.fixture
def context(secret_service, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    ctx = AppContext()
    yield ctx
    ctx.close()


@pytest.fixture
def environment(server):
    return Environment(id="test-server", name="Test server", base_url=server.url)


def open_dialog(qtbot, context, environment):
    dialog = TokenDialog(context, environment)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.location_known, timeout=10_000)
    return dialog


def click_and_wait(qtbot, dialog, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result.text() != "" and dialog.location_known(), timeout=10_000)
    return dialog.result.text()


def test_the_token_is_masked_and_can_be_shown(qtbot, context, environment):
    dialog = open_dialog(qtbot, context, environment)
    qtbot.keyClicks(dialog.entry, "secret-value")
    assert dialog.entry.echoMode() == QLineEdit.EchoMode.Password
    assert "secret-value" not in dialog.entry.displayText()
    qtbot.mouseClick(dialog.show_token, Qt.MouseButton.LeftButton)
    assert dialog.entry.displayText() == "secret-value"
    qtbot.mouseClick(dialog.show_token, Qt.MouseButton.LeftButton)
    assert dialog.entry.echoMode() == QLineEdit.EchoMode.Password


def test_save_replace_and_remove_go_to_the_keyring(qtbot, context, environment):
    dialog = open_dialog(qtbot, context, environment)
    assert "It will be kept in GNOME Keyring" in dialog.where.text()
    assert not dialog.remove_button.isEnabled()
    changed = []
    dialog.token_changed.connect(changed.append)
    qtbot.keyClicks(dialog.entry, "first-token")
    text = click_and_wait(qtbot, dialog, dialog.save_button)
    assert text.startswith("Token saved")
    assert keyring.get_password(SERVICE, environment.id) == "first-token"
    assert dialog.entry.text() == ""
    assert changed == [environment.id]
    assert dialog.save_button.text() == "Replace saved token"
    assert dialog.remove_button.isEnabled()
    assert "first-token" not in dialog.result.text() + dialog.where.text()

    qtbot.keyClicks(dialog.entry, "second-token")
    click_and_wait(qtbot, dialog, dialog.save_button)
    assert keyring.get_password(SERVICE, environment.id) == "second-token"

    text = click_and_wait(qtbot, dialog, dialog.remove_button)
    assert "removed" in text
    assert keyring.get_password(SERVICE, environment.id) is None
    assert not dialog.remove_button.isEnabled()
    assert dialog.save_button.text() == "Save"


def test_test_connection_tells_a_good_token_from_a_bad_one_without_sending(qtbot, context, environment, server):
    dialog = open_dialog(qtbot, context, environment)
    qtbot.keyClicks(dialog.entry, "wrong-token")
    text = click_and_wait(qtbot, dialog, dialog.test_button)
    assert "refused" in text.lower()
    assert "wrong-token" not in text
    dialog.entry.clear()
    qtbot.keyClicks(dialog.entry, server.token)
    click_and_wait(qtbot, dialog, dialog.save_button)
    dialog.result.clear()
    text = click_and_wait(qtbot, dialog, dialog.test_button)  # nothing typed: the saved token is tested
    assert text.startswith("Connected")
    assert all(r.method == "GET" for r in server.received())
    assert server.accepted_counts() == {}


def test_an_unreachable_server_is_said_plainly(qtbot, context):
    with SandboxServer(rate_limit=None) as gone:
        url = gone.url
    dialog = open_dialog(qtbot, context, Environment(id="gone", name="Gone", base_url=url))
    qtbot.keyClicks(dialog.entry, "any")
    text = click_and_wait(qtbot, dialog, dialog.test_button)
    assert "Could not reach" in text


def test_the_local_sandbox_needs_no_token(qtbot, context):
    sandbox = Environment(id="local-sandbox", name="Local sandbox", base_url=SANDBOX_URL)
    dialog = open_dialog(qtbot, context, sandbox)
    assert "needs no token" in dialog.where.text()
    assert not dialog.entry.isEnabled()
    assert not dialog.save_button.isEnabled()
    text = click_and_wait(qtbot, dialog, dialog.test_button)
    assert text.startswith("Connected")


class HeldKeyring:
    """The real credentials service, whose keyring answers only once released (as a locked one waits for the user)."""

    def __init__(self, real):
        self.real, self.release = real, threading.Event()

    def location(self, environment):
        assert self.release.wait(10)
        return self.real.location(environment)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_slow_keyring_does_not_freeze_the_dialog(qtbot, context, environment):
    held = HeldKeyring(context.credentials)
    dialog = TokenDialog(SimpleNamespace(credentials=held), environment)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert "Looking up where the token is kept" in dialog.where.text()
    qtbot.keyClicks(dialog.entry, "typed-while-waiting")
    assert not dialog.save_button.isEnabled()
    held.release.set()
    qtbot.waitUntil(dialog.location_known, timeout=10_000)
    assert "It will be kept in GNOME Keyring" in dialog.where.text()
    assert dialog.save_button.isEnabled() and dialog.entry.text() == "typed-while-waiting"


def test_enter_saves_the_pasted_token_and_does_not_close(qtbot, context, environment):
    dialog = open_dialog(qtbot, context, environment)
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)  # nothing typed: Enter neither saves nor closes
    assert dialog.isVisible() and keyring.get_password(SERVICE, environment.id) is None
    qtbot.keyClicks(dialog.entry, "pasted-token")
    assert dialog.save_button.isDefault()
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result.text() != "" and dialog.location_known(), timeout=10_000)
    assert dialog.isVisible()
    assert dialog.result.text().startswith("Token saved")
    assert keyring.get_password(SERVICE, environment.id) == "pasted-token"


def test_every_wrapped_text_is_shown_whole_even_when_the_dialog_is_made_small(qtbot, context, environment):
    from PySide6.QtWidgets import QLabel

    dialog = open_dialog(qtbot, context, environment)
    qtbot.keyClicks(dialog.entry, "wrong-token")
    click_and_wait(qtbot, dialog, dialog.test_button)
    for width in (420, 520, 900):
        dialog.resize(width, 10)  # the person drags it as small as it goes
        qtbot.wait(50)
        for label in dialog.findChildren(QLabel):
            if label.isVisible() and label.wordWrap() and label.text():
                assert label.height() >= label.heightForWidth(label.width()), (width, label.objectName())
