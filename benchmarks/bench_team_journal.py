"""The journal on SQLite (one person) and on PostgreSQL (a team), same 100,000 rows, measured in one run:

- the History page (everything, newest first, page of 200 + total count),
- the "Needs attention" page the window shows (failed/partial/unknown/queued, newest per order, one environment),
- resend's needs-attention list (services.resend.needs_attention over one environment),
- two concurrent senders against one: journal writes per second (record + mark_sending + finish), the ratio of
  two processes' combined throughput to one alone (the network is not in this figure, the journal is).

PostgreSQL: pass --url postgresql://user@host:port/dbname (an empty database), or let the script start a
throwaway cluster with the system's initdb/pg_ctl (as the postgres user when run as root).
Run: python benchmarks/bench_team_journal.py [--rows 100000] [--url URL]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spectrum_desktop.domain.states import NEEDS_ATTENTION, OrderKind, SubmissionState  # noqa: E402
from spectrum_desktop.services.owner import Owner  # noqa: E402
from spectrum_desktop.services.submission import SubmissionService  # noqa: E402
from spectrum_desktop.store.crypto import BodyCipher  # noqa: E402
from spectrum_desktop.store.database import Database  # noqa: E402
from spectrum_desktop.store.journal import HistoryQuery, Journal  # noqa: E402
from spectrum_desktop.store.pg_journal import PgDatabase, PgJournal  # noqa: E402
from spectrum_desktop.store.shared_url import parse_journal_url  # noqa: E402

ENVIRONMENTS = ("local-sandbox", "staging", "production")
STATES = [s for s in SubmissionState if s is not SubmissionState.SENDING]
KEY = Fernet.generate_key()


def rows(count: int):
    rng = random.Random(7)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(count):
        stamp = start + timedelta(seconds=i * 300 + rng.randint(0, 299))
        po = f"PO-{i % (count * 9 // 10):07d}"  # a tenth of the orders were sent twice
        state = rng.choices(STATES, weights=[2, 70, 5, 10, 3, 2])[0]
        yield (rng.choice(ENVIRONMENTS), po, f"RS-{i}", f"SKU-{i % 500}", os.urandom(600), str(state), stamp,
               ["ann", "bob", "cal"][i % 3])


def fill_sqlite(db: Database, count: int) -> None:
    data = list(rows(count))
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO submissions (id, environment_id, kind, endpoint, purchase_orders, request_body, state,"
            " created_at, updated_at) VALUES (?, ?, 'full', '/api/order', ?, ?, ?, ?, ?)",
            [(n, env, json.dumps([po]), body, state, at.isoformat(timespec="microseconds"),
              at.isoformat(timespec="microseconds")) for n, (env, po, _rs, _sku, body, state, at, _who)
             in enumerate(data, start=1)],
        )
        conn.executemany(  # schema 4: purchase orders, recipeSet ids and SKUs in their own table
            "INSERT INTO submission_keys (submission_id, field, position, value) VALUES (?, ?, 0, ?)",
            [(n, field, value) for n, (_env, po, rs, sku, *_rest) in enumerate(data, start=1)
             for field, value in (("po", po), ("recipe_set", rs), ("sku", sku))],
        )
    db.connect().execute("ANALYZE")


def fill_pg(db: PgDatabase, count: int) -> None:
    conn = db.open_connection(autocommit=False)
    with conn.cursor() as cursor, cursor.copy(
        "COPY submissions (environment_id, kind, endpoint, purchase_orders, recipe_set_ids, skus, request_body,"
        " state, created_at, updated_at, sender) FROM STDIN"
    ) as copy:
        for env, po, rs, sku, body, state, at, who in rows(count):
            copy.write_row((env, "full", "/api/order", [po], [rs], [sku], body, state, at, at, who))
    conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE submissions")
    conn.close()


def median_ms(fn, runs: int = 11) -> float:
    if runs > 1:
        fn()  # warm the caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def sender_process(backend: str, where: str, seconds: float, out) -> None:
    """One sender: record, mark sending, finish, as fast as the journal allows, for `seconds`."""
    cipher = BodyCipher(KEY)
    if backend == "sqlite":
        db = Database(Path(where))
        journal = Journal(db, cipher)
    else:
        journal = PgJournal(PgDatabase(parse_journal_url(where)), cipher, sender=f"p{os.getpid()}")
    body = '{"purchaseOrderNumber": "X", "lineItems": []}'
    done = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        sid = journal.record("staging", OrderKind.ACK, "/api/order/acknowledgement", [f"T-{os.getpid()}-{done}"],
                             ["RS"], ["SKU"], body)
        journal.mark_sending(sid)
        journal.finish(sid, SubmissionState.SUCCEEDED, http_status=200, response_body="{}")
        done += 1
    out.put(done)


def throughput(backend: str, where: str, processes: int, seconds: float = 4.0) -> float:
    queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=sender_process, args=(backend, where, seconds, queue))
               for _ in range(processes)]
    for w in workers:
        w.start()
    total = sum(queue.get() for _ in workers)
    for w in workers:
        w.join()
    return total / seconds


def report(name: str, journal, where: str, backend: str) -> dict[str, float]:
    figures = {
        "history page": median_ms(lambda: journal.history(HistoryQuery(page_size=200))),
        "needs attention page": median_ms(lambda: journal.history(
            HistoryQuery(environment_id="staging", states=NEEDS_ATTENTION, latest_only=True, page_size=200))),
        "search 'PO-0009'": median_ms(lambda: journal.history(HistoryQuery(search="PO-0009", page_size=200))),
        "resend's needs_attention()": median_ms(
            lambda: SubmissionService(journal, None, Owner.for_this_process()).needs_attention("staging"), runs=3),
    }
    one = throughput(backend, where, 1)
    two = throughput(backend, where, 2)
    figures["1 sender, rows/s"] = one
    figures["2 senders, rows/s"] = two
    found = journal.history(HistoryQuery(search="PO-0009", page_size=200)).total
    print(f"\n{name} (search 'PO-0009' matches {found:,} rows)")
    for label, value in figures.items():
        unit = "" if "rows/s" in label else " ms"
        print(f"  {label:<30} {value:10.1f}{unit}")
    print(f"  two senders / one sender:      {two / one:10.2f}x")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--url", help="an empty PostgreSQL database; default: a throwaway cluster")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-team-"))
    cluster = None
    try:
        url = args.url
        if not url:
            from tests.pg_fixture import Cluster, _bin_dir, _free_port, _run_as

            user = _run_as()
            if user:
                import pwd

                entry = pwd.getpwnam(user)
                os.chown(workdir, entry.pw_uid, entry.pw_gid)
            cluster = Cluster(_bin_dir(), workdir, _free_port(), user)
            cluster.start()
            url = cluster.create_database()
        path = workdir / "journal.sqlite3"
        sqlite_db = Database(path)
        pg_db = PgDatabase(parse_journal_url(url))
        t0 = time.perf_counter()
        fill_sqlite(sqlite_db, args.rows)
        t1 = time.perf_counter()
        fill_pg(pg_db, args.rows)
        t2 = time.perf_counter()
        print(f"{args.rows:,} rows: SQLite filled in {t1 - t0:.1f} s, PostgreSQL in {t2 - t1:.1f} s")
        cipher = BodyCipher(KEY)
        lite = report("SQLite (one person's file)", Journal(sqlite_db, cipher), str(path), "sqlite")
        team = report(f"PostgreSQL ({pg_db.address.display})", PgJournal(pg_db, cipher), url, "postgresql")
        print("\nPostgreSQL / SQLite (time ratio; > 1 means PostgreSQL is slower)")
        for label in ("history page", "needs attention page", "search 'PO-0009'", "resend's needs_attention()"):
            print(f"  {label:<30} {team[label] / lite[label]:10.2f}x")
        sqlite_db.close()
        pg_db.close()
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
