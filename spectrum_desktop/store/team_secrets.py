"""The shared history's secrets in the OS keyring (service `spectrum-desktop`): the database password
(user `journal:<address>`) and the team key (user `team-key:<address>`), or SPECTRUM_DESKTOP_TEAM_KEY."""

from __future__ import annotations

import os

from keyring.errors import KeyringError

from spectrum_desktop.store.keyring_backend import SERVICE, usable_backend
from spectrum_desktop.store.shared_url import JournalUrl

TEAM_KEY_VARIABLE = "SPECTRUM_DESKTOP_TEAM_KEY"
TEAM_KEY_PREFIX = "team-key:"


def _get(user: str) -> str | None:
    backend = usable_backend()
    if backend is None:
        return None
    try:
        return backend.get_password(SERVICE, user) or None
    except (KeyringError, OSError, RuntimeError):
        return None


def _set(user: str, value: str) -> bool:
    backend = usable_backend()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, user, value)
    except (KeyringError, OSError, RuntimeError):
        return False
    return True


def database_password(address: JournalUrl) -> str | None:
    """The keyring's password for this address, unless libpq's own PGPASSWORD is set (then libpq decides)."""
    if os.environ.get("PGPASSWORD"):
        return None
    return _get(address.keyring_user)


def save_database_password(address: JournalUrl, password: str) -> bool:
    return _set(address.keyring_user, password)


def team_key(address: JournalUrl) -> bytes | None:
    value = os.environ.get(TEAM_KEY_VARIABLE) or _get(TEAM_KEY_PREFIX + address.url)
    return value.strip().encode("ascii") if value and value.strip().isascii() else None


def save_team_key(address: JournalUrl, key: bytes) -> bool:
    """Keep the team key in the keyring; False when there is no usable keyring."""
    return _set(TEAM_KEY_PREFIX + address.url, key.decode("ascii"))


def forget_team_key(address: JournalUrl) -> None:
    _set(TEAM_KEY_PREFIX + address.url, "")
