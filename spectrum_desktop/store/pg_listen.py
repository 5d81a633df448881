"""Live history: LISTEN on the shared history's channel on a connection and thread of its own, delivering each
written row's id, state, sender and environment to a plain callback (the window routes it to its GUI thread)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from spectrum_desktop.store.pg_journal import CHANNEL, PgDatabase
from spectrum_desktop.store.shared_url import SharedHistoryError

log = logging.getLogger(__name__)


class HistoryListener:
    """`start()` then `stop()`. The callback runs on the listener's thread; it must be quick and must not raise.
    A lost connection is opened again (after a pause), so a server restart only delays news."""

    def __init__(self, db: PgDatabase, callback: Callable[[dict[str, Any]], None], poll_seconds: float = 0.5,
                 retry_seconds: float = 2.0) -> None:
        self._db = db
        self._callback = callback
        self._poll = poll_seconds
        self._retry = retry_seconds
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="history-listener", daemon=True)

    def start(self, wait_seconds: float = 5.0) -> HistoryListener:
        """Start listening; returns once LISTEN is in place (or after `wait_seconds` if the server is away)."""
        self._thread.start()
        self._listening.wait(wait_seconds)
        return self

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            conn = None
            try:
                conn = self._db.open_connection(autocommit=True)
                conn.execute(f"LISTEN {CHANNEL}")
                self._listening.set()
                while not self._stop.is_set():
                    for note in conn.notifies(timeout=self._poll):
                        self._deliver(note.payload)
            except (SharedHistoryError, Exception) as error:  # noqa: BLE001 - any lost connection: try again
                self._listening.clear()
                log.info("history listener lost its connection (%s); trying again", type(error).__name__)
                self._stop.wait(self._retry)
            finally:
                if conn is not None:
                    conn.close()

    def _deliver(self, text: str) -> None:
        try:
            payload = json.loads(text)
        except ValueError:
            return
        try:
            self._callback(payload)
        except Exception:  # noqa: BLE001 - a failing callback must not end the listener
            log.exception("history listener callback failed")
