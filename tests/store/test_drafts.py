import pytest
from cryptography.fernet import Fernet

from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database
from spectrum_desktop.store.drafts import Autosaver, DraftNotFound, Drafts

BODY = '{"shipTo": {"address1": "12 Secret Lane", "phone": "555-0199"}}'


@pytest.fixture
def key():
    return Fernet.generate_key()


def test_draft_round_trip_and_latest_survives_reopen(database, key):
    drafts = Drafts(database, BodyCipher(key))
    first = drafts.save("one", "full", BODY)
    second = drafts.save("two", "ack", "{}")
    assert drafts.load(first).body == BODY
    reopened = Drafts(Database(database.path), BodyCipher(key))
    assert reopened.latest().id == second
    drafts.save("one", "full", BODY + " ", draft_id=first)
    assert reopened.latest().id == first
    drafts.delete(first)
    with pytest.raises(DraftNotFound):
        drafts.load(first)


def test_draft_bodies_are_not_in_clear_on_disk(database, key, home):
    Drafts(database, BodyCipher(key)).save("one", "full", BODY)
    for path in home.rglob("*"):
        if path.is_file():
            assert b"Secret Lane" not in path.read_bytes() and b"555-0199" not in path.read_bytes()


def test_without_key_drafts_are_memory_only(database):
    drafts = Drafts(database, BodyCipher(None))
    draft_id = drafts.save("one", "full", BODY)
    assert drafts.latest().body == BODY and drafts.load(draft_id).name == "one"
    assert database.connect().execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0


def test_autosave_writes_at_most_every_interval_and_flush_keeps_the_last_edit(database, key):
    now = [100.0]
    drafts = Drafts(database, BodyCipher(key))
    saver = Autosaver(drafts, interval=2.0, clock=lambda: now[0])
    assert saver.changed("d", "ack", "a")
    now[0] += 0.5
    assert not saver.changed("d", "ack", "ab")
    now[0] += 1.0
    assert not saver.changed("d", "ack", "abc")
    assert drafts.load(saver.draft_id).body == "a"
    now[0] += 0.6
    assert saver.changed("d", "ack", "abcd")
    assert not saver.changed("d", "ack", "abcde")
    assert saver.flush()
    assert drafts.latest().body == "abcde"
    assert database.connect().execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 1
