"""One window per data folder: a second launch asks the running window to come to the front, then quits.

Who opens the window is decided by an exclusive lock on a file in the data folder (fcntl/msvcrt: atomic, and
released by the system when its process ends, crashed or not). The window that holds it listens on a local socket
(a named pipe on Windows, a Unix socket elsewhere) named after the data folder and user, once it has painted, so
Qt's network module is not loaded on the way to the first paint. A launch that finds the lock held connects to
that socket and asks the window to come forward, retrying while that window is still starting. Command-line
subcommands do not take part.
"""

from __future__ import annotations

import getpass
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from PySide6.QtCore import QObject, Signal

from spectrum_desktop.domain.digest import sha256_hex

if TYPE_CHECKING:  # Qt's network module loads when the window listens (after its first paint) or a launch asks
    from PySide6.QtNetwork import QLocalServer

log = logging.getLogger(__name__)

ACTIVATE = b"spectrum-desktop:activate\n"
ANSWER = b"spectrum-desktop:ok\n"
CONNECT_MS = 500  # a live window accepts at once (the system queues the connection even while it is busy)
ANSWER_MS = 1500
READ_MS = 200  # how long the window waits for a connected launch to say what it wants
STARTING_WINDOW_S = 10.0  # how long a launch keeps asking a window that holds the lock but does not listen yet
RETRY_S = 0.1
PREFIX = "spectrum-desktop-"
LOCK_FILE = "window.lock"


def server_name(data_folder: Path) -> str:
    """The local socket's name for this data folder and user: the same for every launch on it, short enough
    for a Unix socket path, and a valid pipe name on Windows (no slashes)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name to be had (a service account without one)
        user = ""
    key = os.path.normcase(os.path.abspath(data_folder)) + "\0" + user
    name = PREFIX + sha256_hex(key.encode("utf-8", "surrogatepass"))[:20]
    runtime = os.environ.get("XDG_RUNTIME_DIR") if sys.platform.startswith("linux") else None
    if runtime and os.path.isdir(runtime):  # private to the user, unlike /tmp where Qt puts a bare name
        return os.path.join(runtime, name)
    return name


class WindowLock:
    """The exclusive lock that makes one process the data folder's window. acquire() never blocks."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> bool | None:
        """True: taken (or already held by this object). False: another process holds it. None: the lock file
        cannot be had (a read-only or missing data folder), so nobody can be told apart."""
        if self._file is not None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock_file = open(self.path, "a+b")  # noqa: SIM115 - kept open: the lock lives as long as the file
        except OSError:
            return None
        try:
            _lock(lock_file)
        except OSError:
            lock_file.close()
            return False
        self._file = lock_file
        return True

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None


def _lock(lock_file: BinaryIO) -> None:
    """Take an exclusive, non-blocking lock on the open file; OSError when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        lock_file.seek(0)
        msvcrt.locking(lock_file.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


class SingleInstance(QObject):
    """claim() decides whether this launch opens the window; the window then calls listen() (after its first
    paint), and `activated` fires when a later launch asks the window to come to the front."""

    activated = Signal()

    def __init__(self, name: str, lock_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.lock = WindowLock(lock_path)
        self._server: QLocalServer | None = None

    @classmethod
    def for_folder(cls, data_folder: Path, parent: QObject | None = None) -> SingleInstance:
        return cls(server_name(data_folder), data_folder / LOCK_FILE, parent)

    def claim(self, patience_s: float = STARTING_WINDOW_S) -> bool:
        """True: this launch should open its window. False: the running window was asked to come to the front,
        and this launch should quit."""
        deadline = time.monotonic() + patience_s
        while True:
            taken = self.lock.acquire()
            if taken is None:
                log.warning("The window lock in the data folder cannot be had; opening without the one-window check")
                return True
            if taken:
                return True
            if self._ask_running_window():
                return False
            if time.monotonic() >= deadline:
                # Held, yet nobody answers (another user's window on a shared folder, or a hung one): opening a
                # second window is safe, as every send claims its rows in the history.
                log.warning("Another process holds the window lock but does not answer; opening a window anyway")
                return True
            time.sleep(RETRY_S)  # the window is still starting: it listens once it has painted

    def listen(self) -> None:
        """Answer later launches (called by the window once it has painted)."""
        from PySide6.QtNetwork import QLocalServer

        if not self.lock.held or self._server is not None:
            return
        QLocalServer.removeServer(self.name)  # we hold the lock: anything there was left by a crashed window
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if server.listen(self.name):
            server.newConnection.connect(self._on_connection)
            self._server = server
        else:
            log.warning("The window cannot listen for later launches: %s", server.errorString())
            server.deleteLater()

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self.lock.release()

    def _ask_running_window(self) -> bool:
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_MS):
            return False
        _let_others_take_the_foreground()
        socket.write(ACTIVATE)
        socket.waitForBytesWritten(ANSWER_MS)
        socket.waitForReadyRead(ANSWER_MS)  # the answer is a courtesy: a window that is busy still got the ask
        socket.disconnectFromServer()
        return True

    def _on_connection(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            asked = False
            try:
                if not connection.canReadLine():  # ours write at once; a stranger gets a moment, no more
                    connection.waitForReadyRead(READ_MS)
                asked = connection.canReadLine() and bytes(connection.readLine(len(ACTIVATE) + 1).data()) == ACTIVATE
                if asked:
                    connection.write(ANSWER)
                    connection.waitForBytesWritten(READ_MS)
            finally:
                connection.abort()
                connection.deleteLater()
            if asked:
                self.activated.emit()


def _let_others_take_the_foreground() -> None:
    """On Windows only the program the person just started may bring a window forward; this launch hands that
    right on, so the running window can raise itself instead of only flashing in the taskbar."""
    if sys.platform == "win32":
        import ctypes

        ASFW_ANY = -1
        ctypes.windll.user32.AllowSetForegroundWindow(ASFW_ANY)


def bring_to_front(window) -> None:
    """Show the window un-minimised and ask the system to give it focus (Windows may only flash its taskbar
    button when another program has the foreground)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
