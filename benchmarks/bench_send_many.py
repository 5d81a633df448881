"""10,000 orders through "send many" at 100 requests / 6 s, batch 50, against the in-process sandbox (SandboxServer).

Baseline in the same run: one request per order (the single endpoint) for 200 orders at the same budget,
extrapolated to 10,000. Prints wall time, requests, share of the rate budget used, 403s and the ratio.
Run: .venv/bin/python benchmarks/bench_send_many.py
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.fernet import Fernet  # noqa: E402

from tests.services.orders import send_many  # noqa: E402
from spectrum_desktop.services.pacing import RateBudget  # noqa: E402
from spectrum_desktop.services.submission import Target  # noqa: E402
from spectrum_desktop.store.crypto import BodyCipher  # noqa: E402
from spectrum_desktop.store.database import Database  # noqa: E402
from spectrum_desktop.store.journal import Journal  # noqa: E402
from spectrum_desktop.sandbox import SandboxServer  # noqa: E402
from tests.services.orders import order  # noqa: E402

RATE = (100, 6.0)


def budget_share(requests: int, wall: float) -> float:
    windows = max(1, math.ceil(wall / RATE[1]))
    return requests / (RATE[0] * windows)


def run(count: int, batch: int, prefix: str) -> tuple[float, int, int, int]:
    with tempfile.TemporaryDirectory() as home, SandboxServer(rate_limit=RATE) as server:
        db = Database(Path(home) / "bench.sqlite3")
        journal = Journal(db, BodyCipher(Fernet.generate_key()))
        target = Target("bench", "Bench", server.url, server.token)
        orders = [order(f"{prefix}-{n}", "R1", "R2") for n in range(count)]
        start = time.monotonic()
        outcome = send_many(journal, target, orders, batch_size=batch, budget=RateBudget(*RATE))
        wall = time.monotonic() - start
        db.close()
        forbidden = sum(1 for r in server.received() if r.status == 403)
        return wall, outcome.requests, forbidden, len(server.accepted_counts())


def main() -> None:
    base_wall, base_requests, base_403, base_acked = run(200, 1, "BASE")
    base_per_order = base_wall / 200
    wall, requests, forbidden, acked = run(10_000, 50, "BULK")
    print(f"baseline (one request per order): 200 orders in {base_wall:.1f} s, {base_requests} requests, "
          f"{base_403} x 403 -> 10,000 orders would take ~{base_per_order * 10_000:.0f} s")
    print(f"send many (batch 50, budget 100 req / 6 s): 10,000 orders in {wall:.1f} s")
    print(f"  requests made: {requests}; orders acknowledged: {acked}; 403s received: {forbidden}")
    print(f"  rate budget used: {budget_share(requests, wall):.0%} "
          f"(of {RATE[0]} per {RATE[1]:.0f} s over {max(1, math.ceil(wall / RATE[1]))} windows)")
    print(f"  speed-up vs baseline: {base_per_order * 10_000 / wall:.1f}x")
    print(f"targets: zero 403s -> {'met' if forbidden == 0 else 'NOT met'}; "
          f">= 90% of budget -> {'met' if budget_share(requests, wall) >= 0.9 else 'NOT met'}")


if __name__ == "__main__":
    main()
