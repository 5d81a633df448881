"""Rows a colleague writes reach this window's GUI thread within a second or two (real PostgreSQL, LISTEN/NOTIFY)."""

import threading

from cryptography.fernet import Fernet
from PySide6.QtWidgets import QWidget

from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.services.team import open_shared
from spectrum_desktop.ui.live_history import LiveHistory


def shared_context_and_window(qtbot, home, monkeypatch, url):
    """A context on the shared history at `url` (with a team key) and a window for its live history."""
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(home))
    monkeypatch.setenv("SPECTRUM_DESKTOP_JOURNAL_URL", url)
    monkeypatch.setenv("SPECTRUM_DESKTOP_TEAM_KEY", Fernet.generate_key().decode())
    window = QWidget()
    qtbot.addWidget(window)
    return AppContext(), window


def test_a_colleagues_row_reloads_the_history_on_the_gui_thread(qtbot, tmp_path, pg_url, monkeypatch):
    context, window = shared_context_and_window(qtbot, tmp_path, monkeypatch, pg_url)
    reloads, threads, seen = [], [], []
    live = LiveHistory(window, context, lambda: (reloads.append(1), threads.append(threading.current_thread())))
    live.arrived.connect(seen.append)
    live.start()
    qtbot.waitUntil(lambda: live.listening, timeout=10000)
    colleague = open_shared(pg_url, "bob").journal
    try:
        sid = colleague.record("staging", OrderKind.ACK, "/api/order/acknowledgement", ["LIVE-9"], ["R1"], [], "{}")
        colleague.mark_sending(sid)
        colleague.finish(sid, SubmissionState.SUCCEEDED)
        qtbot.waitUntil(lambda: len(seen) == 3 and bool(reloads), timeout=2000)
        assert [(p["id"], p["state"], p["sender"]) for p in seen][-1] == (sid, "succeeded", "bob")
        assert threads[0] is threading.main_thread()
        qtbot.wait(500)
        assert len(reloads) == 1  # three notes within a moment: one reload
    finally:
        colleague.close()
        live.stop()
        context.close()


def test_a_shared_history_away_at_start_is_listened_to_once_it_is_back(qtbot, tmp_path, pg_cluster, monkeypatch):
    import psycopg

    from spectrum_desktop.ui import live_history

    monkeypatch.setattr(live_history, "RETRY_MS", 200, raising=False)
    name = f"later_{tmp_path.name}".replace("-", "_")[:60]
    url = pg_cluster.url(name)  # no such database yet: the shared history is away
    context, window = shared_context_and_window(qtbot, tmp_path, monkeypatch, url)
    reloads = []
    live = LiveHistory(window, context, lambda: reloads.append(1))
    try:
        live.start()
        qtbot.wait(600)
        assert not live.listening
        with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # it is back
        qtbot.waitUntil(lambda: live.listening, timeout=10000)
        assert reloads  # what was written while it was away is shown
        reloads.clear()
        colleague = open_shared(url, "bob").journal
        try:
            colleague.record("staging", OrderKind.ACK, "/api/order/acknowledgement", ["BACK-1"], ["R1"], [], "{}")
            qtbot.waitUntil(lambda: bool(reloads), timeout=3000)
        finally:
            colleague.close()
    finally:
        live.stop()
        context.close()
