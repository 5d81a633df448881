"""The one SQLite database: WAL mode, forward migrations, one connection per thread."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spectrum_desktop.store.paths import database_path

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        environment_id TEXT NOT NULL,
        base_url TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        purchase_orders TEXT NOT NULL,
        recipe_set_ids TEXT NOT NULL,
        skus TEXT NOT NULL,
        request_body BLOB,
        response_body BLOB,
        state TEXT NOT NULL,
        reason TEXT,
        http_status INTEGER,
        message TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        original_id INTEGER REFERENCES submissions(id)
    );
    CREATE INDEX submissions_env_state_created ON submissions(environment_id, state, created_at DESC, id DESC);
    CREATE INDEX submissions_created ON submissions(created_at DESC, id DESC);
    CREATE INDEX submissions_state_created ON submissions(state, created_at DESC, id DESC);
    CREATE TABLE recipe_set_results (
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        recipe_set_id TEXT NOT NULL,
        purchase_order TEXT NOT NULL DEFAULT '',
        sku TEXT NOT NULL DEFAULT '',
        success INTEGER NOT NULL,
        message TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX recipe_set_results_submission ON recipe_set_results(submission_id);
    CREATE TABLE attempts (
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        number INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        state TEXT NOT NULL,
        http_status INTEGER,
        message TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (submission_id, number)
    );
    """,
    """
    CREATE TABLE drafts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        body BLOB NOT NULL,
        saved_at TEXT NOT NULL
    );
    CREATE INDEX drafts_saved ON drafts(saved_at DESC, id DESC);
    """,
    """
    CREATE INDEX submissions_env_orders ON submissions(environment_id, purchase_orders, id);
    """,
)


class Database:
    """Opens the database file, brings its schema up to date, and hands each thread its own connection."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or database_path()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._migrate()

    def connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self.connect().execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self.transaction() as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()
