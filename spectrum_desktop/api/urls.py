"""Where the client sends: checking a base URL and joining endpoint paths onto it."""

from __future__ import annotations

import ipaddress
from urllib.parse import quote, urlsplit

ACK_PATH = "/api/order/acknowledgement"
ACKS_PATH = "/api/order/acknowledgements"
ORDER_PATH = "/api/order"
LOOKUP_PATH_PREFIX = "/api/order/order-number/"


class InvalidBaseUrl(ValueError):
    """The base URL is not a web address the client can use."""


class InsecureBaseUrl(ValueError):
    """The base URL uses plain http:// for a server that is not this computer."""


class InvalidToken(ValueError):
    """The API token holds characters no HTTP header can carry."""


def check_token(token: str) -> str:
    """The token without surrounding whitespace (a pasted line break), or InvalidToken."""
    token = (token or "").strip()
    if any(not " " <= c <= "~" for c in token):
        raise InvalidToken("The API token contains characters a token cannot have (line breaks, tabs or accented "
                           "letters). Copy it again exactly as Spectrum gave it and paste it in the token box.")
    return token


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> str:
    """Return the base URL without a trailing slash, or raise a typed error saying what to fix."""
    value = (base_url or "").strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidBaseUrl(
            f"'{value}' is not a server address. Enter one that starts with https:// and names a server, "
            "e.g. https://api.spectrumcustomizer.com"
        )
    if parts.query or parts.fragment:
        raise InvalidBaseUrl("The server address must not contain '?' or '#'. Remove everything from that sign on.")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InsecureBaseUrl(
            f"Plain http:// is only allowed for this computer (localhost), not for {parts.hostname}. "
            "Use https:// so the API token is not sent in clear."
        )
    return value.rstrip("/")


def join_url(base_url: str, path: str) -> str:
    """Append an endpoint path to a base URL that may end in '/' or carry a path prefix."""
    return base_url.rstrip("/") + "/" + path.lstrip("/")


def lookup_path(purchase_order_number: str) -> str:
    return LOOKUP_PATH_PREFIX + quote(purchase_order_number, safe="")
