"""What the form, the tables, the CSV columns and the messages ask of the order schema.

Callers (editor, line-items table, address panels, CSV importer and template, history) read fields only
through these functions: which fields a request kind has, in what order, which are required, their labels,
help, kind of input and CSV column. Everything here is derived from the pydantic models in
`domain/schema.py`; there is no list of fields in this module.

Start-up stays free of pydantic: the derived answers are cached as JSON next to this module's bytecode,
keyed by a digest of the schema's source, so the window's first paint reads a small file instead of importing
pydantic. When the schema changes (or the cache cannot be read or written) the answers are derived afresh.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from spectrum_desktop.domain.digest import sha256_hex
from spectrum_desktop.domain.states import OrderKind


class Input(StrEnum):
    """The kind of control a field needs."""

    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    EMAIL = "email"
    PHONE = "phone"
    COUNTRY = "country"
    QUANTITY = "quantity"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class FieldInfo:
    key: str
    """The API's (camelCase) name."""
    label: str
    help: str
    input: Input | None
    """None for a part of the order that is not a form field (line items, an address)."""
    required: bool
    """Required for the kind it was asked for."""
    essential: bool
    """Shown by default (the rest waits behind "More fields" or the Columns menu)."""
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    csv_column: str | None = None
    placeholder: str = ""
    part: str | None = None
    """"items" (line items, recipe sets) or "address" for the order's nested parts; None for a field."""


def order_fields(kind: OrderKind) -> list[FieldInfo]:
    """The order's own (header) fields for a request kind, in form order."""
    return _fields(_tables()["kinds"][OrderKind(kind).value]["order"])


def line_item_fields(kind: OrderKind) -> list[FieldInfo]:
    """A line item's (or, in the RecipeSet format, a recipe set's) fields, in column order."""
    return _fields(_tables()["kinds"][OrderKind(kind).value]["items"])


def sku_quantity_fields() -> list[FieldInfo]:
    return _fields(_tables()["sku_quantities"])


def address_fields() -> list[FieldInfo]:
    """The fields of a customer or shipping address (full orders)."""
    return _fields(_tables()["address"])


def order_parts(kind: OrderKind) -> list[FieldInfo]:
    """The nested parts of an order of a kind: its list of line items (or recipe sets), its addresses."""
    return _fields(_tables()["kinds"][OrderKind(kind).value]["parts"])


def kind_label(kind: OrderKind) -> str:
    """How a kind of request is named to a person."""
    return _tables()["kinds"][OrderKind(kind).value]["label"]


def kind_labels() -> dict[OrderKind, str]:
    return {kind: kind_label(kind) for kind in OrderKind}


def csv_columns() -> list[str]:
    """Every CSV column, in template order: the order's fields, its line items' and their SKU quantities',
    then both addresses."""
    return list(_tables()["csv"])


def field_by_key(key: str) -> FieldInfo | None:
    """Any field or part of any kind by its API name (the same name means the same thing everywhere)."""
    found = _tables()["by_key"].get(key)
    return None if found is None else _field(found)


_PART = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


def label_for(path: str) -> str:
    """`lineItems[2].skuQuantities[0].quantity` -> `Line item 3 › SKU quantity 1 › Quantity`."""
    if not path:
        return "Order"
    tables = _tables()
    parts = []
    for name, index in _PART.findall(path):
        if index:
            parts.append(f"{tables['item_labels'].get(name, name)} {int(index) + 1}")
        else:
            found = tables["by_key"].get(name)
            parts.append(found["label"] if found else name)
    return " › ".join(parts)


# --- derivation from the pydantic models, and its cache ------------------------------------------------------

_SCHEMA_MODULE = "spectrum_desktop.domain.schema"
_SOURCES = ("schema.py", "choices.py", "fields.py")
BUNDLED_NAME = "fields-bundled.json"


def _fields(rows: list[dict]) -> list[FieldInfo]:
    return [_field(row) for row in rows]


def _field(row: dict) -> FieldInfo:
    return FieldInfo(**{**row, "input": Input(row["input"]) if row["input"] else None,
                        "choices": tuple(row["choices"])})


