"""The one SQLite database: WAL mode, forward migrations, one connection per thread.

A file that is not a healthy database (random bytes, truncated, zero bytes) is moved aside with a timestamp
when it is opened and LocalDataError(DAMAGED, moved_to=...) is raised; opening again starts a new one.
SQLite errors on the way (read-only, disk full) become LocalDataError too, through `problem()`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from spectrum_desktop.domain.errors import LocalDataError, LocalDataProblem
from spectrum_desktop.store.paths import database_path

log = logging.getLogger("spectrum_desktop.store")
BUSY_TIMEOUT_MS = 30_000
SQLITE_HEADER = b"SQLite format 3\x00"
FULL_DISK_BYTES = 64 * 1024
"""Less room than this left on the disk: an I/O error while writing is taken as a full disk."""


def _split_bars(text: str) -> list[str]:
    return [part for part in (text or "").split("|") if part]


def _keys_table(conn: sqlite3.Connection) -> None:
    """Version 4: purchase orders, recipeSet ids and SKUs move to their own table (the `|a|b|` text lists broke
    on a `|` inside a value); rows get an owner and a lease (claims); attempts count HTTP requests; the
    machine-wide rate budget gets its tables."""
    conn.execute("ALTER TABLE submissions ADD COLUMN owner TEXT")
    conn.execute("ALTER TABLE submissions ADD COLUMN lease_until REAL")
    conn.execute("ALTER TABLE attempts ADD COLUMN requests INTEGER NOT NULL DEFAULT 1")
    conn.execute(
        "CREATE TABLE submission_keys (submission_id INTEGER NOT NULL REFERENCES submissions(id),"
        " field TEXT NOT NULL, position INTEGER NOT NULL, value TEXT NOT NULL,"
        " PRIMARY KEY (submission_id, field, position))"
    )
    conn.execute("CREATE INDEX submission_keys_value ON submission_keys(field, value, submission_id)")
    # History's search: a case-insensitive prefix of any key (LIKE 'x%' uses this index).
    conn.execute("CREATE INDEX submission_keys_search ON submission_keys(value COLLATE NOCASE, submission_id)")
    rows = conn.execute("SELECT id, purchase_orders, recipe_set_ids, skus FROM submissions").fetchall()
    for row in rows:
        pos, recipe_sets, skus = (_split_bars(row[1]), _split_bars(row[2]), _split_bars(row[3]))
        conn.executemany(
            "INSERT INTO submission_keys (submission_id, field, position, value) VALUES (?, ?, ?, ?)",
            [(row[0], field, n, value) for field, values in (("po", pos), ("recipe_set", recipe_sets), ("sku", skus))
             for n, value in enumerate(values)],
        )
        conn.execute("UPDATE submissions SET purchase_orders = ? WHERE id = ?", (json.dumps(pos), row[0]))
    conn.execute("ALTER TABLE submissions DROP COLUMN recipe_set_ids")
    conn.execute("ALTER TABLE submissions DROP COLUMN skus")
    conn.execute("CREATE INDEX submissions_owner ON submissions(owner) WHERE owner IS NOT NULL")
    conn.execute(
        "CREATE TABLE rate_events (scope TEXT NOT NULL, endpoint TEXT NOT NULL, started REAL NOT NULL,"
        " answered REAL)"
    )
    conn.execute("CREATE INDEX rate_events_scope ON rate_events(scope, endpoint, answered)")
    conn.execute(
        "CREATE TABLE rate_limits (scope TEXT NOT NULL, endpoint TEXT NOT NULL, max_requests INTEGER NOT NULL,"
        " window_seconds REAL NOT NULL, seen_until REAL NOT NULL,"
        " PRIMARY KEY (scope, endpoint, max_requests, window_seconds))"
    )
    conn.execute(
        "CREATE TABLE rate_blocks (scope TEXT NOT NULL, endpoint TEXT NOT NULL, until REAL NOT NULL,"
        " PRIMARY KEY (scope, endpoint))"
    )

MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
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
    _keys_table,
)


class Database:
    """Opens the database file, brings its schema up to date, and hands each thread its own connection."""

    def __init__(self, path: Path | None = None) -> None:
        try:
            self.path = path or database_path()
        except OSError as error:  # the data folder itself cannot be made
            raise LocalDataError(_problem_of_os(error), Path(getattr(error, "filename", "") or "."),
                                 detail=str(error)) from None
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._create_if_missing()
        self._check_file()
        try:
            self._migrate()
            self._check_health()
        except (sqlite3.DatabaseError, LocalDataError) as error:
            problem = self.problem(error)
            if problem.problem is not LocalDataProblem.DAMAGED:
                self.close()
                raise problem from None
            self._move_aside(str(error))

    def connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self.open_connection()
            self._local.conn = conn
        return conn

    def open_connection(self, synchronous: str = "FULL") -> sqlite3.Connection:
        """A new connection (closed by close()); the rate budget uses its own with synchronous=OFF."""
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={synchronous}")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as error:
            raise self.problem(error) from None
        with self._lock:
            self._connections.append(conn)
        return conn

    def problem(self, error: BaseException) -> LocalDataError:
        """The LocalDataError for an sqlite3 or OS error met while using this database."""
        if isinstance(error, LocalDataError):
            return error
        code = getattr(error, "sqlite_errorcode", None)
        text = str(error).lower()
        if code == sqlite3.SQLITE_FULL or "disk is full" in text or isinstance(error, OSError) \
                and getattr(error, "errno", None) == 28 or self._io_error_on_a_full_disk(code):
            problem = LocalDataProblem.FULL
        elif code in (sqlite3.SQLITE_READONLY,) or "readonly" in text or "read-only" in text:
            problem = LocalDataProblem.READ_ONLY
        elif code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "not a database" in text \
                or "malformed" in text:
            problem = LocalDataProblem.DAMAGED
        elif code == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
            problem = LocalDataProblem.READ_ONLY if self._folder_read_only() else LocalDataProblem.UNAVAILABLE
        elif isinstance(error, OSError):
            problem = _problem_of_os(error)
        else:
            problem = LocalDataProblem.UNAVAILABLE
        log.error("local data problem (%s) with %s: %s", problem, self.path, error)
        return LocalDataError(problem, self.path, detail=str(error))

    def _io_error_on_a_full_disk(self, code: int | None) -> bool:
        """SQLite reports some writes to a full disk (growing the -shm file: SQLITE_IOERR_SHMSIZE) as a disk I/O
        error, not SQLITE_FULL: an I/O error while the folder's disk has no room left is a full disk."""
        import shutil

        if code is None or code & 0xFF != sqlite3.SQLITE_IOERR:
            return False
        try:
            return shutil.disk_usage(self.path.parent).free < FULL_DISK_BYTES
        except OSError:
            return False

    def _folder_read_only(self) -> bool:
        import os

        return not os.access(self.path.parent, os.W_OK)

    def _create_if_missing(self) -> None:
        """A new database is built complete under a temporary name and then linked into place, so the real
        path never shows a half-made (zero-byte) file to a second process starting at the same moment; when
        two start together, one link wins and the other process uses the winner's file."""
        import os
        import uuid

        if self.path.exists():
            return
        temporary = self.path.with_name(f".{self.path.name}.new-{uuid.uuid4().hex}")
        try:
            conn = sqlite3.connect(temporary, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                _run_migrations(conn)
                conn.execute("COMMIT")
            finally:
                conn.close()
            try:
                os.link(temporary, self.path)  # fails if another process got there first: keep theirs
            except FileExistsError:
                pass
            except OSError:  # a filesystem without hard links: rename (replaces nothing on Windows)
                if not self.path.exists():
                    os.replace(temporary, self.path)
        except (OSError, sqlite3.Error) as error:
            raise self.problem(error) from None
        finally:
            for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
                try:
                    leftover.unlink()
                except OSError:
                    pass

    def _check_file(self) -> None:
        """A file that exists but does not start like an SQLite database (zero bytes included) is damaged."""
        try:
            if not self.path.exists():
                return
            with self.path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as error:
            raise self.problem(error) from None
        if header != SQLITE_HEADER:
            self._move_aside("zero bytes" if not header else "not an SQLite header")

    def _check_health(self) -> None:
        result = self.connect().execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({result})")

    def _move_aside(self, why: str) -> None:
        """Keep the damaged file (and its WAL) under a new name, never delete it; raise DAMAGED with where."""
        self.close()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        moved = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while moved.exists():
            n += 1
            moved = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        try:
            self.path.rename(moved)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.rename(moved.with_name(moved.name + suffix))
        except OSError as error:
            raise self.problem(error) from None
        log.error("the history database %s was damaged (%s) and was moved aside to %s", self.path, why, moved)
        raise LocalDataError(LocalDataProblem.DAMAGED, self.path, moved_to=moved, detail=why)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.connect()
        with self.transaction_on(conn):
            yield conn

    @contextmanager
    def transaction_on(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT on `conn`; SQLite errors become LocalDataError."""
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise self.problem(error) from None
        try:
            yield conn
        except BaseException as error:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite already rolled back (e.g. on SQLITE_FULL)
            if isinstance(error, sqlite3.Error):
                raise self.problem(error) from None
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            raise self.problem(error) from None

    @property
    def schema_version(self) -> int:
        return int(self.connect().execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self.transaction() as conn:
            _run_migrations(conn)

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()


def _run_migrations(conn: sqlite3.Connection) -> None:
    """Bring the schema forward inside the caller's transaction."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        if callable(script):
            script(conn)
        else:
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")


def _problem_of_os(error: OSError) -> LocalDataProblem:
    import errno

    if error.errno == errno.ENOSPC:
        return LocalDataProblem.FULL
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return LocalDataProblem.READ_ONLY
    return LocalDataProblem.UNAVAILABLE
