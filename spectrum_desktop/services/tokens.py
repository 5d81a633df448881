"""Token use cases for the window: where the token is kept, save or remove it, and test the connection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spectrum_desktop.services.errors import ServiceError

if TYPE_CHECKING:
    from spectrum_desktop.domain.environment import Environment
    from spectrum_desktop.services.context import AppContext

PROBE_PO = "spectrum-desktop-connection-test"
SANDBOX_NEEDS_NONE = "The local sandbox needs no token."


class TokenNotSaved(ServiceError):
    """A token could not be read, saved or removed. Carries data; the window (ui/errors.py) and the command line
    (cli/errors.py) say it in words. `problem`: KEYRING (the keyring refused: `action` is "read", "save" or
    "remove", `keyring` its name), EMPTY (nothing to save) or SANDBOX (the local sandbox takes no token)."""

    KEYRING = "keyring"
    EMPTY = "empty"
    SANDBOX = "sandbox"

    def __init__(self, problem: str, action: str = "", keyring: str = "") -> None:
        self.problem = problem
        self.action = action
        self.keyring = keyring
        super().__init__(problem, action, keyring)

    @classmethod
    def from_store(cls, error: Exception) -> TokenNotSaved:
        return cls(cls.KEYRING, getattr(error, "action", "read"), getattr(error, "keyring", ""))


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str


@dataclass(frozen=True)
class TokenLocation:
    needed: bool
    """False for the local sandbox."""
    has_token: bool
    kept_in: str
    """The keyring's name, or "memory only: no keyring available"."""
    persistent: bool
    overridden: bool
    """SPECTRUM_API_TOKEN is set and wins over the saved token."""
    text: str
    """One sentence for the window."""


def test_connection(base_url: str, token: str, timeouts: tuple[float, float] = (5.0, 10.0)) -> ConnectionCheck:
    """Ask Spectrum for an order that does not exist: found or not found means reachable and the token accepted."""
    from spectrum_desktop.api import Found, InsecureBaseUrl, InvalidBaseUrl, NotFound, RetryPolicy, SpectrumClient
    from spectrum_desktop.api import Unauthorized, Unreachable

    try:
        client = SpectrumClient(base_url, token, retry=RetryPolicy.none(), connect_timeout=timeouts[0],
                                read_timeout=timeouts[1])
    except (InsecureBaseUrl, InvalidBaseUrl) as error:
        return ConnectionCheck(False, str(error))
    with client:
        outcome = client.lookup(PROBE_PO)
    if isinstance(outcome, (Found, NotFound)):
        return ConnectionCheck(True, "Connected: the server answered and accepted the token.")
    if isinstance(outcome, Unauthorized):
        return ConnectionCheck(False, "The server refused the token. Paste the token again or ask for a new one.")
    if isinstance(outcome, Unreachable):
        return ConnectionCheck(False, f"Could not reach {base_url}. Check the address and your network.")
    return ConnectionCheck(False, outcome.message)


class TokenService:
    """`context.credentials`: the token of each environment, through the store's keyring interface."""

    def __init__(self, context: AppContext) -> None:
        self._context = context

    def location(self, environment: Environment) -> TokenLocation:
        from spectrum_desktop.store.tokens import TokenStoreError

        store = self._context.tokens
        if environment.is_sandbox:
            return TokenLocation(False, False, store.backend_name, store.persistent, False, SANDBOX_NEEDS_NONE)
        try:
            has_token = bool(store.get(environment.id))
        except TokenStoreError as error:
            raise TokenNotSaved.from_store(error) from None
        if store.overridden:
            text = "SPECTRUM_API_TOKEN is set, so it is used for every environment while the app runs."
        elif not has_token:
            text = f"No token saved for {environment.name}. Paste the token to send there."
        elif store.persistent:
            text = f"The token for {environment.name} is kept in {store.backend_name}."
        else:
            text = (f"The token for {environment.name} is kept in memory only (no keyring available): "
                    "you will need to enter it again next time.")
        return TokenLocation(True, has_token, store.backend_name, store.persistent, store.overridden, text)

    def save(self, environment: Environment, token: str) -> TokenLocation:
        from spectrum_desktop.store.tokens import TokenStoreError

        token = token.strip()
        if not token:
            raise TokenNotSaved(TokenNotSaved.EMPTY)
        if environment.is_sandbox:
            raise TokenNotSaved(TokenNotSaved.SANDBOX)
        try:
            self._context.tokens.set(environment.id, token)
        except TokenStoreError as error:
            raise TokenNotSaved.from_store(error) from None
        return self.location(environment)

    def remove(self, environment: Environment) -> TokenLocation:
        from spectrum_desktop.store.tokens import TokenStoreError

        try:
            self._context.tokens.delete(environment.id)
        except TokenStoreError as error:
            raise TokenNotSaved.from_store(error) from None
        return self.location(environment)

    def check(self, environment: Environment, token: str | None = None) -> ConnectionCheck:
        """Test the connection with `token`, or the saved one (the sandbox is started when needed)."""
        if environment.is_sandbox or not token:
            target = self._context.target(environment)  # MissingToken: the window says what to do
            base_url, token = target.base_url, target.token
        else:
            base_url = environment.base_url
        return test_connection(base_url, token, (environment.connect_timeout, min(environment.read_timeout, 10.0)))
