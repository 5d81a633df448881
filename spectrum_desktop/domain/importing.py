"""Read orders from JSON (one order or an array) and from CSV (one row per SKU line)."""

from __future__ import annotations

import csv
import io
import json
import sys
import re
from dataclasses import dataclass, field
from pathlib import Path

from spectrum_desktop.domain.fields import csv_columns


class OrderImportError(ValueError):
    """The input could not be read as orders; the message says where and what to change."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 row: int | None = None, source: str | None = None) -> None:
        prefix = f"{source}: " if source else ""
        super().__init__(prefix + message)
        self.line = line
        self.column = column
        self.row = row
        self.source = source


def _decode(data: str | bytes, source: str | None) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OrderImportError(
            f"the file is not UTF-8 text (bad byte at position {exc.start}); save it as UTF-8 and try again",
            source=source,
        ) from None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in JSON")


def load_json_text(data: str | bytes, source: str | None = None) -> list[dict]:
    """Parse one order or an array of orders; returns a list of order dicts."""
    text = _decode(data, source)
    if not text.strip():
        raise OrderImportError("there is nothing to read; paste or choose an order in JSON", source=source)
    try:
        value = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_repeated_keys)
    except _RepeatedKey:
        raise _repeated_key_error(text, source) from None
    except json.JSONDecodeError as exc:
        raise _syntax_error(text, exc, source) from None
    except (ValueError, RecursionError) as exc:
        raise OrderImportError(f"the JSON cannot be used: {exc}", source=source) from None
    orders = value if isinstance(value, list) else [value]
    if not orders:
        raise OrderImportError("the list is empty; it must hold at least one order", source=source)
    for index, order in enumerate(orders):
        if not isinstance(order, dict):
            where = f"item {index + 1} of the list" if isinstance(value, list) else "the JSON"
            raise OrderImportError(f"{where} is not an order; each order must be a JSON object {{...}}", source=source)
    return orders


class _RepeatedKey(Exception):
    pass


def _no_repeated_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object as a dict; a key given twice is an error, not silently the last one."""
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _RepeatedKey
    return value


def _repeated_key_error(text: str, source: str | None) -> OrderImportError:
    """Find the first object with a repeated key (innermost first, as the parser finishes them) and say where."""
    spans: list[tuple[int, int]] = []
    found: list[tuple[str, int]] = []
    decoder = json.JSONDecoder()
    parse_object = json.decoder.JSONObject

    def object_at(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        start = s_and_end[1] - 1
        pairs, stop = parse_object(s_and_end, strict, scan_once, None, list, memo if memo is not None else {})
        if not found:
            seen: set[str] = set()
            for key, _value in pairs:
                if key in seen:
                    inner = [span for span in spans if start < span[0] and span[1] <= stop]
                    marks = [m.start() for m in re.finditer(r'(?<!\\)' + re.escape(json.dumps(key)) + r"\s*:",
                                                           text[:stop]) if m.start() > start
                             and not any(a <= m.start() < b for a, b in inner)]
                    found.append((key, marks[1] if len(marks) > 1 else start))
                    break
                seen.add(key)
        spans.append((start, stop))
        return dict(pairs), stop

    decoder.parse_object = object_at
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        decoder.decode(text)
    except ValueError:
        pass
    key, position = found[0] if found else ("?", 0)
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    return OrderImportError(
        f"line {line}, column {column}: the field {key!r} is given twice in the same object; "
        "keep the one you mean and delete the other", line=line, column=column, source=source)


def _syntax_error(text: str, exc: json.JSONDecodeError, source: str | None) -> OrderImportError:
    lines = text.splitlines() or [""]
    line_text = lines[exc.lineno - 1] if exc.lineno - 1 < len(lines) else ""
    near = line_text.strip()[:80]
    message = f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}; the line reads: {near!r}"
    if exc.msg.startswith("Expecting ':' delimiter"):
        before = text[: exc.pos].rstrip()
        key_start = before.rfind('"', 0, len(before) - 1)
        key = before[key_start:] if key_start >= 0 else "the field name"
        message += f". A colon is missing after {key}: write {key}: followed by the value"
    elif exc.msg.startswith("Expecting property name") and text[: exc.pos].rstrip().endswith(","):
        message += ". There is a comma before a closing brace; remove that comma"
    return OrderImportError(message, line=exc.lineno, column=exc.colno, source=source)


CSV_COLUMNS = csv_columns()
"""Every column a CSV file may have (read from the order schema)."""
_KNOWN = set(CSV_COLUMNS)


TEMPLATE_EXAMPLE_PO = "EXAMPLE-DELETE-THIS-ROW"
"""The template's example row's purchase order number: a file that still holds it is not sent by mistake."""


