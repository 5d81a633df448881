"""A real Secret Service for tests: a private D-Bus session with gnome-keyring unlocked by a throwaway password."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest


def _missing(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI must install gnome-keyring, dbus and dbus-x11)")
    pytest.skip(message)


@pytest.fixture
def secret_service(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Yields the D-Bus address; keyring uses the SecretService backend until teardown."""
    with running_secret_service(tmp_path_factory.mktemp("secret-service"), monkeypatch.setenv) as address:
        yield address


@contextlib.contextmanager
def running_secret_service(root: Path, setenv: Callable[[str, str], None]) -> Iterator[str]:
    """The Secret Service in `root`; `setenv` points this process (and the children it starts) at it.
    Benchmarks use it too: `with pytest.MonkeyPatch.context() as mp: with running_secret_service(dir, mp.setenv)`."""
    daemon, dbus = shutil.which("gnome-keyring-daemon"), shutil.which("dbus-daemon")
    if not daemon or not dbus:
        _missing("gnome-keyring-daemon or dbus-daemon is not installed")
    runtime, home = root / "run", root / "home"
    runtime.mkdir(mode=0o700)
    home.mkdir()
    socket = runtime / "bus"
    # No service directories: the bus must not auto-start a second, locked keyring before ours is up.
    config = root / "bus.conf"
    config.write_text(
        "<busconfig><type>session</type><auth>EXTERNAL</auth>"
        f"<listen>unix:path={socket}</listen>"
        '<policy context="default"><allow send_destination="*" eavesdrop="true"/>'
        '<allow eavesdrop="true"/><allow own="*"/></policy></busconfig>'
    )
    bus = subprocess.Popen(
        [dbus, f"--config-file={config}", "--nofork", "--nopidfile"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    address = f"unix:path={socket}"
    env = {
        **os.environ,
        "DBUS_SESSION_BUS_ADDRESS": address,
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    keyring_daemon: subprocess.Popen[bytes] | None = None
    previous = keyring.get_keyring()
    try:
        _wait_for(socket)
        for name in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "HOME", "XDG_DATA_HOME"):
            setenv(name, env[name])
        setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
        from keyring.backends import SecretService

        backend = SecretService.Keyring()
        # The unlocked "login" keyring, so nothing ever waits on a password prompt.
        backend.preferred_collection = "/org/freedesktop/secrets/collection/login"
        log_path = root / "gnome-keyring.log"
        # A loaded machine occasionally leaves the daemon without its login keyring; start it again then.
        for _ in range(3):
            keyring_daemon = _start_daemon(daemon, env, log_path)
            error = _wait_until_ready(backend, timeout=5)
            if error is None:
                break
            _stop(keyring_daemon)
            keyring_daemon = None
        else:
            log = log_path.read_text(errors="replace")[-500:]
            _missing(f"gnome-keyring did not become ready: {error} {log}")
        keyring.set_keyring(backend)
        yield address
    finally:
        keyring.set_keyring(previous)
        for process in (keyring_daemon, bus):
            if process is not None:
                _stop(process)


def _start_daemon(daemon: str, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [daemon, "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=log,
            env=env,
        )
    assert process.stdin is not None
    process.stdin.write(b"throwaway-test-password")
    process.stdin.close()
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_for(socket: Path) -> None:
    deadline = time.monotonic() + 10
    while not socket.exists():
        if time.monotonic() > deadline:
            _missing("the private D-Bus session did not start")
        time.sleep(0.05)


def _wait_until_ready(backend: keyring.backend.KeyringBackend, timeout: float) -> str | None:
    """None when the keyring stores and returns a secret; else the last error."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            backend.set_password("spectrum-desktop-fixture", "probe", "ok")
            if backend.get_password("spectrum-desktop-fixture", "probe") == "ok":
                return None
            last = "probe secret not returned"
        except Exception as error:  # noqa: BLE001 - the daemon is still starting
            last = f"{type(error).__name__}: {error}"
        if time.monotonic() > deadline:
            return last
        time.sleep(0.1)
