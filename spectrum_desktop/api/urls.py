"""Where the client sends: checking a base URL and joining endpoint paths onto it."""

from __future__ import annotations

from spectrum_desktop.domain.endpoints import (  # noqa: F401 - the client imports them from here
    ACK_PATH,
    ACKS_PATH,
    LOOKUP_PATH_PREFIX,
    ORDER_PATH,
    InsecureBaseUrl,
    InvalidBaseUrl,
    check_base_url,
    is_loopback,
    lookup_path,
)


class InvalidToken(ValueError):
    """The API token holds characters no HTTP header can carry."""


def check_token(token: str) -> str:
    """The token without surrounding whitespace (a pasted line break), or InvalidToken."""
    token = (token or "").strip()
    if any(not " " <= c <= "~" for c in token):
        raise InvalidToken("The API token contains characters a token cannot have (line breaks, tabs or accented "
                           "letters). Copy it again exactly as Spectrum gave it and paste it in the token box.")
    return token


def join_url(base_url: str, path: str) -> str:
    """Append an endpoint path to a base URL that may end in '/' or carry a path prefix."""
    return base_url.rstrip("/") + "/" + path.lstrip("/")
