import pytest

from spectrum_desktop.domain.states import FailureReason, SubmissionState
from spectrum_desktop.services.errors import InvalidOrder
from spectrum_desktop.services.resend import resend
from spectrum_desktop.services.submit import Target, already_succeeded, submit
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database
from spectrum_desktop.store.journal import Journal
from tests.services.spectrum_server import TOKEN, SpectrumServer, order


@pytest.fixture
def journal(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    from cryptography.fernet import Fernet

    db = Database(tmp_path / "t.sqlite3")
    yield Journal(db, BodyCipher(Fernet.generate_key()))
    db.close()


@pytest.fixture
def server():
    with SpectrumServer(slow_seconds=1.0) as s:
        yield s


def target(server, token=TOKEN, read_timeout=5.0):
    return Target("staging", "Staging", server.url, token, read_timeout=read_timeout)


def test_success_is_journaled_with_per_recipe_set_results(journal, server):
    record = submit(journal, target(server), order("PO-1", "R1", "R2"))
    assert record.state == SubmissionState.SUCCEEDED
    assert record.http_status == 200
    assert [r.recipe_set_id for r in journal.results(record.id)] == ["R1", "R2"]
    assert already_succeeded(journal, target(server), "PO-1")
    assert not already_succeeded(journal, target(server), "PO-2")


def test_partial_when_a_recipe_set_fails(journal, server):
    record = submit(journal, target(server), order("PO-2", "R1", "FAIL-9"))
    assert record.state == SubmissionState.PARTIAL
    assert [r.success for r in journal.results(record.id)] == [True, False]


def test_unauthorized_server_error_and_unreachable(journal, server):
    assert submit(journal, target(server, token="wrong"), order("PO-3")).reason == FailureReason.UNAUTHORIZED
    error = submit(journal, target(server), order("ERR-1"))
    assert (error.state, error.reason) == (SubmissionState.FAILED, FailureReason.SERVER_ERROR)
    assert "trace log ID 42" in error.message
    dead = Target("staging", "Staging", "http://127.0.0.1:9", TOKEN)
    gone = submit(journal, dead, order("PO-4"))
    assert (gone.state, gone.reason) == (SubmissionState.FAILED, FailureReason.UNREACHABLE)
    assert TOKEN not in gone.message


def test_read_timeout_is_unknown_and_resend_409_means_delivered(journal, server):
    record = submit(journal, target(server, read_timeout=0.2), order("SLOW-1"))
    assert record.state == SubmissionState.UNKNOWN
    again = resend(journal, record.id, lambda original: target(server))
    assert again.state == SubmissionState.ALREADY_SUBMITTED
    assert again.original_id == record.id
    assert len(server.acknowledged) == 1


def test_invalid_order_is_not_journaled_or_sent(journal, server):
    with pytest.raises(InvalidOrder, match="not sent"):
        submit(journal, target(server), {"purchaseOrderNumber": ""})
    assert server.requests == 0


def test_reconcile_unknown_row_found_and_not_found(journal, server):
    from spectrum_desktop.services.reconcile import reconcile

    arrived = submit(journal, target(server, read_timeout=0.2), order("SLOW-2", "R7"))
    never = journal.record("staging", arrived.kind, "/api/order/acknowledgement", ["PO-NEVER"], ["R1"], [], "{}")
    journal.mark_sending(never)
    journal.finish(never, SubmissionState.UNKNOWN)
    assert arrived.state == SubmissionState.UNKNOWN
    import time

    deadline = time.monotonic() + 10
    while "SLOW-2" not in server.acknowledged and time.monotonic() < deadline:
        time.sleep(0.05)
    found = reconcile(journal, arrived.id, target(server))
    assert found.delivered and found.record.state == SubmissionState.ALREADY_SUBMITTED
    assert found.line_items[0]["recipeSetId"] == "R7"
    missing = reconcile(journal, never, target(server))
    assert not missing.delivered and journal.get(never).state == SubmissionState.UNKNOWN


def test_resend_of_session_only_unknown_row_reconciles(tmp_path, server):
    db = Database(tmp_path / "s.sqlite3")
    session_only = Journal(db, BodyCipher(None))
    record = submit(session_only, target(server, read_timeout=0.2), order("SLOW-3"))
    db.close()
    db = Database(tmp_path / "s.sqlite3")
    later = Journal(db, BodyCipher(None))
    import time

    deadline = time.monotonic() + 10
    while "SLOW-3" not in server.acknowledged and time.monotonic() < deadline:
        time.sleep(0.05)
    assert later.request_body(record.id) is None
    assert resend(later, record.id, lambda original: target(server)).state == SubmissionState.ALREADY_SUBMITTED
    assert server.requests == 1
    db.close()
