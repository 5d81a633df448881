"""An environment the app can send to: where it is, how it looks, and how hard it may be pushed.

A plain frozen dataclass checked by hand (not pydantic): it is read on every start-up, before the window
shows, and its messages are written for the person filling in Preferences.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from spectrum_desktop.domain.endpoints import check_base_url

SANDBOX_URL = "sandbox:"
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


FIELD_LABELS = {
    # How staff call each setting: the labels of Preferences › Environments, and of every message about them.
    "id": "Id",
    "name": "Name",
    "base_url": "Base URL",
    "colour": "Colour",
    "is_production": "Production",
    "request_format": "Request format",
    "rate_limit_requests": "Requests allowed",
    "rate_limit_seconds": "Within (seconds)",
    "batch_size": "Batch size",
    "connect_timeout": "Connect timeout (s)",
    "read_timeout": "Read timeout (s)",
}


class RequestFormat(StrEnum):
    LINE_ITEM = "LineItem"
    RECIPE_SET = "RecipeSet"


class EnvironmentInvalid(ValueError):
    """Fields of an environment were refused. `problems` lists (field name, message), worded for a person."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems))


def _base_url(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("The base URL must start with https:// and name a server, e.g. https://api.example.com")
    value = value.strip().rstrip("/")
    if value == SANDBOX_URL:
        return SANDBOX_URL
    return check_base_url(value)  # InvalidBaseUrl and InsecureBaseUrl are ValueErrors with the words to show


def _whole(value: object, low: int, high: int | None, message: str) -> int:
    if isinstance(value, bool):
        raise ValueError(message)
    if isinstance(value, str):
        value = value.strip()
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(message) from None
    if not number.is_integer() or number < low or (high is not None and number > high):
        raise ValueError(message)
    return int(number)


def _positive(value: object, message: str) -> float:
    if isinstance(value, bool):
        raise ValueError(message)
    try:
        number = float(value.strip() if isinstance(value, str) else value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(message) from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError(message)
    return number


def _text(value: object, pattern: re.Pattern[str], message: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value.strip()):
        raise ValueError(message)
    return value.strip()


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("Give the environment a name.")
    if len(value.strip()) > 80:
        raise ValueError("Use a name of 80 characters or fewer.")
    return value.strip()


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _request_format(value: object) -> RequestFormat:
    try:
        return RequestFormat(value)
    except ValueError:
        raise ValueError("must be LineItem or RecipeSet (the deprecated format)") from None


_CHECKS = {
    "id": lambda v: _text(v, _ID, "Use lower-case letters, digits and hyphens (at most 64), starting with a "
                                  "letter or digit."),
    "name": _name,
    "base_url": _base_url,
    "colour": lambda v: _text(v, _COLOUR, "Use a colour written like #2e7d32 (# and six hex digits)."),
    "is_production": _flag,
    "request_format": _request_format,
    "rate_limit_requests": lambda v: _whole(v, 1, None, "Use a whole number of requests, 1 or more."),
    "rate_limit_seconds": lambda v: _positive(v, "Use a number of seconds above 0."),
    "batch_size": lambda v: _whole(v, 1, 1000, "Use a whole number of orders from 1 to 1000."),
    "connect_timeout": lambda v: _positive(v, "Use a number of seconds above 0."),
    "read_timeout": lambda v: _positive(v, "Use a number of seconds above 0."),
}


@dataclass(frozen=True)
class Environment:
    """One target. `base_url` is `sandbox:` for the built-in local sandbox. Invalid fields raise EnvironmentInvalid."""

    id: str
    name: str
    base_url: str
    colour: str = "#2e7d32"
    is_production: bool = False
    request_format: RequestFormat = RequestFormat.LINE_ITEM
    rate_limit_requests: int = 100
    rate_limit_seconds: float = 60.0
    batch_size: int = 50
    connect_timeout: float = 5.0
    read_timeout: float = 30.0

    def __post_init__(self) -> None:
        problems: list[tuple[str, str]] = []
        for name, check in _CHECKS.items():
            try:
                object.__setattr__(self, name, check(getattr(self, name)))
            except ValueError as error:
                problems.append((name, str(error)))
        if problems:
            raise EnvironmentInvalid(problems)

    @classmethod
    def from_fields(cls, values: Mapping[str, Any]) -> Environment:
        """Build from a mapping (a settings file entry, a form); unknown and missing fields are refused too."""
        known = {f.name for f in fields(cls)}
        problems = [(name, "is not a setting of an environment") for name in values if name not in known]
        problems += [(name, "is required") for name in ("id", "name", "base_url") if name not in values]
        if problems:
            raise EnvironmentInvalid(problems)
        return cls(**values)

    def to_fields(self) -> dict[str, Any]:
        """Every field as plain JSON values."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["request_format"] = str(self.request_format)
        return values

    @property
    def is_sandbox(self) -> bool:
        return self.base_url == SANDBOX_URL
