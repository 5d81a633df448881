"""SHA-256 for the start-up path, without loading OpenSSL.

`hashlib` loads OpenSSL's libcrypto on import (about 2 ms, paid before the window shows); the interpreter's own
SHA-256 module gives the same digests. Code off the start-up path may use hashlib as usual.
"""

from __future__ import annotations

try:
    from _sha2 import sha256  # Python 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:  # an interpreter built without them
        from hashlib import sha256


def sha256_hex(data: bytes) -> str:
    return sha256(data).hexdigest()
