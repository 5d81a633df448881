"""Live history for a shared history: rows written by colleagues arrive over LISTEN/NOTIFY on a thread of its own;
this object brings them to the GUI thread and asks the window to reload at most a few times a second.

Hook (main window, after the History page exists): `LiveHistory(self, context, history_view.model.reload).start()`
and `.stop()` before the context closes. For this computer's own history it does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from spectrum_desktop.services import team
from spectrum_desktop.ui import tasks

COALESCE_MS = 300
RETRY_MS = 5000
"""The shared history was away when the window opened: try to start listening again this often."""


class LiveHistory(QObject):
    arrived = Signal(object)
    """One written row, on the GUI thread: {"id", "state", "sender", "environment_id"}."""

    def __init__(self, parent: Any, context: Any, reload: Callable[[], None]) -> None:
        super().__init__(parent)
        self._context = context
        self._reload = reload
        self._listener: Any = None
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._reload)
        self._incoming = _Bridge()
        self._incoming.note.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._missed = False
        """Starting failed once (the shared history was away): when it starts, reload what was missed meanwhile."""
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.start)

    def start(self) -> LiveHistory:
        """Open the listener off the GUI thread (connecting may take a moment)."""
        context = self._context
        emit = self._incoming.note.emit
        if self._stopped:
            return self
        tasks.run(self.parent(), lambda _report, _cancel: team.watch_history(context, emit), self._started,
                  self._not_started, progress=None, cancellable=False)
        return self

    def _not_started(self, _error: BaseException) -> None:
        """The shared history could not be opened (server away, password refused): History says why; news of
        colleagues' rows starts once it can be opened."""
        if not self._stopped:
            self._missed = True
            self._retry.start()

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()
        self._retry.stop()
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()

    def _started(self, listener: Any) -> None:
        if self._stopped and listener is not None:
            listener.stop()
            return
        self._listener = listener
        if self._missed and listener is not None:
            self._missed = False
            self._reload()  # the history came back: show what was written while it was away

    def _deliver(self, payload: dict) -> None:
        if self._stopped:
            return
        self.arrived.emit(payload)
        if not self._timer.isActive():
            self._timer.start()


class _Bridge(QObject):
    note = Signal(object)
