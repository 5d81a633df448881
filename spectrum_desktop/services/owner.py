"""Who holds a journal row: one owner id per process (a random id, the process id and its start time), and
whether an owner is still alive (psutil; works the same on Windows, macOS and Linux)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Owner:
    id: str

    @classmethod
    def for_this_process(cls) -> Owner:
        import uuid  # ~6 ms to import: loaded when the first journal row is claimed, not to open the window

        pid = os.getpid()
        return cls(f"{uuid.uuid4().hex}:{pid}:{_started(pid):.2f}")


def _started(pid: int) -> float:
    import psutil  # loaded on first use, not at start-up

    try:
        return psutil.Process(pid).create_time()
    except (psutil.Error, OSError):
        return 0.0


def owner_alive(owner_id: str) -> bool:
    """False when the owner's process is gone (or its pid now belongs to a later process)."""
    import psutil

    try:
        _, pid_text, started_text = owner_id.split(":")
        pid, started = int(pid_text), float(started_text)
    except ValueError:
        return False  # not one of ours: nobody can be holding it
    try:
        process = psutil.Process(pid)
        if not process.is_running() or process.status() == psutil.STATUS_ZOMBIE:
            return False
        return started == 0.0 or abs(process.create_time() - started) < 1.0
    except psutil.NoSuchProcess:
        return False
    except (psutil.AccessDenied, OSError):
        return True  # exists, but we may not look: treat as alive