@cache
def _tables() -> dict[str, Any]:
    if _SCHEMA_MODULE in sys.modules:  # pydantic is loaded anyway: ask the models themselves
        return derive()
    here = Path(__file__).parent
    try:
        digest = sha256_hex(b"".join((here / name).read_bytes() for name in _SOURCES))[:16]
    except OSError:  # no sources beside the modules: a bundle, which ships the answers derived at build time
        try:
            return json.loads((here / BUNDLED_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return derive()
    cached = here / "__pycache__" / f"fields-{digest}.json"
    try:
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    tables = derive()
    try:
        cached.parent.mkdir(exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(tables), encoding="utf-8")
        partial.replace(cached)
        for stale in cached.parent.glob("fields-*.json"):
            if stale != cached:
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only installation derives the answers at each start
    return tables


def derive() -> dict[str, Any]:
    """Every answer of this module, read from the pydantic models (imports pydantic)."""
    from spectrum_desktop.domain import schema

    def info(name: str, field, *, csv_prefix: str = "") -> dict:
        extra = field.json_schema_extra or {}
        input_kind = extra.get("input")
        enum_type = _find(field.rebuild_annotation(), lambda t: isinstance(t, type) and issubclass(t, StrEnum))
        max_length = next((getattr(m, "max_length", None) for m in _metadata(field.rebuild_annotation())
                           if getattr(m, "max_length", None) is not None), None)
        return asdict(FieldInfo(
            key=field.alias or name,
            label=field.title or name,
            help=field.description or "",
            input=input_kind,
            required=field.is_required(),
            essential=bool(extra.get("essential", False)),
            choices=tuple(member.value for member in enum_type) if enum_type else (),
            max_length=max_length,
            csv_column=csv_prefix + field.alias if input_kind and input_kind != Input.LIST else None,
            placeholder=str(extra.get("placeholder", "")),
            part=extra.get("part"),
        ))

    def inner(field):
        return _find(field.annotation, lambda t: isinstance(t, type) and issubclass(t, schema.WireModel))

    def rows(model, prefix: str = "") -> list[dict]:
        return [info(n, f, csv_prefix=prefix) for n, f in model.model_fields.items()
                if not (f.json_schema_extra or {}).get("part")]

    by_key: dict[str, dict] = {}
    item_labels: dict[str, str] = {}
    kinds = {}
    csv: list[str] = []

    def walk(model, prefix: str, columns: list[str]) -> None:
        """Labels of every field, item labels of every list, CSV columns of every scalar (in schema order)."""
        for name, field in model.model_fields.items():
            row = info(name, field, csv_prefix=prefix)
            by_key.setdefault(row["key"], row)
            nested = inner(field)
            if nested is None:
                if row["csv_column"] and row["csv_column"] not in columns:
                    columns.append(row["csv_column"])
                continue
            if _is_list(field.annotation):
                item_labels.setdefault(row["key"], nested.model_config.get("title") or nested.__name__)
            walk(nested, f"{prefix}{row['key']}.", columns)

    for kind, model in schema.MODELS.items():
        items_field = next(f for f in model.model_fields.values() if (f.json_schema_extra or {}).get("part") == "items")
        kinds[kind.value] = {
            "label": model.model_config.get("title") or model.__name__,
            "order": rows(model),
            "items": rows(inner(items_field), "lineItems."),
            "parts": [info(n, f) for n, f in model.model_fields.items() if (f.json_schema_extra or {}).get("part")],
        }
        walk(model, "", csv if kind is OrderKind.FULL else [])  # a CSV row holds a full order's columns
    full = schema.MODELS[OrderKind.FULL]
    csv = [c for c in csv if c.count(".") == 0] + [c for c in csv if c.startswith("lineItems.")] + [
        c for c in csv if c.count(".") and not c.startswith("lineItems.")]
    return {
        "kinds": kinds,
        "sku_quantities": rows(schema.SkuQuantity, "lineItems.skuQuantities."),
        "address": rows(inner(full.model_fields["customer_address"])),
        "by_key": by_key,
        "item_labels": item_labels,
        "csv": csv,
    }


def _is_list(annotation: Any) -> bool:
    import typing

    if typing.get_origin(annotation) is list:
        return True
    return any(_is_list(arg) for arg in typing.get_args(annotation))


def _find(annotation: Any, wanted) -> Any:
    import typing

    if wanted(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        found = _find(arg, wanted)
        if found is not None:
            return found
    return None


def _metadata(annotation: Any):
    import typing

    yield from getattr(annotation, "__metadata__", ())
    for arg in typing.get_args(annotation):
        yield from _metadata(arg)
