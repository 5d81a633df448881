"""THE order schema: the three requests as pydantic models, and validation by them.

Every list of fields in the program (the form, the line-items table, the address panels, the CSV template and
importer, the labels in messages, the history's kind names) is read from these models through
`domain/fields.py`. Adding a field is one edit here: a line in the model it belongs to.

Per field the models carry, with pydantic's own means:
  - the wire name (camelCase alias of the snake_case attribute),
  - `title` (the form's label) and `description` (a short help text),
  - `json_schema_extra`: `input` (kind of control: text, date, choice, email, phone, country, quantity, list),
    `essential` (shown by default), `part` (a nested list or object of the order, not a form field),
  - required or not, for each kind (each kind is its own model), limits (length, range, pattern) and
    lenient parsing (`BeforeValidator`s on the `Annotated` types below).

Validation (`validate`) runs pydantic-core over a dict-shaped twin of each model, derived from the model's
fields here (one `TypeAdapter` per kind, built once on first use, plus one that keeps unknown fields for the
orders that have some): that gives the API's JSON directly, in the user's field order, without building model
objects; cross-field rules (`WireModel.rules`) run once per order after the fields are valid. pydantic's
errors become the program's `Problem`s in `to_problems`, the one place its wording is translated.
The models themselves are the typed view (`model_for(kind).model_validate(body)`, `.to_wire()`); they check
fields but not the cross-field rules.
"""

from __future__ import annotations

import enum
import threading
import typing
from collections.abc import Callable
from functools import lru_cache
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError, WrapValidator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError
from typing_extensions import NotRequired, TypedDict

from spectrum_desktop.domain.choices import SPELLINGS, Priority, ProofStatus
from spectrum_desktop.domain.countries import is_country_code
from spectrum_desktop.domain.dates import DATE_HELP, is_iso_date, normalise_date
from spectrum_desktop.domain.fields import Input, field_by_key, label_for
from spectrum_desktop.domain.states import OrderKind
from spectrum_desktop.domain.validation import Conversion, Problem, Severity

__all__ = ["Acknowledgement", "Address", "FullOrder", "LineItem", "Priority", "ProofStatus", "RecipeSet",
           "RecipeSetAcknowledgement", "SkuQuantity", "WireModel", "model_for", "validate", "warm_up"]

# --- limits (the API documents none; these are generous, and listed in the README's order-file section) ---
QUANTITY_MAX = 2_147_483_647
"""The server is .NET: a quantity is a 32-bit int."""
IDENTIFIER_MAX = 100
"""Purchase order number, recipe set ID, SKU."""
CODE_MAX = 100
"""Account number, organization ID, serial number, order reference, tracking number."""
NAME_MAX = 200
"""Names, address lines, city, state, province, vendor, contact."""
EMAIL_MAX = 254
PHONE_MAX = 40
POSTAL_CODE_MAX = 32
DATE_MAX = 64
MESSAGE_MAX = 2000
"""Gift message."""

QUANTITY_RULE = f"a quantity must be a whole number of 1 or more (at most {QUANTITY_MAX:,})"
_NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
"""No control characters (C0, DEL, C1) and no Unicode line or paragraph separator: an identifier is one line."""
_EMAIL = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"
_PHONE = r"^[0-9 +\-().]+$"


def _fail(message: str) -> PydanticCustomError:
    """A problem whose message is already in the program's words (the error function passes it on)."""
    return PydanticCustomError("spectrum", "{message}", {"message": message})


