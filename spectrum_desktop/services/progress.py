"""Progress and cancel types shared by long-running services: plain callables and a threading.Event."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from spectrum_desktop.domain.submission import SubmissionRecord


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    latest: SubmissionRecord | None
    records: tuple[SubmissionRecord, ...] = ()
    """Every record this step finished (a batch finishes many; `latest` is the last of them)."""


ProgressCallback = Callable[[Progress], None]


def no_progress(_progress: Progress) -> None:
    """The default when a caller does not want progress reports."""


def new_cancel() -> threading.Event:
    """A cancel flag: set it from any thread; services check it between requests."""
    return threading.Event()
