"""Token store and body key against a real gnome-keyring in a private D-Bus session."""

import keyring
import pytest
from keyring.backends import fail

from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database
from spectrum_desktop.store.journal import Journal
from spectrum_desktop.store.keyring_backend import MEMORY_ONLY, SERVICE
from spectrum_desktop.store.tokens import TokenStore

TOKEN = "tok-5ecr3t-abcdef"


def test_token_is_kept_per_environment_in_gnome_keyring(secret_service, home):
    store = TokenStore()
    assert store.backend_name == "GNOME Keyring" and store.persistent
    store.set("staging", TOKEN)
    assert keyring.get_password(SERVICE, "staging") == TOKEN
    assert TokenStore().get("staging") == TOKEN
    assert TokenStore().get("production") is None
    store.delete("staging")
    assert TokenStore().get("staging") is None
    for path in home.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes()


def test_environment_variable_overrides_the_keyring(secret_service, home, monkeypatch):
    TokenStore().set("staging", TOKEN)
    monkeypatch.setenv("SPECTRUM_API_TOKEN", "from-script")
    store = TokenStore()
    assert store.overridden and store.get("staging") == "from-script"


def test_body_key_lives_in_the_keyring_and_survives_a_restart(secret_service, home):
    cipher = BodyCipher.from_keyring()
    assert cipher.persistent and cipher.notice == ""
    db = Database()
    sid = Journal(db, cipher).record("staging", "full", "/api/order", ["PO-1"], [], [], "12 Secret Lane")
    assert Journal(Database(), BodyCipher.from_keyring()).request_body(sid) == "12 Secret Lane"
    db.close()


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_without_a_keyring_tokens_are_memory_only_and_the_caller_is_told(no_keyring, home):
    store = TokenStore()
    assert store.backend_name == MEMORY_ONLY and not store.persistent
    store.set("staging", TOKEN)
    assert store.get("staging") == TOKEN
    assert TokenStore().get("staging") is None
    cipher = BodyCipher.from_keyring()
    assert not cipher.persistent and "keyring" in cipher.notice
