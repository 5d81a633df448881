import json
import logging
import os
import struct
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from spectrum_desktop.logging_setup import LOG_FILE_NAME, configure_logging, default_log_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    root = logging.getLogger()
    before = list(root.handlers)
    yield tmp_path
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def test_log_goes_to_a_file_under_the_app_home(home):
    path = configure_logging()
    logging.getLogger("spectrum_desktop.test").warning("hello from the test")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert path == default_log_dir() / LOG_FILE_NAME == home / "logs" / LOG_FILE_NAME
    assert "hello from the test" in path.read_text(encoding="utf-8")


def test_crash_hook_writes_a_readable_log_line(home):
    from spectrum_desktop.ui.crash_dialog import crash_message, install_crash_hook

    path = configure_logging()
    saved = sys.excepthook
    try:
        install_crash_hook(path, show_dialog=False)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = saved
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "CRITICAL" in text and "Unhandled error" in text and "RuntimeError: (its text is not logged" in text
    assert "RuntimeError: boom" not in text  # an exception's text may quote customer data: type and frames only
    assert str(path) in crash_message(RuntimeError("x"), path)


def test_icons_are_valid_ico_and_icns(tmp_path):
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from icons import generate
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    paths = generate(ROOT / "resources" / "spectrum-desktop.svg", tmp_path)
    assert all(p.stat().st_size > 0 for p in paths)
    png = (tmp_path / "spectrum-desktop-256.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (256, 256)
    ico = (tmp_path / "spectrum-desktop.ico").read_bytes()
    assert struct.unpack("<HHH", ico[:6]) == (0, 1, 4)
    icns = (tmp_path / "spectrum-desktop.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_selftest_reports_which_send_hooks_are_missing(qapp, capsys):
    from PySide6.QtWidgets import QMainWindow

    from spectrum_desktop.ui.selftest import EXIT_SEND_UNAVAILABLE, run_selftest

    lines: list[str] = []
    assert run_selftest(qapp, QMainWindow, lines.append) == EXIT_SEND_UNAVAILABLE
    assert "main window opened" in lines[0]
    assert "send_current" in lines[1]


def test_outcome_reading_uses_per_recipe_set_results():
    from spectrum_desktop.ui.selftest import outcome_succeeded

    good = SimpleNamespace(recipe_set_results=[SimpleNamespace(ok=True), SimpleNamespace(ok=True)])
    mixed = SimpleNamespace(recipe_set_results=[SimpleNamespace(ok=True), SimpleNamespace(ok=False)])
    assert outcome_succeeded(good) == (True, "2/2 recipeSets succeeded")
    assert outcome_succeeded(mixed)[0] is False
    assert outcome_succeeded(SimpleNamespace(succeeded=False))[0] is False


def test_crash_inside_a_slot_ends_the_event_loop_with_the_crash_code(home, qapp):
    from PySide6.QtCore import QTimer

    from spectrum_desktop.ui.crash_dialog import EXIT_CRASHED, install_crash_hook

    path = configure_logging()
    saved = sys.excepthook
    # A fallback that fired after this test would set Qt's quit flag outside exec()
    # and make every later nested event loop (qtbot.waitSignal) return at once.
    fallback = QTimer()
    fallback.setSingleShot(True)
    fallback.timeout.connect(lambda: qapp.exit(0))
    try:
        install_crash_hook(path, show_dialog=False)

        def explode() -> None:
            raise ValueError("slot failed")

        QTimer.singleShot(0, explode)
        fallback.start(5000)
        code = qapp.exec()
    finally:
        fallback.stop()
        sys.excepthook = saved
    assert code == EXIT_CRASHED
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "ValueError: (its text is not logged" in path.read_text(encoding="utf-8")


def test_selftest_order_is_valid_for_the_domain():
    from spectrum_desktop.domain.validation import validate_order
    from spectrum_desktop.ui.selftest import selftest_order

    result = validate_order(selftest_order())
    assert result.ok, result.problems


def _window_sending(outcome):
    from PySide6.QtCore import QTimer, Signal
    from PySide6.QtWidgets import QMainWindow

    class SendingWindow(QMainWindow):
        send_finished = Signal(object)

        def __init__(self):
            super().__init__()
            self.loaded = None

        def load_order(self, order):
            self.loaded = order

        def send_current(self):
            QTimer.singleShot(10, lambda: self.send_finished.emit(outcome))

    return SendingWindow


@pytest.mark.parametrize(
    ("ok", "expected_code", "expected_word"), [(True, 0, "selftest OK"), (False, 1, "selftest FAILED")]
)
def test_selftest_waits_for_send_finished_and_checks_each_recipe_set(qapp, ok, expected_code, expected_word):
    from spectrum_desktop.ui.selftest import run_selftest

    outcome = SimpleNamespace(recipe_set_results=[SimpleNamespace(ok=ok)])
    lines: list[str] = []
    assert run_selftest(qapp, _window_sending(outcome), lines.append) == expected_code
    assert expected_word in lines[-1]


def test_outcome_reading_with_the_domain_result_types():
    from spectrum_desktop.domain.states import SubmissionState
    from spectrum_desktop.domain.submission import RecipeSetResult
    from spectrum_desktop.ui.selftest import outcome_succeeded

    ok = RecipeSetResult(recipe_set_id="SELFTEST1", success=True)
    bad = RecipeSetResult(recipe_set_id="SELFTEST2", success=False, message="unknown sku")
    assert outcome_succeeded(SimpleNamespace(state=SubmissionState.SUCCEEDED, results=(ok,)))[0] is True
    assert outcome_succeeded(SimpleNamespace(state=SubmissionState.PARTIAL, results=(ok, bad)))[0] is False
    assert outcome_succeeded(SimpleNamespace(state=SubmissionState.FAILED, results=()))[0] is False


STARTUP_CHILD = r"""
import json, sys, threading, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from spectrum_desktop.store.paths import data_dir
from spectrum_desktop.ui import main_window
from spectrum_desktop.ui.startup import open_main_window

seen = {}
original = main_window.warm_up_validation
def warm_up():
    seen["warm_up_thread"] = threading.current_thread().name
    original()
main_window.warm_up_validation = warm_up

window = open_main_window(data_dir())
editor = window.editor
seen["loaded_when_built"] = sorted(m for m in ("pydantic", "spectrum_desktop.domain.schema", "importlib.metadata",
                                             "PySide6.QtNetwork", "psycopg", "cryptography",
                                             "spectrum_desktop.services.team", "spectrum_desktop.store.pg_journal")
                                   if m in sys.modules)
seen["preview_when_built"] = editor.preview.toPlainText()
seen["send_enabled_when_built"] = window.send_action.isEnabled()
window.show()
if sys.argv[1] == "keystroke":  # type while the warm-up is under way: the validation simply runs then
    window._start_warm_up()
    seen["warm_up_running"] = window._warm_up.is_running()
    editor.fields["purchaseOrderNumber"].setText("PO-WARM-1")
    seen["paths"] = sorted({p.path for p in editor.result.problems})
    seen["shown"] = editor.problems.count()
    seen["send_enabled"] = window.send_action.isEnabled()
deadline = time.monotonic() + 30
while (window._warm_up is None or window._warm_up.is_running()) and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
from spectrum_desktop.domain import schema
seen["adapters"] = len(schema._adapters)
seen["loaded_after"] = "pydantic" in sys.modules
from spectrum_desktop.ui.single_instance import SingleInstance
seen["listening_after"] = window.findChild(SingleInstance).listening
print(json.dumps(seen))
window.close()
"""


def run_startup_child(mode, home):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SPECTRUM_DESKTOP_HOME=str(home))
    child = subprocess.run([sys.executable, "-c", STARTUP_CHILD, mode], env=env, capture_output=True, text=True,
                           timeout=120)
    assert child.returncode == 0, child.stderr[-2000:]
    return json.loads(child.stdout.strip().splitlines()[-1])


def test_the_window_opens_without_pydantic_and_warms_it_on_a_worker_thread_after_showing(tmp_path):
    from spectrum_desktop.domain.states import OrderKind

    seen = run_startup_child("idle", tmp_path)
    assert seen["loaded_when_built"] == [], "validation (pydantic), the version lookup, the listening for later " \
        "launches (Qt's network module) and the shared history's and encryption's libraries wait until the window is up"
    assert '"lineItems": []' in seen["preview_when_built"] and '"orderDate"' in seen["preview_when_built"]
    assert seen["send_enabled_when_built"] is False
    assert seen["warm_up_thread"] != "MainThread"
    assert seen["loaded_after"] is True and seen["adapters"] == 2 * len(OrderKind)
    assert seen["listening_after"] is True


def test_a_keystroke_during_the_warm_up_is_validated_correctly_and_quietly(tmp_path):
    seen = run_startup_child("keystroke", tmp_path)
    assert seen["warm_up_running"] is True
    assert "purchaseOrderNumber" not in seen["paths"]
    assert any(path.startswith("lineItems") for path in seen["paths"]), seen["paths"]
    assert seen["shown"] == 0, "a field being typed in shows no problem yet"
    assert seen["send_enabled"] is True, "Send is offered: it is how a person asks what is missing"
    assert seen["warm_up_thread"] != "MainThread"