def csv_template() -> str:
    """A CSV header with every column, plus one example row (which is never sent: see TEMPLATE_EXAMPLE_PO)."""
    example = {
        "purchaseOrderNumber": TEMPLATE_EXAMPLE_PO, "orderDate": "2022-01-31T13:15:05-05:00",
        "lineItems.recipeSetId": "ABCD1234", "lineItems.sku": "100003-0001-S", "lineItems.quantity": "2",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(example)
    return out.getvalue()


@dataclass
class CsvProblem:
    """Something a CSV file's rows say that no order can hold (a value given twice, differently), found where
    the person reads it: the file line and the column's name in the header."""

    line: int
    column: str
    message: str


@dataclass
class CsvOrder:
    """One order read from a CSV file, with where it came from in the file."""

    order: dict
    lines: list[int] = field(default_factory=list)
    """The file line of each of its rows, in file order."""
    item_lines: list[int] = field(default_factory=list)
    """The file line each of its line items (recipe sets) starts on, in the order of the order's items."""
    problems: list[CsvProblem] = field(default_factory=list)


def read_csv(data: str | bytes, source: str | None = None, *, recipe_sets: bool = False) -> list[CsvOrder]:
    """Group rows by purchaseOrderNumber and lineItems.recipeSetId into orders, keeping each order's file lines.

    Only a file that cannot be read as orders at all (not UTF-8, not CSV, unknown or missing columns, a row
    longer than the header) raises OrderImportError. A row whose values are wrong still makes an order, for
    validation to judge: a row without a purchase order number is an order of its own, a row without a recipe
    set ID is a line item of its own (validation says what is missing), and a value that differs from the one
    given earlier for the same order or line item is kept first and listed in the order's `problems`.
    With `recipe_sets` the line items are written as the deprecated format's `recipeSets`.
    """
    text = _decode(data, source)
    numbered = _numbered_rows(text, source)
    rows = [cells for _, cells in numbered]
    if not rows:
        raise OrderImportError("the CSV is empty; start from the template (spectrum-desktop validate --csv-template)", source=source)
    header = [h.strip() for h in rows[0]]
    for column, name in enumerate(header, start=1):
        if name not in _KNOWN:
            raise OrderImportError(f"row 1, column {column}: unknown column {name!r}; use the column names of the template",
                                   row=1, column=column, source=source)
    if "purchaseOrderNumber" not in header:
        raise OrderImportError("row 1: the column purchaseOrderNumber is missing", row=1, source=source)
    items_key = "recipeSets" if recipe_sets else "lineItems"
    orders: dict[str, CsvOrder] = {}
    found: list[CsvOrder] = []
    items: dict[tuple[str, str], dict] = {}
    for row_number, cells in numbered[1:]:
        if len(cells) > len(header):
            raise OrderImportError(f"row {row_number} has {len(cells)} cells but the header has {len(header)} columns",
                                   row=row_number, source=source)
        values = {name: cell for name, cell in zip(header, cells) if cell.strip()}
        number = values.get("purchaseOrderNumber", "").strip()
        entry = orders.get(number) if number else None
        if entry is None:
            entry = CsvOrder({})
            found.append(entry)
            if number:
                orders[number] = entry
        entry.lines.append(row_number)
        if number == TEMPLATE_EXAMPLE_PO and len(entry.lines) == 1:
            entry.problems.append(CsvProblem(row_number, "purchaseOrderNumber", "this is the template's example "
                                             "row: delete it, or put a real order in its place"))
        order = entry.order
        for name, cell in values.items():
            if "." in name and not name.startswith("lineItems."):
                group, part = name.split(".", 1)
                _merge(order.setdefault(group, {}), part, cell, row_number, name, entry)
            elif "." not in name:
                _merge(order, name, cell, row_number, name, entry)
        recipe = values.get("lineItems.recipeSetId", "").strip()
        line_values = {n.split(".", 1)[1]: c for n, c in values.items() if n.startswith("lineItems.") and n.count(".") == 1}
        pair = {n.rsplit(".", 1)[1]: c for n, c in values.items() if n.startswith("lineItems.skuQuantities.")}
        if not line_values and not pair:
            continue
        item = items.get((number, recipe)) if number and recipe else None
        if item is None:  # a new recipe set, or a row without a recipe set ID or order number: an item of its own
            item = {}
            if number and recipe:
                items[(number, recipe)] = item
            order.setdefault(items_key, []).append(item)
            entry.item_lines.append(row_number)
        for part, cell in line_values.items():
            _merge(item, part, cell, row_number, f"lineItems.{part}", entry)
        if pair:
            item.setdefault("skuQuantities", []).append(pair)
    return found


def load_csv_text(data: str | bytes, source: str | None = None, *, recipe_sets: bool = False) -> list[dict]:
    """The orders of a CSV file (see `read_csv`); a value given twice differently for the same order or line item
    is an OrderImportError naming its row and column, since there is no order to show it on."""
    found = read_csv(data, source, recipe_sets=recipe_sets)
    for entry in found:
        for problem in entry.problems:
            raise OrderImportError(f"row {problem.line}, column {problem.column}: {problem.message}",
                                   row=problem.line, source=source)
    return [entry.order for entry in found]


def _numbered_rows(text: str, source: str | None) -> list[tuple[int, list[str]]]:
    """The non-blank rows with the file line each starts on (blank lines and cells holding line breaks counted),
    so a message names the line the person sees in the file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    numbered = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                numbered.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise OrderImportError(f"the CSV cannot be read: {exc}", source=source) from None
    return numbered


def _merge(target: dict, key: str, cell: str, row: int, column: str, entry: CsvOrder) -> None:
    if key in target and target[key] != cell:
        entry.problems.append(CsvProblem(
            row, column, f"{cell!r} differs from {target[key]!r} given earlier for the same order or line item; "
            "give it the same value on every row of that order or line item"))
        return
    target[key] = cell


def load_orders(path: str, *, recipe_sets: bool = False) -> list[dict]:
    """Read a JSON or CSV file (by suffix; `-` reads JSON or CSV from standard input).

    `recipe_sets` makes CSV rows into the deprecated format's `recipeSets`.
    """
    if path == "-":
        data = sys.stdin.buffer.read()
        stripped = data.lstrip()
        if stripped[:1] in (b"{", b"[") or not stripped:
            return load_json_text(data, "standard input")
        return load_csv_text(data, "standard input", recipe_sets=recipe_sets)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise OrderImportError(f"cannot read the file: {exc.strerror}", source=path) from None
    if path.lower().endswith(".csv"):
        return load_csv_text(data, path, recipe_sets=recipe_sets)
    return load_json_text(data, path)
