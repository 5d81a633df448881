import threading
import time

import pytest

from spectrum_desktop.api import RetryPolicy
from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.services.errors import MissingToken
from spectrum_desktop.services.submission import CANCELLED_IN_FLIGHT, Target
from tests.services.orders import order, posts, send_many, send_queued, submit


@pytest.fixture
def context(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")  # memory only, no real keyring
    ctx = AppContext()
    yield ctx
    ctx.close()


def test_local_sandbox_starts_on_demand_once_and_stops_on_close(context):
    import requests

    sandbox = context.environment("Local sandbox")
    assert context.sandbox_url is None  # nothing started until a target is asked for
    first, second = context.target(sandbox), context.target(sandbox)
    assert first.base_url == second.base_url == context.sandbox_url and first.token
    record = submit(context.journal, first, order("CTX-1"))
    assert record.state == SubmissionState.SUCCEEDED and record.environment_id == "local-sandbox"
    with pytest.raises(MissingToken, match="Staging"):
        context.target(context.environment("staging"))
    context.close()
    assert context.sandbox_url is None
    with pytest.raises(requests.ConnectionError):
        requests.get(first.base_url + "/_sandbox/counts", timeout=2)


def test_handed_in_sandbox_is_used_and_left_running(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    with SandboxServer(rate_limit=None) as sandbox:
        ctx = AppContext(sandbox=sandbox)
        target = ctx.target(ctx.environment("local-sandbox"))
        assert (target.base_url, target.token) == (sandbox.url, sandbox.token)
        ctx.close()
        assert "acceptedCounts" in __import__("requests").get(sandbox.url + "/_sandbox/counts", timeout=2).json()


def test_rate_budget_is_shared_by_every_target_of_an_environment(context):
    sandbox = context.environment("Local sandbox")
    before = context.rate_budget(sandbox, "/api/order/acknowledgement")
    assert (before.left, before.total, before.seconds) == (100, 100, 60.0)
    for n in range(3):
        submit(context.journal, context.target(sandbox), order(f"BUD-{n}"))
    after = context.rate_budget(sandbox, "/api/order/acknowledgement")
    assert after.left == 97 and context.rate_budget(sandbox).left == 100  # the multiple endpoint is untouched


def test_cancel_while_in_flight_records_unknown_at_once(journal):
    with SandboxServer(rate_limit=None, slow_delay=20.0) as server:
        target = Target("staging", "Staging", server.url, server.token, retry=RetryPolicy.none())
        cancel = threading.Event()
        threading.Timer(0.3, cancel.set).start()
        started = time.monotonic()
        record = submit(journal, target, order("SLOW-C1"), cancel=cancel)
        assert time.monotonic() - started < 3
        assert record.state == SubmissionState.UNKNOWN and record.message == CANCELLED_IN_FLIGHT
        assert server.accepted_count("SLOW-C1") == 1  # it did arrive: unknown, never lost
        assert journal.get(record.id).state == SubmissionState.UNKNOWN


def test_cancel_while_waiting_for_the_budget_leaves_the_order_queued(journal):
    from spectrum_desktop.api import RateLimiter

    with SandboxServer(rate_limit=None) as server:
        budget = RateLimiter(1, 30.0)
        target = Target("staging", "Staging", server.url, server.token, limits=budget)
        assert submit(journal, target, order("Q-1")).state == SubmissionState.SUCCEEDED
        cancel = threading.Event()
        threading.Timer(0.3, cancel.set).start()
        record = submit(journal, target, order("Q-2"), cancel=cancel)
        assert record.state == SubmissionState.QUEUED and "Nothing was sent" in record.message
        assert posts(server) == 1


def test_send_queued_resumes_a_cancelled_run_without_new_rows(journal):
    from spectrum_desktop.store.journal import HistoryQuery

    with SandboxServer(rate_limit=None) as server:
        target = Target("staging", "Staging", server.url, server.token)
        cancel = threading.Event()

        def stop_after_first(progress):
            cancel.set()

        first = send_many(journal, target, [order(f"RS-{n}") for n in range(6)], batch_size=2,
                          progress=stop_after_first, cancel=cancel, parallel=1)
        assert first.cancelled and len(first.records) == 2 and len(first.queued_ids) == 4
        second = send_queued(journal, target, first.queued_ids, batch_size=2)
        assert [r.id for r in second.records] == first.queued_ids
        assert all(r.state == SubmissionState.SUCCEEDED for r in second.records)
        assert journal.history(HistoryQuery()).total == 6
        assert server.accepted_counts() == {f"RS-{n}": 1 for n in range(6)}
        assert posts(server) == 3


def test_a_bad_address_is_refused_before_anything_is_journaled(journal):
    from spectrum_desktop.services.errors import InvalidAddress
    from spectrum_desktop.store.journal import HistoryQuery

    target = Target("staging", "Staging", "http://shop.example.com", "tok")
    with pytest.raises(InvalidAddress, match="https://"):
        submit(journal, target, order("BAD-1"), cancel=threading.Event())
    with pytest.raises(InvalidAddress):
        send_many(journal, target, [order("BAD-2")])
    assert journal.history(HistoryQuery()).total == 0
