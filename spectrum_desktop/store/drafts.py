"""Drafts of orders being edited: saved encrypted (they hold addresses), the latest offered back after a crash."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from spectrum_desktop.domain.errors import DraftNotFound
from spectrum_desktop.store.crypto import BodyCipher
from spectrum_desktop.store.database import Database

__all__ = ["Autosaver", "Draft", "DraftNotFound", "Drafts"]


@dataclass(frozen=True)
class Draft:
    id: int
    name: str
    kind: str
    body: str
    saved_at: datetime


class Drafts:
    """Save/load drafts. Without a keyring key, drafts are kept in memory for this session only."""

    def __init__(self, db: Database, cipher: BodyCipher) -> None:
        self._db = db
        self._cipher = cipher
        self._memory: dict[int, Draft] = {}
        self._next_memory_id = 1
        self._lock = threading.Lock()

    def save(self, name: str, kind: str, body: str, draft_id: int | None = None) -> int:
        """Create a draft, or overwrite draft_id; returns the id."""
        now = datetime.now(UTC)
        if not self._cipher.persistent:
            with self._lock:
                if draft_id is None:
                    draft_id = self._next_memory_id
                    self._next_memory_id += 1
                self._memory[draft_id] = Draft(draft_id, name, kind, body, now)
            return draft_id
        blob = self._cipher.encrypt(body)
        stamp = now.isoformat(timespec="microseconds")
        with self._db.transaction() as conn:
            if draft_id is not None:
                updated = conn.execute(
                    "UPDATE drafts SET name = ?, kind = ?, body = ?, saved_at = ? WHERE id = ?",
                    (name, kind, blob, stamp, draft_id),
                ).rowcount
                if updated:
                    return draft_id
            cursor = conn.execute(
                "INSERT INTO drafts (name, kind, body, saved_at) VALUES (?, ?, ?, ?)", (name, kind, blob, stamp)
            )
            return int(cursor.lastrowid or 0)

    def load(self, draft_id: int) -> Draft:
        if not self._cipher.persistent:
            with self._lock:
                if draft_id in self._memory:
                    return self._memory[draft_id]
            raise DraftNotFound(draft_id)
        row = self._db.connect().execute(
            "SELECT id, name, kind, body, saved_at FROM drafts WHERE id = ?", (draft_id,)
        ).fetchone()
        if row is None:
            raise DraftNotFound(draft_id)
        return Draft(row["id"], row["name"], row["kind"], self._cipher.decrypt(row["body"]),
                     datetime.fromisoformat(row["saved_at"]))

    def latest(self) -> Draft | None:
        if not self._cipher.persistent:
            with self._lock:
                return max(self._memory.values(), key=lambda d: (d.saved_at, d.id), default=None)
        row = self._db.connect().execute("SELECT id FROM drafts ORDER BY saved_at DESC, id DESC LIMIT 1").fetchone()
        return self.load(row[0]) if row else None

    def delete(self, draft_id: int) -> None:
        with self._lock:
            self._memory.pop(draft_id, None)
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))


class Autosaver:
    """Call `changed(name, kind, body)` on every edit; it writes at most once per `interval` seconds.

    Call `flush()` when editing stops (or on a timer) so the last edit is written too.
    """

    def __init__(self, drafts: Drafts, interval: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._drafts = drafts
        self._interval = interval
        self._clock = clock
        self._last_write = float("-inf")
        self._pending: tuple[str, str, str] | None = None
        self.draft_id: int | None = None

    def changed(self, name: str, kind: str, body: str) -> bool:
        """Returns True when this call wrote the draft."""
        self._pending = (name, kind, body)
        if self._clock() - self._last_write >= self._interval:
            return self.flush()
        return False

    def flush(self) -> bool:
        if self._pending is None:
            return False
        self.draft_id = self._drafts.save(*self._pending, draft_id=self.draft_id)
        self._pending = None
        self._last_write = self._clock()
        return True
