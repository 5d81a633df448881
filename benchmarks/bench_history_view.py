"""History page over 100,000 journal rows: time to first page shown and to apply a filter.

Baseline in the same run: the bare journal query for the same page (no Qt). Targets: first page < 300 ms,
filter < 150 ms. Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_history_view.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet

ROWS = 100_000


def build_journal(home: Path):
    from spectrum_desktop.domain.states import OrderKind, SubmissionState
    from spectrum_desktop.store.crypto import BodyCipher
    from spectrum_desktop.store.database import Database
    from spectrum_desktop.store.journal import Journal

    db = Database(home / "bench.sqlite3")
    journal = Journal(db, BodyCipher(Fernet.generate_key()))
    journal.record("staging", OrderKind.ACK, "/ack", ["PO-0"], ["R-0"], ["SKU-1"], "{}",
                   state=SubmissionState.SUCCEEDED)
    states = ["succeeded"] * 8 + ["failed", "unknown"]
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO submissions (id, environment_id, base_url, kind, endpoint, purchase_orders,"
            " request_body, state, message, attempts, created_at, updated_at)"
            " SELECT ?, environment_id, base_url, kind, endpoint, replace(purchase_orders, 'PO-0', ?),"
            " request_body, ?, message, 1, created_at, updated_at FROM submissions WHERE id = 1",
            ((i + 1, f"PO-{i}", states[i % 10]) for i in range(1, ROWS)),
        )
        conn.executemany(  # schema 4: the keys in their own table
            "INSERT INTO submission_keys (submission_id, field, position, value) VALUES (?, ?, 0, ?)",
            ((i + 1, field, value) for i in range(1, ROWS)
             for field, value in (("po", f"PO-{i}"), ("recipe_set", f"R-{i}"), ("sku", "SKU-1"))),
        )
    return db, journal


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from spectrum_desktop.store.journal import HistoryQuery
    from spectrum_desktop.ui.history_format import HistoryFilter
    from spectrum_desktop.ui.history_sources import history_source
    from spectrum_desktop.ui.history_view import HistoryView

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SPECTRUM_DESKTOP_HOME"] = tmp
        db, journal = build_journal(Path(tmp))
        from spectrum_desktop.services.submission import SubmissionService

        source = history_source(SubmissionService(journal))

        def bare_query(f, page, size):
            return journal.history(HistoryQuery(environment_id=f.environment_id, states=f.states,
                                                search=f.search, page=page, page_size=size))

        start = time.perf_counter()
        bare_query(HistoryFilter(), 0, 200)
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        bare_query(HistoryFilter.needs_attention(), 0, 200)
        attention_baseline = time.perf_counter() - start

        start = time.perf_counter()
        view = HistoryView(source)
        view.resize(1200, 700)
        view.show()
        app.processEvents()
        first_page = time.perf_counter() - start
        assert view.model.total == ROWS, view.model.total

        scroll = []
        for _ in range(10):
            start = time.perf_counter()
            view.model.fetchMore()
            app.processEvents()
            scroll.append(time.perf_counter() - start)
        start = time.perf_counter()
        source.fetch(HistoryFilter(), 250, 200)  # rows 50,000-50,199: what a deep scroll asks for
        deep = time.perf_counter() - start

        start = time.perf_counter()
        view.show_needs_attention()
        app.processEvents()
        attention = time.perf_counter() - start
        needing = view.model.total

        view.state.setCurrentIndex(0)
        app.processEvents()
        start = time.perf_counter()
        view.search.setText("77777")  # part of a number: found anywhere in it
        view.apply_filter()
        app.processEvents()
        search = time.perf_counter() - start

        print(f"rows in journal: {ROWS}")
        print(f"baseline: bare journal query of first page: {baseline * 1000:.1f} ms")
        print(f"first page shown: {first_page * 1000:.1f} ms (target < 300 ms) ratio vs baseline {first_page / baseline:.1f}x")
        print(f"scrolling: next page of 200 rows {max(scroll) * 1000:.1f} ms at most (10 pages); "
              f"a page at row 50,000: {deep * 1000:.1f} ms")
        print(f"baseline: bare journal query of 'needs attention': {attention_baseline * 1000:.1f} ms")
        print(f"filter 'needs attention' ({needing} rows): {attention * 1000:.1f} ms (target < 150 ms)"
              f" ratio vs baseline {attention / attention_baseline:.1f}x")
        print(f"filter search 77777, anywhere in the number ({view.model.total} rows): {search * 1000:.1f} ms (target < 150 ms)")
        ok = first_page < 0.3 and attention < 0.15 and search < 0.15
        print("PASS" if ok else "FAIL")
        view.close()
        db.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
