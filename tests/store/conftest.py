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
def journal(database):
    return Journal(database, BodyCipher(Fernet.generate_key()))
