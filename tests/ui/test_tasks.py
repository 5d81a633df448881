import threading
import time

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from spectrum_desktop.ui import tasks


def test_success_is_delivered_on_the_gui_thread(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}

    def work(report, cancel):
        seen["worker"] = threading.current_thread()
        return 41 + 1

    def ok(result):
        seen["result"] = result
        seen["gui"] = QThread.currentThread() is QApplication.instance().thread()

    task = tasks.run(parent, work, ok, progress=None)
    with qtbot.waitSignal(task.finished, timeout=3000):
        pass
    assert seen["result"] == 42
    assert seen["gui"] is True
    assert seen["worker"] is not threading.main_thread()


def test_failure_goes_to_on_failure(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    errors = []

    def work(report, cancel):
        raise ValueError("The quantity must be at least 1.")

    task = tasks.run(parent, work, lambda r: None, errors.append, progress=None)
    with qtbot.waitSignal(task.finished, timeout=3000):
        pass
    assert [str(e) for e in errors] == ["The quantity must be at least 1."]


def test_unhandled_failure_opens_the_error_dialog(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)

    from spectrum_desktop.services.errors import MissingToken
    from spectrum_desktop.ui.errors import GENERIC

    def work(report, cancel):
        raise MissingToken("Staging")

    task = tasks.run(parent, work, lambda r: None, progress=None)
    with qtbot.waitSignal(task.finished, timeout=3000):
        pass
    box = parent.findChild(QWidget, "errorDialog")
    assert box is not None and "No API token is saved for Staging" in box.text()
    box.close()
    box.deleteLater()

    def broken(report, cancel):
        raise ValueError("invalid literal for int() with base 10: 'x'")  # a programmer's text: not for the desk

    task = tasks.run(parent, broken, lambda r: None, progress=None)
    with qtbot.waitSignal(task.finished, timeout=3000):
        pass
    qtbot.waitUntil(lambda: any(b.text() == GENERIC for b in parent.findChildren(QWidget, "errorDialog")))


def test_progress_appears_only_after_a_moment_and_cancel_reaches_the_worker(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    outcome = []

    def work(report, cancel):
        report(1, 3, "Sending 1 of 3")
        deadline = time.monotonic() + 5
        while not cancel.is_set() and time.monotonic() < deadline:
            time.sleep(0.01)
        return "cancelled" if cancel.is_set() else "timed out"

    task = tasks.run(parent, work, outcome.append, progress="Sending")
    qtbot.wait(100)
    assert task.progress_dialog() is None
    qtbot.waitUntil(lambda: task.progress_dialog() is not None, timeout=2000)
    dialog = task.progress_dialog()
    assert dialog.labelText() == "Sending 1 of 3"
    cancel_button = dialog.findChild(QPushButton)
    with qtbot.waitSignal(task.finished, timeout=3000):
        qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    assert outcome == ["cancelled"]


def test_quick_work_never_shows_progress(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    results = []
    task = tasks.run(parent, lambda report, cancel: "done", results.append, progress="Sending")
    with qtbot.waitSignal(task.finished, timeout=3000):
        pass
    qtbot.wait(400)
    assert results == ["done"]
    assert parent.findChild(QWidget, "taskProgress") is None


def test_the_gui_thread_keeps_ticking_during_slow_work(qtbot):
    from PySide6.QtCore import QTimer

    parent = QWidget()
    qtbot.addWidget(parent)
    ticks = []
    timer = QTimer(parent)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()

    def slow(report, cancel):
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            sum(range(20000))  # busy work, holds the GIL in short slices
        return "done"

    results = []
    task = tasks.run(parent, slow, results.append, progress="Sending")
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    timer.stop()
    gaps = [later - earlier for earlier, later in zip(ticks, ticks[1:])]
    assert results == ["done"]
    assert len(ticks) > 30
    print(f"longest gap {max(gaps) * 1000:.0f} ms over {len(ticks)} ticks")
    assert max(gaps) < 0.25, f"longest gap {max(gaps) * 1000:.0f} ms (work on the GUI thread would stall it 1 s)"
