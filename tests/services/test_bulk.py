import json
import threading

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.pacing import RateBudget
from spectrum_desktop.services.submission import Target
from tests.services.orders import order, posts, send_many, statuses


def test_batches_split_on_413_and_every_order_is_journaled(journal):
    orders = [order(f"B-{n}", "FAIL-1" if n == 4 else "R1") for n in range(10)]
    three = len(json.dumps(orders[:3]).encode()) + 10  # a body of three orders fits, five do not
    with SandboxServer(rate_limit=None, max_body_bytes=three) as server:
        target = Target("staging", "Staging", server.url, server.token)
        seen = []
        outcome = send_many(journal, target, orders, batch_size=5, budget=RateBudget(100, 1.0), progress=seen.append)
        counts = server.accepted_counts()
        codes = statuses(server)
    states = {r.purchase_orders[0]: r.state for r in outcome.records}
    assert len(states) == 10 and states["B-4"] == SubmissionState.FAILED
    assert all(s == SubmissionState.SUCCEEDED for po, s in states.items() if po != "B-4")
    assert outcome.requests == 2 + 4  # two 413s, each split into halves of 2 and 3
    assert codes.count(413) == 2
    assert seen[-1].done == seen[-1].total == 10
    assert counts == {f"B-{n}": 1 for n in range(10) if n != 4}


def test_rate_budget_gives_no_403_and_cancel_leaves_rest_queued(journal):
    with SandboxServer(rate_limit=(3, 0.5)) as server:
        target = Target("staging", "Staging", server.url, server.token)
        cancel = threading.Event()

        def stop_after_four(progress):
            if progress.done >= 4:
                cancel.set()

        outcome = send_many(journal, target, [order(f"C-{n}") for n in range(10)], batch_size=1,
                            budget=RateBudget(3, 0.5), progress=stop_after_four, cancel=cancel, parallel=1)
        codes = statuses(server)
        sent = posts(server)
    assert 403 not in codes and sent == 4
    assert outcome.cancelled and len(outcome.records) == 4 and len(outcome.queued_ids) == 6
    assert all(journal.get(i).state == SubmissionState.QUEUED for i in outcome.queued_ids)


def test_parallel_requests_share_one_budget_and_never_draw_a_403(journal):
    with SandboxServer(rate_limit=(4, 0.5)) as server:
        target = Target("staging", "Staging", server.url, server.token, limits=RateBudget(4, 0.5))
        seen = []
        outcome = send_many(journal, target, [order(f"P-{n}") for n in range(24)], batch_size=2, parallel=3,
                            progress=seen.append)
        codes = statuses(server)
    assert 403 not in codes and len(codes) == 12 and outcome.requests == 12
    assert [p.done for p in seen] == list(range(2, 25, 2))
    assert all(r.state == SubmissionState.SUCCEEDED for r in outcome.records) and len(outcome.records) == 24
