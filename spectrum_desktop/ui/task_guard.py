"""Know when a page's background work has really ended, so the window can wait before it closes the database."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class TaskGuard:
    """Wraps worker functions for ui.tasks.run and counts the ones still running on their threads."""

    def __init__(self) -> None:
        self._running = 0
        self._idle = threading.Condition()

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Counted from now (wrap right before tasks.run starts it) until the returned function has run once."""
        with self._idle:
            self._running += 1

        def guarded(*args: Any) -> Any:
            try:
                return fn(*args)
            finally:
                with self._idle:
                    self._running -= 1
                    self._idle.notify_all()

        return guarded

    @property
    def running(self) -> int:
        with self._idle:
            return self._running

    def wait(self, timeout: float) -> bool:
        """Block until no wrapped work runs (True) or `timeout` seconds passed (False)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._running:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
            return True
