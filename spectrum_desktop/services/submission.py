"""The one submission path. The window's Send, History's resend and check, Bulk, the command line and the
selftest all go through SubmissionService: `check` (validate once, target, already delivered here?, needs a
production confirmation?) and `send` (journal, claim, send, record, with progress and cancel).

Rows are claimed by this process (owner id + lease) in the transaction that writes them and again in the one
that marks them sending; the lease is renewed while a run lasts, and released when a row is recorded. Nobody
takes a row whose owner is alive; recovery turns `sending` into `unknown` only when its owner is gone.
The journal is private to the services: the window and the command line see records, pages and reports.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from spectrum_desktop.domain.endpoints import ACKS_PATH as MANY_ENDPOINT
from spectrum_desktop.domain.endpoints import ENDPOINTS
from spectrum_desktop.domain.errors import LocalDataError
from spectrum_desktop.domain.states import NEEDS_ATTENTION, FailureReason, OrderKind, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.domain.words import count
from spectrum_desktop.services.errors import (
    AlreadyAccepted,
    BodyNotKept,
    InvalidAddress,
    InvalidOrder,
    LookupFailed,
    NotInHistory,
    ServiceError,
)
from spectrum_desktop.services.owner import Owner, owner_alive
from spectrum_desktop.services.progress import Progress, ProgressCallback, no_progress

if TYPE_CHECKING:
    from concurrent.futures import Future

    from spectrum_desktop.api import ManyOutcome, Outcome, RateLimiter, RateLimits, RetryPolicy, SpectrumClient
    from spectrum_desktop.store.journal import HistoryPage, JournalStore

LEASE_SECONDS = 30.0
"""A claim lasts this long unless renewed; a run renews every LEASE_SECONDS / 6."""
PARALLEL = 3
"""Requests in flight at once: enough to keep the rate budget busy while answers are journaled."""
TOO_LARGE = 413
CANCELLED_IN_FLIGHT = (
    "You cancelled while waiting for Spectrum's answer; the order may have arrived. "
    "Check it in History (Check in Spectrum) before sending it again."
)
RESEND_ALREADY_THERE = "Already in Spectrum: the earlier attempt arrived. Nothing more to send."


@dataclass(frozen=True)
class Target:
    """Where a request goes. `environment_id` is "ad-hoc" for a --base-url target.

    `limits` is the environment's machine-wide rate budget (AppContext hands the same one to every sender);
    `retry` is the client's retry policy (None = the client's default).
    """

    environment_id: str
    name: str
    base_url: str
    token: str
    is_production: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    limits: Any = field(default=None, compare=False)
    retry: RetryPolicy | None = field(default=None, compare=False)

    @property
    def timeouts(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

    def client(self, limits: RateLimits | RateLimiter | None = None) -> SpectrumClient:
        """A client for this target (close it, or use it as a context manager)."""
        from spectrum_desktop.api import SpectrumClient

        return SpectrumClient(self.base_url, self.token, limits=limits if limits is not None else self.limits,
                              retry=self.retry, connect_timeout=self.connect_timeout, read_timeout=self.read_timeout)

    def __repr__(self) -> str:  # the token must never reach a log or traceback
        return f"Target({self.environment_id!r}, {self.base_url!r})"


@dataclass(frozen=True)
class PreparedOrder:
    """A validated order: the exact wire body and the keys the journal indexes."""

    kind: OrderKind
    body: dict
    purchase_order: str
    recipe_set_ids: list[str]
    skus: list[str]


@dataclass(frozen=True)
class CheckedOrder:
    """What `check` found: the order is valid; where it goes; what the person may need to be asked."""

    order: PreparedOrder
    target: Target
    already_delivered: bool
    """History shows this purchase order delivered to this environment."""
    needs_confirmation: bool
    """The target is production: ask before sending."""


@dataclass
class SendReport:
    records: list[SubmissionRecord] = field(default_factory=list)
    queued_ids: list[int] = field(default_factory=list)
    """Rows journaled but not sent (cancelled); a later resend sends them."""
    cancelled: bool = False
    requests: int = 0
    """HTTP requests made, retries included."""
    rate_limited: int = 0
    """Orders that ended rate limited (after the client's retries)."""
    skipped_delivered: list[str] = field(default_factory=list)
    """Purchase orders not sent because history shows them delivered there (send again with force)."""
    skipped_busy: list[str] = field(default_factory=list)
    """Purchase orders not sent because another window or run is sending them right now."""
    problems: list[ServiceError] = field(default_factory=list)
    """Rows that could not go (e.g. their contents were not kept); the others went."""
    accepted_left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """In a run of several orders: purchase order -> its recipeSetIds that history shows accepted there already.
    They were left out of the request (never sent twice); the rest of the order went."""
    skipped_accepted: list[str] = field(default_factory=list)
    """Purchase orders not sent at all because every recipe set in them was accepted there already (their ids
    are in `accepted_left_out`)."""


@dataclass(frozen=True)
class Reconciliation:
    record: SubmissionRecord
    delivered: bool
    line_items: list
    """What Spectrum holds for the order when delivered; when not delivered it is safe to resend."""


@dataclass(frozen=True)
class Correction:
    """A history row opened in the editor to be corrected and sent again: `body` holds only what may be sent
    (for a partly accepted order, the recipeSets that failed); `accepted` are the recipeSetIds Spectrum accepted
    already, shown but never sent again. Send it with `send(..., resend_of=original_id)`."""

    original_id: int
    environment_id: str
    purchase_order: str
    body: dict
    accepted: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubmissionDetail:
    record: SubmissionRecord
    results: list
    attempts: list
    request_body: str | None
    response_body: str | None
    body_problem: str | None
    """None, "session_only" (kept for the session that sent it), "unreadable" (the key is gone) or "no_team_key"."""
    body_error: Exception | None = None
    """With "no_team_key": the typed TeamKeyMissing (its words are the front end's)."""


def prepare(raw: object, kind: OrderKind | None = None, number: int | None = None) -> PreparedOrder:
    """Validate (the one schema) and return the exact wire body; InvalidOrder lists every problem."""
    from spectrum_desktop.domain.validation import validate_order

    result = validate_order(raw, kind)
    if not result.ok or result.body is None:
        raise InvalidOrder([f"{p.label}: {p.message}" for p in result.errors], number,
                           [p.path for p in result.errors])
    return prepared(result.body, result.kind)


def prepared(body: dict, kind: OrderKind) -> PreparedOrder:
    """The journal's keys for a body that was validated when it was first journaled (a resend reads it back;
    it is not validated again)."""
    items = body.get("lineItems") or body.get("recipeSets") or []
    recipe_set_ids = [str(item.get("recipeSetId", "")) for item in items if isinstance(item, dict)]
    skus: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("sku"):
            skus.append(str(item["sku"]))
        for quantity in item.get("skuQuantities") or []:
            if isinstance(quantity, dict) and quantity.get("sku"):
                skus.append(str(quantity["sku"]))
    return PreparedOrder(kind, body, str(body.get("purchaseOrderNumber", "")), recipe_set_ids, skus)


def check_target(target: Target) -> None:
    """Refuse an unusable address before anything is journaled (InvalidAddress with the reason)."""
    from spectrum_desktop.api import check_base_url

    try:
        check_base_url(target.base_url)
    except ValueError as error:
        raise InvalidAddress(str(error)) from None


def only_failed_recipe_sets(body: dict, failed: set[str]) -> dict:
    """The body with only the line items / recipeSets whose recipeSetId is in `failed`."""
    out = dict(body)
    for key in ("lineItems", "recipeSets"):
        if isinstance(out.get(key), list):
            out[key] = [i for i in out[key] if isinstance(i, dict) and str(i.get("recipeSetId", "")) in failed]
    return out


@dataclass
class _Job:
    rows: list[tuple[int, PreparedOrder]]
    single: bool

    def request(self, client: SpectrumClient, cancel: threading.Event) -> Callable[[], Outcome | ManyOutcome]:
        """The job's HTTP exchange, for a worker thread (no journal access there)."""
        if not self.single:
            return partial(client.acknowledge_many, [o.body for _, o in self.rows], cancel=cancel)
        order = self.rows[0][1]
        return partial(client.send_full_order if order.kind == OrderKind.FULL else client.acknowledge, order.body,
                       cancel=cancel)


@dataclass
class _Row:
    id: int
    order: PreparedOrder
    endpoint: str
    original: SubmissionRecord | None = None
    """The row this one resends (None for a new order, or a queued row sent as itself)."""
    source: SubmissionRecord | None = None
    """The history row whose environment this goes to."""


class SubmissionService:
    """Built once per AppContext (or by a test from a journal). `targets` gives the Target a history row
    goes back to (its environment, or its ad-hoc address)."""

    def __init__(self, journal: JournalStore, targets: Callable[[SubmissionRecord], Target] | None = None,
                 owner: Owner | None = None, lease_seconds: float = LEASE_SECONDS) -> None:
        self._journal = journal
        self._targets = targets
        self.owner = owner or Owner.for_this_process()
        self._lease = lease_seconds

    @classmethod
    def from_context(cls, context: Any) -> SubmissionService:
        return cls(context.journal, context.target_for_record, context.owner)

    # --- storage errors become LocalDataError in one place ---
    def _guard(self, error: BaseException) -> BaseException:
        if isinstance(error, sqlite3.Error):
            database = getattr(self._journal, "database", None)
            if database is not None:
                return database.problem(error)
        return error

    # --- check ---
    def check(self, raw: object, kind: OrderKind | None, target: Target) -> CheckedOrder:
        """Validate once, check the address, and say whether the order is already delivered there."""
        return self.check_many([raw], kind, target)[0]

    def check_many(self, raws: Sequence[object], kind: OrderKind | None, target: Target) -> list[CheckedOrder]:
        """Every order validated (InvalidOrder for the first bad one, numbered); nothing is journaled."""
        orders = [prepare(raw, kind, number if len(raws) > 1 else None) for number, raw in enumerate(raws, 1)]
        return self.checked(orders, target)

    def checked(self, orders: Sequence[PreparedOrder], target: Target) -> list[CheckedOrder]:
        """The step before every send (window, Bulk, CLI): refused here already, before any question, when the
        shared history has no team key on this computer (`send` refuses again)."""
        check_target(target)
        self._refuse_without_team_key()
        delivered = self._journal.delivered(target.environment_id, [o.purchase_order for o in orders])
        return [CheckedOrder(o, target, o.purchase_order in delivered, target.is_production) for o in orders]

    def held_elsewhere(self, checked: CheckedOrder) -> bool:
        return bool(self._journal.held_elsewhere(checked.target.environment_id, [checked.order.purchase_order],
                                                 self.owner.id))

    # --- send ---
    def send(self, checked: Sequence[CheckedOrder], *, force: bool = False, batch_size: int = 50,
             parallel: int = PARALLEL, budget: Any = None, progress: ProgressCallback = no_progress,
             cancel: threading.Event | None = None, resend_of: int | None = None) -> SendReport:
        """Journal every order (claimed by this process), then send in batches inside the rate budget.

        `resend_of`: the history row a single order corrects (History's Open in editor). When it went to the
        same environment under the same purchase order, the new row is linked to it; an order that still holds
        a recipeSet that row had accepted is refused with AlreadyAccepted (nothing is journaled or sent).

        A lone order that repeats a recipe set history shows accepted there (the order only partly accepted) is
        refused with AlreadyAccepted. In a run of several orders such an order goes without its accepted recipe
        sets (they are never sent twice; `report.accepted_left_out`), or not at all when nothing else is left
        (`report.skipped_accepted`); the other orders go as usual.

        Orders history shows delivered to that environment are skipped unless `force`; orders another live
        window or run holds right now are always skipped. Full orders go one by one, and so does everything
        when there is one order or the batch size is 1. Cancelled: what is in flight is recorded (a lone order
        in flight is dropped and recorded unknown), the rest stay queued for a resend.
        """
        from spectrum_desktop.store.journal import NewSubmission

        self._refuse_without_team_key()
        if not checked:
            return SendReport()
        target = checked[0].target
        alone = batch_size == 1 or len(checked) == 1
        original = self._corrected(checked, resend_of)
        report = SendReport()
        if len(checked) == 1:
            self._refuse_accepted_again(checked[0])
        else:
            checked = self._without_accepted(checked, report)
            if not checked:
                return report
        entries = []
        for item in checked:
            order = item.order
            endpoint = ENDPOINTS[order.kind] if alone or order.kind == OrderKind.FULL else MANY_ENDPOINT
            entries.append(NewSubmission(target.environment_id, order.kind, endpoint, [order.purchase_order],
                                         order.recipe_set_ids, order.skus, json.dumps(order.body), target.base_url,
                                         original.id if original is not None else None))
        now = time.time()
        ids = self._journal.record_many(entries, self.owner.id, now + self._lease, skip_held_at=now,
                                        skip_delivered=not force)
        rows = []
        delivered = set() if force else self._journal.delivered(target.environment_id,
                                                                [c.order.purchase_order for c in checked])
        for item, entry, submission_id in zip(checked, entries, ids, strict=True):
            po = item.order.purchase_order
            if submission_id is None:
                (report.skipped_delivered if po in delivered else report.skipped_busy).append(po)
            else:
                rows.append(_Row(submission_id, item.order, entry.endpoint, original))
        return self._deliver(target, rows, report, batch_size, parallel, budget, progress, cancel)

    def _corrected(self, checked: Sequence[CheckedOrder], resend_of: int | None) -> SubmissionRecord | None:
        """The row a correction links to (same environment and purchase order), after refusing one that would
        send an accepted recipeSet again; None when there is nothing to link."""
        if resend_of is None or len(checked) != 1:
            return None
        try:
            original = self._journal.get(resend_of)
        except LookupError:
            return None
        item = checked[0]
        if original.environment_id != item.target.environment_id \
                or item.order.purchase_order not in original.purchase_orders:
            return None  # sent somewhere else or as another order: a new order, not a correction
        accepted = {r.recipe_set_id for r in original.results if r.success}
        again = [rid for rid in item.order.recipe_set_ids if rid in accepted]
        if original.state == SubmissionState.PARTIAL and again:
            raise AlreadyAccepted(item.order.purchase_order, again, item.target.name)
        return original

    def _refuse_accepted_again(self, item: CheckedOrder) -> None:
        """A lone order whose purchase order Spectrum accepted only in part here (history shows some recipe sets
        accepted, the order not delivered) may not carry an accepted recipe set again: AlreadyAccepted."""
        if item.already_delivered:
            return  # delivered whole: sending again on purpose is answered "already submitted" (409)
        accepted = self._journal.accepted_recipe_sets(item.target.environment_id, item.order.purchase_order)
        again = [rid for rid in item.order.recipe_set_ids if rid in accepted]
        if again:
            raise AlreadyAccepted(item.order.purchase_order, again, item.target.name)

    def _without_accepted(self, checked: Sequence[CheckedOrder], report: SendReport) -> list[CheckedOrder]:
        """In a run of several orders, an order that Spectrum accepted in part here goes without the recipe sets
        history shows accepted (noted in `report.accepted_left_out`); one with nothing else left is not sent
        (`report.skipped_accepted`). The other orders are untouched. An order delivered whole is left to the
        delivered check (skipped unless forced; a forced repeat is answered "already submitted")."""
        out: list[CheckedOrder] = []
        for item in checked:
            order = item.order
            if item.already_delivered:
                out.append(item)
                continue
            accepted = self._journal.accepted_recipe_sets(item.target.environment_id, order.purchase_order)
            again = [rid for rid in order.recipe_set_ids if rid in accepted]
            if not again:
                out.append(item)
                continue
            report.accepted_left_out[order.purchase_order] = tuple(again)
            rest = {rid for rid in order.recipe_set_ids if rid not in accepted}
            if not rest:
                report.skipped_accepted.append(order.purchase_order)
                continue
            out.append(replace(item, order=prepared(only_failed_recipe_sets(order.body, rest), order.kind)))
        return out

    def correction(self, submission_id: int) -> Correction | None:
        """What Open in editor loads for a history row: `resend_body` (only the failed recipeSets of a partly
        accepted order) and the accepted ones to show read-only. None when the contents were not kept."""
        body = self.resend_body(submission_id)
        if body is None:
            return None
        record = self.record(submission_id)
        po = record.purchase_orders[0] if record.purchase_orders else str(body.get("purchaseOrderNumber", ""))
        accepted: tuple[str, ...] = ()
        if record.state == SubmissionState.PARTIAL:
            # Accepted then, or by a later correction of it: neither is offered again.
            since = self._journal.accepted_recipe_sets(record.environment_id, po)
            then = [r.recipe_set_id for r in record.results if r.success]
            accepted = tuple(then + sorted(since - set(then)))
            failed = {r.recipe_set_id for r in record.results if not r.success}
            body = only_failed_recipe_sets(body, failed - since)
        elif record.state == SubmissionState.FAILED and not self._journal.delivered(record.environment_id, [po]):
            # A refused resend (or a new order) of a purchase order Spectrum accepted in part here: the recipe sets
            # it accepted (by any row) are shown as accepted and left out, as for the partly accepted row itself.
            since = self._journal.accepted_recipe_sets(record.environment_id, po)
            if since:
                earlier = list(self.with_standing(record).accepted_earlier)
                accepted = tuple(earlier + sorted(since - set(earlier)))
                sent = {str(i.get("recipeSetId", "")) for key in ("lineItems", "recipeSets")
                        for i in body.get(key) or [] if isinstance(i, dict)}
                body = only_failed_recipe_sets(body, sent - since)
        return Correction(submission_id, record.environment_id, po, body, accepted)

    def submit(self, raw: object, target: Target, kind: OrderKind | None = None,
               cancel: threading.Event | None = None) -> SubmissionRecord:
        """check + send for one order, sending even when it was delivered before (Spectrum answers 409)."""
        report = self.send([self.check(raw, kind, target)], force=True, cancel=cancel)
        if not report.records:
            if report.queued_ids:
                return self._journal.get(report.queued_ids[0])
            from spectrum_desktop.services.errors import BeingSentElsewhere

            raise BeingSentElsewhere(report.skipped_busy[0] if report.skipped_busy else "")
        return report.records[0]

    # --- resend ---
    def resend(self, ids: Sequence[int], *, only_latest: bool = False, parallel: int = PARALLEL,
               batch_size: int = 50, target: Target | None = None,
               progress: ProgressCallback = no_progress, cancel: threading.Event | None = None) -> SendReport:
        """Send history rows again, each to where it went, linked to it. A row another live owner holds is
        skipped; with `only_latest` also one a later row (or delivery) of the same purchase order supersedes.
        An unknown row is looked up first (delivered -> already submitted, nothing sent). A partly accepted
        row sends only the recipeSets that failed; a 409 to that says what Spectrum has. `target` sends every
        row there (the Bulk page resuming its run) instead of to each row's own environment."""
        self.recover()
        report = SendReport()
        by_target: dict[Target, list[_Row]] = {}
        claimed = self._journal.claim(list(ids), self.owner.id, time.time() + self._lease,
                                      latest_only=only_latest)
        skipped = [i for i in ids if i not in set(claimed)]
        for submission_id in skipped:
            try:
                report.skipped_busy.extend(self._journal.get(submission_id).purchase_orders)
            except LookupError:
                report.problems.append(NotInHistory(submission_id))
        try:
            for submission_id in claimed:
                row = self._resend_row(submission_id, report)
                if row is not None:
                    by_target.setdefault(target or self._target(row.source), []).append(row)
            for target, rows in by_target.items():
                self._deliver(target, rows, report, batch_size, parallel, None, progress, cancel)
        finally:
            self._journal.release(claimed, self.owner.id)
        report.records.sort(key=lambda r: r.id)
        return report

    def resend_failed(self, environment_id: str | None = None, **options: Any) -> SendReport:
        """`resend --failed`: every row that needs attention and that nobody alive holds."""
        return self.resend([r.id for r in self.needs_attention(environment_id)], only_latest=True, **options)

    def _resend_row(self, submission_id: int, report: SendReport) -> _Row | None:
        from spectrum_desktop.store.journal import NewSubmission

        original = self._journal.get(submission_id)
        if original.state == SubmissionState.UNKNOWN:
            try:
                found = self.check_delivered(submission_id)
            except LookupFailed:
                found = None  # Spectrum answers a duplicate with 409, so sending again stays safe
            if found is not None and found.delivered:
                report.records.append(found.record)
                return None
        body = self.resend_body(submission_id)
        if body is None:
            report.problems.append(BodyNotKept(submission_id, original.purchase_orders))
            return None
        order = prepared(body, original.kind)  # validated when it was first sent: only its keys are read again
        if original.state == SubmissionState.QUEUED:  # never sent: it goes as itself, the way it was planned
            return _Row(submission_id, order, original.endpoint, None, original)
        entry = NewSubmission(original.environment_id, order.kind, ENDPOINTS[order.kind], [order.purchase_order],
                              order.recipe_set_ids, order.skus, json.dumps(order.body), original.base_url,
                              original.id)
        now = time.time()
        new_id = self._journal.record_many([entry], self.owner.id, now + self._lease, skip_held_at=now)[0]
        if new_id is None:
            report.skipped_busy.append(order.purchase_order)
            return None
        return _Row(new_id, order, ENDPOINTS[order.kind], original, original)

    def resend_body(self, submission_id: int) -> dict | None:
        """What a resend of this row sends: its request body, with only the recipeSets that failed when
        Spectrum accepted part of it (accepted ones are never sent again). None when the body was not kept."""
        from spectrum_desktop.store.crypto import BodyUnreadable
        from spectrum_desktop.store.pg_journal import TeamKeyMissing

        try:
            text = self._journal.request_body(submission_id)
        except TeamKeyMissing:
            raise  # a shared history's member without the team key: say so, do not call it "not kept"
        except BodyUnreadable:
            return None  # the key it was saved with is gone: as good as not kept
        if text is None:
            return None
        body = json.loads(text)
        record = self._journal.get(submission_id)
        if record.state == SubmissionState.PARTIAL:
            failed = {r.recipe_set_id for r in record.results if not r.success}
            if failed:
                return only_failed_recipe_sets(body, failed)
        return body

    def check_delivered(self, submission_id: int, target: Target | None = None) -> Reconciliation:
        """Look the row's purchase order up in Spectrum (only its number is needed, not the body).
        Found -> the row becomes already submitted; not found -> unchanged, safe to resend."""
        from spectrum_desktop.api import Found, NotFound

        record = self._journal.get(submission_id)
        target = target or self._target(record)
        po = record.purchase_orders[0] if record.purchase_orders else ""
        with target.client() as client:
            outcome = client.lookup(po)
        if isinstance(outcome, Found):
            order = outcome.order if isinstance(outcome.order, dict) else {}
            items = order.get("lineItems") or order.get("recipeSets") or []
            current = self._journal.get(submission_id)
            if current.state == SubmissionState.SENDING and current.owner not in (None, self.owner.id):
                return Reconciliation(current, True, list(items))  # its live sender records the answer
            self._journal.finish(
                submission_id, SubmissionState.ALREADY_SUBMITTED, http_status=200,
                message=f"Delivered: Spectrum has this order ({count(len(items), 'line item')}). Nothing more to send.",
                response_body=outcome.response_text or None, results=record.results,
            )
            return Reconciliation(self._journal.get(submission_id), True, list(items))
        if isinstance(outcome, NotFound):
            return Reconciliation(record, False, [])
        raise LookupFailed(po, target.name, outcome.message)

    # --- history ---
    def needs_attention(self, environment_id: str | None = None) -> list[SubmissionRecord]:
        """Failed, partial, unknown and queued rows, newest first, that still need someone: only the newest row
        per purchase order and environment, none delivered since, none a live owner holds."""
        from spectrum_desktop.store.journal import HistoryQuery

        self.recover()
        rows: list[SubmissionRecord] = []
        seen: set[tuple[str, tuple[str, ...]]] = set()
        page_size = 2000
        page = 0
        while True:
            result = self._journal.history(HistoryQuery(environment_id=environment_id, states=NEEDS_ATTENTION,
                                                         page=page, page_size=page_size))
            candidates: list[SubmissionRecord] = []
            for row in result.rows:
                key = (row.environment_id, tuple(row.purchase_orders))
                if row.state == SubmissionState.SENDING or key in seen:
                    continue
                seen.add(key)
                if row.owner is not None and row.owner != self.owner.id:
                    continue  # another live sender holds it (recover freed the dead ones)
                candidates.append(row)
            wanted: dict[str, set[str]] = {}
            for row in candidates:
                wanted.setdefault(row.environment_id, set()).update(row.purchase_orders)
            delivered = {env: self._journal.delivered(env, pos) for env, pos in wanted.items()}
            rows.extend(row for row in candidates if not delivered[row.environment_id] & set(row.purchase_orders))
            if (page + 1) * page_size >= result.total:
                return rows
            page += 1

    @property
    def bodies_persistent(self) -> bool:
        """False when no keyring key is available: bodies are kept for this session only."""
        return self._journal.bodies_persistent

    @property
    def bodies_notice(self) -> str:
        return getattr(self._journal, "notice", "")

    def delivered_to(self, environment_id: str, purchase_orders: Sequence[str]) -> set[str]:
        """Which of these purchase orders history shows delivered to that environment (Bulk marks them before a
        send, which skips them unless forced)."""
        return self._journal.delivered(environment_id, list(purchase_orders)) if purchase_orders else set()

    def delivered(self, record: SubmissionRecord) -> set[str]:
        """Which of the row's purchase orders history shows delivered to its environment."""
        return self._journal.delivered(record.environment_id, record.purchase_orders)

    def page(self, query: Any) -> HistoryPage:
        found = self._journal.history(query)
        return replace(found, rows=tuple(self.with_standing(r) for r in found.rows))

    def with_standing(self, record: SubmissionRecord) -> SubmissionRecord:
        """The row with `accepted_earlier` filled in when it is a resend Spectrum refused of an order it had accepted
        in part: the recipe sets the rows it resends (following the chain of originals) had accepted. The journal's
        row is not changed; the front ends word it with domain.words.standing."""
        if record.state != SubmissionState.FAILED or record.reason != FailureReason.REJECTED \
                or record.original_id is None:
            return record
        own = set(record.recipe_set_ids)
        pos = set(record.purchase_orders)
        earlier: list[str] = []
        seen: set[int] = set()
        original_id: int | None = record.original_id
        while original_id is not None and original_id not in seen and len(seen) < 100:
            seen.add(original_id)
            try:
                original = self._journal.get(original_id)
            except LookupError:
                break
            if original.environment_id != record.environment_id:
                break
            for result in original.results:
                if result.success and result.recipe_set_id not in own and result.recipe_set_id not in earlier \
                        and (not result.purchase_order or result.purchase_order in pos):
                    earlier.append(result.recipe_set_id)
            original_id = original.original_id
        return replace(record, accepted_earlier=tuple(earlier)) if earlier else record

    def _refuse_without_team_key(self) -> None:
        """Nothing is sent without being journaled first, contents included: a shared history whose team key this
        computer does not have could keep them only in memory, so sending is refused (TeamKeyMissing, sending)."""
        refused = self._journal.team_key_problem(sending=True)
        if refused is not None:
            raise refused

    def team_key_problem(self) -> Exception | None:
        """A shared history whose team key this computer does not have: why (typed; None otherwise). Sending is
        refused with it; the command line's history shows it."""
        return self._journal.team_key_problem()

    def senders(self) -> list[str]:
        """The distinct names the history's rows were sent by, A to Z (the Sent by filter offers them)."""
        return self._journal.senders()

    def record(self, submission_id: int) -> SubmissionRecord:
        try:
            return self.with_standing(self._journal.get(submission_id))
        except LookupError:
            raise NotInHistory(submission_id) from None

    def detail(self, submission_id: int) -> SubmissionDetail:
        from spectrum_desktop.store.crypto import BodyUnreadable

        record = self.record(submission_id)
        problem, error = None, None
        from spectrum_desktop.store.pg_journal import TeamKeyMissing

        try:
            request, response = self._journal.request_body(submission_id), self._journal.response_body(submission_id)
        except TeamKeyMissing as missing:
            request = response = None
            problem, error = "no_team_key", missing
        except BodyUnreadable:
            request = response = None
            problem = "unreadable"
        if request is None and problem is None:
            problem = "session_only"
        return SubmissionDetail(record, self._journal.results(submission_id), self._journal.attempts(submission_id),
                                request, response, problem, error)

    def recover(self) -> tuple[SubmissionRecord, ...]:
        """Rows whose owner is gone: sending -> unknown, queued -> free. A live owner's rows are left alone."""
        return self._journal.recover(owner_alive, self.owner.id).unknown

    # --- the engine: one for every way of sending ---
    def _target(self, record: SubmissionRecord | None) -> Target:
        if self._targets is None or record is None:
            raise ValueError("this SubmissionService was built without a way to find a row's target")
        return self._targets(record)

    def _deliver(self, target: Target, rows: list[_Row], report: SendReport, batch_size: int, parallel: int,
                 budget: Any, progress: ProgressCallback, cancel: threading.Event | None) -> SendReport:
        """Up to `parallel` requests in flight (the machine-wide budget keeps them inside the limit). Rows are
        claimed and marked sending on this thread just before their request is handed over, and recorded here
        when it is answered; the claim's lease is renewed meanwhile."""
        from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

        if not rows:
            return report
        cancel = cancel or threading.Event()
        by_id = {r.id: r for r in rows}
        many = [(r.id, r.order) for r in rows if r.endpoint == MANY_ENDPOINT]
        jobs = deque(_Job(many[i:i + batch_size], single=False) for i in range(0, len(many), batch_size))
        jobs.extend(_Job([(r.id, r.order)], single=True) for r in rows if r.endpoint != MANY_ENDPOINT)
        abandon = len(rows) == 1  # a lone order: cancel stops the wait at once (recorded unknown)
        done = [0]
        total = len(rows)
        client = target.client(limits=budget)
        pool = ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="spectrum-send")
        stop_renewing = self._renew_while_running()
        in_flight: dict[Future, _Job] = {}
        try:
            while jobs or in_flight:
                while jobs and len(in_flight) < max(1, parallel) and not cancel.is_set():
                    job = jobs.popleft()
                    ids = [i for i, _ in job.rows]
                    taken = set(self._journal.start_sending(ids, self.owner.id, time.time() + self._lease))
                    report.skipped_busy.extend(o.purchase_order for i, o in job.rows if i not in taken)
                    job.rows = [(i, o) for i, o in job.rows if i in taken]
                    if job.rows:
                        in_flight[pool.submit(job.request(client, cancel))] = job
                if not in_flight:
                    break
                try:
                    finished, _ = wait(in_flight, timeout=0.05 if abandon else None, return_when=FIRST_COMPLETED)
                except KeyboardInterrupt:  # Ctrl+C on the command line: record what is in flight, send nothing more
                    cancel.set()
                    report.cancelled = True
                    continue
                if not finished and abandon and cancel.is_set():
                    finished, _ = wait(in_flight, timeout=0.25, return_when=FIRST_COMPLETED)
                    if not finished:
                        for job in in_flight.values():
                            for submission_id, _ in job.rows:
                                self._journal.finish(submission_id, SubmissionState.UNKNOWN,
                                                     message=CANCELLED_IN_FLIGHT)
                                self._done(report, [self._journal.get(submission_id)], done, total, progress)
                        in_flight.clear()
                        report.cancelled = True
                        break
                for future in finished:
                    job = in_flight.pop(future)
                    jobs.extendleft(reversed(self._record(report, job, future.result(), by_id, target, done, total,
                                                          progress)))
            if jobs:
                report.cancelled = True
                left = [i for job in jobs for i, _ in job.rows]
                report.queued_ids.extend(left)
                self._journal.release(left, self.owner.id)
        finally:
            stop_renewing()
            pool.shutdown(wait=not abandon)
            client.close()
        report.records.sort(key=lambda r: r.id)
        report.queued_ids.sort()
        return report

    def _renew_while_running(self) -> Callable[[], None]:
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(self._lease / 6):
                try:
                    self._journal.renew(self.owner.id, time.time() + self._lease)
                except (LocalDataError, sqlite3.Error):
                    pass  # the next renewal tries again; the send itself reports storage trouble

        threading.Thread(target=renew, name="spectrum-lease", daemon=True).start()
        return stop.set

    def _record(self, report: SendReport, job: _Job, result: Any, by_id: dict[int, _Row], target: Target,
                done: list[int], total: int, progress: ProgressCallback) -> list[_Job]:
        """Write a job's answer onto its rows; returns jobs to send next (the halves of a batch too large)."""
        from spectrum_desktop.api import AlreadySubmitted, Cancelled, RateLimited

        report.requests += result.attempts
        whole = result if job.single else result.outcome
        if isinstance(whole, Cancelled):
            # Cancel came while waiting for the rate budget: nothing left, the rows go back to queued.
            for submission_id, _ in job.rows:
                self._finish(submission_id, whole, False)
            report.cancelled = True
            report.queued_ids.extend(i for i, _ in job.rows)
            return []
        if not job.single and result.http_status == TOO_LARGE and len(job.rows) > 1:
            for submission_id, _ in job.rows:
                self._journal.finish(submission_id, SubmissionState.QUEUED, http_status=TOO_LARGE,
                                     message="Too large for one request: sent again in smaller batches.",
                                     requests=result.attempts)
            taken = self._journal.claim([i for i, _ in job.rows], self.owner.id, time.time() + self._lease)
            rows = [(i, o) for i, o in job.rows if i in set(taken)]
            half = len(rows) // 2
            return [_Job(rows[:half], single=False), _Job(rows[half:], single=False)]
        records = []
        for submission_id, order in job.rows:
            outcome = result if job.single else result.results.get(order.purchase_order, result.outcome)
            report.rate_limited += isinstance(outcome, RateLimited)
            row = by_id.get(submission_id)
            original = row.original if row else None
            self._finish(submission_id, outcome, original is not None, result.attempts)
            if original is not None and original.state == SubmissionState.PARTIAL \
                    and isinstance(outcome, AlreadySubmitted):
                self._explain_partial_409(submission_id, original, target)
            records.append(self._journal.get(submission_id))
        self._done(report, records, done, total, progress)
        return []

    def _finish(self, submission_id: int, outcome: Any, resend: bool, requests: int | None = None) -> None:
        from spectrum_desktop.api import AlreadySubmitted

        message = RESEND_ALREADY_THERE if resend and isinstance(outcome, AlreadySubmitted) else outcome.message
        self._journal.finish(
            submission_id, outcome.state, outcome.reason, http_status=outcome.http_status, message=message,
            response_body=outcome.response_text or None, results=list(getattr(outcome, "results", ()) or ()),
            requests=requests if requests is not None else max(1, outcome.attempts),
        )

    def _explain_partial_409(self, submission_id: int, original: SubmissionRecord, target: Target) -> None:
        """Spectrum has the purchase order, but that does not say the recipeSets that failed were fixed: say what
        Spectrum has (a lookup) and which recipeSets still need Spectrum support."""
        from spectrum_desktop.api import Found

        failed = [r.recipe_set_id for r in original.results if not r.success]
        accepted = [r.recipe_set_id for r in original.results if r.success]
        held: list[str] | None = None
        try:
            with target.client() as client:
                found = client.lookup(original.purchase_orders[0] if original.purchase_orders else "")
            if isinstance(found, Found) and isinstance(found.order, dict):
                items = found.order.get("lineItems") or found.order.get("recipeSets") or []
                held = [str(i.get("recipeSetId", "")) for i in items if isinstance(i, dict)]
        except Exception:  # noqa: BLE001 - the explanation is a courtesy; the 409 is recorded either way
            held = None
        if held is not None:
            has = f" Spectrum has {count(len(held), 'recipe set')}: {', '.join(held) or 'none'}."
            missing = [r for r in failed if r not in held]
            arrived = [r for r in failed if r in held]
        else:
            has = f" Accepted earlier: {', '.join(accepted)}." if accepted else ""
            missing, arrived = failed, []
        advice = []
        if missing:
            advice.append(f"The recipe sets that failed before ({', '.join(missing)}) are not there and may still "
                          "need fixing: ask Spectrum support to add them (Spectrum refuses a second send).")
        if arrived:
            advice.append(f"{', '.join(arrived)} arrived from another send; if your corrections differ, they may "
                          "still need fixing: ask Spectrum support.")
        if not failed:
            advice.append("See the original for the recipe sets that failed; they may still need fixing: ask "
                          "Spectrum support.")
        response = self._journal.response_body(submission_id)
        record = self._journal.get(submission_id)
        self._journal.finish(submission_id, record.state, http_status=record.http_status, message=(
            "Spectrum already has this purchase order, so it was not sent again." + has + " " + " ".join(advice)
        ), response_body=response)

    def _done(self, report: SendReport, records: list[SubmissionRecord], done: list[int], total: int,
              progress: ProgressCallback) -> None:
        records = [self.with_standing(r) for r in records]
        report.records.extend(records)
        done[0] += len(records)
        progress(Progress(done[0], total, records[-1] if records else None, tuple(records)))
