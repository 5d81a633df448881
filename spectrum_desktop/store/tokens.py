"""API tokens, one per environment, in the OS keyring (or, without one, in memory for this session)."""

from __future__ import annotations

import os

from keyring.errors import KeyringError, PasswordDeleteError

from spectrum_desktop.store.keyring_backend import SERVICE, backend_display_name, usable_backend

TOKEN_VARIABLE = "SPECTRUM_API_TOKEN"


class TokenStoreError(Exception):
    """The keyring refused to read, store or remove a token. Carries data, not words: `action` is "read",
    "save" or "remove", `keyring` the keyring's name (the token itself is never in it)."""

    def __init__(self, action: str, keyring: str) -> None:
        self.action = action
        self.keyring = keyring
        super().__init__(action, keyring)


class TokenStore:
    """Where tokens live. `backend_name` says so in words for the window; `persistent` is False for memory only."""

    def __init__(self) -> None:
        self._backend = usable_backend()
        self._memory: dict[str, str] = {}

    @property
    def backend_name(self) -> str:
        return backend_display_name(self._backend)

    @property
    def persistent(self) -> bool:
        return self._backend is not None

    @property
    def overridden(self) -> bool:
        return bool(os.environ.get(TOKEN_VARIABLE))

    def get(self, environment_id: str) -> str | None:
        override = os.environ.get(TOKEN_VARIABLE)
        if override:
            return override
        if self._backend is None:
            return self._memory.get(environment_id)
        try:
            return self._backend.get_password(SERVICE, environment_id)
        except (KeyringError, OSError, RuntimeError):
            raise TokenStoreError("read", self.backend_name) from None

    def set(self, environment_id: str, token: str) -> None:
        if self._backend is None:
            self._memory[environment_id] = token
            return
        try:
            self._backend.set_password(SERVICE, environment_id, token)
        except (KeyringError, OSError, RuntimeError):
            raise TokenStoreError("save", self.backend_name) from None

    def delete(self, environment_id: str) -> None:
        self._memory.pop(environment_id, None)
        if self._backend is None:
            return
        try:
            self._backend.delete_password(SERVICE, environment_id)
        except PasswordDeleteError:
            return
        except (KeyringError, OSError, RuntimeError):
            raise TokenStoreError("remove", self.backend_name) from None
