import pytest
from cryptography.fernet import Fernet

from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database
from spectrum_desktop.store.journal import Journal


SQLITE_ONLY = {
    # It calls recover() in the process that is still sending: SQLite's recover takes every 'sending' row (issue
    # 13 changes that); the shared history waits until the owner's lease expires (tests/store/test_pg_journal.py).
    "test_resend_of_unknown_row_spectrum_lacks_sends_it",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request, tmp_path, monkeypatch):
    """The services run on either history without knowing which: this computer's own (SQLite) or a shared one."""
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    cipher = BodyCipher(Fernet.generate_key())
    if request.param == "sqlite":
        db = Database(tmp_path / "t.sqlite3")
        yield Journal(db, cipher)
        db.close()
        return
    if request.node.originalname in SQLITE_ONLY:
        pytest.skip("recover() in the sending process itself: a shared history keeps a live owner's row")
    from spectrum_desktop.store.pg_journal import PgDatabase, PgJournal
    from spectrum_desktop.store.shared_url import parse_journal_url

    shared = PgJournal(PgDatabase(parse_journal_url(request.getfixturevalue("pg_url"))), cipher, sender="tester")
    yield shared
    shared.close()


@pytest.fixture
def server():
    """The real sandbox on loopback: no rate limit, SLOW* orders answer after 1 s."""
    with SandboxServer(rate_limit=None, slow_delay=1.0) as sandbox:
        yield sandbox
