import pytest
from cryptography.fernet import Fernet

from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database
from spectrum_desktop.store.journal import Journal


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    return tmp_path


@pytest.fixture
def database(home):
    db = Database()
    yield db
    db.close()


@pytest.fixture
def sqlite_journal(database):
    return Journal(database, BodyCipher(Fernet.generate_key()))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture
def journal_factory(backend, home, request):
    """`journal_factory(cipher, sender=..., lease_seconds=...)`: a journal of its own (its own connections, as
    another program would have) on this test's one store, SQLite file or PostgreSQL database."""
    opened = []
    if backend == "sqlite":
        def make(cipher, sender="", lease_seconds=None):
            db = Database()
            opened.append(db)
            return Journal(db, cipher, sender=sender)
    else:
        from spectrum_desktop.store.pg_journal import PgDatabase, PgJournal
        from spectrum_desktop.store.shared_url import parse_journal_url

        address = parse_journal_url(request.getfixturevalue("pg_url"))

        def make(cipher, sender="", lease_seconds=None):
            journal = PgJournal(PgDatabase(address), cipher, sender=sender,
                                **({"lease_seconds": lease_seconds} if lease_seconds else {}))
            opened.append(journal)
            return journal
    yield make
    for item in opened:
        item.close()


@pytest.fixture
def journal(journal_factory):
    """The journal test suite's journal, on each backend in turn."""
    return journal_factory(BodyCipher(Fernet.generate_key()))


@pytest.fixture
def stored_body(backend, journal_factory, home, request):
    """`stored_body(id)`: the request body column as stored (bytes or None), read behind the journal's back."""
    if backend == "sqlite":
        def read(submission_id):
            db = Database()
            try:
                row = db.connect().execute("SELECT request_body FROM submissions WHERE id = ?",
                                           (submission_id,)).fetchone()
                return None if row[0] is None else bytes(row[0])
            finally:
                db.close()
    else:
        import psycopg

        url = request.getfixturevalue("pg_url")

        def read(submission_id):
            with psycopg.connect(url) as conn:
                row = conn.execute("SELECT request_body FROM submissions WHERE id = %s", (submission_id,)).fetchone()
                return None if row[0] is None else bytes(row[0])
    return read
