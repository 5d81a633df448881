"""The machine-wide rate budget (store/ratebudget.py) as two processes see it: two Database objects on one file,
as a window and a command-line run have. Slots taken by one count for the other, and a refusal (403) noted by one
makes the other wait."""

import threading
import time

from spectrum_desktop.store.database import Database
from spectrum_desktop.store.ratebudget import SharedRateLimits

ACK = "/api/order/acknowledgement"


def two_processes(home):
    first, second = Database(), Database()
    assert first.path == second.path == home / "data" / "spectrum.sqlite3"
    return first, second


def test_slots_taken_by_one_sender_count_for_the_other(home):
    first, second = two_processes(home)
    try:
        mine = SharedRateLimits(first, "staging", 3, 60.0).for_path(ACK)
        theirs = SharedRateLimits(second, "staging", 3, 60.0).for_path(ACK)
        for _ in range(3):
            mine.acquire().release()
        assert theirs.remaining() == 0
        cancel = threading.Event()
        threading.Timer(0.3, cancel.set).start()
        assert theirs.acquire(cancel) is None, "the other sender must wait for the window, not take a 4th slot"
        assert SharedRateLimits(second, "production", 3, 60.0).for_path(ACK).remaining() == 3  # per environment
    finally:
        first.close()
        second.close()


def test_a_refusal_seen_by_one_sender_holds_the_other_back(home):
    first, second = two_processes(home)
    try:
        mine = SharedRateLimits(first, "staging", 100, 60.0).for_path(ACK)
        theirs = SharedRateLimits(second, "staging", 100, 60.0).for_path(ACK)
        mine.note_rate_limited(0.5)
        assert theirs.remaining() == 0
        started = time.monotonic()
        theirs.acquire().release()
        assert time.monotonic() - started >= 0.45
        assert theirs.remaining() == 99
    finally:
        first.close()
        second.close()