def describe(value: object) -> str:
    """A value as a message shows it."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --- lenient parsing ---------------------------------------------------------------------------------------

def _quantity(value: object, info) -> object:
    """2, "2", " 7 " and 5.0 are quantities; true, "5.0", "+3", "1_000", "٣" and 2.5 are not."""
    if value.__class__ is int:
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            return int(text)
    elif isinstance(value, float) and value.is_integer():
        if info.context is not None:
            info.context["rewritten"] = True  # 5.0 == 5, yet the body must say 5
        return int(value)
    raise PydanticCustomError("quantity", "not a quantity")


@lru_cache(maxsize=4096)
def _known_iso(text: str) -> bool:
    return is_iso_date(text)


def _date(value: object, info) -> str:
    """Valid ISO 8601 is kept as typed (byte for byte); other common spellings become ISO with the local offset,
    and the rewrite is recorded in the validation context so the window can show what will be sent."""
    if value is None:  # an optional date may be null; a required one may not
        raise _fail("is required and must not be blank")
    if not isinstance(value, str):
        raise _fail(f"must be a date; use {DATE_HELP}")
    stripped = value.strip()
    if not stripped or _known_iso(stripped):
        return stripped  # a blank optional date is left out, a blank required one is reported as blank
    try:
        iso, _converted = normalise_date(value)
    except ValueError:
        raise _fail(f"{value!r} is not a date; use {DATE_HELP}") from None
    if info.context is not None and iso != stripped:
        info.context.setdefault("conversions", []).append((value, iso))
    return iso


def _choice(enum_type: type[enum.StrEnum]) -> Callable[[object], str]:
    spellings = SPELLINGS[enum_type]
    words = [member.value for member in enum_type]
    codes = [code for code in spellings if code.isdigit()]
    allowed = f"{', '.join(words[:-1])} or {words[-1]} (or {', '.join(codes)})"

    exact = {word: word for word in words}

    def parse(value: object) -> str:
        word = exact.get(value) if value.__class__ is str else None
        if word is not None:
            return word
        if isinstance(value, str | int) and not isinstance(value, bool):
            key = str(value).strip().lower()
            word = spellings.get(key)
            if word is not None:
                return word
            if not key:
                return ""  # blank: left out
        raise _fail(f"{describe(value)} is not allowed; use {allowed}")

    return parse


def not_a_country(value: object) -> str:
    """What is wrong with a value that is not a country code, and what to type instead (one wording for every
    way a country can be wrong: a code that does not exist, lower case, or a three-letter code or a name)."""
    text = value.strip() if isinstance(value, str) else value
    hint = f" (did you mean {text.upper()}?)" if isinstance(text, str) and is_country_code(text.upper()) else ""
    return f"{describe(text)} is not a country code; use the two-letter ISO 3166 code, for example US or DE{hint}"


def _country(value: str) -> str:
    if not is_country_code(value):
        raise _fail(not_a_country(value))
    return value


def _after(function: Callable[[Any], Any]) -> WrapValidator:
    """An after-check that runs only on a value of the right type (as an AfterValidator, without the import)."""
    return WrapValidator(lambda value, handler: function(handler(value)))


# --- the types of the fields: limits and lenient parsing, declared once ----------------------------------

Identifier = Annotated[str, Field(min_length=1, max_length=IDENTIFIER_MAX, pattern=_NO_CONTROL)]
"""Trimmed; no line breaks, tabs or other control characters."""
Code = Annotated[str, Field(max_length=CODE_MAX, pattern=_NO_CONTROL)]
Name = Annotated[str, Field(max_length=NAME_MAX)]
Message = Annotated[str, Field(max_length=MESSAGE_MAX)]
Email = Annotated[str, Field(max_length=EMAIL_MAX, pattern=_EMAIL)]
Phone = Annotated[str, Field(max_length=PHONE_MAX, pattern=_PHONE)]
PostalCode = Annotated[str, Field(max_length=POSTAL_CODE_MAX)]
Country = Annotated[str, Field(max_length=2), _after(_country)]
Date = Annotated[str, Field(max_length=DATE_MAX), BeforeValidator(_date)]
Quantity = Annotated[int, Field(ge=1, le=QUANTITY_MAX), BeforeValidator(_quantity)]
PriorityChoice = Annotated[Priority, BeforeValidator(_choice(Priority))]
ProofStatusChoice = Annotated[ProofStatus, BeforeValidator(_choice(ProofStatus))]


def ui(input: str, *, essential: bool = False, **more: Any) -> dict[str, Any]:
    """What the form needs to know about a field beyond its type: its kind of control, whether it shows by default."""
    return {"input": input, "essential": essential, **more}


# Fields several models share, declared once (the label lives with the field).
SerialNumber = Annotated[Code, Field(title="Serial number", json_schema_extra=ui("text"))]
ProofStatusField = Annotated[ProofStatusChoice, Field(title="Proof status", json_schema_extra=ui("choice"),
                                                      description="Whether the customer asked for a proof.")]
EstimatedDeliveryDate = Annotated[Date, Field(title="Estimated delivery date", json_schema_extra=ui("date"))]
RecipeSetId = Annotated[Identifier, Field(title="Recipe set ID",
                                          description="The design's recipe set, unique within the order.",
                                          json_schema_extra=ui("text", essential=True))]


class WireModel(BaseModel):
    """snake_case attributes, camelCase on the wire; unknown fields are kept (and warned about by `validate`)."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True,
                              extra="allow", str_strip_whitespace=True, coerce_numbers_to_str=True, defer_build=True)

    rules: ClassVar[tuple[Callable[[dict], list[tuple[tuple, str]]], ...]] = ()
    """Checks across fields, over the validated wire dict: each returns [(relative path, message)]."""

    def to_wire(self) -> dict:
        """The API's JSON: camelCase names, empty optional fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class SkuQuantity(WireModel):
    model_config = ConfigDict(title="SKU quantity")

    sku: Identifier = Field(title="SKU", description="The product's stock-keeping unit.",
                            json_schema_extra=ui("text", essential=True))
    quantity: Quantity = Field(title="Quantity", description="How many; a whole number of 1 or more.",
                               json_schema_extra=ui("quantity", essential=True))


def _sku_and_quantity(item: dict) -> list[tuple[tuple, str]]:
    # Rules see validated fields: a blank optional field has been left out already.
    has_sku, has_quantity = "sku" in item, "quantity" in item
    if has_sku and has_quantity:
        return []
    if has_sku and not has_quantity:
        return [(("quantity",), f"is required when a SKU is given; {QUANTITY_RULE}")]
    if has_quantity and not has_sku:
        return [(("sku",), "is required when a quantity is given")]
    if not has_sku and item.get("skuQuantities") is None:
        return [(("sku",), "a line item needs a SKU and quantity, or a non-empty list of SKU quantities, or both")]
    if not has_sku and not item["skuQuantities"]:
        return [(("skuQuantities",), "must hold at least one SKU and quantity, or give a SKU and quantity")]
    return []


class LineItem(WireModel):
    """A line item of the LineItem format (and of a full order)."""

    model_config = ConfigDict(title="Line item")
    rules = (_sku_and_quantity,)

    recipe_set_id: RecipeSetId
    sku: Identifier = Field(None, title="SKU", description="The product's stock-keeping unit.",
                            json_schema_extra=ui("text", essential=True))
    quantity: Quantity = Field(None, title="Quantity", description="How many; a whole number of 1 or more.",
                               json_schema_extra=ui("quantity", essential=True))
    proof_status: ProofStatusField = None
    gift_message: Message = Field(None, title="Gift message", json_schema_extra=ui("text"))
    shipment_vendor: Name = Field(None, title="Shipment vendor", json_schema_extra=ui("text"))
    shipment_tracking: Code = Field(None, title="Shipment tracking", json_schema_extra=ui("text"))
    estimated_delivery_date: EstimatedDeliveryDate = None
    sku_quantities: list[SkuQuantity] = Field(None, title="SKU quantities",
                                              description="Several SKUs in one line item, each with its quantity.",
                                              json_schema_extra=ui("list"))
    serial_number: SerialNumber = None


class RecipeSet(WireModel):
    """A recipe set of the deprecated RecipeSet format."""

    model_config = ConfigDict(title="Recipe set")

    recipe_set_id: RecipeSetId
    sku_quantities: Annotated[list[SkuQuantity], Field(min_length=1)] = Field(
        title="SKU quantities", description="The SKUs of the recipe set, each with its quantity.",
        json_schema_extra=ui("list", essential=True))


class Address(WireModel):
    model_config = ConfigDict(title="Address")

    first_name: Name = Field(title="First name", json_schema_extra=ui("text", essential=True))
    last_name: Name = Field(title="Last name", json_schema_extra=ui("text", essential=True))
    address1: Name = Field(title="Address line 1", json_schema_extra=ui("text", essential=True))
    address2: Name = Field(None, title="Address line 2", json_schema_extra=ui("text"))
    city: Name = Field(title="City", json_schema_extra=ui("text", essential=True))
    state: Name = Field(title="State", json_schema_extra=ui("text", essential=True))
    province: Name = Field(None, title="Province", json_schema_extra=ui("text"))
    postal_code: PostalCode = Field(title="Postal code", json_schema_extra=ui("text", essential=True))
    country: Country = Field(title="Country", description="The two-letter ISO 3166 code, such as US or DE.",
                             json_schema_extra=ui("country", essential=True))


def _unique_recipe_set_ids(name: str) -> Callable[[dict], list[tuple[tuple, str]]]:
    def check(order: dict) -> list[tuple[tuple, str]]:
        seen: dict[str, int] = {}
        problems = []
        for index, item in enumerate(order.get(name, ())):
            recipe = item.get("recipeSetId")
            if recipe in seen:
                first = label_for(f"{name}[{seen[recipe]}]")
                problems.append(((name, index, "recipeSetId"),
                                 f"{recipe!r} is already used by {first}; "
                                 "recipe set IDs must be unique within an order"))
            elif recipe is not None:
                seen[recipe] = index
        return problems

    return check


class _OrderHeader(WireModel):
    purchase_order_number: Identifier = Field(title="Purchase order number",
                                              description="The order's number in your shop.",
                                              json_schema_extra=ui("text", essential=True))
    order_date: Date = Field(title="Order date", description="When the customer bought it.",
                             json_schema_extra=ui("date", essential=True))
    account_number: Code = Field(None, title="Account number", json_schema_extra=ui("text"))
    organization_id: Code = Field(None, title="Organization ID", json_schema_extra=ui("text"))


class Acknowledgement(_OrderHeader):
    """LineItem format acknowledgement."""

    model_config = ConfigDict(title="Acknowledgement")
    rules = (_unique_recipe_set_ids("lineItems"),)

    email_address: Email = Field(None, title="E-mail address",
                                 json_schema_extra=ui("email", placeholder="name@example.com"))
    phone_number: Phone = Field(None, title="Phone number", json_schema_extra=ui("phone"))
    priority: PriorityChoice = Field(None, title="Priority", json_schema_extra=ui("choice"))
    proof_status: ProofStatusField = None
    serial_number: SerialNumber = None
    order_reference: Code = Field(None, title="Order reference", json_schema_extra=ui("text"))
    customer_service_contact: Name = Field(None, title="Customer service contact", json_schema_extra=ui("text"))
    estimated_delivery_date: EstimatedDeliveryDate = None
    line_items: Annotated[list[LineItem], Field(min_length=1)] = Field(
        title="Line items", json_schema_extra={"part": "items"})


class RecipeSetAcknowledgement(_OrderHeader):
    """Deprecated RecipeSet format acknowledgement."""

    model_config = ConfigDict(title="Acknowledgement (RecipeSet format, deprecated)")
    rules = (_unique_recipe_set_ids("recipeSets"),)

    recipe_sets: Annotated[list[RecipeSet], Field(min_length=1)] = Field(
        title="Recipe sets", json_schema_extra={"part": "items"})


class FullOrder(Acknowledgement):
    """Full order details: an acknowledgement with the customer's and the shipping address."""

    model_config = ConfigDict(title="Full order details")

    customer_address: Address = Field(title="Customer address", json_schema_extra={"part": "address"})
    shipping_address: Address = Field(title="Shipping address", json_schema_extra={"part": "address"})


