"""Encryption of request/response bodies (they hold customers' personal data) with a key in the OS keyring."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from keyring.errors import KeyringError

from spectrum_desktop.domain.errors import BodyUnreadable
from spectrum_desktop.store.keyring_backend import SERVICE, usable_backend

KEY_USER = "body-encryption-key"
NO_KEYRING_NOTICE = (
    "No usable keyring was found, so order contents (names, addresses) are kept only while the "
    "app runs and will not be in history after it closes. Install or unlock a keyring (e.g. GNOME Keyring) to keep them."
)



class BodyCipher:
    """Encrypts bodies for the database. When `persistent` is False there is no key and bodies must stay in memory."""

    def __init__(self, key: bytes | None) -> None:
        self._fernet = Fernet(key) if key else None
        self.persistent = key is not None
        self.notice = "" if self.persistent else NO_KEYRING_NOTICE

    @classmethod
    def from_keyring(cls) -> BodyCipher:
        backend = usable_backend()
        if backend is None:
            return cls(None)
        try:
            key = backend.get_password(SERVICE, KEY_USER)
            if not key:
                key = Fernet.generate_key().decode("ascii")
                backend.set_password(SERVICE, KEY_USER, key)
        except (KeyringError, OSError, RuntimeError):
            return cls(None)
        return cls(key.encode("ascii"))

    def encrypt(self, text: str) -> bytes:
        if self._fernet is None:
            raise RuntimeError("no encryption key: bodies must be kept in memory only")
        return self._fernet.encrypt(text.encode("utf-8"))

    def decrypt(self, blob: bytes) -> str:
        if self._fernet is None:
            raise BodyUnreadable("no_key")
        try:
            return self._fernet.decrypt(blob).decode("utf-8")
        except InvalidToken as error:
            raise BodyUnreadable("key_changed") from error
