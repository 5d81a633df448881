"""Two processes sharing one environment's rate budget: ours (store/ratebudget.py, in the journal's database)
against pyrate-limiter v4's SQLiteBucket with its file lock, the library DESIGN.md suggests measuring.

Each mode runs two `send`-like worker processes (SubmissionService, batch size 1, one request in flight per
process) against the in-process sandbox enforcing 20 requests / 2 s per endpoint. Prints wall time, 403
refusals and the share of the budget used (requests / (limit x windows elapsed)); the baseline in the same
run is one worker with the same orders through our budget.
Needs pyrate-limiter and filelock (bench only, not app dependencies). Run:
.venv/bin/python benchmarks/bench_rate_budgets.py [ORDERS_PER_PROCESS]
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RATE = (20, 2.0)


class PyratePermit:
    def release(self) -> None:
        """pyrate-limiter counts a request when it is acquired; nothing happens at the answer."""


class PyrateBudget:
    """Adapter: the client's limiter interface (for_path / acquire / note_rate_limited) over pyrate-limiter."""

    def __init__(self, db_path: str) -> None:
        from pyrate_limiter import Duration, Limiter, Rate, SQLiteBucket

        bucket = SQLiteBucket.init_from_file([Rate(RATE[0], Duration.SECOND * int(RATE[1]))], db_path=db_path,
                                             use_file_lock=True)
        self._limiter = Limiter(bucket)
        self._lock = threading.Lock()  # pyrate's file lock is per thread; one acquire at a time per process
        self.max_requests, self.window_seconds = RATE

    def for_path(self, path: str) -> PyrateBudget:
        self._path = path
        return self

    def acquire(self, cancel=None) -> PyratePermit | None:
        with self._lock:
            while not self._limiter.try_acquire(self._path, blocking=True, timeout=5):
                if cancel is not None and cancel.is_set():
                    return None
        return PyratePermit()

    def note_rate_limited(self, wait_seconds: float) -> None:
        """pyrate-limiter has no way to tell other processes about a refusal."""


def worker(mode: str, home: str, url: str, token: str, count: int, prefix: str) -> None:
    from cryptography.fernet import Fernet

    from spectrum_desktop.services.submission import SubmissionService, Target
    from spectrum_desktop.store.crypto import BodyCipher
    from spectrum_desktop.store.database import Database
    from spectrum_desktop.store.journal import Journal
    from spectrum_desktop.store.ratebudget import SharedRateLimits

    db = Database(Path(home) / "spectrum.sqlite3")
    budget = SharedRateLimits(db, "bench", *RATE) if mode == "ours" else PyrateBudget(str(Path(home) / "pyrate.db"))
    service = SubmissionService(Journal(db, BodyCipher(Fernet.generate_key())))
    target = Target("bench", "Bench", url, token, limits=budget)
    orders = [{"purchaseOrderNumber": f"{prefix}-{n}", "orderDate": "2024-05-01T10:00:00Z",
               "lineItems": [{"recipeSetId": "R1", "sku": "S-1", "quantity": 1}]} for n in range(count)]
    service.send(service.check_many(orders, None, target), batch_size=1, parallel=1)
    db.close()


def run(mode: str, processes: int, per_process: int) -> tuple[float, int, int, float]:
    from spectrum_desktop.sandbox import SandboxServer

    with tempfile.TemporaryDirectory() as home, SandboxServer(rate_limit=RATE) as server:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        start = time.monotonic()
        runs = [subprocess.Popen([sys.executable, __file__, "--worker", mode, home, server.url, server.token,
                                  str(per_process), f"{mode}{n}"], env=env) for n in range(processes)]
        for p in runs:
            p.wait(timeout=600)
        wall = time.monotonic() - start
        posts = [r for r in server.received() if r.method == "POST" and r.path.startswith("/api/")]
    refused = sum(1 for r in posts if r.status == 403)
    windows = max(1, math.ceil(wall / RATE[1]))
    return wall, len(posts), refused, (len(posts) - refused) / (RATE[0] * windows)


def main() -> None:
    per_process = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    base = run("ours", 1, 2 * per_process)
    ours = run("ours", 2, per_process)
    pyrate = run("pyrate", 2, per_process)
    print(f"sandbox limit {RATE[0]} requests / {RATE[1]:g} s; {2 * per_process} orders, one request each")
    for name, (wall, requests, refused, share) in (("one process, our budget", base),
                                                   ("two processes, our budget", ours),
                                                   ("two processes, pyrate-limiter SQLiteBucket", pyrate)):
        print(f"{name:44s} {wall:6.1f} s  requests {requests:4d}  403s {refused:3d}  budget used {share:4.0%}")
    print(f"ratio pyrate / ours (wall, two processes): {pyrate[0] / ours[0]:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]), sys.argv[7])
    else:
        main()
