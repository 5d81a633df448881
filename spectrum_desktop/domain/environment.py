"""An environment the app can send to: where it is, how it looks, and how hard it may be pushed."""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SANDBOX_URL = "sandbox:"


class RequestFormat(StrEnum):
    LINE_ITEM = "LineItem"
    RECIPE_SET = "RecipeSet"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Environment(BaseModel):
    """One target. `base_url` is `sandbox:` for the built-in local sandbox."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1, max_length=80)
    base_url: str
    colour: str = Field(default="#2e7d32", pattern=r"^#[0-9a-fA-F]{6}$")
    is_production: bool = False
    request_format: RequestFormat = RequestFormat.LINE_ITEM
    rate_limit_requests: int = Field(default=100, ge=1)
    rate_limit_seconds: float = Field(default=60.0, gt=0)
    batch_size: int = Field(default=50, ge=1, le=1000)
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=30.0, gt=0)

    @property
    def is_sandbox(self) -> bool:
        return self.base_url == SANDBOX_URL

    @field_validator("base_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value == SANDBOX_URL.rstrip("/") or value == SANDBOX_URL:
            return SANDBOX_URL
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("The base URL must start with https:// and name a server, e.g. https://api.example.com")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise ValueError(
                "Plain http:// is only allowed for this computer (localhost); use https:// so the token is not sent in clear."
            )
        return value

    @model_validator(mode="after")
    def _check_name(self) -> Environment:
        if not self.name.strip():
            raise ValueError("Give the environment a name.")
        return self
