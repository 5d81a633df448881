"""The client-side rate limiter: never more than the budget in any rolling window, from several threads."""

import threading
import time
from bisect import bisect_left

from spectrum_desktop.api import Accepted, RateLimiter, RateLimitRegistry, RateLimits, SpectrumClient
from spectrum_desktop.sandbox import SandboxServer
from tests.api.conftest import FAST_RETRY, TOKEN, ack

BUDGET, WINDOW = 30, 0.5


def most_in_any_window(stamps, window):
    stamps = sorted(stamps)
    return max(i - bisect_left(stamps, t - window + 1e-9) + 1 for i, t in enumerate(stamps))


def test_four_threads_300_requests_never_exceed_the_budget():
    limiter = RateLimiter(BUDGET, WINDOW)
    outcomes = []
    with SandboxServer(token=TOKEN, rate_limit=(BUDGET, WINDOW)) as server, \
            SpectrumClient(server.url, TOKEN, limits=limiter, retry=FAST_RETRY) as client:

        def send(worker):
            for n in range(75):
                outcomes.append(client.acknowledge(ack(f"L-{worker}-{n}")))

        started = time.monotonic()
        threads = [threading.Thread(target=send, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        elapsed = time.monotonic() - started
        received = server.received()
    assert len(outcomes) == 300 and all(isinstance(o, Accepted) for o in outcomes)
    assert len(received) == 300 and all(r.status == 200 for r in received)  # the sandbox never answered 403
    assert most_in_any_window([r.at for r in received], WINDOW) <= BUDGET
    assert elapsed >= (300 / BUDGET - 1) * WINDOW  # it really was paced, not just lucky


def test_limits_are_per_endpoint_and_shared_per_environment():
    registry = RateLimitRegistry()
    limits = registry.get("staging", 2, 60)
    assert registry.get("staging", 2, 60) is limits
    assert registry.get("production", 2, 60) is not limits
    assert registry.get("staging", 5, 60) is not limits  # budget changed: a new one
    assert limits.for_path("/api/order") is limits.for_path("/api/order")
    assert limits.for_path("/api/order") is not limits.for_path("/api/order/acknowledgement")


def test_each_endpoint_has_its_own_budget_over_http():
    limits = RateLimits(2, 60)
    with SandboxServer(token=TOKEN, rate_limit=(2, 60)) as server, \
            SpectrumClient(server.url, TOKEN, limits=limits, retry=FAST_RETRY) as client:
        assert isinstance(client.acknowledge(ack("E-1")), Accepted)
        assert isinstance(client.acknowledge(ack("E-2")), Accepted)
        assert limits.for_path("/api/order/acknowledgement").remaining() == 0
        assert limits.for_path("/api/order").remaining() == 2
        assert client.lookup("E-1").http_status == 200  # another endpoint, not held up


def test_lookups_of_different_orders_share_one_budget():
    limits = RateLimits(2, 60)
    with SandboxServer(token=TOKEN, rate_limit=None) as server, \
            SpectrumClient(server.url, TOKEN, limits=limits, retry=FAST_RETRY) as client:
        client.lookup("A")
        client.lookup("B")
        assert limits.for_path("/api/order/order-number/").remaining() == 0
        cancel = threading.Event()
        cancel.set()
        assert client.lookup("C", cancel=cancel).label == "cancelled"
        assert len(server.received()) == 2


def test_remaining_and_release_stamp():
    now = [100.0]
    limiter = RateLimiter(2, 10, clock=lambda: now[0])
    first = limiter.acquire()
    second = limiter.acquire()
    assert limiter.remaining() == 0
    now[0] = 150.0
    assert limiter.remaining() == 0  # both still in flight: they count until released
    first.release()
    second.release()
    now[0] = 155.0
    assert limiter.remaining() == 0  # released at 150: counted until 160
    now[0] = 160.0
    assert limiter.remaining() == 2


def test_acquire_waits_for_the_window_and_cancel_stops_it():
    limiter = RateLimiter(1, 0.3)
    limiter.acquire().release()
    started = time.monotonic()
    with limiter.acquire():
        assert time.monotonic() - started >= 0.29
    slow = RateLimiter(1, 30)
    slow.acquire().release()
    cancel = threading.Event()
    threading.Timer(0.1, cancel.set).start()
    started = time.monotonic()
    assert slow.acquire(cancel) is None
    assert time.monotonic() - started < 2


def test_note_rate_limited_holds_everyone_back():
    limiter = RateLimiter(100, 60)
    limiter.note_rate_limited(0.3)
    assert limiter.remaining() == 0
    started = time.monotonic()
    limiter.acquire().release()
    assert time.monotonic() - started >= 0.29


def test_server_403_makes_the_limiter_wait(sandbox):
    limiter = RateLimiter(100, 60)
    with SpectrumClient(sandbox.url, TOKEN, limits=limiter, retry=FAST_RETRY.none()) as client:
        client.acknowledge(ack("RATE403-L"))
        assert limiter.remaining() == 0
        started = time.monotonic()
        assert isinstance(client.acknowledge(ack("AFTER-1")), Accepted)
    assert time.monotonic() - started >= 0.9
