"""The order being edited, kept as an encrypted draft so a crash loses at most a moment of typing."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from spectrum_desktop.services.errors import ServiceError

UNTITLED = "Untitled order"


class DraftNotKept(ServiceError):
    """The draft could not be written (`action` "save": disk or keyring trouble, the typing is still in the
    window) or one left by an earlier session could not be read (`action` "read"). Carries data; the window
    words it (ui/errors.py). `cause` is the underlying error's type name, for the log."""

    def __init__(self, action: str, cause: str = "") -> None:
        self.action = action
        self.cause = cause
        super().__init__(action, cause)


@dataclass(frozen=True)
class DraftInfo:
    id: int
    name: str
    kind: str
    order: dict[str, Any]
    saved_at: datetime
    correction_of: int | None = None
    """The History row the order corrects (Open in editor), so a restored draft is sent as that correction."""


CORRECTION_KEYS = frozenset({"order", "correctionOf"})
"""A draft of a correction is kept as {"order": ..., "correctionOf": id} (no order has exactly these keys)."""


def draft_name(order: dict[str, Any]) -> str:
    number = order.get("purchaseOrderNumber")
    return str(number).strip() if isinstance(number, str) and number.strip() else UNTITLED


class DraftKeeper:
    """One working draft per window: `save` overwrites it, `sent`/`discard` remove it, `unsent` finds one left behind.

    Opens the keyring key and the database on first use, not at start-up. Without a keyring the store keeps
    drafts in memory only (nothing about the customer is written in clear); `persistent` says which.
    """

    def __init__(self, context: Any) -> None:
        self._context = context
        self._drafts = None
        self._persistent = False
        self._lock = threading.Lock()
        self.draft_id: int | None = None

    def _store(self):
        with self._lock:
            if self._drafts is None:
                from spectrum_desktop.store.crypto import BodyCipher
                from spectrum_desktop.store.drafts import Drafts

                cipher = BodyCipher.from_keyring()
                self._persistent = cipher.persistent
                self._drafts = Drafts(self._context.database, cipher)
            return self._drafts

    @property
    def persistent(self) -> bool:
        """False when drafts live in memory only (no keyring): they will not survive a crash."""
        self._store()
        return self._persistent

    def save(self, order: dict[str, Any], kind: str, correction_of: int | None = None) -> int:
        """Write the order as this window's draft (overwriting the previous write) and return its id;
        `correction_of`: the History row it corrects, kept with it."""
        body = json.dumps(order if correction_of is None else {"order": order, "correctionOf": int(correction_of)})
        try:
            self.draft_id = self._store().save(draft_name(order), str(kind), body, self.draft_id)
        except (OSError, RuntimeError) as error:
            raise DraftNotKept("save", type(error).__name__) from None
        return self.draft_id

    def unsent(self) -> DraftInfo | None:
        """The newest draft left by an earlier session (not this window's own), or None."""
        from spectrum_desktop.domain.errors import LocalDataError

        try:
            draft = self._store().latest()
        except LocalDataError:
            raise  # a damaged history file (moved aside), read-only or full folder: the window says where and why
        except Exception as error:  # noqa: BLE001 - an unreadable draft must not stop the app opening
            raise DraftNotKept("read", type(error).__name__) from None
        if draft is None or draft.id == self.draft_id:
            return None
        try:
            order = json.loads(draft.body)
        except ValueError:
            order = {}
        correction_of = None
        if isinstance(order, dict) and set(order) == CORRECTION_KEYS and isinstance(order["correctionOf"], int):
            order, correction_of = order["order"], order["correctionOf"]
        return DraftInfo(draft.id, draft.name, draft.kind, order if isinstance(order, dict) else {}, draft.saved_at,
                         correction_of)

    def adopt(self, draft: DraftInfo) -> None:
        """Carry on editing a restored draft: later saves overwrite it instead of adding another."""
        if self.draft_id is not None and self.draft_id != draft.id:
            self._store().delete(self.draft_id)
        self.draft_id = draft.id

    def discard(self, draft: DraftInfo) -> None:
        self._store().delete(draft.id)

    def sent(self) -> None:
        """The order went out: its draft is no longer needed."""
        if self.draft_id is not None:
            self._store().delete(self.draft_id)
            self.draft_id = None
