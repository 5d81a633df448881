"""The API's paths and the rules for a server address: the one home the client, services, environments and
sandbox import them from."""

from __future__ import annotations

import ipaddress
from urllib.parse import quote, urlsplit

from spectrum_desktop.domain.states import OrderKind

ACK_PATH = "/api/order/acknowledgement"
ACKS_PATH = "/api/order/acknowledgements"
ORDER_PATH = "/api/order"
LOOKUP_PATH_PREFIX = "/api/order/order-number/"
PRODUCTION_URL = "https://api.spectrumcustomizer.com"
"""Spectrum's production server: the default Production environment's address, and the example of an address."""
PRODUCTION_HOSTS = frozenset({urlsplit(PRODUCTION_URL).hostname})
"""Spectrum's production servers: an environment there sends real orders whatever it is called."""

ENDPOINTS: dict[OrderKind, str] = {
    OrderKind.ACK: ACK_PATH,
    OrderKind.ACK_RECIPESET: ACK_PATH,
    OrderKind.FULL: ORDER_PATH,
}
"""The single-order endpoint of each request kind."""


class InvalidBaseUrl(ValueError):
    """The base URL is not a web address the client can use."""


class InsecureBaseUrl(ValueError):
    """The base URL uses plain http:// for a server that is not this computer."""


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
            f"e.g. {PRODUCTION_URL}"
        )
    if parts.query or parts.fragment:
        raise InvalidBaseUrl("The server address must not contain '?' or '#'. Remove everything from that sign on.")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InsecureBaseUrl(
            f"Plain http:// is only allowed for this computer (localhost), not for {parts.hostname}. "
            "Use https:// so the API token is not sent in clear."
        )
    return value.rstrip("/")


def is_production_address(base_url: str) -> bool:
    """True when the address is one of Spectrum's production servers (real orders)."""
    host = urlsplit((base_url or "").strip()).hostname or ""
    return host.lower().rstrip(".") in PRODUCTION_HOSTS


def lookup_path(purchase_order_number: str) -> str:
    return LOOKUP_PATH_PREFIX + quote(purchase_order_number, safe="")
