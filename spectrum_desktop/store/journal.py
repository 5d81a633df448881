"""The journal: every submission is written (and committed) before it is sent, and updated after."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from spectrum_desktop.domain.states import FailureReason, OrderKind, SubmissionState
from spectrum_desktop.domain.submission import AttemptRecord, RecipeSetResult, SubmissionRecord
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database

_COLUMNS = (
    "id, environment_id, base_url, kind, endpoint, purchase_orders, recipe_set_ids, skus, state, reason,"
    " http_status, message, attempts, created_at, updated_at, original_id"
)


class SubmissionNotFound(LookupError):
    """No journal row has this id."""


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _list(values: Iterable[str]) -> str:
    # Stored as "|a|b|" so a LIKE '%|x%' search can match the start of any element.
    items = [str(v) for v in values]
    return "|" + "|".join(items) + "|" if items else ""


def _unlist(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split("|") if part)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _record(row: sqlite3.Row, sender: str = "") -> SubmissionRecord:
    return SubmissionRecord(
        id=row["id"],
        environment_id=row["environment_id"],
        base_url=row["base_url"],
        kind=OrderKind(row["kind"]),
        endpoint=row["endpoint"],
        purchase_orders=_unlist(row["purchase_orders"]),
        recipe_set_ids=_unlist(row["recipe_set_ids"]),
        skus=_unlist(row["skus"]),
        state=SubmissionState(row["state"]),
        reason=FailureReason(row["reason"]) if row["reason"] else None,
        http_status=row["http_status"],
        message=row["message"],
        attempts=row["attempts"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
        original_id=row["original_id"],
        sender=sender,
    )


class Journal:
    """Submissions, their per-recipeSet results and attempts. Bodies are encrypted, or held in memory without a key."""

    def __init__(self, db: Database, cipher: BodyCipher, sender: str = "") -> None:
        self._db = db
        self._cipher = cipher
        self.sender = sender
        """A local history is one person's: every row reads as sent by them."""
        self._memory_bodies: dict[tuple[int, str], str] = {}
        self._memory_lock = threading.Lock()

    @property
    def bodies_persistent(self) -> bool:
        return self._cipher.persistent

    @property
    def notice(self) -> str:
        return self._cipher.notice

    def recover(self) -> list[SubmissionRecord]:
        """Rows left 'sending' by a crash become 'unknown' (the request may or may not have arrived)."""
        now = _now()
        with self._db.transaction() as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM submissions WHERE state = ?", (SubmissionState.SENDING,))]
            for submission_id in ids:
                conn.execute(
                    "UPDATE submissions SET state = ?, message = ?, updated_at = ? WHERE id = ?",
                    (
                        SubmissionState.UNKNOWN,
                        "The app stopped while this was being sent; it may or may not have arrived.",
                        now,
                        submission_id,
                    ),
                )
                conn.execute(
                    "UPDATE attempts SET state = ?, finished_at = ? WHERE submission_id = ? AND finished_at IS NULL",
                    (SubmissionState.UNKNOWN, now, submission_id),
                )
        return [self.get(i) for i in ids]

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
    ) -> int:
        """Write a new submission and commit it; returns its id."""
        now = _now()
        blob = self._cipher.encrypt(request_body) if self._cipher.persistent else None
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO submissions (environment_id, base_url, kind, endpoint, purchase_orders, recipe_set_ids,"
                " skus, request_body, state, created_at, updated_at, original_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    environment_id,
                    base_url,
                    str(kind),
                    endpoint,
                    _list(purchase_orders),
                    _list(recipe_set_ids),
                    _list(skus),
                    blob,
                    str(state),
                    now,
                    now,
                    original_id,
                ),
            )
            submission_id = int(cursor.lastrowid or 0)
        if blob is None:
            self._remember(submission_id, "request", request_body)
        return submission_id

    def mark_sending(self, submission_id: int) -> None:
        """Committed just before the request leaves: state 'sending' and a new attempt."""
        now = _now()
        with self._db.transaction() as conn:
            row = conn.execute("SELECT attempts FROM submissions WHERE id = ?", (submission_id,)).fetchone()
            if row is None:
                raise SubmissionNotFound(f"There is no submission number {submission_id} in the history.")
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
    ) -> None:
        """Record how a submission ended (replaces earlier per-recipeSet results)."""
        now = _now()
        blob = None
        if response_body is not None and self._cipher.persistent:
            blob = self._cipher.encrypt(response_body)
        with self._db.transaction() as conn:
            updated = conn.execute(
                "UPDATE submissions SET state = ?, reason = ?, http_status = ?, message = ?, response_body = ?,"
                " updated_at = ? WHERE id = ?",
                (str(state), str(reason) if reason else None, http_status, message, blob, now, submission_id),
            ).rowcount
            if not updated:
                raise SubmissionNotFound(f"There is no submission number {submission_id} in the history.")
            conn.execute(
                "UPDATE attempts SET state = ?, http_status = ?, message = ?, finished_at = ?"
                " WHERE submission_id = ? AND finished_at IS NULL",
                (str(state), http_status, message, now, submission_id),
            )
            conn.execute("DELETE FROM recipe_set_results WHERE submission_id = ?", (submission_id,))
            conn.executemany(
                "INSERT INTO recipe_set_results (submission_id, recipe_set_id, purchase_order, sku, success, message)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(submission_id, r.recipe_set_id, r.purchase_order, r.sku, int(r.success), r.message) for r in results],
            )
        if response_body is not None and blob is None:
            self._remember(submission_id, "response", response_body)

    def get(self, submission_id: int) -> SubmissionRecord:
        row = self._db.connect().execute(f"SELECT {_COLUMNS} FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        if row is None:
            raise SubmissionNotFound(f"There is no submission number {submission_id} in the history.")
        record = _record(row)
        return SubmissionRecord(**{**record.__dict__, "results": tuple(self.results(submission_id)),
                                   "sender": self.sender})

    def results(self, submission_id: int) -> list[RecipeSetResult]:
        rows = self._db.connect().execute(
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
        rows = self._db.connect().execute(
            "SELECT number, started_at, finished_at, state, http_status, message FROM attempts"
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
            )
            for r in rows
        ]

    def request_body(self, submission_id: int) -> str | None:
        return self._body(submission_id, "request")

    def response_body(self, submission_id: int) -> str | None:
        return self._body(submission_id, "response")

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
            term = "%|" + _escape_like(query.search.strip()) + "%"
            where.append(
                "(purchase_orders LIKE ? ESCAPE '\\' OR recipe_set_ids LIKE ? ESCAPE '\\' OR skus LIKE ? ESCAPE '\\')"
            )
            params.extend([term, term, term])
        if query.latest_only:
            where.append(
                "NOT EXISTS (SELECT 1 FROM submissions AS later WHERE later.environment_id = s.environment_id"
                " AND later.purchase_orders = s.purchase_orders AND later.id > s.id)"
            )
        if query.sender is not None and query.sender != self.sender:
            where.append("0")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        conn = self._db.connect()
        total = int(conn.execute(f"SELECT COUNT(*) FROM submissions AS s{clause}", params).fetchone()[0])
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM submissions AS s{clause} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            [*params, query.page_size, query.page * query.page_size],
        ).fetchall()
        return HistoryPage(rows=tuple(_record(r, self.sender) for r in rows), total=total)

    def succeeded_before(self, environment_id: str, purchase_order: str) -> bool:
        """Has this purchase order already been delivered in this environment?"""
        row = self._db.connect().execute(
            "SELECT 1 FROM submissions WHERE environment_id = ? AND state IN (?, ?)"
            " AND purchase_orders LIKE ? ESCAPE '\\' LIMIT 1",
            (
                environment_id,
                SubmissionState.SUCCEEDED,
                SubmissionState.ALREADY_SUBMITTED,
                "%|" + _escape_like(purchase_order) + "|%",
            ),
        ).fetchone()
        return row is not None

    def _remember(self, submission_id: int, which: str, text: str) -> None:
        with self._memory_lock:
            self._memory_bodies[(submission_id, which)] = text

    def _body(self, submission_id: int, which: str) -> str | None:
        column = "request_body" if which == "request" else "response_body"
        row = self._db.connect().execute(f"SELECT {column} FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        if row is None:
            raise SubmissionNotFound(f"There is no submission number {submission_id} in the history.")
        if row[0] is not None:
            return self._cipher.decrypt(row[0])
        with self._memory_lock:
            return self._memory_bodies.get((submission_id, which))
