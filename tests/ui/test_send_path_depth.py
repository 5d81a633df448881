"""An order sent with the window's Send reaches the journal and the wire through at most 8 of our functions,
counted from the Send button's slot (`MainWindow.send_current`), with no step back up into the window.

The way runs over two hand-overs to a worker thread (the check, then the send; between them the window may ask
the person). Each stretch is read from the call stack where it ends: on the GUI thread where it hands work over
(`tasks.run`), on the worker where it reaches the journal (`record_many`) or the wire. The task helper's own
frames (`ui/tasks.py`), Qt's and the thread pool's are plumbing, not steps. "The wire" is the API client's
entry (`SpectrumClient.acknowledge`, `send_full_order` or `acknowledge_many`): below it are the client's own
retry, budget wait and single exchange, reported apart."""

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


def steps(frames):
    """Our frames without the task helper's."""
    return [f for f in ours(frames) if not f.f_code.co_filename.endswith("tasks.py")]


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
    handovers = []
    entries = {"acknowledge", "send_full_order", "acknowledge_many"}

    def profile(frame, event, _arg):
        if event != "call":
            return
        name = frame.f_code.co_name
        file = frame.f_code.co_filename
        if name == "run" and file.endswith("tasks.py"):
            chain_ = steps(chain(frame))
            if any(f.f_code.co_filename.endswith("send_flow.py") for f in chain_):
                handovers.append(chain_)
        elif name == "record_many" and file.endswith("journal.py") and "journal" not in seen:
            seen["journal"] = ours(chain(frame))
        elif name == "start_sending" and file.endswith("journal.py") and "handover" not in seen:
            seen["handover"] = ours(chain(frame))[:-1]  # up to the engine that hands the request over
        elif name in entries and file.endswith("client.py") and "wire" not in seen:
            seen["wire"] = ours(chain(frame))
        elif name == "_attempt" and file.endswith("client.py") and "socket" not in seen:
            seen["socket"] = ours(chain(frame))

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
    names = lambda frames: [f.f_code.co_name for f in frames]  # noqa: E731
    check, send = handovers[:2]
    assert names(check)[0] == "send_current", names(check)  # the button's slot is where the count starts
    gui = check + send
    pool = ("run", "_bootstrap_inner", "_bootstrap", "_worker")
    journal_path = gui + from_work(seen["journal"])
    wire_path = gui + from_work(seen["handover"]) + [f for f in steps(seen["wire"]) if f.f_code.co_name not in pool]
    assert len(journal_path) <= 8, names(journal_path)
    assert len(wire_path) <= 8, names(wire_path)
    for path in (from_work(seen["journal"])[1:], wire_path[len(gui) + 1:]):  # below the worker's entry
        assert not [f for f in path if f.f_code.co_filename.startswith(UI)], names(path)
    below = [f for f in steps(seen["socket"]) if f.f_code.co_name not in pool]
    below = below[[f.f_code.co_name for f in below].index(names(wire_path)[-1]) + 1:]
    print("journal:", names(journal_path), "\nwire:", names(wire_path), "\nthe client's own below it:", names(below))
    assert len(below) <= 3, names(below)
