"""Work around PySide6 6.12 on Python 3.11 releasing None/True/False once too often.

Each Qt signal emit and many void calls drop one reference to True/False or None that
they never took. On Python 3.12+ these objects are immortal, so nothing happens; on 3.11
a few thousand calls bring the count to zero and the interpreter aborts
("bool_dealloc: deallocating True or False"). Adding a large, fixed number of
references once at start-up keeps them alive for any realistic session.
"""

from __future__ import annotations

import ctypes
import sys

EXTRA_REFERENCES = 1 << 40


def protect_singletons() -> None:
    if sys.version_info >= (3, 12) or getattr(sys, "_spectrum_singletons_protected", False):
        return
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += EXTRA_REFERENCES
    sys._spectrum_singletons_protected = True