MODELS: dict[OrderKind, type[WireModel]] = {
    OrderKind.ACK: Acknowledgement,
    OrderKind.ACK_RECIPESET: RecipeSetAcknowledgement,
    OrderKind.FULL: FullOrder,
}


def model_for(kind: OrderKind) -> type[WireModel]:
    return MODELS[OrderKind(kind)]


# --- the dict-shaped twin of each model, which validation runs --------------------------------------------

def _blank(value: object) -> bool:
    """Nothing, or text that is empty once trimmed: an optional field left blank is left out of the body."""
    return value is None or (isinstance(value, str) and not value.strip())


def _not_blank(annotation: Any) -> Any:
    """Text must not be blank once trimmed (a blank optional field is then found by its error, and left out)."""
    if annotation is str:
        return Annotated[str, Field(min_length=1)]
    if typing.get_origin(annotation) is Annotated and typing.get_args(annotation)[0] is str:
        # next to the type, so pydantic-core checks it (after any parser), not a Python function
        return Annotated[(str, Field(min_length=1), *annotation.__metadata__)]
    return annotation


def _wire_twin(model: type[WireModel], twins: dict, extra: str) -> Any:
    """A TypedDict with the model's wire names, types, limits and parsers. A blank field (null, or empty once
    trimmed) is an error here; `validate` leaves a blank optional field out instead. `extra` "forbid" makes each
    unknown field an error (which `validate` turns into a warning), "allow" keeps it."""
    if model in twins:
        return twins[model]
    keys: dict[str, Any] = {}
    for field in model.model_fields.values():
        annotation = _swap_models(field.rebuild_annotation(), twins, extra)
        keys[field.alias] = _not_blank(annotation) if field.is_required() else NotRequired[_not_blank(annotation)]
    twin = TypedDict(f"{model.__name__}Wire", keys)  # type: ignore[misc]
    twin.__pydantic_config__ = ConfigDict(extra=extra, str_strip_whitespace=True, coerce_numbers_to_str=True)
    twins[model] = twin
    return twin


