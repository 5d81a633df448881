"""Two homes ("machines") on one shared history (real PostgreSQL): a row Ann's command line sends to the real
sandbox appears in Bea's open History window within seconds, with Ann's name under Sent by, without polling."""

import subprocess
import sys
import time

import pytest
from cryptography.fernet import Fernet

from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.history_format import PURCHASE_ORDER, SENT_BY
from spectrum_desktop.ui.history_view import HistoryView
from spectrum_desktop.ui.startup import build_main_window
from tests.cli.helpers import TOKEN, cli_env, write_orders
from tests.services.orders import order


@pytest.fixture
def team(tmp_path, pg_url, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", pg_url)
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    return a, b


def test_a_row_sent_from_home_a_appears_in_bs_open_history_within_3_seconds(qtbot, team, monkeypatch):
    a, b = team
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(b))
    monkeypatch.setenv("SPECTRUM_DESKTOP_USER", "bea")
    with SandboxServer(token=TOKEN, rate_limit=None) as server:
        window = build_main_window(AppContext())
        qtbot.addWidget(window)
        window.resize(1024, 700)
        window.show()
        qtbot.waitExposed(window)
        window.show_page("History")
        history = window.findChild(HistoryView)
        assert history.shared and not history.table.isColumnHidden(SENT_BY)
        qtbot.waitUntil(lambda: window.history_pages.live is not None and window.history_pages.live.listening,
                        timeout=10000)
        assert history.model.total == 0

        env = {**cli_env(a), "SPECTRUM_DESKTOP_USER": "ann"}
        orders = write_orders(a / "o.json", [order("LIVE-1")])
        sender = subprocess.Popen([sys.executable, "-m", "spectrum_desktop", "send", orders, "--base-url",
                                   server.url], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        qtbot.waitUntil(lambda: sender.poll() is not None, timeout=60000)  # B's window keeps running meanwhile
        written = time.monotonic()
        assert sender.returncode == 0, sender.stderr.read()
        qtbot.waitUntil(lambda: history.model.total == 1, timeout=3000)
        assert time.monotonic() - written < 3.0
        model = history.model
        assert model.data(model.index(0, PURCHASE_ORDER)) == "LIVE-1"
        assert model.data(model.index(0, SENT_BY)) == "ann"
        assert history.table.horizontalScrollBar().maximum() == 0
        # Sent by offers the colleague's name the history now knows (not only Bea's own); typing stays possible.
        qtbot.waitUntil(lambda: history.sent_by.findText("ann") >= 0, timeout=3000)
        assert history.sent_by.isEditable() and history.sent_by.findText("bea") >= 0
        history.sent_by.setCurrentIndex(history.sent_by.findText("ann"))
        history.sent_by.activated.emit(history.sent_by.currentIndex())
        qtbot.waitUntil(lambda: history.current_filter().sender == "ann" and history.model.total == 1, timeout=3000)
        history.sent_by.setEditText("bea")
        history.sent_by.lineEdit().returnPressed.emit()
        qtbot.waitUntil(lambda: history.model.total == 0, timeout=3000)
        assert history.sent_by.findText("ann") >= 0  # the names stay offered whatever is typed
        window.close()
    assert window.history_pages.live._listener is None  # closing the window ended the listener


def test_an_unreachable_shared_history_is_said_in_the_status_bar_not_as_the_tokens_place(qtbot, tmp_path,
                                                                                         monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on: the database refuses at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", f"postgresql://ann@127.0.0.1:{port}/team")
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    window = build_main_window(AppContext())
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: "Shared history" in window.rate_label.text(), timeout=10000)
    assert window.token_label.text() == "Token: not needed here"  # the token's place is still known
    assert window.rate_label.text() == "Shared history not available: nothing can be sent"
    assert "cannot be reached" in window.rate_label.toolTip()
    bar = window.statusBar()
    # the words fit at 1024 wide (once the status bar has laid the new text out)
    qtbot.waitUntil(lambda: window.rate_label.geometry().right() <= bar.width(), timeout=3000)
    window.close()


def test_a_member_without_the_team_key_is_refused_in_words_and_nothing_is_sent(qtbot, team, monkeypatch):
    import os

    from spectrum_desktop.services.team import open_shared
    from spectrum_desktop.store.journal import HistoryQuery

    a, b = team
    open_shared(os.environ["SPECTRUM_DESKTOP_JOURNAL_URL"], "ann").journal.close()  # the team key is set up
    monkeypatch.delenv("SPECTRUM_DESKTOP_TEAM_KEY")  # Bea has not pasted it
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(b))
    monkeypatch.setenv("SPECTRUM_DESKTOP_USER", "bea")
    with SandboxServer(token=TOKEN, rate_limit=None) as server:
        context = AppContext(sandbox=server)
        window = build_main_window(context)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.set_environment("local-sandbox")
        window.load_order(order("NOKEY-W1"))
        with qtbot.waitSignal(window.send_not_sent, timeout=10_000) as refused:
            assert window.send_current()
        words = refused.args[0]
        assert "nothing was sent" in words and "paste it in Preferences › Shared history" in words
        assert "SPECTRUM_DESKTOP" not in words and "Traceback" not in words
        assert server.received() == []
        assert context.submissions.page(HistoryQuery()).total == 0  # nothing journaled: nothing lost
        window.close()


def test_a_shared_history_in_use_is_named_in_the_title_help_and_an_empty_sent_by_says_why(qtbot, team, monkeypatch):
    """Sent by on a name with no rows says why (names are matched as each order was sent), not a bare 0; the title
    says a shared history is in use; Help › Where data and logs live shows its address, and the local file as
    this computer's own history."""
    import os

    from PySide6.QtWidgets import QLabel

    from spectrum_desktop.domain.states import OrderKind
    from spectrum_desktop.services.team import open_shared

    a, b = team
    url = os.environ["SPECTRUM_DESKTOP_JOURNAL_URL"]
    bob = open_shared(url, "Bob Smith")
    bob.journal.record("staging", OrderKind.FULL, "/api/order", ["PO-B"], ["RS-B"], ["SKU-B"], "{}")
    bob.journal.close()
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(b))
    monkeypatch.setenv("SPECTRUM_DESKTOP_USER", "Ann Desk")
    window = build_main_window(AppContext())
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle().endswith("(shared history)")
    window.show_page("History")
    history = window.findChild(HistoryView)
    qtbot.waitUntil(lambda: history.model.total == 1, timeout=10000)
    history.sent_by.setEditText("Ann Desk")
    history.sent_by.lineEdit().returnPressed.emit()
    qtbot.waitUntil(lambda: history.model.total == 0, timeout=5000)
    assert history.status.text() == "Nothing sent by “Ann Desk” matches."
    assert "matched exactly as each order was sent" in history.detail.toPlainText()  # whole, where it fits
    history.sent_by.setEditText("Bob Smith")
    history.sent_by.lineEdit().returnPressed.emit()
    qtbot.waitUntil(lambda: history.model.total == 1, timeout=5000)
    assert history.status.text() == "" and "matched exactly" not in history.detail.toPlainText()

    window.help.locations_action.trigger()
    dialog = window.help.dialog
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert url in shown and "shared history" in shown
    assert "This computer's own history" in shown and str(b / "data") in shown
    dialog.close()
    window.close()
