"""History over a shared history (real PostgreSQL): pages are read off the GUI thread, so a database server that
stops answering never freezes the window; the view says why its page is empty, and only the latest filter's
answer is shown."""

import socket
import time

import pytest
from cryptography.fernet import Fernet
from PySide6.QtCore import QTimer

from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.services.submission import SubmissionService
from spectrum_desktop.services.team import open_shared
from spectrum_desktop.store.shared_url import parse_journal_url
from spectrum_desktop.ui.history_format import PURCHASE_ORDER, STATE_LABELS, HistoryFilter
from spectrum_desktop.ui.history_sources import history_source
from spectrum_desktop.ui.history_view import RESEND_SAFETY, HistoryView
from tests.ui_history.test_history_view import ENVIRONMENTS

CONNECT_TIMEOUT = 5.0  # PgDatabase's default


@pytest.fixture
def shared(tmp_path, pg_url, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    opened = open_shared(pg_url, "ann")
    for i in range(3):
        sid = opened.journal.record("staging", OrderKind.ACK, "/api/order/acknowledgement", [f"PO-{i}"], [f"R-{i}"],
                                    ["SKU"], "{}")
        opened.journal.mark_sending(sid)
        opened.journal.finish(sid, SubmissionState.FAILED, http_status=500, message="server error")
    yield opened.journal
    opened.journal.close()


@pytest.fixture
def silent_port():
    """A port that takes connections (the kernel's backlog) and never answers: a server that stopped answering."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield s.getsockname()[1]


def shared_view(qtbot, journal, confirm=None):
    view = HistoryView(history_source(SubmissionService(journal, None), remote=True), ENVIRONMENTS, lazy=True, confirm=confirm)
    qtbot.addWidget(view)
    view.set_shared(True, "ann")
    view.show()
    qtbot.waitExposed(view)
    return view


def pos(view):
    return [view.model.data(view.model.index(r, PURCHASE_ORDER)) for r in range(view.model.rowCount())]


def silence(journal, port):
    """Idle connections go; new ones are made to `port`. Returns the real address."""
    real = journal.database.address
    journal.database.close()
    journal.database.address = parse_journal_url(f"postgresql://ann@127.0.0.1:{port}/gone")
    return real


def test_a_silent_server_never_freezes_the_window_and_the_view_says_why(qtbot, shared, silent_port):
    view = shared_view(qtbot, shared)
    qtbot.waitUntil(lambda: view.model.total == 3, timeout=10000)  # server up: the page shows
    assert pos(view) == ["PO-2", "PO-1", "PO-0"]
    assert view.status.text() == ""

    silence(shared, silent_port)
    ticks = []
    timer = QTimer(interval=50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    view.state.setCurrentIndex(view.state.findText(STATE_LABELS[SubmissionState.FAILED]))  # applies the filter
    assert time.monotonic() - started < 0.5  # not the 5 s connect timeout
    qtbot.waitUntil(lambda: "cannot be reached" in view.status.text(), timeout=int(CONNECT_TIMEOUT * 3000))
    waited = time.monotonic() - started
    timer.stop()
    assert waited > CONNECT_TIMEOUT * 0.8  # the read really waited on the silent server...
    assert len(ticks) > waited / 0.05 * 0.5  # ...while the GUI thread kept running its timers
    assert "shared history" in view.status.text()
    assert view.model.total == 0 and view.model.filter.states == frozenset({SubmissionState.FAILED})
    assert "0 submissions" in view.count_label.text()


def test_only_the_latest_filter_is_shown_and_a_late_failure_is_dropped(qtbot, shared, silent_port):
    view = shared_view(qtbot, shared)
    qtbot.waitUntil(lambda: view.model.total == 3, timeout=10000)
    real = silence(shared, silent_port)
    started = time.monotonic()
    view.show_filter(HistoryFilter(search="PO-0"))  # goes to the silent server
    shared.database.address = real  # the server is back before that read gives up
    view.show_filter(HistoryFilter(search="PO-1"))
    assert time.monotonic() - started < 0.5
    qtbot.waitUntil(lambda: pos(view) == ["PO-1"], timeout=10000)
    qtbot.waitUntil(lambda: view.guard.running == 0, timeout=int(CONNECT_TIMEOUT * 3000))  # the silent read ended
    qtbot.wait(100)  # its answer (a failure) reaches the GUI thread
    assert pos(view) == ["PO-1"] and view.model.filter.search == "PO-1"
    assert view.status.text() == ""


def test_resend_all_counts_off_the_gui_thread_then_asks(qtbot, shared):
    asked = []
    view = shared_view(qtbot, shared, confirm=lambda question: asked.append(question) or False)
    qtbot.waitUntil(lambda: view.model.total == 3, timeout=10000)
    assert view.confirm_resend_all() is None
    qtbot.waitUntil(lambda: asked == ["Resend 3 submissions that need attention? To Staging: PO-2, PO-1, PO-0. "
                                      + RESEND_SAFETY], timeout=10000)


def test_the_windows_history_reads_off_the_gui_thread_exactly_when_it_is_the_shared_one():
    from types import SimpleNamespace

    from spectrum_desktop.ui.history_sources import LazyService

    shared = SimpleNamespace(shared_history_url="postgresql://ann@db.example.com/team?sslmode=require")
    assert history_source(LazyService(shared)).remote is True
    assert history_source(LazyService(SimpleNamespace(shared_history_url=""))).remote is False


def test_the_whole_reason_a_page_could_not_be_read_is_in_the_empty_detail_pane(qtbot, shared):
    with socket.socket() as s:  # nobody listens there: refused at once
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    view = shared_view(qtbot, shared)
    view.resize(1024, 600)
    qtbot.waitUntil(lambda: view.model.total == 3, timeout=10000)
    real = silence(shared, closed_port)
    view.state.setCurrentIndex(view.state.findText(STATE_LABELS[SubmissionState.FAILED]))
    qtbot.waitUntil(lambda: "cannot be reached" in view.status.text(), timeout=10000)
    assert view.detail.toPlainText() == view.status.text()  # all of it, where the status line may cut it
    shared.database.address = real  # the server is back
    view.state.setCurrentIndex(0)
    qtbot.waitUntil(lambda: view.model.total == 3, timeout=10000)
    assert view.detail.toPlainText() == "" and view.status.text() == ""