@lru_cache(maxsize=None)
def _rule_plan(model: type[WireModel]) -> tuple | None:
    """The model's rules and the nested parts that have rules of their own (None when there are none)."""
    parts = []
    for field in model.model_fields.values():
        inner = _inner_model(field.annotation)
        plan = _rule_plan(inner) if inner is not None else None
        if plan is not None:
            parts.append((field.alias, plan))
    return (model.rules, tuple(parts)) if model.rules or parts else None


def _rules(plan: tuple, value: dict, loc: tuple = ()) -> list[tuple[tuple, str]]:
    """Every rule of a model and of its nested parts, over a validated wire dict."""
    rules, parts = plan
    problems = []
    for rule in rules:
        found = rule(value)
        if found:
            problems += [(loc + where, message) for where, message in found]
    for alias, inner in parts:
        part = value.get(alias)
        if isinstance(part, dict):
            problems += _rules(inner, part, loc + (alias,))
        elif isinstance(part, list):
            inner_rules, inner_parts = inner
            if not inner_parts and len(inner_rules) == 1:  # the common case (line items), without the recursion
                rule = inner_rules[0]
                for index, item in enumerate(part):
                    found = rule(item)
                    if found:
                        problems += [(loc + (alias, index) + where, message) for where, message in found]
            else:
                for index, item in enumerate(part):
                    problems += _rules(inner, item, loc + (alias, index))
    return problems


