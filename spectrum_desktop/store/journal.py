"""The journal: every submission is written (and committed) before it is sent, and updated after.

`JournalStore` is the interface the services use (a second backend, e.g. PostgreSQL, implements the same);
`SqliteJournal` keeps it in the one SQLite file, all SQL in this class. Rows are claimed by a sender (owner id +
lease) in the same transaction that writes or marks them; nobody else takes a row whose owner is alive.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from spectrum_desktop.domain.errors import NotInHistory
from spectrum_desktop.domain.states import DELIVERED, NEEDS_ATTENTION, FailureReason, OrderKind, SubmissionState
from spectrum_desktop.domain.submission import AttemptRecord, RecipeSetResult, SubmissionRecord
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database

_COLUMNS = (
    "id, environment_id, base_url, kind, endpoint, purchase_orders, state, reason,"
    " http_status, message, attempts, created_at, updated_at, original_id, owner, lease_until"
)
PO, RECIPE_SET, SKU = "po", "recipe_set", "sku"
RESENDABLE = NEEDS_ATTENTION  # the states a resend may claim a row in


class SubmissionNotFound(NotInHistory):
    """No journal row has this id (`submission_id`)."""


@dataclass(frozen=True)
class NewSubmission:
    """What `record_many` writes for one order."""

    environment_id: str
    kind: OrderKind
    endpoint: str
    purchase_orders: Sequence[str]
    recipe_set_ids: Sequence[str]
    skus: Sequence[str]
    request_body: str
    base_url: str = ""
    original_id: int | None = None


@dataclass(frozen=True)
class Recovered:
    """What recovery did: rows left `sending` by a gone owner became unknown; its queued rows were freed."""

    unknown: tuple[SubmissionRecord, ...]
    released: tuple[int, ...]


@dataclass(frozen=True)
class HistoryQuery:
    """A filter over history; an empty field means 'any'."""

    environment_id: str | None = None
    states: frozenset[SubmissionState] = field(default_factory=frozenset)
    since: datetime | None = None
    until: datetime | None = None
    search: str = ""
    latest_only: bool = False
    """Leave out a row when a later submission of the same purchase order(s) to the same environment exists."""
    sender: str | None = None
    """Only rows sent by this person (shared history; a local history's rows are all its owner's)."""
    page: int = 0
    page_size: int = 200


@dataclass(frozen=True)
class HistoryPage:
    rows: tuple[SubmissionRecord, ...]
    total: int


class JournalStore(Protocol):
    """The journal as the services see it. Times for leases are seconds since the epoch (time.time())."""

    @property
    def bodies_persistent(self) -> bool: ...

    def record_many(self, entries: Sequence[NewSubmission], owner: str | None = None,
                    lease_until: float | None = None, state: SubmissionState = SubmissionState.QUEUED, *,
                    skip_held_at: float | None = None, skip_delivered: bool = False) -> list[int | None]: ...

    def claim(self, ids: Sequence[int], owner: str, lease_until: float, *, now: float | None = None,
              latest_only: bool = False) -> list[int]: ...

    def start_sending(self, ids: Sequence[int], owner: str, lease_until: float,
                      now: float | None = None) -> list[int]: ...

    def renew(self, owner: str, lease_until: float) -> int: ...

    def release(self, ids: Sequence[int], owner: str) -> None: ...

    def finish(self, submission_id: int, state: SubmissionState, reason: FailureReason | None = None,
               http_status: int | None = None, message: str = "", response_body: str | None = None,
               results: Sequence[RecipeSetResult] = (), requests: int = 1) -> None: ...

    def recover(self, owner_alive: Callable[[str], bool], me: str = "",
                now: float | None = None) -> Recovered: ...

    def get(self, submission_id: int) -> SubmissionRecord: ...

    def results(self, submission_id: int) -> list[RecipeSetResult]: ...

    def attempts(self, submission_id: int) -> list[AttemptRecord]: ...

    def request_body(self, submission_id: int) -> str | None: ...

    def response_body(self, submission_id: int) -> str | None: ...

    def senders(self) -> list[str]: ...

    def team_key_problem(self, sending: bool = False) -> Exception | None: ...

    def history(self, query: HistoryQuery) -> HistoryPage: ...

    def delivered(self, environment_id: str, purchase_orders: Iterable[str]) -> set[str]: ...

    def accepted_recipe_sets(self, environment_id: str, purchase_order: str) -> set[str]: ...

    def held_elsewhere(self, environment_id: str, purchase_orders: Iterable[str], owner: str,
                       now: float | None = None) -> set[str]: ...


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def _record(row: sqlite3.Row, keys: dict[str, list[str]] | None = None, sender: str = "") -> SubmissionRecord:
    keys = keys or {}
    return SubmissionRecord(
        id=row["id"],
        environment_id=row["environment_id"],
        base_url=row["base_url"],
        kind=OrderKind(row["kind"]),
        endpoint=row["endpoint"],
        purchase_orders=tuple(json.loads(row["purchase_orders"] or "[]")),
        recipe_set_ids=tuple(keys.get(RECIPE_SET, ())),
        skus=tuple(keys.get(SKU, ())),
        state=SubmissionState(row["state"]),
        reason=FailureReason(row["reason"]) if row["reason"] else None,
        http_status=row["http_status"],
        message=row["message"],
        attempts=row["attempts"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        original_id=row["original_id"],
        owner=row["owner"],
        sender=sender,
    )


class SqliteJournal:
    """Submissions, their keys, per-recipeSet results and attempts. Bodies are encrypted, or held in memory
    without a key. Every write is one short BEGIN IMMEDIATE transaction (busy_timeout set by Database)."""

    def __init__(self, db: Database, cipher: BodyCipher, sender: str = "") -> None:
        self._db = db
        self._cipher = cipher
        self.sender = sender
        """A local history is one person's: every row reads as sent by them."""
        self._memory_bodies: dict[tuple[int, str], str] = {}
        self._memory_lock = threading.Lock()

    @property
    def database(self) -> Database:
        return self._db

    @property
    def bodies_persistent(self) -> bool:
        return self._cipher.persistent

    @property
    def notice(self) -> str:
        return self._cipher.notice

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.connect().execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise self._db.problem(error) from None

    # --- claims ---
    def recover(self, owner_alive: Callable[[str], bool] = lambda _owner: False, me: str = "",
                now: float | None = None) -> Recovered:
        """Rows whose owner is gone (lease expired, or `owner_alive(owner)` False): `sending` ones become
        unknown (the request may or may not have arrived), queued ones are freed. A live owner's rows, and
        `me`'s, are left alone."""
        now = time.time() if now is None else now
        rows = self._read(
            "SELECT id, state, owner, lease_until FROM submissions WHERE state = ? OR owner IS NOT NULL",
            (SubmissionState.SENDING,),
        )
        alive: dict[str, bool] = {}
        gone: list[tuple[int, str, str | None]] = []
        for row in rows:
            owner = row["owner"]
            if owner == me and me:
                continue
            if owner is not None and (row["lease_until"] or 0) >= now:
                if owner not in alive:
                    alive[owner] = owner_alive(owner)
                if alive[owner]:
                    continue
            gone.append((row["id"], row["state"], owner))
        if not gone:
            return Recovered((), ())
        stamp = _now()
        unknown: list[int] = []
        released: list[int] = []
        with self._db.transaction() as conn:
            for submission_id, state, owner in gone:
                same = "owner IS ?" if owner is None else "owner = ?"
                if state == SubmissionState.SENDING:
                    changed = conn.execute(
                        f"UPDATE submissions SET state = ?, reason = NULL, message = ?, updated_at = ?, owner = NULL,"
                        f" lease_until = NULL WHERE id = ? AND state = ? AND {same}",
                        (SubmissionState.UNKNOWN, "", stamp, submission_id, SubmissionState.SENDING, owner),
                    ).rowcount
                    if changed:
                        conn.execute(
                            "UPDATE attempts SET state = ?, finished_at = ? WHERE submission_id = ?"
                            " AND finished_at IS NULL",
                            (SubmissionState.UNKNOWN, stamp, submission_id),
                        )
                        unknown.append(submission_id)
                else:
                    if conn.execute(f"UPDATE submissions SET owner = NULL, lease_until = NULL WHERE id = ? AND {same}",
                                    (submission_id, owner)).rowcount:
                        released.append(submission_id)
        return Recovered(tuple(self.get(i) for i in unknown), tuple(released))

    def claim(self, ids: Sequence[int], owner: str, lease_until: float, *, now: float | None = None,
              latest_only: bool = False) -> list[int]:
        """Take rows that nobody alive holds (free, ours, or lease expired) and are not being sent (any other
        state: a delivered row may be resent on purpose, Spectrum then answers 409).
        `latest_only`: skip a row when a later row of the same purchase order in its environment exists, or
        the purchase order was delivered there (someone resent it meanwhile). Returns the ids taken."""
        if not ids:
            return []
        now = time.time() if now is None else now
        later = (
            " AND NOT EXISTS (SELECT 1 FROM submission_keys AS mine JOIN submission_keys AS other"
            " ON other.field = mine.field AND other.value = mine.value"
            " JOIN submissions AS o ON o.id = other.submission_id"
            " WHERE mine.submission_id = submissions.id AND mine.field = 'po'"
            " AND o.environment_id = submissions.environment_id"
            f" AND (o.id > submissions.id OR o.state IN ({_marks(DELIVERED)})))"
        ) if latest_only else ""
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"UPDATE submissions SET owner = ?, lease_until = ? WHERE id IN ({_marks(ids)})"
                f" AND state != ? AND (owner IS NULL OR owner = ? OR lease_until < ?){later}"
                " RETURNING id",
                (owner, lease_until, *ids, SubmissionState.SENDING, owner, now, *(DELIVERED if latest_only else ())),
            ).fetchall()
        return sorted(r[0] for r in rows)

    def start_sending(self, ids: Sequence[int], owner: str, lease_until: float,
                      now: float | None = None) -> list[int]:
        """Claim and mark `sending` in one transaction (a new attempt each); returns the ids that may go now.
        A row another live owner holds, or that is no longer queued/resendable, is left out."""
        if not ids:
            return []
        now = time.time() if now is None else now
        stamp = _now()
        with self._db.transaction() as conn:
            rows = conn.execute(
                f"UPDATE submissions SET state = ?, attempts = attempts + 1, updated_at = ?, owner = ?,"
                f" lease_until = ? WHERE id IN ({_marks(ids)}) AND state IN ({_marks(RESENDABLE)})"
                " AND (owner IS NULL OR owner = ? OR lease_until < ?) RETURNING id, attempts",
                (SubmissionState.SENDING, stamp, owner, lease_until, *ids, *RESENDABLE, owner, now),
            ).fetchall()
            conn.executemany(
                "INSERT INTO attempts (submission_id, number, started_at, state) VALUES (?, ?, ?, ?)",
                [(r[0], r[1], stamp, SubmissionState.SENDING) for r in rows],
            )
        return sorted(r[0] for r in rows)

    def renew(self, owner: str, lease_until: float) -> int:
        """Push the lease of every row `owner` holds; returns how many."""
        with self._db.transaction() as conn:
            return conn.execute("UPDATE submissions SET lease_until = ? WHERE owner = ?", (lease_until, owner)).rowcount

    def release(self, ids: Sequence[int], owner: str) -> None:
        if not ids:
            return
        with self._db.transaction() as conn:
            conn.execute(f"UPDATE submissions SET owner = NULL, lease_until = NULL WHERE owner = ?"
                         f" AND id IN ({_marks(ids)})", (owner, *ids))

    def held_elsewhere(self, environment_id: str, purchase_orders: Iterable[str], owner: str,
                       now: float | None = None) -> set[str]:
        """Purchase orders that another owner's live claim is about to send (or sending) in this environment."""
        pos = sorted(set(purchase_orders))
        if not pos:
            return set()
        now = time.time() if now is None else now
        rows = self._read(
            "SELECT DISTINCT k.value FROM submission_keys AS k JOIN submissions AS s ON s.id = k.submission_id"
            f" WHERE k.field = 'po' AND k.value IN ({_marks(pos)}) AND s.environment_id = ?"
            " AND s.owner IS NOT NULL AND s.owner != ? AND s.lease_until >= ? AND s.state IN (?, ?)",
            (*pos, environment_id, owner, now, SubmissionState.QUEUED, SubmissionState.SENDING),
        )
        return {r[0] for r in rows}

    # --- writing ---
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
        entry = NewSubmission(environment_id, kind, endpoint, purchase_orders, recipe_set_ids, skus, request_body,
                              base_url, original_id)
        return int(self.record_many([entry], owner, lease_until, state)[0] or 0)

    def record_many(self, entries: Sequence[NewSubmission], owner: str | None = None,
                    lease_until: float | None = None, state: SubmissionState = SubmissionState.QUEUED, *,
                    skip_held_at: float | None = None, skip_delivered: bool = False) -> list[int | None]:
        """Write new submissions (held by `owner` until `lease_until` when given) in one transaction.

        In the same transaction, so that two processes cannot both pass: with `skip_held_at` (now), an entry
        whose purchase order another live owner holds queued or sending in that environment is not written;
        with `skip_delivered`, nor one that history shows delivered there. Those come back as None."""
        now = _now()
        blobs = [self._cipher.encrypt(e.request_body) if self._cipher.persistent else None for e in entries]
        ids: list[int | None] = []
        with self._db.transaction() as conn:
            for entry, blob in zip(entries, blobs, strict=True):
                if (skip_held_at is not None or skip_delivered) and self._taken(
                        conn, entry, owner or "", skip_held_at, skip_delivered):
                    ids.append(None)
                    continue
                cursor = conn.execute(
                    "INSERT INTO submissions (environment_id, base_url, kind, endpoint, purchase_orders, request_body,"
                    " state, created_at, updated_at, original_id, owner, lease_until)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (entry.environment_id, entry.base_url, str(entry.kind), entry.endpoint,
                     json.dumps([str(p) for p in entry.purchase_orders]), blob, str(state), now, now,
                     entry.original_id, owner, lease_until),
                )
                submission_id = int(cursor.lastrowid or 0)
                conn.executemany(
                    "INSERT INTO submission_keys (submission_id, field, position, value) VALUES (?, ?, ?, ?)",
                    [(submission_id, name, n, str(value))
                     for name, values in ((PO, entry.purchase_orders), (RECIPE_SET, entry.recipe_set_ids),
                                          (SKU, entry.skus))
                     for n, value in enumerate(values)],
                )
                ids.append(submission_id)
        for submission_id, entry, blob in zip(ids, entries, blobs, strict=True):
            if blob is None and submission_id is not None:
                self._remember(submission_id, "request", entry.request_body)
        return ids

    @staticmethod
    def _taken(conn: sqlite3.Connection, entry: NewSubmission, owner: str, held_at: float | None,
               delivered: bool) -> bool:
        pos = [str(p) for p in entry.purchase_orders]
        if not pos:
            return False
        states: list[str] = []
        if delivered:
            states.extend(DELIVERED)
        held = ""
        params: list[object] = [*pos, entry.environment_id]
        if held_at is not None:
            held = (" OR (s.state IN (?, ?) AND s.owner IS NOT NULL AND s.owner != ? AND s.lease_until >= ?)")
            params_held = [SubmissionState.QUEUED, SubmissionState.SENDING, owner, held_at]
        else:
            params_held = []
        condition = f"s.state IN ({_marks(states)})" if states else "0"
        row = conn.execute(
            "SELECT 1 FROM submission_keys AS k JOIN submissions AS s ON s.id = k.submission_id"
            f" WHERE k.field = 'po' AND k.value IN ({_marks(pos)}) AND s.environment_id = ?"
            f" AND ({condition}{held}) LIMIT 1",
            (*params, *states, *params_held),
        ).fetchone()
        return row is not None

    def mark_sending(self, submission_id: int) -> None:
        """Committed just before the request leaves: state 'sending' and a new attempt (no claim)."""
        now = _now()
        with self._db.transaction() as conn:
            row = conn.execute("SELECT attempts FROM submissions WHERE id = ?", (submission_id,)).fetchone()
            if row is None:
                raise SubmissionNotFound(submission_id)
            number = row[0] + 1
            conn.execute(
                "UPDATE submissions SET state = ?, attempts = ?, updated_at = ? WHERE id = ?",
                (SubmissionState.SENDING, number, now, submission_id),
            )
            conn.execute(
                "INSERT INTO attempts (submission_id, number, started_at, state) VALUES (?, ?, ?, ?)",
                (submission_id, number, now, SubmissionState.SENDING),
            )

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
        """Record how a submission ended (replaces earlier per-recipeSet results) and free its claim.
        `requests`: HTTP requests this attempt made (the client's retries included); all are counted."""
        now = _now()
        blob = None
        if response_body is not None and self._cipher.persistent:
            blob = self._cipher.encrypt(response_body)
        extra = max(0, requests - 1)
        with self._db.transaction() as conn:
            updated = conn.execute(
                "UPDATE submissions SET state = ?, reason = ?, http_status = ?, message = ?, response_body = ?,"
                " updated_at = ?, attempts = attempts + ?, owner = NULL, lease_until = NULL WHERE id = ?",
                (str(state), str(reason) if reason else None, http_status, message, blob, now, extra, submission_id),
            ).rowcount
            if not updated:
                raise SubmissionNotFound(submission_id)
            conn.execute(
                "UPDATE attempts SET state = ?, http_status = ?, message = ?, finished_at = ?, requests = ?"
                " WHERE submission_id = ? AND finished_at IS NULL",
                (str(state), http_status, message, now, max(1, requests), submission_id),
            )
            conn.execute("DELETE FROM recipe_set_results WHERE submission_id = ?", (submission_id,))
            conn.executemany(
                "INSERT INTO recipe_set_results (submission_id, recipe_set_id, purchase_order, sku, success, message)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(submission_id, r.recipe_set_id, r.purchase_order, r.sku, int(r.success), r.message) for r in results],
            )
        if response_body is not None and blob is None:
            self._remember(submission_id, "response", response_body)

    # --- reading ---
    def _keys(self, ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
        found: dict[int, dict[str, list[str]]] = {i: {} for i in ids}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start:start + 500])
            for row in self._read(f"SELECT submission_id, field, value FROM submission_keys WHERE submission_id"
                                  f" IN ({_marks(chunk)}) ORDER BY submission_id, field, position", chunk):
                found[row[0]].setdefault(row[1], []).append(row[2])
        return found

    def get(self, submission_id: int) -> SubmissionRecord:
        rows = self._read(f"SELECT {_COLUMNS} FROM submissions WHERE id = ?", (submission_id,))
        if not rows:
            raise SubmissionNotFound(submission_id)
        record = _record(rows[0], self._keys([submission_id])[submission_id], self.sender)
        return SubmissionRecord(**{**record.__dict__, "results": tuple(self.results(submission_id))})

    def results(self, submission_id: int) -> list[RecipeSetResult]:
        rows = self._read(
            "SELECT recipe_set_id, purchase_order, sku, success, message FROM recipe_set_results"
            " WHERE submission_id = ? ORDER BY rowid",
            (submission_id,),
        )
        return [
            RecipeSetResult(
                recipe_set_id=r["recipe_set_id"],
                success=bool(r["success"]),
                message=r["message"],
                purchase_order=r["purchase_order"],
                sku=r["sku"],
            )
            for r in rows
        ]

    def attempts(self, submission_id: int) -> list[AttemptRecord]:
        rows = self._read(
            "SELECT number, started_at, finished_at, state, http_status, message, requests FROM attempts"
            " WHERE submission_id = ? ORDER BY number",
            (submission_id,),
        )
        return [
            AttemptRecord(
                number=r["number"],
                started_at=datetime.fromisoformat(r["started_at"]),
                finished_at=_time(r["finished_at"]),
                state=SubmissionState(r["state"]),
                http_status=r["http_status"],
                message=r["message"],
                requests=r["requests"],
            )
            for r in rows
        ]

    def request_body(self, submission_id: int) -> str | None:
        return self._body(submission_id, "request")

    def response_body(self, submission_id: int) -> str | None:
        return self._body(submission_id, "response")

    def team_key_problem(self, sending: bool = False) -> None:
        """This computer's own history has no team key to miss (its key is the keyring's: `notice`)."""
        return None

    def senders(self) -> list[str]:
        """The names rows were sent by (the Sent by filter): this computer's own history is one person's."""
        if not self.sender or not self._read("SELECT 1 FROM submissions LIMIT 1", []):
            return []
        return [self.sender]

    def history(self, query: HistoryQuery) -> HistoryPage:
        """Newest first, one page, plus the count of all matching rows."""
        where: list[str] = []
        params: list[object] = []
        if query.environment_id is not None:
            where.append("environment_id = ?")
            params.append(query.environment_id)
        if query.states:
            where.append(f"state IN ({', '.join('?' * len(query.states))})")
            params.extend(sorted(str(s) for s in query.states))
        if query.since is not None:
            where.append("created_at >= ?")
            params.append(query.since.astimezone(UTC).isoformat(timespec="microseconds"))
        if query.until is not None:
            where.append("created_at < ?")
            params.append(query.until.astimezone(UTC).isoformat(timespec="microseconds"))
        if query.search.strip():
            # A purchase order, recipeSet id or SKU that holds the search text anywhere ("1002" finds PO-1002).
            where.append("s.id IN (SELECT k.submission_id FROM submission_keys AS k WHERE k.value LIKE ? ESCAPE '\\')")
            params.append("%" + _escape_like(query.search.strip()) + "%")
        if query.latest_only:
            where.append(
                "NOT EXISTS (SELECT 1 FROM submissions AS later WHERE later.environment_id = s.environment_id"
                " AND later.purchase_orders = s.purchase_orders AND later.id > s.id)"
            )
        if query.sender is not None and query.sender != self.sender:
            where.append("0")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        total = int(self._read(f"SELECT COUNT(*) FROM submissions AS s{clause}", params)[0][0])
        rows = self._read(
            f"SELECT {_COLUMNS} FROM submissions AS s{clause} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            [*params, query.page_size, query.page * query.page_size],
        )
        keys = self._keys([r["id"] for r in rows])
        return HistoryPage(rows=tuple(_record(r, keys[r["id"]], self.sender) for r in rows), total=total)

    def delivered(self, environment_id: str, purchase_orders: Iterable[str]) -> set[str]:
        """Which of these purchase orders history shows delivered (succeeded or already there) in this environment."""
        pos = sorted({str(p) for p in purchase_orders})
        found: set[str] = set()
        for start in range(0, len(pos), 500):
            chunk = pos[start:start + 500]
            rows = self._read(
                "SELECT DISTINCT k.value FROM submission_keys AS k JOIN submissions AS s ON s.id = k.submission_id"
                f" WHERE k.field = 'po' AND k.value IN ({_marks(chunk)}) AND s.environment_id = ?"
                f" AND s.state IN ({_marks(DELIVERED)})",
                (*chunk, environment_id, *DELIVERED),
            )
            found.update(r[0] for r in rows)
        return found

    def accepted_recipe_sets(self, environment_id: str, purchase_order: str) -> set[str]:
        """The recipeSetIds of this purchase order that Spectrum accepted in this environment (any submission)."""
        rows = self._read(
            "SELECT DISTINCT r.recipe_set_id FROM recipe_set_results AS r"
            " JOIN submissions AS s ON s.id = r.submission_id"
            " JOIN submission_keys AS k ON k.submission_id = s.id AND k.field = 'po'"
            " WHERE k.value = ? AND s.environment_id = ? AND r.success = 1"
            " AND (r.purchase_order = '' OR r.purchase_order = ?)",
            (purchase_order, environment_id, purchase_order),
        )
        return {r[0] for r in rows}

    def succeeded_before(self, environment_id: str, purchase_order: str) -> bool:
        """Has this purchase order already been delivered in this environment?"""
        return bool(self.delivered(environment_id, [purchase_order]))

    def _remember(self, submission_id: int, which: str, text: str) -> None:
        with self._memory_lock:
            self._memory_bodies[(submission_id, which)] = text

    def _body(self, submission_id: int, which: str) -> str | None:
        column = "request_body" if which == "request" else "response_body"
        rows = self._read(f"SELECT {column} FROM submissions WHERE id = ?", (submission_id,))
        if not rows:
            raise SubmissionNotFound(submission_id)
        if rows[0][0] is not None:
            return self._cipher.decrypt(rows[0][0])
        with self._memory_lock:
            return self._memory_bodies.get((submission_id, which))


Journal = SqliteJournal
"""The single-user backend under its old name."""
