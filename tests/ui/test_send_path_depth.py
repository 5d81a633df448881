"""An order sent with the window's Send reaches the journal and the wire through at most 8 functions (counted
from the Send's worker entry, SendFlow's `work`), with no step back up into the window (no ui frame below it)."""

import sys
import threading
from pathlib import Path

import pytest

from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.ui.startup import build_main_window

PACKAGE = str(Path(__import__("spectrum_desktop").__file__).parent)
UI = str(Path(PACKAGE) / "ui")


def ours(stack):
    return [f for f in stack if f.f_code.co_filename.startswith(PACKAGE)]


def chain(frame):
    frames = []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return list(reversed(frames))  # outermost first


def from_work(frames):
    """Our frames from SendFlow's worker closure `work` down (the Send's entry into the worker)."""
    names = [(f.f_code.co_filename, f.f_code.co_name) for f in frames]
    start = next(i for i, (file, name) in enumerate(names) if file.endswith("send_flow.py") and name == "work")
    return frames[start:]


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    server = SandboxServer(rate_limit=None).start()
    win = build_main_window(AppContext(sandbox=server))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    server.stop()


def test_send_reaches_journal_and_wire_in_at_most_eight_functions(qtbot, window):
    seen = {}

    def profile(frame, event, _arg):
        if event != "call":
            return
        name = frame.f_code.co_name
        file = frame.f_code.co_filename
        if name == "record_many" and file.endswith("journal.py") and "journal" not in seen:
            seen["journal"] = ours(chain(frame))
        elif name == "start_sending" and file.endswith("journal.py") and "handover" not in seen:
            seen["handover"] = ours(chain(frame))[:-1]  # up to the engine that hands the request over
        elif name == "_attempt" and file.endswith("client.py") and "wire" not in seen:
            seen["wire"] = ours(chain(frame))

    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        window.load_order({"purchaseOrderNumber": "DEPTH-1", "orderDate": "2024-05-01T10:00:00Z",
                           "lineItems": [{"recipeSetId": "R1", "sku": "S-1", "quantity": 1}]})
        with qtbot.waitSignal(window.send_finished, timeout=10_000):
            assert window.send_current()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    journal_path = from_work(seen["journal"])
    wire_path = from_work(seen["handover"]) + [f for f in seen["wire"] if "tasks.py" not in f.f_code.co_filename
                                               and f.f_code.co_name not in ("run", "_bootstrap_inner", "_worker")]
    names = lambda frames: [f.f_code.co_name for f in frames]  # noqa: E731
    assert len(journal_path) <= 8, names(journal_path)
    assert len(wire_path) <= 8, names(wire_path)
    for path in (journal_path[1:], wire_path[1:]):
        assert not [f for f in path if f.f_code.co_filename.startswith(UI)], names(path)
