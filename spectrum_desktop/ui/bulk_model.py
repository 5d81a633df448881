"""Table model of imported orders: where each came from, its validation state and problems, and its send outcome."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from spectrum_desktop.domain.fields import csv_columns, order_parts
from spectrum_desktop.domain.importing import CsvOrder, CsvProblem
from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.domain.submission import SubmissionRecord
from spectrum_desktop.services.errors import InvalidOrder
from spectrum_desktop.services.submission import prepare
from spectrum_desktop.ui.badges import BADGE_ROLE, INVALID_COLOUR, STATE_COLOURS
from spectrum_desktop.ui.history_format import MESSAGE, cell, state_label

COLUMNS = ("Source", "Purchase order", "Valid", "Outcome", "Problems")
SOURCE, PURCHASE_ORDER, VALID, OUTCOME, PROBLEMS = range(len(COLUMNS))
INVALID_TEXT = "Invalid – not sent"
ALREADY_DELIVERED = "Already delivered"
NOT_SENT_AGAIN = "Not sent again"
"""The Outcome of an order a run skipped because History shows it delivered there (Problems says where)."""
"""The Valid column of an order History shows delivered to the environment already (a send skips it)."""
SENT_FROM_EDITOR = "Fixed in the editor"
Index = QModelIndex | QPersistentModelIndex
QUIET_STATES = frozenset({SubmissionState.SUCCEEDED, SubmissionState.QUEUED, SubmissionState.SENDING})
"""Outcomes whose row needs no words in the Problems column."""


@dataclass
class BulkRow:
    raw: dict
    purchase_order: str
    source: str = ""
    problems: list[str] = field(default_factory=list)
    outcome: SubmissionRecord | None = None
    sent_elsewhere: bool = False
    """Sent from the editor or History (after a fix), not by this page: the row is done, not invalid."""
    delivered_to: str = ""
    """The environment (its name) History shows this order delivered to already: Send valid orders skips it."""
    skipped: bool = False
    """A run skipped it because it was delivered there already (`delivered_to`)."""

    @property
    def already_delivered(self) -> bool:
        return self.valid and self.outcome is None and bool(self.delivered_to)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def outcome_problem(self) -> str:
        """Why a sent order did not simply succeed, in History's words (its Message column): the recipe sets
        Spectrum refused and what it said, the failure, the trace ID; "" when it succeeded or is not sent."""
        if self.outcome is None or self.outcome.state in QUIET_STATES:
            return ""
        return cell(self.outcome, MESSAGE)


_ITEM = re.compile(r"^([^.\[]+)\[(\d+)\]")
_INDEXES = re.compile(r"\[\d+\]")


@cache
def _csv_layout() -> tuple[frozenset[str], str, frozenset[str]]:
    """The CSV columns, the key the columns of line items start with, and every kind's key of its list of line
    items (a RecipeSet order's recipe sets are the CSV's line items): read from the schema (domain/fields.py)."""
    items = {kind: next(p.key for p in order_parts(kind) if p.part == "items") for kind in OrderKind}
    return frozenset(csv_columns()), items[OrderKind.FULL], frozenset(items.values())


def csv_place(path: str, order_line: int | None, item_lines: Sequence[int]) -> str:
    """"Line 3, column lineItems.quantity: " for the problem at JSON `path` of an order read from a CSV file
    (put first, so the place shows even when the cell is narrow); "" when the order is not from a CSV file."""
    if order_line is None:
        return ""
    columns, items_key, item_lists = _csv_layout()
    line = order_line
    match = _ITEM.match(path)
    if match and match[1] in item_lists:
        number = int(match[2])
        if number < len(item_lines):
            line = item_lines[number]
        path = items_key + path[len(match[1]):]
    column = _INDEXES.sub("", path)
    return f"Line {line}, column {column}: " if column in columns else f"Line {line}: "


def check(raw: object, source: str = "", order_line: int | None = None, item_lines: Sequence[int] = (),
          csv_problems: Sequence[CsvProblem] = ()) -> BulkRow:
    po = str(raw.get("purchaseOrderNumber", "")) if isinstance(raw, dict) else ""
    if not isinstance(raw, dict):
        return BulkRow({}, po, source, ["This entry is not an order (expected a JSON object)."])
    problems = [f"Line {p.line}, column {p.column}: {p.message}" for p in csv_problems]
    try:
        prepare(raw)
    except InvalidOrder as exc:
        problems += [csv_place(path, order_line, item_lines) + p for p, path in zip(exc.problems, exc.paths,
                                                                                     strict=True)]
    return BulkRow(raw, po, source, problems)


def not_sent_again(environment_name: str) -> str:
    """What the row of an order a run skipped because History shows it delivered there says (Problems column)."""
    return f"Already delivered to {environment_name}: not sent again."


def _lines_text(lines: Sequence[int]) -> str:
    first, last = lines[0], lines[-1]
    return f"line {first}" if first == last else f"lines {first}–{last}"


class BulkModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[BulkRow] = []
        self._by_po: dict[str, list[int]] = {}

    def load(self, entries: Sequence[object], source: str = "") -> None:
        """Replace the table with these orders (`source` names the file; see `append`)."""
        self.beginResetModel()
        self.rows = []
        self._by_po = {}
        self.endResetModel()
        self.append(entries, source)

    def append(self, entries: Sequence[object], source: str = "") -> None:
        """Add orders: raw orders (from JSON, numbered from 1) or CsvOrders read from a CSV file, whose rows and
        problems name the file's lines and columns."""
        rows = []
        for n, entry in enumerate(entries, 1):
            if isinstance(entry, CsvOrder) and entry.lines:
                where = _lines_text(entry.lines)
                rows.append(check(entry.order, f"{source}, {where}" if source else where, entry.lines[0],
                                  entry.item_lines, entry.problems))
            else:
                raw = entry.order if isinstance(entry, CsvOrder) else entry
                rows.append(check(raw, f"{source}, order {n}" if source else f"order {n}"))
        if not rows:
            return
        start = len(self.rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        for n, row in enumerate(rows, start):
            self.rows.append(row)
            if row.valid:
                self._by_po.setdefault(row.purchase_order, []).append(n)
        self.endInsertRows()

    def clear(self) -> None:
        self.load([])

    def valid_rows(self) -> list[BulkRow]:
        return [r for r in self.rows if r.valid]

    def invalid_rows(self) -> list[BulkRow]:
        return [r for r in self.rows if not r.valid and not r.sent_elsewhere]

    def unsent_rows(self) -> list[BulkRow]:
        return [r for r in self.rows if r.valid and r.outcome is None]

    def apply_outcome(self, record: SubmissionRecord) -> None:
        """Show a send outcome on the row of its purchase order (a later outcome of the same row replaces it)."""
        for po in record.purchase_orders:
            indexes = self._by_po.get(po, [])
            target = next((n for n in indexes if self.rows[n].outcome is None), None)
            if target is None:
                target = next((n for n in indexes if self.rows[n].outcome.id == record.id), None)
            if target is not None:
                self.rows[target].outcome = record
                self._changed(target)

    def apply_sent_elsewhere(self, record: SubmissionRecord, opened_row: int | None = None) -> int | None:
        """An order was sent from the editor or History: show its outcome on the row it came from (same purchase
        order, not sent by this page yet; else the row last opened in the editor when it was invalid), so the
        row no longer says Invalid and is not sent again. Returns the row, or None when no row is it."""
        target = None
        for n, row in enumerate(self.rows):
            if row.purchase_order in record.purchase_orders and (
                    row.outcome is None or row.outcome.id == record.id or row.sent_elsewhere):
                target = n
                break
        if target is None and opened_row is not None and 0 <= opened_row < len(self.rows):
            row = self.rows[opened_row]
            if not row.valid and row.outcome is None:
                target = opened_row
        if target is None:
            return None
        row = self.rows[target]
        row.outcome = record
        row.sent_elsewhere = True
        self._changed(target, VALID)
        return target

    def mark_delivered(self, purchase_orders: set[str], environment_name: str, skipped: bool = False) -> None:
        """Valid rows not sent yet whose purchase order History shows delivered to `environment_name` say so (and,
        with `skipped`, that the run just made did not send them); the others stop saying so (another
        environment was chosen, or they were sent from here)."""
        for n, row in enumerate(self.rows):
            if not row.valid or row.outcome is not None:
                continue
            delivered = environment_name if row.purchase_order in purchase_orders else ""
            now_skipped = bool(delivered) and (skipped or (row.skipped and delivered == row.delivered_to))
            if (row.delivered_to, row.skipped) != (delivered, now_skipped):
                row.delivered_to, row.skipped = delivered, now_skipped
                self._changed(n, VALID)

    def _changed(self, row: int, first: int = OUTCOME) -> None:
        self.dataChanged.emit(self.index(row, first), self.index(row, PROBLEMS))

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == BADGE_ROLE:
            if column == VALID and not row.valid and not row.sent_elsewhere:
                return INVALID_COLOUR
            if column == OUTCOME and row.outcome is not None:
                return STATE_COLOURS.get(row.outcome.state)
            if column == VALID and row.already_delivered:
                return STATE_COLOURS[SubmissionState.ALREADY_SUBMITTED]
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == SOURCE:
            return row.source
        if column == PURCHASE_ORDER:
            return row.purchase_order
        if column == VALID:
            if row.sent_elsewhere:
                return SENT_FROM_EDITOR if not row.valid else "Valid"
            if row.already_delivered:
                return ALREADY_DELIVERED
            return "Valid" if row.valid else INVALID_TEXT
        if column == OUTCOME:
            if row.outcome is None and row.skipped and row.already_delivered:
                return NOT_SENT_AGAIN
            return state_label(row.outcome) if row.outcome is not None else ""
        if row.sent_elsewhere and not row.valid:
            return "Corrected and sent from the editor."
        if row.skipped and row.already_delivered:
            return not_sent_again(row.delivered_to)
        return "; ".join(row.problems) or row.outcome_problem

    @staticmethod
    def _tooltip(row: BulkRow, column: int) -> str | None:
        if column == VALID and not row.valid:
            if row.sent_elsewhere:
                return "This order was corrected and sent from the editor; this page will not send it."
            return "Not sent, because of these problems (double-click the row to fix it in the editor):\n" + \
                "\n".join(f"• {p}" for p in row.problems)
        if column == OUTCOME and row.outcome is not None:
            return row.outcome.message or state_label(row.outcome)
        if column in (VALID, OUTCOME, PROBLEMS) and row.already_delivered:
            return (f"History shows {row.purchase_order} delivered to {row.delivered_to} already: Send valid orders "
                    "skips it; Send them anyway (after a send) sends it again.")
        if column == PROBLEMS and row.problems and not row.sent_elsewhere:
            return "\n".join(f"• {p}" for p in row.problems)
        if column == PROBLEMS and row.outcome_problem:
            return row.outcome_problem
        if column in (SOURCE, PURCHASE_ORDER):
            return (row.source if column == SOURCE else row.purchase_order) or None
        return None
