"""The shared journal on PostgreSQL (team mode): the same methods as the SQLite Journal, for many machines.

- Schema versioned in the database itself (table `schema_version`); migrations run under a transaction-level
  advisory lock, so two programs starting at once migrate once; a newer schema than this program knows is
  refused (`SchemaTooNew`).
- Every row records its sender. Bodies are encrypted with the team key (`BodyCipher`); without it rows,
  states and messages are readable, bodies are not (`TeamKeyMissing`).
- Claims: a row is held by an owner id with a lease (`claim`, `renew`, `release`); `mark_sending` takes the
  lease for its own owner, a heartbeat thread renews it while rows are in flight, and `recover` turns only
  rows whose lease expired into `unknown`, never those of a live owner. Claims use
  `SELECT ... FOR UPDATE SKIP LOCKED`, so two machines asking at once get disjoint rows.
- One rate budget per environment and endpoint for the whole team (`take_budget`).
- Every written row is announced with NOTIFY on channel `spectrum_history` (see `store/pg_listen.py`).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from spectrum_desktop.domain.states import DELIVERED as DELIVERED_STATES
from spectrum_desktop.domain.states import NEEDS_ATTENTION
from spectrum_desktop.domain.states import FailureReason, OrderKind, SubmissionState
from spectrum_desktop.domain.submission import AttemptRecord, RecipeSetResult, SubmissionRecord
from spectrum_desktop.store.crypto import BodyCipher, BodyUnreadable
from spectrum_desktop.store.journal import HistoryPage, HistoryQuery, NewSubmission, Recovered, SubmissionNotFound
from spectrum_desktop.store.shared_url import JournalUrl, SharedHistoryError

CHANNEL = "spectrum_history"
POOL_SIZE = 4
"""Idle connections kept for reuse; more threads at once open more, closed when they are done."""
MIGRATION_LOCK = 0x5350_4543_5452_554D  # "SPECTRUM": every program migrating this database takes this lock
DEFAULT_LEASE_SECONDS = 60.0
BUDGET_KEEP_SECONDS = 3600.0
"""Answered rate-budget slots older than this are deleted (longer than any window worth having)."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE submissions (
        id BIGSERIAL PRIMARY KEY,
        environment_id TEXT NOT NULL,
        base_url TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        purchase_orders TEXT[] NOT NULL,
        recipe_set_ids TEXT[] NOT NULL,
        skus TEXT[] NOT NULL,
        request_body BYTEA,
        response_body BYTEA,
        state TEXT NOT NULL,
        reason TEXT,
        http_status INTEGER,
        message TEXT NOT NULL DEFAULT '',
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        original_id BIGINT REFERENCES submissions(id),
        sender TEXT NOT NULL DEFAULT '',
        owner TEXT,
        lease_until TIMESTAMPTZ,
        origin TEXT UNIQUE
    );
    CREATE INDEX submissions_created ON submissions(created_at DESC, id DESC);
    CREATE INDEX submissions_env_state_created ON submissions(environment_id, state, created_at DESC, id DESC);
    CREATE INDEX submissions_state_created ON submissions(state, created_at DESC, id DESC);
    CREATE INDEX submissions_env_orders ON submissions(environment_id, purchase_orders, id);
    CREATE INDEX submissions_orders ON submissions USING GIN (purchase_orders);
    CREATE INDEX submissions_sender ON submissions(sender, created_at DESC);
    CREATE INDEX submissions_sending ON submissions(lease_until) WHERE state = 'sending';
    CREATE INDEX submissions_owner ON submissions(owner) WHERE owner IS NOT NULL;
    CREATE TABLE recipe_set_results (
        id BIGSERIAL PRIMARY KEY,
        submission_id BIGINT NOT NULL REFERENCES submissions(id),
        recipe_set_id TEXT NOT NULL,
        purchase_order TEXT NOT NULL DEFAULT '',
        sku TEXT NOT NULL DEFAULT '',
        success BOOLEAN NOT NULL,
        message TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX recipe_set_results_submission ON recipe_set_results(submission_id);
    CREATE TABLE submission_search (
        submission_id BIGINT NOT NULL REFERENCES submissions(id),
        value TEXT NOT NULL
    );
    CREATE INDEX submission_search_value ON submission_search(value text_pattern_ops, submission_id);
    CREATE FUNCTION spectrum_search_keys() RETURNS trigger AS $$
    BEGIN
        INSERT INTO submission_search (submission_id, value)
            SELECT DISTINCT NEW.id, v FROM unnest(NEW.purchase_orders || NEW.recipe_set_ids || NEW.skus) AS v;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER submissions_search AFTER INSERT ON submissions
        FOR EACH ROW EXECUTE FUNCTION spectrum_search_keys();
    CREATE TABLE attempts (
        submission_id BIGINT NOT NULL REFERENCES submissions(id),
        number INTEGER NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        state TEXT NOT NULL,
        http_status INTEGER,
        message TEXT NOT NULL DEFAULT '',
        sender TEXT NOT NULL DEFAULT '',
        requests INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (submission_id, number)
    );
    CREATE TABLE team_key (
        only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
        check_token BYTEA NOT NULL,
        created_by TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE rate_events (
        id BIGSERIAL PRIMARY KEY,
        scope TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        started DOUBLE PRECISION NOT NULL,
        answered DOUBLE PRECISION
    );
    CREATE INDEX rate_events_scope ON rate_events(scope, endpoint, started);
    CREATE TABLE rate_limits (
        scope TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        max_requests INTEGER NOT NULL,
        window_seconds DOUBLE PRECISION NOT NULL,
        seen_until DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (scope, endpoint, max_requests, window_seconds)
    );
    CREATE TABLE rate_blocks (
        scope TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        until DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (scope, endpoint)
    );
    CREATE FUNCTION spectrum_notify() RETURNS trigger AS $$
    BEGIN
        PERFORM pg_notify('spectrum_history', json_build_object(
            'id', NEW.id, 'state', NEW.state, 'sender', NEW.sender, 'environment_id', NEW.environment_id)::text);
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER submissions_notify AFTER INSERT OR UPDATE OF state, message, reason, http_status ON submissions
        FOR EACH ROW EXECUTE FUNCTION spectrum_notify();
    """,
)

_COLUMNS = (
    "id, environment_id, base_url, kind, endpoint, purchase_orders, recipe_set_ids, skus, state, reason,"
    " http_status, message, attempts, created_at, updated_at, original_id, sender, owner"
)
_CHECK_TEXT = "spectrum-desktop team key"
DELIVERED = tuple(sorted(state.value for state in DELIVERED_STATES))
RESENDABLE = tuple(sorted(state.value for state in NEEDS_ATTENTION))


class SharedHistoryUnavailable(SharedHistoryError):
    """The database server cannot be reached or refused the login; nothing was sent."""

    def __init__(self, where: str, detail: str = "", login_refused: bool = False) -> None:
        self.where = where
        """Database and host, e.g. 'team on db.example.com' (never a password)."""
        self.detail = detail  # the driver's first line, for the log only
        self.login_refused = login_refused
        """The server answered but wanted a password that was not given, or refused the one given."""
        self.trying_address = False
        """Set when the person was trying an address (Preferences › Shared history: Test, Save, Copy, Keep team key),
        not using the history this window works on: what failed and what to check, not an outage of sending."""
        super().__init__(where)


SENDERS_MOST = 500
"""The Sent by filter offers at most this many names (a name beyond them can still be typed)."""
SENDERS_SQL = (
    "WITH RECURSIVE names AS ("
    " (SELECT sender FROM submissions WHERE sender > '' ORDER BY sender LIMIT 1)"
    " UNION ALL"
    " SELECT (SELECT s.sender FROM submissions AS s WHERE s.sender > names.sender ORDER BY s.sender LIMIT 1)"
    " FROM names WHERE names.sender IS NOT NULL)"
    " SELECT sender FROM names WHERE sender IS NOT NULL LIMIT %s")
"""The distinct senders by a skip scan down submissions_sender: one index probe per name, whatever the rows."""


class SchemaTooNew(SharedHistoryError):
    """The shared history was set up by a newer Spectrum Desktop than this one."""

    def __init__(self, found: int, known: int) -> None:
        self.found, self.known = found, known
        super().__init__(found, known)


class TeamKeyMissing(BodyUnreadable, SharedHistoryError):
    """The shared history's bodies are encrypted with the team key, and this computer does not have it: contents
    cannot be opened, and nothing is sent (what is sent must be journaled first, contents included).

    Data only (words: ui/errors.py, cli/errors.py). `where`: the shared history (database and host); `state` why
    there is no key here; `sending`: raised by a send that was refused (else: opening a row's contents)."""

    NOT_ENTERED = "not_entered"
    """The shared history has a team key; it has not been entered on this computer."""
    WRONG = "wrong"
    """The key on this computer is not this shared history's."""
    NONE_YET = "none_yet"
    """The shared history has no team key yet (nobody set it up where it could be shown)."""
    NO_KEYRING = "no_keyring"
    """The shared history has no team key yet and this computer has no keyring to keep a new one in."""

    def __init__(self, where: str = "", state: str = NOT_ENTERED, sending: bool = False) -> None:
        self.where, self.state, self.sending = where, state, sending
        super().__init__("team key missing")


class WrongTeamKey(SharedHistoryError):
    """A team key was given but it is not the one this shared history was set up with."""

    def __init__(self) -> None:
        super().__init__("wrong team key")


def _psycopg():
    import psycopg

    return psycopg


def _unavailable(where: str):
    psycopg = _psycopg()

    class _Guard:
        def __enter__(self):
            return self

        def __exit__(self, kind, error, tb):
            if error is not None and isinstance(error, psycopg.OperationalError):
                # libpq's own answer (not the server's words, which may be in any language): did it ask for a
                # password, or use one, on a connection that then failed?
                pgconn = getattr(error, "pgconn", None)
                refused = bool(pgconn is not None and (pgconn.needs_password or pgconn.used_password))
                raise SharedHistoryUnavailable(where, str(error).splitlines()[0] if str(error) else "",
                                               login_refused=refused) from None
            return False

    return _Guard()


def _record(row: dict[str, Any], results: tuple[RecipeSetResult, ...] = ()) -> SubmissionRecord:
    return SubmissionRecord(
        id=row["id"],
        environment_id=row["environment_id"],
        base_url=row["base_url"],
        kind=OrderKind(row["kind"]),
        endpoint=row["endpoint"],
        purchase_orders=tuple(row["purchase_orders"]),
        recipe_set_ids=tuple(row["recipe_set_ids"]),
        skus=tuple(row["skus"]),
        state=SubmissionState(row["state"]),
        reason=FailureReason(row["reason"]) if row["reason"] else None,
        http_status=row["http_status"],
        message=row["message"],
        attempts=row["attempts"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        original_id=row["original_id"],
        results=results,
        sender=row["sender"],
        owner=row.get("owner"),
    )


def _lock_key(environment_id: str, purchase_order: str) -> int:
    return int.from_bytes(hashlib.sha256(f"po {environment_id} {purchase_order}".encode()).digest()[:8], "big",
                          signed=True)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class PgDatabase:
    """Connections to the shared history (one per thread, autocommit; writes in explicit transactions)."""

    def __init__(self, address: JournalUrl, password: str | None = None, connect_timeout: int = 5) -> None:
        self.address = address
        self._password = password
        self._timeout = connect_timeout
        self._local = threading.local()
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self._closed = False
        self.migrate()

    def open_connection(self, autocommit: bool = True):
        """A new connection of its own (the listener and tests use this)."""
        psycopg = _psycopg()
        from psycopg.rows import dict_row

        kwargs: dict[str, Any] = {"autocommit": autocommit, "row_factory": dict_row,
                                  "connect_timeout": self._timeout, "application_name": "spectrum-desktop"}
        if self._password:
            kwargs["password"] = self._password
        with _unavailable(self.address.display):
            conn = psycopg.connect(self.address.url, **kwargs)
            conn.execute("SET TIME ZONE 'UTC'")
        return conn

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A connection for this thread's work, from a small pool of idle ones. The task helper starts a thread per
        task, so a connection per thread would stay open for the life of the app; here it goes back to the pool (or
        is closed) when the work is done. A thread that asks again while it holds one gets the same one."""
        held = getattr(self._local, "held", None)
        if held is not None:
            self._local.depth += 1
            try:
                yield held
            finally:
                self._local.depth -= 1
            return
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None or conn.closed:
            conn = self.open_connection()
        self._local.held, self._local.depth = conn, 0
        try:
            yield conn
        finally:
            self._local.held = None
            self._give_back(conn)

    def _give_back(self, conn: Any) -> None:
        from psycopg.pq import TransactionStatus

        reusable = not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE
        with self._lock:
            if reusable and not self._closed and len(self._idle) < POOL_SIZE:
                self._idle.append(conn)
                return
        conn.close()

    def transaction(self):
        """`with db.transaction() as conn:` one committed transaction (rolled back on error)."""
        db = self

        class _Tx:
            def __enter__(self_inner):
                self_inner.guard = _unavailable(db.address.display)
                self_inner.guard.__enter__()
                self_inner.lease = db.connection()
                try:
                    self_inner.conn = self_inner.lease.__enter__()
                    self_inner.tx = self_inner.conn.transaction()
                    self_inner.tx.__enter__()
                except BaseException as raised:
                    self_inner.lease.__exit__(type(raised), raised, raised.__traceback__)
                    if not self_inner.guard.__exit__(type(raised), raised, raised.__traceback__):
                        raise
                return self_inner.conn

            def __exit__(self_inner, kind, error, tb):
                try:
                    self_inner.tx.__exit__(kind, error, tb)
                except BaseException as raised:  # a commit that failed (server gone)
                    self_inner.lease.__exit__(None, None, None)
                    return self_inner.guard.__exit__(type(raised), raised, raised.__traceback__)
                self_inner.lease.__exit__(None, None, None)
                return self_inner.guard.__exit__(kind, error, tb)

        return _Tx()

    def read(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with _unavailable(self.address.display), self.connection() as conn:
            return conn.execute(sql, params).fetchall()

    @property
    def schema_version(self) -> int:
        rows = self.read("SELECT version FROM schema_version")
        return rows[0]["version"] if rows else 0

    def migrate(self) -> None:
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT version FROM schema_version").fetchone()
            if row is None:
                conn.execute("INSERT INTO schema_version (version) VALUES (0)")
                version = 0
            else:
                version = row["version"]
            if version > len(MIGRATIONS):
                raise SchemaTooNew(version, len(MIGRATIONS))
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                conn.execute(script)
                conn.execute("UPDATE schema_version SET version = %s", (number,))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
        self._local = threading.local()


def team_key_state(db: PgDatabase) -> bool:
    """Has this shared history's team key been created?"""
    return bool(db.read("SELECT 1 FROM team_key"))


def create_team_key(db: PgDatabase, created_by: str, key: bytes | None = None) -> bytes | None:
    """On an empty shared history, set up the team key (a new one, or `key`) and return it (to be shown once).
    None when the shared history already has one."""
    from cryptography.fernet import Fernet

    key = key or Fernet.generate_key()
    token = BodyCipher(key).encrypt(_CHECK_TEXT)
    with db.transaction() as conn:
        inserted = conn.execute(
            "INSERT INTO team_key (check_token, created_by) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (token, created_by),
        ).rowcount
    return key if inserted else None


def check_team_key(db: PgDatabase, key: bytes) -> None:
    """Raise WrongTeamKey unless `key` opens this shared history's bodies."""
    rows = db.read("SELECT check_token FROM team_key")
    if not rows:
        raise WrongTeamKey()
    try:
        if BodyCipher(key).decrypt(bytes(rows[0]["check_token"])) != _CHECK_TEXT:
            raise WrongTeamKey()
    except (BodyUnreadable, ValueError):
        raise WrongTeamKey() from None


class PgJournal:
    """The shared history. Same methods and meanings as the SQLite `Journal`, plus claims and a rate budget."""

    def __init__(self, db: PgDatabase, cipher: BodyCipher, sender: str = "", owner: str | None = None,
                 lease_seconds: float = DEFAULT_LEASE_SECONDS, key_state: str = "") -> None:
        self._db = db
        self._cipher = cipher
        self._key_state = key_state or TeamKeyMissing.NOT_ENTERED
        """Why there is no team key here when the cipher has none (a TeamKeyMissing state)."""
        self.sender = sender
        self.owner = owner or f"{sender}:{uuid.uuid4()}"
        self.lease_seconds = lease_seconds
        self._memory_bodies: dict[tuple[int, str], str] = {}
        self._memory_lock = threading.Lock()
        self._heartbeat: threading.Thread | None = None
        self._stop = threading.Event()

    # -- what the SQLite Journal has ------------------------------------------------------------------------

    @property
    def bodies_persistent(self) -> bool:
        return self._cipher.persistent

    @property
    def notice(self) -> str:
        """Nothing to say about keeping contents: without the team key nothing is sent (`team_key_problem`)."""
        return ""

    def team_key_problem(self, sending: bool = False) -> TeamKeyMissing | None:
        """None when this computer has the team key; else the typed reason (raise it to refuse a send)."""
        if self._cipher.persistent:
            return None
        return TeamKeyMissing(self._db.address.display, self._key_state, sending)

    @property
    def database(self) -> PgDatabase:
        return self._db

    def recover(self, owner_alive: Callable[[str], bool] | None = None, me: str = "",
                now: float | None = None) -> Recovered:
        """Rows whose owner's lease has expired: 'sending' ones become 'unknown' (the request may or may not have
        arrived), queued ones are freed. A live owner's rows (lease running) are never touched, nor `me`'s (default:
        this journal's owner). `owner_alive` is not asked: across machines only the lease can tell.

        Returns the unknown rows (a list, as the SQLite journal on main does) with `.unknown` and `.released`."""
        me = me or self.owner
        now = time.time() if now is None else now
        with self._db.transaction() as conn:
            gone = conn.execute(
                "SELECT id, state FROM submissions WHERE (state = 'sending' OR owner IS NOT NULL)"
                " AND owner IS DISTINCT FROM %s AND (lease_until IS NULL OR lease_until < to_timestamp(%s))"
                " ORDER BY id FOR UPDATE SKIP LOCKED", (me, now)).fetchall()
            unknown = [r["id"] for r in gone if r["state"] == "sending"]
            released = [r["id"] for r in gone if r["state"] != "sending"]
            if unknown:
                conn.execute(
                    "UPDATE submissions SET state = 'unknown', reason = NULL, message = '', owner = NULL,"
                    " lease_until = NULL, updated_at = clock_timestamp() WHERE id = ANY(%s)", (unknown,))
                conn.execute(
                    "UPDATE attempts SET state = 'unknown', finished_at = clock_timestamp()"
                    " WHERE submission_id = ANY(%s) AND finished_at IS NULL", (unknown,))
            if released:
                conn.execute("UPDATE submissions SET owner = NULL, lease_until = NULL WHERE id = ANY(%s)", (released,))
        return Recovered(tuple(self.get(i) for i in unknown), tuple(released))

    def record(
        self,
        environment_id: str,
        kind: OrderKind,
        endpoint: str,
        purchase_orders: Sequence[str],
        recipe_set_ids: Sequence[str],
        skus: Sequence[str],
        request_body: str,
        state: SubmissionState = SubmissionState.QUEUED,
        original_id: int | None = None,
        base_url: str = "",
        owner: str | None = None,
        lease_until: float | None = None,
    ) -> int:
        """Write a new submission and commit it; returns its id."""
        entry = NewSubmission(environment_id, kind, endpoint, purchase_orders, recipe_set_ids, skus, request_body, base_url,
                       original_id)
        return int(self.record_many([entry], owner, lease_until, state)[0] or 0)

    def record_many(self, entries: Sequence[Any], owner: str | None = None, lease_until: float | None = None,
                    state: SubmissionState = SubmissionState.QUEUED, *, skip_held_at: float | None = None,
                    skip_delivered: bool = False) -> list[int | None]:
        """Write new submissions (each with environment_id, kind, endpoint, purchase_orders, recipe_set_ids, skus,
        request_body, base_url, original_id), held by `owner` until `lease_until` when given, in one transaction.

        In the same transaction, under an advisory lock per environment and purchase order (so that two machines
        cannot both pass): with `skip_held_at` (now), an entry whose purchase order another live owner holds queued
        or sending there is not written; with `skip_delivered`, nor one history shows delivered there. Those come
        back as None."""
        problem = self.team_key_problem(sending=True)
        if problem is not None:
            raise problem  # nothing is written, or sent, that the team could not open again
        blobs = [self._cipher.encrypt(e.request_body) for e in entries]
        ids: list[int | None] = []
        checking = skip_held_at is not None or skip_delivered
        with self._db.transaction() as conn:
            if checking:
                keys = sorted({_lock_key(e.environment_id, str(p)) for e in entries for p in e.purchase_orders})
                for key in keys:  # sorted: two machines take them in the same order, never deadlock
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
            for entry, blob in zip(entries, blobs, strict=True):
                pos = [str(p) for p in entry.purchase_orders]
                if checking and self._taken(conn, entry.environment_id, pos, owner or "", skip_held_at,
                                            skip_delivered):
                    ids.append(None)
                    continue
                row = conn.execute(
                    "INSERT INTO submissions (environment_id, base_url, kind, endpoint, purchase_orders,"
                    " recipe_set_ids, skus, request_body, state, created_at, updated_at, original_id, sender, owner,"
                    " lease_until) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, clock_timestamp(), clock_timestamp(),"
                    " %s, %s, %s, to_timestamp(%s)) RETURNING id",
                    (entry.environment_id, entry.base_url, str(entry.kind), entry.endpoint, pos,
                     [str(r) for r in entry.recipe_set_ids], [str(k) for k in entry.skus], blob, str(state),
                     entry.original_id, self.sender, owner, lease_until),
                ).fetchone()
                ids.append(int(row["id"]))
        if owner is not None and any(i is not None for i in ids):
            self._start_heartbeat()
        return ids

    @staticmethod
    def _taken(conn, environment_id: str, pos: list[str], owner: str, held_at: float | None,
               delivered: bool) -> bool:
        if not pos:
            return False
        if held_at is not None and conn.execute(
                "SELECT 1 FROM submissions WHERE environment_id = %s AND purchase_orders && %s::text[]"
                " AND owner IS NOT NULL AND owner <> %s AND lease_until >= to_timestamp(%s)"
                " AND state IN ('queued', 'sending') LIMIT 1", (environment_id, pos, owner, held_at)).fetchone():
            return True
        return delivered and conn.execute(
            "SELECT 1 FROM submissions WHERE environment_id = %s AND purchase_orders && %s::text[]"
            " AND state = ANY(%s) LIMIT 1", (environment_id, pos, list(DELIVERED))).fetchone() is not None

    def mark_sending(self, submission_id: int) -> None:
        """Committed just before the request leaves: state 'sending', a new attempt, and this owner's lease."""
        with self._db.transaction() as conn:
            row = conn.execute("SELECT attempts FROM submissions WHERE id = %s FOR UPDATE",
                               (submission_id,)).fetchone()
            if row is None:
                raise SubmissionNotFound(submission_id)
            number = row["attempts"] + 1
            conn.execute(
                "UPDATE submissions SET state = 'sending', attempts = %s, updated_at = clock_timestamp(),"
                " owner = %s, lease_until = to_timestamp(%s) WHERE id = %s",
                (number, self.owner, time.time() + self.lease_seconds, submission_id),
            )
            conn.execute(
                "INSERT INTO attempts (submission_id, number, started_at, state, sender)"
                " VALUES (%s, %s, clock_timestamp(), 'sending', %s)",
                (submission_id, number, self.sender),
            )
        self._start_heartbeat()

    def finish(
        self,
        submission_id: int,
        state: SubmissionState,
        reason: FailureReason | None = None,
        http_status: int | None = None,
        message: str = "",
        response_body: str | None = None,
        results: Sequence[RecipeSetResult] = (),
        requests: int = 1,
    ) -> None:
        """Record how a submission ended (replaces earlier per-recipeSet results) and release its claim.
        `requests`: HTTP requests this attempt made (the client's retries included); all are counted."""
        blob = None
        if response_body is not None and self._cipher.persistent:
            blob = self._cipher.encrypt(response_body)
        with self._db.transaction() as conn:
            updated = conn.execute(
                "UPDATE submissions SET state = %s, reason = %s, http_status = %s, message = %s,"
                " response_body = %s, updated_at = clock_timestamp(), attempts = attempts + %s, owner = NULL,"
                " lease_until = NULL WHERE id = %s",
                (str(state), str(reason) if reason else None, http_status, message, blob, max(0, requests - 1),
                 submission_id),
            ).rowcount
            if not updated:
                raise SubmissionNotFound(submission_id)
            conn.execute(
                "UPDATE attempts SET state = %s, http_status = %s, message = %s, finished_at = clock_timestamp(),"
                " requests = %s WHERE submission_id = %s AND finished_at IS NULL",
                (str(state), http_status, message, max(1, requests), submission_id),
            )
            conn.execute("DELETE FROM recipe_set_results WHERE submission_id = %s", (submission_id,))
            if results:
                conn.cursor().executemany(
                    "INSERT INTO recipe_set_results (submission_id, recipe_set_id, purchase_order, sku, success,"
                    " message) VALUES (%s, %s, %s, %s, %s, %s)",
                    [(submission_id, r.recipe_set_id, r.purchase_order, r.sku, r.success, r.message)
                     for r in results],
                )
        if response_body is not None and blob is None:
            with self._memory_lock:
                self._memory_bodies[(submission_id, "response")] = response_body

    def get(self, submission_id: int) -> SubmissionRecord:
        rows = self._db.read(f"SELECT {_COLUMNS} FROM submissions WHERE id = %s", (submission_id,))
        if not rows:
            raise SubmissionNotFound(submission_id)
        return _record(rows[0], tuple(self.results(submission_id)))

    def results(self, submission_id: int) -> list[RecipeSetResult]:
        rows = self._db.read(
            "SELECT recipe_set_id, purchase_order, sku, success, message FROM recipe_set_results"
            " WHERE submission_id = %s ORDER BY id", (submission_id,))
        return [RecipeSetResult(recipe_set_id=r["recipe_set_id"], success=r["success"], message=r["message"],
                                purchase_order=r["purchase_order"], sku=r["sku"]) for r in rows]

    def attempts(self, submission_id: int) -> list[AttemptRecord]:
        rows = self._db.read(
            "SELECT number, started_at, finished_at, state, http_status, message, requests FROM attempts"
            " WHERE submission_id = %s ORDER BY number", (submission_id,))
        return [AttemptRecord(number=r["number"], started_at=r["started_at"], finished_at=r["finished_at"],
                              state=SubmissionState(r["state"]), http_status=r["http_status"], message=r["message"],
                              requests=r["requests"])
                for r in rows]

    def request_body(self, submission_id: int) -> str | None:
        return self._body(submission_id, "request")

    def response_body(self, submission_id: int) -> str | None:
        return self._body(submission_id, "response")

    def senders(self, most: int = SENDERS_MOST) -> list[str]:
        """The distinct names rows were sent by (for the Sent by filter), A to Z, at most `most`. Cheap on any number
        of rows: a skip scan down the (sender, created_at) index, one index probe per distinct name."""
        return [r["sender"] for r in self._db.read(SENDERS_SQL, (most,))]

    def history(self, query: HistoryQuery) -> HistoryPage:
        """Newest first, one page, plus the count of all matching rows."""
        where: list[str] = []
        params: list[Any] = []
        if query.environment_id is not None:
            where.append("environment_id = %s")
            params.append(query.environment_id)
        if query.states:
            where.append("state = ANY(%s)")
            params.append(sorted(str(s) for s in query.states))
        if query.since is not None:
            where.append("created_at >= %s")
            params.append(query.since.astimezone(UTC))
        if query.until is not None:
            where.append("created_at < %s")
            params.append(query.until.astimezone(UTC))
        sender = getattr(query, "sender", None)
        if sender is not None:
            where.append("sender = %s")
            params.append(sender)
        if query.search.strip():
            # A purchase order, recipeSet id or SKU that holds the search text anywhere ("1002" finds PO-1002).
            where.append("s.id IN (SELECT k.submission_id FROM submission_search AS k WHERE k.value LIKE %s)")
            params.append("%" + _escape_like(query.search.strip()) + "%")
        if query.latest_only:
            where.append(
                "NOT EXISTS (SELECT 1 FROM submissions AS later WHERE later.environment_id = s.environment_id"
                " AND later.purchase_orders = s.purchase_orders AND later.id > s.id)"
            )
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        total = self._db.read(f"SELECT count(*) AS n FROM submissions AS s{clause}", params)[0]["n"]
        rows = self._db.read(
            f"SELECT {_COLUMNS} FROM submissions AS s{clause} ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s",
            [*params, query.page_size, query.page * query.page_size],
        )
        return HistoryPage(rows=tuple(_record(r) for r in rows), total=int(total))

    def accepted_recipe_sets(self, environment_id: str, purchase_order: str) -> set[str]:
        """The recipeSetIds of this purchase order that Spectrum accepted in this environment (any submission)."""
        rows = self._db.read(
            "SELECT DISTINCT r.recipe_set_id FROM recipe_set_results AS r JOIN submissions AS s ON s.id = r.submission_id"
            " WHERE s.environment_id = %s AND s.purchase_orders @> ARRAY[%s]::text[] AND r.success"
            " AND (r.purchase_order = '' OR r.purchase_order = %s)",
            (environment_id, purchase_order, purchase_order))
        return {r["recipe_set_id"] for r in rows}

    def succeeded_before(self, environment_id: str, purchase_order: str) -> bool:
        """Has this purchase order already been delivered in this environment?"""
        return bool(self._db.read(
            "SELECT 1 FROM submissions WHERE environment_id = %s AND state = ANY(%s)"
            " AND purchase_orders @> ARRAY[%s]::text[] LIMIT 1", (environment_id, list(DELIVERED), purchase_order)))

    # -- claims (owner + lease) -------------------------------------------------------------------------------

    def claim(self, ids: Sequence[int], owner: str | None = None, lease_until: float | None = None, *,
              now: float | None = None, latest_only: bool = False) -> list[int]:
        """Take the rows nobody live holds (free, ours, or lease expired) that are not being sent (a delivered row
        may be resent on purpose: Spectrum then answers 409),
        skipping rows another machine is claiming this very moment (FOR UPDATE SKIP LOCKED), so two machines
        asking at once get disjoint rows. `latest_only`: skip a row when a later row of one of its purchase
        orders exists in its environment, or one was delivered there (someone resent it meanwhile).
        Defaults: this journal's owner, a lease of `lease_seconds`. Returns the ids taken."""
        if not ids:
            return []
        owner = owner or self.owner
        now = time.time() if now is None else now
        lease_until = now + self.lease_seconds if lease_until is None else lease_until
        later = (
            " AND NOT EXISTS (SELECT 1 FROM submissions AS o WHERE o.environment_id = s.environment_id"
            " AND o.purchase_orders && s.purchase_orders AND (o.id > s.id OR o.state = ANY(%(delivered)s)))"
        ) if latest_only else ""
        with self._db.transaction() as conn:
            rows = conn.execute(
                "UPDATE submissions SET owner = %(owner)s, lease_until = to_timestamp(%(lease)s)"
                " WHERE id IN (SELECT id FROM submissions AS s WHERE id = ANY(%(ids)s)"
                "   AND state <> 'sending'"
                "   AND (owner IS NULL OR owner = %(owner)s OR lease_until < to_timestamp(%(now)s))" + later +
                "   FOR UPDATE SKIP LOCKED)"
                " RETURNING id",
                {"owner": owner, "lease": lease_until, "ids": list(ids), "now": now, "resendable": list(RESENDABLE),
                 "delivered": list(DELIVERED)},
            ).fetchall()
        taken = sorted(r["id"] for r in rows)
        if taken and owner == self.owner:
            self._start_heartbeat()
        return taken

    def start_sending(self, ids: Sequence[int], owner: str | None = None, lease_until: float | None = None,
                      now: float | None = None) -> list[int]:
        """Claim and mark 'sending' in one transaction (a new attempt each); returns the ids that may go now. A row
        another live owner holds, or that is no longer queued or resendable, is left out."""
        if not ids:
            return []
        owner = owner or self.owner
        now = time.time() if now is None else now
        lease_until = now + self.lease_seconds if lease_until is None else lease_until
        with self._db.transaction() as conn:
            rows = conn.execute(
                "UPDATE submissions SET state = 'sending', attempts = attempts + 1, updated_at = clock_timestamp(),"
                " owner = %(owner)s, lease_until = to_timestamp(%(lease)s)"
                " WHERE id IN (SELECT id FROM submissions WHERE id = ANY(%(ids)s) AND state = ANY(%(resendable)s)"
                "   AND (owner IS NULL OR owner = %(owner)s OR lease_until < to_timestamp(%(now)s))"
                "   FOR UPDATE SKIP LOCKED)"
                " RETURNING id, attempts",
                {"owner": owner, "lease": lease_until, "ids": list(ids), "now": now, "resendable": list(RESENDABLE)},
            ).fetchall()
            if rows:
                conn.cursor().executemany(
                    "INSERT INTO attempts (submission_id, number, started_at, state, sender)"
                    " VALUES (%s, %s, clock_timestamp(), 'sending', %s)",
                    [(r["id"], r["attempts"], self.sender) for r in rows])
        if rows and owner == self.owner:
            self._start_heartbeat()
        return sorted(r["id"] for r in rows)

    def renew(self, owner: str | None = None, lease_until: float | None = None) -> int:
        """Push the lease of every row `owner` (default: this journal's) holds; returns how many."""
        owner = owner or self.owner
        lease_until = time.time() + self.lease_seconds if lease_until is None else lease_until
        with self._db.transaction() as conn:
            return conn.execute("UPDATE submissions SET lease_until = to_timestamp(%s) WHERE owner = %s",
                                (lease_until, owner)).rowcount

    def release(self, ids: Sequence[int], owner: str | None = None) -> None:
        """Give back rows held by `owner` without sending them (they keep their state)."""
        if not ids:
            return
        with self._db.transaction() as conn:
            conn.execute("UPDATE submissions SET owner = NULL, lease_until = NULL WHERE owner = %s AND id = ANY(%s)",
                         (owner or self.owner, list(ids)))

    def delivered(self, environment_id: str, purchase_orders: Iterable[str]) -> set[str]:
        """Which of these purchase orders history shows delivered (succeeded or already there) in this environment."""
        pos = sorted({str(p) for p in purchase_orders})
        if not pos:
            return set()
        # One GIN lookup per purchase order (@> ARRAY[p]): with thousands of them, matching each unnested
        # element against the whole list (&& then = ANY) took over a second on 100,000 rows.
        rows = self._db.read(
            "SELECT p FROM unnest(%s::text[]) AS p WHERE EXISTS (SELECT 1 FROM submissions WHERE environment_id = %s"
            " AND state = ANY(%s) AND purchase_orders @> ARRAY[p])",
            (pos, environment_id, list(DELIVERED)))
        return {r["p"] for r in rows}

    def held_elsewhere(self, environment_id: str, purchase_orders: Iterable[str], owner: str | None = None,
                       now: float | None = None) -> set[str]:
        """Purchase orders another owner's live claim is about to send (or is sending) in this environment."""
        pos = sorted({str(p) for p in purchase_orders})
        if not pos:
            return set()
        now = time.time() if now is None else now
        rows = self._db.read(
            "SELECT DISTINCT p FROM submissions, unnest(purchase_orders) AS p WHERE environment_id = %s"
            " AND purchase_orders && %s::text[] AND p = ANY(%s) AND owner IS NOT NULL AND owner <> %s"
            " AND lease_until >= to_timestamp(%s) AND state IN ('queued', 'sending')",
            (environment_id, pos, pos, owner or self.owner, now))
        return {r["p"] for r in rows}

    def holder(self, submission_id: int) -> tuple[str | None, datetime | None]:
        rows = self._db.read("SELECT owner, lease_until FROM submissions WHERE id = %s", (submission_id,))
        if not rows:
            raise SubmissionNotFound(submission_id)
        return rows[0]["owner"], rows[0]["lease_until"]

    # -- one rate budget for the team -------------------------------------------------------------------------

    def budget_take(self, scope: str, endpoint: str, max_requests: int, window_seconds: float,
                    in_flight_seconds: float = 120.0) -> tuple[int | None, float]:
        """One short transaction under the scope's advisory lock: take a slot of the team's budget for this
        environment (`scope`) and endpoint. Every sender announces its limit; a slot is taken only when every limit
        announced there has room (a tighter one, e.g. a run with --rate-limit, holds everyone). A slot counts from
        when it was taken until a window after its answer (while in flight: at most `in_flight_seconds`).
        Returns (slot id, 0.0), or (None, seconds to wait) while the budget is full or Spectrum asked everyone
        to wait."""
        key = int.from_bytes(hashlib.sha256(f"{scope} {endpoint}".encode()).digest()[:8], "big", signed=True)
        now = time.time()
        with self._db.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
            conn.execute(
                "INSERT INTO rate_limits (scope, endpoint, max_requests, window_seconds, seen_until)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (scope, endpoint, max_requests, window_seconds)"
                " DO UPDATE SET seen_until = excluded.seen_until",
                (scope, endpoint, max_requests, window_seconds, now + window_seconds + in_flight_seconds))
            conn.execute("DELETE FROM rate_limits WHERE scope = %s AND endpoint = %s AND seen_until < %s",
                         (scope, endpoint, now))
            block = conn.execute("SELECT until FROM rate_blocks WHERE scope = %s AND endpoint = %s",
                                 (scope, endpoint)).fetchone()
            if block is not None and block["until"] > now:
                return None, block["until"] - now
            conn.execute("DELETE FROM rate_events WHERE scope = %s AND endpoint = %s"
                         " AND coalesce(answered, started + %s) < %s",
                         (scope, endpoint, in_flight_seconds, now - BUDGET_KEEP_SECONDS))
            wait = 0.0
            for limit in conn.execute("SELECT max_requests, window_seconds FROM rate_limits WHERE scope = %s"
                                      " AND endpoint = %s", (scope, endpoint)).fetchall():
                row = conn.execute(
                    "SELECT count(*) AS n, min(answered) AS earliest FROM rate_events WHERE scope = %s"
                    " AND endpoint = %s AND coalesce(answered, started + %s) + %s > %s",
                    (scope, endpoint, in_flight_seconds, limit["window_seconds"], now)).fetchone()
                if row["n"] >= limit["max_requests"]:
                    wait = max(wait, (row["earliest"] + limit["window_seconds"] - now)
                               if row["earliest"] is not None else 0.02)
            if wait > 0:
                return None, wait
            slot = conn.execute("INSERT INTO rate_events (scope, endpoint, started) VALUES (%s, %s, %s) RETURNING id",
                                (scope, endpoint, now)).fetchone()
            return int(slot["id"]), 0.0

    def budget_answered(self, slot: int) -> None:
        """The slot's request has its answer: it counts for one more window from now."""
        with self._db.transaction() as conn:
            conn.execute("UPDATE rate_events SET answered = %s WHERE id = %s", (time.time(), slot))

    def budget_block(self, scope: str, endpoint: str, wait_seconds: float) -> None:
        """Spectrum said 'too many' to someone: nobody in the team sends there for `wait_seconds`."""
        until = time.time() + max(0.0, wait_seconds)
        with self._db.transaction() as conn:
            conn.execute("INSERT INTO rate_blocks (scope, endpoint, until) VALUES (%s, %s, %s)"
                         " ON CONFLICT (scope, endpoint) DO UPDATE SET until = greatest(rate_blocks.until,"
                         " excluded.until)", (scope, endpoint, until))

    def budget_used(self, scope: str, endpoint: str, window_seconds: float, in_flight_seconds: float = 120.0
                    ) -> tuple[int, bool]:
        """(slots counting now, blocked by a refusal)."""
        now = time.time()
        block = self._db.read("SELECT until FROM rate_blocks WHERE scope = %s AND endpoint = %s", (scope, endpoint))
        used = self._db.read(
            "SELECT count(*) AS n FROM rate_events WHERE scope = %s AND endpoint = %s"
            " AND coalesce(answered, started + %s) + %s > %s",
            (scope, endpoint, in_flight_seconds, window_seconds, now))[0]["n"]
        return int(used), bool(block and block[0]["until"] > now)

    # -- moving a local history into the shared one -----------------------------------------------------------

    def import_record(self, record: SubmissionRecord, origin: str, request_body: str | None,
                      response_body: str | None, attempts: Sequence[AttemptRecord], original_id: int | None,
                      sender: str) -> tuple[int, bool]:
        """Copy one row from elsewhere, once: returns (shared id, True when it was new). `origin` identifies the
        source row; a second copy of the same origin is skipped, but takes `sender` (rows of one computer's history
        are one person's: copied again under the name they chose since, they go under that name)."""
        def seal(text: str | None) -> bytes | None:
            return self._cipher.encrypt(text) if text is not None and self._cipher.persistent else None

        with self._db.transaction() as conn:
            row = conn.execute(
                "INSERT INTO submissions (environment_id, base_url, kind, endpoint, purchase_orders, recipe_set_ids,"
                " skus, request_body, response_body, state, reason, http_status, message, attempts, created_at,"
                " updated_at, original_id, sender, origin)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (origin) DO NOTHING RETURNING id",
                (record.environment_id, record.base_url, str(record.kind), record.endpoint,
                 list(record.purchase_orders), list(record.recipe_set_ids), list(record.skus), seal(request_body),
                 seal(response_body), str(record.state), str(record.reason) if record.reason else None,
                 record.http_status, record.message, record.attempts, record.created_at, record.updated_at,
                 original_id, sender, origin),
            ).fetchone()
            if row is None:
                existing = conn.execute("SELECT id, sender FROM submissions WHERE origin = %s", (origin,)).fetchone()
                if existing["sender"] != sender:
                    conn.execute("UPDATE submissions SET sender = %s WHERE id = %s", (sender, existing["id"]))
                    conn.execute("UPDATE attempts SET sender = %s WHERE submission_id = %s AND sender = %s",
                                 (sender, existing["id"], existing["sender"]))
                return int(existing["id"]), False
            new_id = int(row["id"])
            if record.results:
                conn.cursor().executemany(
                    "INSERT INTO recipe_set_results (submission_id, recipe_set_id, purchase_order, sku, success,"
                    " message) VALUES (%s, %s, %s, %s, %s, %s)",
                    [(new_id, r.recipe_set_id, r.purchase_order, r.sku, r.success, r.message) for r in record.results])
            if attempts:
                conn.cursor().executemany(
                    "INSERT INTO attempts (submission_id, number, started_at, finished_at, state, http_status,"
                    " message, sender) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [(new_id, a.number, a.started_at, a.finished_at, str(a.state), a.http_status, a.message, sender)
                     for a in attempts])
        return new_id, True

    def listen(self, callback):
        """Start a HistoryListener on this shared history: `callback({"id", "state", "sender",
        "environment_id"})` for every row anyone writes. Returns it (call `stop()`)."""
        from spectrum_desktop.store.pg_listen import HistoryListener

        return HistoryListener(self._db, callback).start()

    # -- inside ------------------------------------------------------------------------------------------------

    def _body(self, submission_id: int, which: str) -> str | None:
        column = "request_body" if which == "request" else "response_body"
        rows = self._db.read(f"SELECT {column} AS body FROM submissions WHERE id = %s", (submission_id,))
        if not rows:
            raise SubmissionNotFound(submission_id)
        blob = rows[0]["body"]
        if blob is not None:
            problem = self.team_key_problem()
            if problem is not None:
                raise problem
            return self._cipher.decrypt(bytes(blob))
        with self._memory_lock:
            return self._memory_bodies.get((submission_id, which))

    def _start_heartbeat(self) -> None:
        with self._memory_lock:
            if self._heartbeat is not None and self._heartbeat.is_alive():
                return
            self._stop.clear()
            self._heartbeat = threading.Thread(target=self._beat, name="journal-lease", daemon=True)
            self._heartbeat.start()

    def _beat(self) -> None:
        """Renew this owner's leases every third of a lease until the journal closes."""
        while not self._stop.wait(self.lease_seconds / 3):
            try:
                self.renew()
            except SharedHistoryError:
                continue  # the server is away for a moment: the lease runs on; try again next beat

    def close(self) -> None:
        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join(timeout=5)
        self._db.close()


def payload(text: str) -> dict[str, Any]:
    """A NOTIFY payload from `spectrum_history` as a dict (id, state, sender, environment_id)."""
    return json.loads(text)
