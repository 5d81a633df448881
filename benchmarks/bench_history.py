"""History of 100,000 rows: "failed in environment X, newest first, page of 200" (target < 100 ms).

Compares the indexed schema with the same data and no indexes, in the same run.
Run: python benchmarks/bench_history.py
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.services import history
from spectrum_desktop.services.submission import SubmissionService
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database
from spectrum_desktop.store.journal import HistoryQuery, Journal

ROWS = 100_000
ENVIRONMENTS = ("local-sandbox", "staging", "production")
STATES = [s for s in SubmissionState if s is not SubmissionState.SENDING]


def fill(db: Database) -> None:
    rng = random.Random(7)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(ROWS):
        stamp = (start + timedelta(seconds=i * 300 + rng.randint(0, 299))).isoformat(timespec="microseconds")
        po = f"PO-{i:07d}"
        state = rng.choices(STATES, weights=[2, 70, 5, 10, 3, 2])[0]
        rows.append((i + 1, rng.choice(ENVIRONMENTS), "full", "/api/order", f'["{po}"]', os.urandom(600),
                     str(state), stamp, stamp))
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO submissions (id, environment_id, kind, endpoint, purchase_orders,"
            " request_body, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(  # schema 4: purchase orders, recipeSet ids and SKUs in their own table
            "INSERT INTO submission_keys (submission_id, field, position, value) VALUES (?, ?, 0, ?)",
            [(i + 1, field, value) for i in range(ROWS)
             for field, value in (("po", f"PO-{i:07d}"), ("recipe_set", f"RS-{i}"), ("sku", f"SKU-{i % 500}"))],
        )
    db.connect().execute("ANALYZE")


def measure(journal: Journal, query: HistoryQuery, runs: int = 15) -> tuple[float, int, int]:
    journal.history(query)  # warm the page cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        page = journal.history(query)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, len(page.rows), page.total


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-history-"))
    try:
        cipher = BodyCipher(Fernet.generate_key())
        indexed = Database(workdir / "indexed.sqlite3")
        t0 = time.perf_counter()
        fill(indexed)
        print(f"filled {ROWS:,} rows in {time.perf_counter() - t0:.1f} s")
        indexed.connect().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(indexed.path, workdir / "plain.sqlite3")
        plain = Database(workdir / "plain.sqlite3")
        for (name,) in plain.connect().execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'submissions' AND sql IS NOT NULL"
        ).fetchall():
            plain.connect().execute(f"DROP INDEX {name}")

        query = HistoryQuery(environment_id="staging", states=frozenset({SubmissionState.FAILED}), page_size=200)
        fast_ms, rows, total = measure(Journal(indexed, cipher), query)
        slow_ms, _, _ = measure(Journal(plain, cipher), query)
        print(f"query: failed in 'staging', newest first, page of 200 (+ total count); {rows} rows of {total:,}")
        print(f"indexed:  {fast_ms:8.2f} ms (median of 15)  target < 100 ms: {'PASS' if fast_ms < 100 else 'FAIL'}")
        print(f"no index: {slow_ms:8.2f} ms (median of 15)")
        print(f"ratio no-index / indexed: {slow_ms / fast_ms:.1f}x")
        journal = Journal(indexed, cipher)
        times = []
        for _ in range(15):
            t0 = time.perf_counter()
            history.page(SubmissionService(journal), "staging", [SubmissionState.FAILED], page_size=200)
            times.append(time.perf_counter() - t0)
        service_ms = statistics.median(times) * 1000
        print(f"same query through services.history.page (what the window calls): {service_ms:.2f} ms "
              f"target < 100 ms: {'PASS' if service_ms < 100 else 'FAIL'}")
        search_ms, _, found = measure(Journal(indexed, cipher), HistoryQuery(search="PO-0099", page_size=200))
        print(f"search 'PO-0099' over all rows: {search_ms:.2f} ms, {found} matches")
        indexed.close()
        plain.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