def _order_twin(model: type[WireModel], extra: str) -> Any:
    """The kind's twin with its rules checked once the fields are valid (one call per order)."""

    plan = _rule_plan(model) or ((), ())

    def check(value: dict) -> dict:
        problems = _rules(plan, value)
        if problems:
            raise PydanticCustomError("spectrum_rules", "rules", {"problems": problems})
        return value

    return Annotated[_wire_twin(model, {}, extra), _after(check)]


def _swap_models(annotation: Any, twins: dict, extra: str) -> Any:
    """The annotation with nested models replaced by their twins and choices by the words they stand for."""
    if isinstance(annotation, type):
        if issubclass(annotation, WireModel):
            return _wire_twin(annotation, twins, extra)
        if issubclass(annotation, enum.StrEnum):
            return str  # the before-validator already gave the API's word
        return annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Annotated:
        return Annotated[(_swap_models(args[0], twins, extra), *annotation.__metadata__)]
    if origin is list:
        return list[_swap_models(args[0], twins, extra)]
    return annotation


_adapters: dict[tuple[OrderKind, str], TypeAdapter] = {}
_building = threading.Lock()


def adapter(kind: OrderKind, extra: str = "forbid") -> TypeAdapter:
    """One TypeAdapter per kind (built on first use); a second that keeps unknown fields, for orders that have them.

    Built once even when two threads ask at the same time (the window's warm-up thread and a first keystroke):
    the second waits for the first's instead of building its own."""
    found = _adapters.get((kind, extra))
    if found is None:
        with _building:
            found = _adapters.get((kind, extra))
            if found is None:
                found = _adapters[(kind, extra)] = TypeAdapter(_order_twin(model_for(kind), extra))
    return found


