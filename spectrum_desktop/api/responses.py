"""Turning Spectrum's HTTP answers into typed outcomes (pure functions, no network)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from spectrum_desktop.api.outcomes import (
    Accepted,
    AlreadySubmitted,
    Found,
    NotFound,
    Outcome,
    OutcomeUnknown,
    PartiallyAccepted,
    RateLimited,
    Rejected,
    ServerError,
    Unauthorized,
    Unrecognised,
)
from spectrum_desktop.domain.submission import RecipeSetResult

_TRACE_RE = re.compile(r"trace(?:\s*log)?\s*id\s*[:=#]?\s*([A-Za-z0-9][A-Za-z0-9._:-]{3,})", re.IGNORECASE)
_GUID_RE = re.compile(r"\b[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b")
DEFAULT_RATE_WAIT = 1.0


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def trace_id(text: str) -> str | None:
    """The trace log ID inside a server error text, if it names one."""
    match = _TRACE_RE.search(text) or _GUID_RE.search(text)
    if match is None:
        return None
    return (match.group(1) if match.re is _TRACE_RE else match.group(0)).rstrip(".")


def _retry_after_seconds(value: str) -> float | None:
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def rate_limit_wait(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait if the answer carries rate-limit signs (Retry-After or X-RateLimit-*), else None."""
    lower = {k.lower(): v for k, v in headers.items()}
    if "retry-after" in lower:
        wait = _retry_after_seconds(lower["retry-after"])
        if wait is not None:
            return wait
    if not any(k.startswith(("x-ratelimit", "x-rate-limit", "ratelimit")) for k in lower):
        return DEFAULT_RATE_WAIT if "retry-after" in lower else None
    for name in ("x-ratelimit-reset", "x-rate-limit-reset", "ratelimit-reset"):
        if name in lower:
            try:
                reset = float(lower[name])
            except ValueError:
                continue
            now = datetime.now(timezone.utc).timestamp()
            return max(0.0, reset - now) if reset > 1_000_000_000 else max(0.0, reset)
    return DEFAULT_RATE_WAIT


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def ack_result(data: Any, http_status: int) -> Outcome | None:
    """A 200-shaped acknowledgement result -> Accepted/PartiallyAccepted, or None if it is not that shape."""
    if not isinstance(data, dict) or not isinstance(data.get("statuses"), list):
        return None
    po = _text(data.get("purchaseOrderNumber"))
    results = tuple(
        RecipeSetResult(_text(s.get("recipeSetId")), s.get("success") is True, _text(s.get("message")), po)
        for s in data["statuses"] if isinstance(s, dict)
    )
    if data.get("allSuccessful") is True and all(r.success for r in results):
        return Accepted(http_status=http_status, purchase_order_number=po, results=results)
    return PartiallyAccepted(http_status=http_status, purchase_order_number=po, results=results)


def _error_fields(data: Any, text: str) -> tuple[str, str | None, str | None]:
    if isinstance(data, dict):
        error = data.get("error") or data.get("message") or data.get("title")
        return (_text(error) if error is not None else text.strip()[:2000],
                _text(data.get("apiVersion")) or None, _text(data.get("lastModification")) or None)
    return text.strip()[:2000], None, None


def classify(status: int, headers: Mapping[str, str], text: str, *, lookup: bool = False) -> Outcome:
    """One HTTP answer -> its outcome. Never raises."""
    content_type = headers.get("Content-Type", "") if hasattr(headers, "get") else ""
    data = parse_json(text)
    if 200 <= status < 300:
        if lookup:
            if isinstance(data, dict):
                return Found(http_status=status, order=data)
        else:
            outcome = ack_result(data, status)
            if outcome is not None:
                return outcome
        return Unrecognised(http_status=status, body=text, content_type=content_type)
    error, api_version, last_modification = _error_fields(data, text)
    if status == 409:
        return AlreadySubmitted(http_status=status, last_modification=last_modification, error=error,
                                api_version=api_version)
    if status == 401:
        return Unauthorized(http_status=status, error=error)
    if status == 403:
        wait = rate_limit_wait(headers)
        if wait is not None:
            return RateLimited(http_status=status, wait_seconds=wait, error=error)
        return Unauthorized(http_status=status, error=error)
    if status >= 500:
        if not isinstance(data, dict):
            return Unrecognised(http_status=status, body=text, content_type=content_type)
        return ServerError(http_status=status, text=error, trace_id=trace_id(error), api_version=api_version,
                           last_modification=last_modification)
    if status == 404 and lookup:
        return NotFound(http_status=status, error=error)
    if 400 <= status < 500:
        if data is None and "html" in content_type.lower():
            return Unrecognised(http_status=status, body=text, content_type=content_type)
        return Rejected(http_status=status, error=error, api_version=api_version)
    return Unrecognised(http_status=status, body=text, content_type=content_type)


def _item_status(item: dict) -> int:
    for key in ("status", "statusCode", "httpStatus"):
        value = item.get(key)
        if isinstance(value, int) and 100 <= value < 600:
            return value
    error = _text(item.get("error")).lower()
    if "already" in error and "submitted" in error:
        return 409
    if "trace" in error:
        return 500
    return 400


def _result_items(data: Any) -> list[dict] | None:
    def is_results(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)

    if is_results(data):
        return data
    if isinstance(data, dict):
        if "purchaseOrderNumber" in data:
            return [data]
        for value in data.values():
            if is_results(value) and value and any("purchaseOrderNumber" in v for v in value):
                return value
    return None


def many_results(data: Any, purchase_orders: Sequence[str], http_status: int) -> dict[str, Outcome] | None:
    """Map a multiple-acknowledgement answer back to the orders sent; None when the shape is not understood."""
    items = _result_items(data)
    if items is None:
        return None
    results: dict[str, Outcome] = {}
    for item in items:
        po = _text(item.get("purchaseOrderNumber"))
        outcome = ack_result(item, http_status)
        if outcome is None:
            status = _item_status(item)
            outcome = classify(status, {}, json.dumps(item))
        # Each order keeps its own part of the answer, so History shows a bulk-sent order's response too.
        results[po] = replace(outcome, response_text=json.dumps(item, ensure_ascii=False))
    return {
        po: results.get(po) or OutcomeUnknown(http_status=http_status,
                                              detail="Spectrum's answer did not mention this order")
        for po in purchase_orders
    }
