"""The one background-task helper: run work off the GUI thread, get results back on it.

In the manner of Anki's QueryOp: worker code gets plain data and two helpers
(a progress callable and a cancel event) and never touches a widget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from spectrum_desktop.ui.errors import show_error

if TYPE_CHECKING:  # the dialog's class loads when a task first runs long enough to show it
    from PySide6.QtWidgets import QProgressDialog

PROGRESS_DELAY_MS = 300

Report = Callable[..., None]
Work = Callable[[Report, threading.Event], Any]


class Task(QObject):
    """One piece of background work; lives in the GUI thread, its work in a worker thread."""

    finished = Signal()
    _succeeded = Signal(object)
    _failed = Signal(object)
    _progressed = Signal(int, int, str)

    def __init__(
        self,
        parent: QWidget,
        fn: Work,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None,
        progress: str | None,
        cancellable: bool,
    ) -> None:
        super().__init__(parent)
        self._fn = fn
        self._on_success = on_success
        self._on_failure = on_failure or (lambda exc: show_error(parent, exc))
        self._label = progress
        self._cancellable = cancellable
        self._cancel = threading.Event()
        self._running = False
        self._dialog: QProgressDialog | None = None
        self._last_progress = (0, 0, "")
        self._succeeded.connect(self._deliver_success, Qt.ConnectionType.QueuedConnection)
        self._failed.connect(self._deliver_failure, Qt.ConnectionType.QueuedConnection)
        self._progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PROGRESS_DELAY_MS)
        self._timer.timeout.connect(self._open_dialog)

    def start(self) -> None:
        self._running = True
        if self._label is not None:
            self._timer.start()
        threading.Thread(target=self._work, name="spectrum-task", daemon=True).start()

    def is_running(self) -> bool:
        return self._running

    def cancel(self) -> None:
        self._cancel.set()

    def progress_dialog(self) -> QProgressDialog | None:
        return self._dialog

    def _work(self) -> None:
        try:
            result = self._fn(self._report, self._cancel)
        except BaseException as exc:  # noqa: BLE001 - every failure goes to the GUI thread
            outcome, value = self._failed, exc
        else:
            outcome, value = self._succeeded, result
        try:
            outcome.emit(value)
        except RuntimeError:  # the window that asked was deleted meanwhile: nobody is left to tell
            pass

    def _report(self, done: int, total: int, text: str = "") -> None:
        self._progressed.emit(done, total, text)

    def _open_dialog(self) -> None:
        if not self._running:
            return
        from PySide6.QtWidgets import QProgressDialog

        parent = self.parent()
        dialog = QProgressDialog(self._label or "", "Cancel" if self._cancellable else "", 0, 0, parent)
        dialog.setObjectName("taskProgress")
        dialog.setWindowTitle(self._label or "Working")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self._cancel.set)
        self._dialog = dialog
        self._show_progress(*self._last_progress)
        dialog.show()

    def _show_progress(self, done: int, total: int, text: str) -> None:
        self._last_progress = (done, total, text)
        dialog = self._dialog
        if dialog is None:
            return
        dialog.setMaximum(max(total, 0))
        # A window-modal QProgressDialog processes events in setValue, so the task
        # may finish (and close the dialog) before the label is set.
        dialog.setValue(min(done, total) if total else 0)
        if text and self._dialog is dialog:
            dialog.setLabelText(text)

    def _close(self) -> None:
        self._running = False
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self._cancel.set)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None

    def _deliver_success(self, result: Any) -> None:
        self._close()
        try:
            self._on_success(result)
        finally:
            self._done()

    def _deliver_failure(self, exc: BaseException) -> None:
        self._close()
        try:
            self._on_failure(exc)
        finally:
            self._done()

    def _done(self) -> None:
        self.finished.emit()
        self.setParent(None)


def run(
    parent: QWidget,
    fn: Work,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    *,
    progress: str | None = "Working…",
    cancellable: bool = True,
) -> Task:
    """Run ``fn(report, cancel)`` on a worker thread; call back on the GUI thread."""
    task = Task(parent, fn, on_success, on_failure, progress, cancellable)
    task.start()
    return task