def warm_up() -> None:
    """Build every kind's validator (and import pydantic) now, e.g. on a worker thread after the window shows."""
    for kind in OrderKind:
        for extra in ("forbid", "allow"):
            try:
                adapter(kind, extra).validate_python({}, context={})
            except ValidationError:
                pass


# --- validation -------------------------------------------------------------------------------------------

def validate(raw: dict, kind: OrderKind):
    """(body or None, problems, conversions) for one raw order dict.

    The body is the API's JSON in the user's field order with blank optional fields left out; when nothing
    needed changing it is `raw` itself (not a copy)."""
    context: dict[str, Any] = {}
    problems: list[Problem] = []
    model = model_for(kind)
    try:
        out = adapter(kind).validate_python(raw, context=context)
    except ValidationError as exc:
        out = None
        errors = exc.errors(include_url=False, include_context=True)
        blanks, real = [], []
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "extra_forbidden":
                path = _path(loc)
                problems.append(Problem(label_for(path), path, f"unknown field {loc[-1]!r} will be sent unchanged; "
                                        "check its spelling", Severity.WARNING))
            elif _blank(error.get("input")) and _optional_at(model, loc):
                blanks.append(loc)
            else:
                real.append(error)
        if real:
            problems[:0] = to_problems(real)
        else:  # only blank optional fields (left out) and unknown fields (kept): check what is left
            context.clear()
            try:
                out = adapter(kind, "allow").validate_python(_without(raw, blanks), context=context)
            except ValidationError as again:
                problems[:0] = to_problems(again.errors(include_url=False, include_context=True))
    body = None if out is None else raw if out == raw and "rewritten" not in context else _rebuild(raw, out)
    conversions = []
    if context.get("conversions"):
        wanted = set(context["conversions"])
        for path, value in _strings(raw, ""):
            field = field_by_key(path.rpartition(".")[2])
            for original, converted in wanted:
                if value == original and field is not None and field.input is Input.DATE:
                    conversions.append(Conversion(label_for(path), path, original, converted))
    return body, problems, conversions


def _rebuild(raw: object, out: object) -> object:
    """The validated values in the user's field order (blank optional fields are not in `out`)."""
    if isinstance(out, dict) and isinstance(raw, dict):
        return {k: _rebuild(raw[k], out[k]) for k in raw if k in out}
    if isinstance(out, list) and isinstance(raw, list):
        return [_rebuild(r, o) for r, o in zip(raw, out, strict=True)]
    return out


def _optional_at(model: type[WireModel] | None, loc: tuple) -> bool:
    """Whether the field at `loc` (wire names and list indexes) is optional in its model."""
    field = None
    for part in loc:
        if isinstance(part, int):
            continue
        if model is None:
            return False
        field = next((f for f in model.model_fields.values() if f.alias == part), None)
        if field is None:
            return False
        model = _inner_model(field.annotation)
    return field is not None and not field.is_required()


