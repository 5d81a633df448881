"""One window per data folder: a second launch brings the running window forward, over a real local socket."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtNetwork import QLocalSocket

from spectrum_desktop.app import data_folder
from spectrum_desktop.ui.single_instance import ACTIVATE, SingleInstance, server_name
from spectrum_desktop.ui.startup import open_main_window


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    return tmp_path


def launch(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "SPECTRUM_DESKTOP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, "-m", "spectrum_desktop", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for_exit(qtbot, process: subprocess.Popen, timeout_ms: int = 20_000) -> tuple[str, str]:
    """Keep this window's event loop running (it must answer) until the other process ends."""
    try:
        qtbot.waitUntil(lambda: process.poll() is not None, timeout=timeout_ms)
    finally:
        if process.poll() is None:
            process.kill()
    return process.communicate(timeout=10)


def test_a_second_launch_brings_the_running_window_forward_and_ends(qtbot, home):
    window = open_main_window(data_folder())
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    assert window.isMinimized()
    asked = []
    instance = window.findChild(SingleInstance)
    instance.activated.connect(lambda: asked.append(True))

    second = launch(home)
    started = time.monotonic()
    out, err = wait_for_exit(qtbot, second)
    assert second.returncode == 0, err
    assert "already open for this data folder" in out
    assert time.monotonic() - started < 15  # it ended by itself: it opened no window of its own
    assert asked == [True]
    assert not window.isMinimized() and window.isVisible()


def test_another_data_folder_gets_its_own_window_and_subcommands_run_beside_the_window(qtbot, home, tmp_path_factory):
    window = open_main_window(data_folder())
    qtbot.addWidget(window)
    other = tmp_path_factory.mktemp("other-home")
    assert server_name(other / "data") != server_name(home / "data")
    orders = home / "one.json"
    orders.write_text(json.dumps({"purchaseOrderNumber": "SI-1", "orderDate": "2022-01-31",
                                  "lineItems": [{"recipeSetId": "R1", "sku": "S", "quantity": 1}]}))
    validate = launch(home, "validate", str(orders))
    out, err = wait_for_exit(qtbot, validate)
    assert validate.returncode == 0 and "valid" in out, err

    elsewhere = SingleInstance.for_folder(other / "data")
    assert elsewhere.claim(patience_s=0)  # no window there: this launch would open one
    elsewhere.listen()
    assert elsewhere.listening
    elsewhere.close()


def test_two_launches_on_one_folder_only_the_first_opens_a_window(qtbot, tmp_path):
    folder = tmp_path / "data"
    first, second = SingleInstance.for_folder(folder), SingleInstance.for_folder(folder)
    assert first.claim(patience_s=0)
    first.listen()
    assert first.listening
    with qtbot.waitSignal(first.activated, timeout=5000):
        assert second.claim() is False  # the first was asked to come forward (it answers once its loop runs)
    assert not second.listening and not second.lock.held and first.listening
    first.close()
    third = SingleInstance.for_folder(folder)
    assert third.claim(patience_s=0) and third.lock.held  # the first closed: the next launch takes over
    third.listen()
    assert third.listening
    third.close()


def test_a_launch_waits_for_a_window_that_is_still_starting_then_brings_it_forward(qtbot, home):
    starting = SingleInstance.for_folder(data_folder())
    assert starting.claim(patience_s=0)  # the lock is taken; the window has not painted, so it does not listen yet
    asked = []
    starting.activated.connect(lambda: asked.append(True))
    second = launch(home)
    qtbot.wait(1500)
    assert second.poll() is None, "the second launch neither opened a window nor gave up while the first starts"
    starting.listen()
    out, err = wait_for_exit(qtbot, second)
    assert second.returncode == 0, err
    assert "already open for this data folder" in out
    assert asked == [True]
    starting.close()


def test_a_held_lock_nobody_answers_for_still_opens_a_window_after_a_while(tmp_path):
    folder = tmp_path / "data"
    silent = SingleInstance.for_folder(folder)
    assert silent.claim(patience_s=0)  # holds the lock, never listens (a hung window, or another user's)
    started = time.monotonic()
    assert SingleInstance.for_folder(folder).claim(patience_s=0.5) is True
    assert 0.5 <= time.monotonic() - started < 5
    silent.close()


def test_the_lock_of_a_killed_window_is_free_at_once(tmp_path):
    folder = tmp_path / "data"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from spectrum_desktop.ui.single_instance import WindowLock\n"
        "lock = WindowLock(Path(sys.argv[1])); print(lock.acquire(), flush=True); time.sleep(60)"),
        str(folder / "window.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "True"
        assert SingleInstance.for_folder(folder).lock.acquire() is False
        holder.kill()
        holder.wait(timeout=10)
        started = time.monotonic()
        instance = SingleInstance.for_folder(folder)
        assert instance.claim(patience_s=5) and instance.lock.held
        assert time.monotonic() - started < 1, "no waiting on a dead window"
        instance.close()
    finally:
        if holder.poll() is None:
            holder.kill()


def test_a_data_folder_without_room_for_the_lock_still_opens_a_window(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    instance = SingleInstance.for_folder(blocked / "data")
    assert instance.lock.acquire() is None
    assert instance.claim(patience_s=0) is True


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave nothing behind after a crash")
def test_a_socket_left_by_a_crashed_window_is_replaced(qtbot, tmp_path):
    name = server_name(tmp_path / "data")
    path = name if os.path.isabs(name) else os.path.join(os.environ.get("TMPDIR", "/tmp"), name)
    dead = socket.socket(socket.AF_UNIX)
    dead.bind(path)  # bound, never listening, then closed: what a killed window leaves
    dead.close()
    assert os.path.exists(path)
    instance = SingleInstance.for_folder(tmp_path / "data")
    assert instance.claim(patience_s=0)
    instance.listen()
    assert instance.listening
    instance.close()


def test_the_name_is_the_same_for_the_same_folder_and_fits_every_system(tmp_path):
    folder = tmp_path / "data"
    name = server_name(folder)
    assert name == server_name(Path(str(folder) + os.sep)) == server_name(folder / "x" / "..")
    base = os.path.basename(name)
    assert base.startswith("spectrum-desktop-") and "/" not in base and "\\" not in base
    assert len(name.encode()) < 100  # a Unix socket path holds 104-108 bytes
    assert server_name(tmp_path / "Data ü, 100% | x") != name


def test_a_stranger_on_the_socket_is_dropped_without_raising_the_window(qtbot, tmp_path):
    instance = SingleInstance.for_folder(tmp_path / "data")
    assert instance.claim(patience_s=0)
    instance.listen()
    asked = []
    instance.activated.connect(lambda: asked.append(True))
    stranger = QLocalSocket()
    stranger.connectToServer(instance.name)
    assert stranger.waitForConnected(2000)
    stranger.write(b"GET / HTTP/1.1\r\n\r\n" + b"x" * 100)
    stranger.flush()
    qtbot.waitUntil(lambda: stranger.state() == QLocalSocket.LocalSocketState.UnconnectedState, timeout=5000)
    assert asked == []
    friend = QLocalSocket()
    friend.connectToServer(instance.name)
    assert friend.waitForConnected(2000)
    with qtbot.waitSignal(instance.activated, timeout=5000):
        friend.write(ACTIVATE)
        friend.flush()
    instance.close()
