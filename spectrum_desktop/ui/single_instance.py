"""One window per data folder: a second launch asks the running window to come to the front, then quits.

The window listens on a local socket (a named pipe on Windows, a Unix socket elsewhere) whose name is derived
from the data folder. A new launch connects first; only when nobody answers does it remove what a crashed
window may have left behind and listen itself (the order qutebrowser's misc/ipc.py uses), so a live window's
socket is never removed. Command-line subcommands do not take part.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from spectrum_desktop.domain.digest import sha256_hex

ACTIVATE = b"spectrum-desktop:activate\n"
ANSWER = b"spectrum-desktop:ok\n"
CONNECT_MS = 500  # a live window accepts at once (the system queues the connection even while it is busy)
ANSWER_MS = 1500
READ_MS = 200  # how long the window waits for a connected launch to say what it wants
PREFIX = "spectrum-desktop-"


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


class SingleInstance(QObject):
    """claim() decides whether this launch opens the window; `activated` fires when a later launch asks the
    window to come to the front."""

    activated = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        """True: no window has this data folder; this one now listens and should open its window.
        False: a running window was asked to come to the front; this launch should quit."""
        for _ in range(2):  # a second round only when another launch started listening in between
            if self._ask_running_window():
                return False
            QLocalServer.removeServer(self.name)  # nobody answered: a crashed window's leftover, if anything
            server = QLocalServer(self)
            server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            if server.listen(self.name):
                server.newConnection.connect(self._on_connection)
                self._server = server
                return True
            server.deleteLater()
        return True  # the socket cannot be had (odd permissions): opening a window beats opening none

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    def _ask_running_window(self) -> bool:
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