def _without(value: object, locs: list[tuple]) -> object:
    """A copy of `value` without the entries at `locs` (only the containers on their way are copied)."""
    if not locs:
        return value
    here = {loc[0] for loc in locs if len(loc) == 1}
    deeper: dict[object, list[tuple]] = {}
    for loc in locs:
        if len(loc) > 1:
            deeper.setdefault(loc[0], []).append(loc[1:])
    if isinstance(value, dict):
        return {k: _without(v, deeper.get(k, [])) for k, v in value.items() if k not in here}
    if isinstance(value, list):
        return [_without(v, deeper.get(i, [])) for i, v in enumerate(value) if i not in here]
    return value


def _inner_model(annotation: Any) -> type[WireModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, WireModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _strings(value: object, path: str):
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out = f"{out}.{part}" if out else str(part)
    return out


def to_problems(errors: list[dict]) -> list:
    """pydantic's errors as the program's problems: the form's label, the JSON path and what is allowed.

    The one place pydantic's wording is translated; none of it reaches a person."""
    problems = []
    for error in errors:
        loc = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        if error["type"] == "spectrum_rules":
            pairs = [(loc + tuple(rel), message) for rel, message in ctx["problems"]]
        else:
            pairs = [(loc, _message(error, loc, ctx))]
        for where, message in pairs:
            path = _path(where)
            problems.append(Problem(label_for(path), path, message, Severity.ERROR))
    return problems


def _message(error: dict, loc: tuple, ctx: dict) -> str:
    kind = error["type"]
    value = error.get("input")
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    field = field_by_key(name)
    input_kind = field.input if field is not None else None
    if kind == "spectrum":
        return ctx["message"]
    if field is not None and field.part == "items" and kind in ("missing", "too_short", "list_type"):
        shown = "missing" if kind == "missing" else ("empty" if value == [] else describe(value))
        return f"is {shown}; an order needs a list of at least one {label_for(name + '[0]')[:-2].lower()}"
    if name == "skuQuantities" and kind in ("missing", "too_short"):
        return ("is required and must hold at least one SKU and quantity" if kind == "missing"
                else "must hold at least one SKU and quantity")
    if name == "skuQuantities" and kind == "list_type":
        return f"must be a list of SKU and quantity pairs, not {describe(value)}"
    if input_kind is Input.QUANTITY:
        if kind == "missing":
            return f"is required; {QUANTITY_RULE}"
        return f"{describe(value)} is not allowed; {QUANTITY_RULE}"
    if kind == "missing" or (value is None and kind.endswith("_type")):
        if field is not None and field.part == "address":
            return "is required for a full order"
        return "is required and must not be blank"
    if kind in ("dict_type", "model_type", "typed_dict_type", "model_attributes_type"):
        return f"must be an object, not {describe(value)}"
    if kind == "list_type":
        return f"must be a list, not {describe(value)}"
    if kind == "string_type":
        return f"must be text, not {describe(value)}"
    if kind == "string_too_short":
        return "is required and must not be blank"
    if kind == "string_too_long" and input_kind is Input.COUNTRY:  # "USA", "Germany": not "at most 2 characters"
        return not_a_country(value)
    if kind == "string_too_long":
        length = len(value.strip()) if isinstance(value, str) else 0
        return f"is {length:,} characters long; at most {ctx.get('max_length', 0):,} characters are allowed"
    if kind == "string_pattern_mismatch":
        text = value.strip() if isinstance(value, str) else value
        if input_kind is Input.EMAIL:
            return f"{text!r} is not an e-mail address; use the form name@example.com"
        if input_kind is Input.PHONE:
            return f"{text!r} is not allowed; a phone number may hold only digits, spaces and + - ( ) ."
        return ("must be on one line, without line breaks, tabs or other control characters; "
                "remove them and try again")
    return f"{describe(value)} is not allowed here"

