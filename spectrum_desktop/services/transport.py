"""The one HTTP call the services make, until the api package's client lands.

Sends JSON with the token header and turns the answer into a plain `Reply`.
Network failures become `Unreachable`; the token never appears in a message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

TOKEN_HEADER = "SPECTRUM_API_TOKEN"


class Unreachable(Exception):
    """No answer came back. `maybe_arrived` is True when the request left (e.g. a read timeout)."""

    def __init__(self, message: str, maybe_arrived: bool) -> None:
        super().__init__(message)
        self.maybe_arrived = maybe_arrived


def _unreachable(base_url: str, error: Exception) -> Unreachable:
    import requests

    from urllib3.exceptions import ProtocolError

    # A read timeout, or a connection closed after the request went out, may hide an order that arrived.
    cause = error.args[0] if error.args else None
    maybe = not isinstance(error, requests.ConnectTimeout) and (
        isinstance(error, (requests.ReadTimeout, requests.exceptions.ChunkedEncodingError))
        or isinstance(cause, ProtocolError)
    )
    return Unreachable(f"Could not reach {base_url}: {type(error).__name__}", maybe)


@dataclass(frozen=True)
class Reply:
    status: int
    text: str

    def json(self) -> Any:
        try:
            return json.loads(self.text)
        except ValueError:
            return None


def post_json(base_url: str, path: str, body: object, token: str, timeouts: tuple[float, float]) -> Reply:
    import requests  # lazy: keeps GUI start-up light

    url = base_url.rstrip("/") + path
    try:
        response = requests.post(
            url,
            data=json.dumps(body),
            headers={TOKEN_HEADER: token, "Content-Type": "application/json"},
            timeout=timeouts,
        )
    except requests.RequestException as error:
        raise _unreachable(base_url, error) from None
    return Reply(response.status_code, response.text)


def get_json(base_url: str, path: str, token: str, timeouts: tuple[float, float]) -> Reply:
    import requests

    try:
        response = requests.get(base_url.rstrip("/") + path, headers={TOKEN_HEADER: token}, timeout=timeouts)
    except requests.RequestException as error:
        raise _unreachable(base_url, error) from None
    return Reply(response.status_code, response.text)
