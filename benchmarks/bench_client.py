"""SpectrumClient overhead and rate-limit pacing, against the in-process sandbox over loopback.

1. 500 acknowledgements through SpectrumClient vs a bare requests.Session.post loop (+ .json() of the answer),
   sandbox rate limit off. Best of 3 interleaved rounds each. Target: ratio client / bare <= 1.2.
2. The vendor's budget scaled to 50 requests per 5 s (sandbox enforces it): 300 acknowledgements from
   4 threads through one RateLimits. Elapsed vs the minimum the budget allows ((300/50 - 1) * 5 s = 25 s).
   Targets: at most 5% over the minimum, zero 403s.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
import time
from pathlib import Path

import requests

from spectrum_desktop.api import Accepted, RateLimits, RetryPolicy, SpectrumClient
from spectrum_desktop.sandbox import SandboxServer

EXAMPLE = json.loads((Path(__file__).resolve().parent.parent / "tests/domain/examples/ack_lineitem.json").read_text())
N_OVERHEAD, ROUNDS = 500, 3
N_PACED, BUDGET, WINDOW, THREADS = 300, 50, 5.0, 4
_numbers = itertools.count(1)


def order() -> dict:
    return dict(EXAMPLE, purchaseOrderNumber=f"B{next(_numbers)}")


def through_client(server: SandboxServer) -> float:
    with SpectrumClient(server.url, server.token) as client:
        client.acknowledge(order())  # warm the connection, as the bare loop does
        started = time.perf_counter()
        for _ in range(N_OVERHEAD):
            outcome = client.acknowledge(order())
            assert isinstance(outcome, Accepted), outcome
        return time.perf_counter() - started


def bare_session(server: SandboxServer) -> float:
    url = server.url + "/api/order/acknowledgement"
    headers = {"SPECTRUM_API_TOKEN": server.token, "Content-Type": "application/json"}
    with requests.Session() as session:
        session.post(url, data=json.dumps(order()), headers=headers, timeout=(5, 30)).json()
        started = time.perf_counter()
        for _ in range(N_OVERHEAD):
            reply = session.post(url, data=json.dumps(order()), headers=headers, timeout=(5, 30))
            assert reply.status_code == 200 and reply.json()["allSuccessful"], reply.text
        return time.perf_counter() - started


def overhead() -> None:
    client_times, bare_times = [], []
    with SandboxServer(rate_limit=None) as server:
        for _ in range(ROUNDS):
            bare_times.append(bare_session(server))
            client_times.append(through_client(server))
    bare, client = min(bare_times), min(client_times)
    print(f"1. {N_OVERHEAD} acknowledgements, sandbox rate limit off (best of {ROUNDS} rounds)")
    print(f"   bare requests.Session.post loop: {bare:6.3f} s  ({bare / N_OVERHEAD * 1000:.2f} ms/request)")
    print(f"   SpectrumClient.acknowledge:      {client:6.3f} s  ({client / N_OVERHEAD * 1000:.2f} ms/request)")
    verdict = "OK" if client / bare <= 1.2 else "OVER TARGET"
    print(f"   ratio client / bare: {client / bare:.3f}  (target <= 1.20: {verdict})")


def paced() -> None:
    limits = RateLimits(BUDGET, WINDOW)
    outcomes = []
    lock = threading.Lock()
    with SandboxServer(rate_limit=(BUDGET, WINDOW)) as server, \
            SpectrumClient(server.url, server.token, limits=limits, retry=RetryPolicy.none()) as client:
        bodies = [order() for _ in range(N_PACED)]

        def worker(share: list[dict]) -> None:
            for body in share:
                outcome = client.acknowledge(body)
                with lock:
                    outcomes.append(outcome)

        threads = [threading.Thread(target=worker, args=(bodies[i::THREADS],)) for i in range(THREADS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        received = server.received()
    minimum = (math.ceil(N_PACED / BUDGET) - 1) * WINDOW
    forbidden = sum(1 for r in received if r.status == 403)
    accepted = sum(1 for o in outcomes if isinstance(o, Accepted))
    over = (elapsed / minimum - 1) * 100
    print(f"2. {N_PACED} acknowledgements from {THREADS} threads, budget {BUDGET} per {WINDOW:g} s (sandbox enforces it)")
    print(f"   elapsed {elapsed:.3f} s vs minimum the budget allows {minimum:.1f} s: {over:+.2f}% "
          f"(target <= 5%: {'OK' if over <= 5 else 'OVER TARGET'})")
    print(f"   403 answers: {forbidden} (target 0: {'OK' if forbidden == 0 else 'FAILED'}); "
          f"accepted {accepted}/{N_PACED}; requests the sandbox saw {len(received)}")


if __name__ == "__main__":
    overhead()
    paced()
