"""Token use cases for the window: where the token is kept, save it, and test the connection."""

from __future__ import annotations

from dataclasses import dataclass

from spectrum_desktop.services.transport import Unreachable, get_json


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str


PROBE_PATH = "/api/order/order-number/spectrum-desktop-connection-test"


def test_connection(base_url: str, token: str, timeouts: tuple[float, float] = (5.0, 10.0)) -> ConnectionCheck:
    """Ask Spectrum for an order that does not exist: 404 or 200 means reachable and the token was accepted."""
    try:
        reply = get_json(base_url, PROBE_PATH, token, timeouts)
    except Unreachable:
        return ConnectionCheck(False, f"Could not reach {base_url}. Check the address and your network.")
    if reply.status in (200, 404):
        return ConnectionCheck(True, "Connected: the server answered and accepted the token.")
    if reply.status in (401, 403):
        return ConnectionCheck(False, "The server refused the token. Paste the token again or ask for a new one.")
    return ConnectionCheck(False, f"The server answered with HTTP {reply.status}. Try again later.")
