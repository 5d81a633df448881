"""What the OS keyring can do here, told in words a user understands."""

from __future__ import annotations

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

SERVICE = "spectrum-desktop"
MEMORY_ONLY = "memory only: no keyring available"

_FRIENDLY_NAMES = {
    "SecretService Keyring": "GNOME Keyring",
    "Keyring": "OS keyring",
}


def usable_backend() -> KeyringBackend | None:
    """The keyring backend if it can actually store secrets, else None."""
    backend = keyring.get_keyring()
    if getattr(backend, "priority", 0) <= 0 or type(backend).__module__.startswith("keyring.backends.fail"):
        return None
    try:
        backend.get_password(SERVICE, "probe")
    except (KeyringError, OSError, RuntimeError):
        return None
    return backend


def backend_display_name(backend: KeyringBackend | None) -> str:
    if backend is None:
        return MEMORY_ONLY
    name = getattr(backend, "name", type(backend).__name__)
    return _FRIENDLY_NAMES.get(name, name)
