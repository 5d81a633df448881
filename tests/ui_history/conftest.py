import pytest
from cryptography.fernet import Fernet

from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database
from spectrum_desktop.store.journal import Journal


@pytest.fixture
def journal(tmp_path, monkeypatch):
    """A real journal in a SQLite file under tmp_path, bodies encrypted with a test key."""
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    db = Database(tmp_path / "history.sqlite3")
    yield Journal(db, BodyCipher(Fernet.generate_key()))
    db.close()


@pytest.fixture
def sandbox():
    """The real sandbox on loopback, no rate limit; SLOW* orders answer after 1.5 s."""
    with SandboxServer(rate_limit=None, slow_delay=1.5) as server:
        yield server
