"""Rotating file log in the user's log directory; a log that cannot be written never stops the program."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

from spectrum_desktop.store import paths

LOG_FILE_NAME = "spectrum-desktop.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


WITHHELD = "(its text is not logged: it may quote an order's addresses or other customer data)"


def _exception_text(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"[Errno {exc.errno}] {exc.strerror}"  # the reason without the file name or other arguments
    return WITHHELD


class PrivateFormatter(logging.Formatter):
    """Writes tracebacks with every frame and exception type, but not the exceptions' texts: those quote values
    (pydantic's `input_value=` holds a whole address), and the log must never hold customer data or the token."""

    def format(self, record: logging.LogRecord) -> str:
        cached = record.exc_text  # another handler's formatter may have cached the full text on the record
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        return "".join(_traceback_lines(ei[1], set())).rstrip("\n") if ei[1] is not None else ""


def _traceback_lines(exc: BaseException, seen: set[int]) -> list[str]:
    seen.add(id(exc))
    lines: list[str] = []
    if exc.__cause__ is not None and id(exc.__cause__) not in seen:
        lines += _traceback_lines(exc.__cause__, seen)
        lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif exc.__context__ is not None and not exc.__suppress_context__ and id(exc.__context__) not in seen:
        lines += _traceback_lines(exc.__context__, seen)
        lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    if exc.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        lines += traceback.format_tb(exc.__traceback__)
    kind = type(exc)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    lines.append(f"{name}: {_exception_text(exc)}\n")
    return lines


def default_log_dir() -> Path:
    return paths.log_dir()


def _note(text: str) -> None:
    try:
        print(f"spectrum-desktop: {text}", file=sys.stderr, flush=True)
    except (OSError, ValueError, AttributeError):  # no usable stderr (a windowed app on Windows): stay silent
        pass


def _reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()


class _LogFile(logging.FileHandler):
    """The log file, begun afresh when the next line would take it past MAX_BYTES (the older ones kept as .1 to
    .BACKUP_COUNT, as logging.handlers.RotatingFileHandler does; that module's imports, socket, pickle and queue,
    would cost the window's start-up 5 ms). When a write fails (disk full, folder made read-only) it says so
    once on stderr and stops writing instead of printing a traceback for every later line."""

    broken = False

    def __init__(self, path: Path) -> None:
        super().__init__(path, mode="a", encoding="utf-8")

    def emit(self, record: logging.LogRecord) -> None:
        if self.broken:
            return
        try:
            if self.stream is None:  # closed at some point (logging.shutdown): open again, as FileHandler does
                self.stream = self._open()
            line = self.format(record) + self.terminator
            if self.stream.tell() + len(line.encode("utf-8", "replace")) > MAX_BYTES and self.stream.tell() > 0:
                self._begin_afresh()
        except (OSError, ValueError):
            self.handleError(record)
            return
        super().emit(record)

    def _begin_afresh(self) -> None:
        self.stream.close()
        base = self.baseFilename
        for number in range(BACKUP_COUNT - 1, 0, -1):
            if os.path.exists(f"{base}.{number}"):
                os.replace(f"{base}.{number}", f"{base}.{number + 1}")
        os.replace(base, f"{base}.1")
        self.stream = self._open()

    def flush(self) -> None:
        if self.broken:
            return
        try:
            super().flush()
        except OSError as error:  # at close: what was still buffered cannot be written either
            self._give_up(error)

    def close(self) -> None:
        try:
            super().close()
        except OSError as error:  # closing writes what is buffered: the same full disk
            self._give_up(error)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        self._give_up(sys.exc_info()[1])

    def _give_up(self, error: BaseException | None) -> None:
        if self.broken:
            return
        self.broken = True
        reason = _reason(error) if isinstance(error, OSError) else type(error).__name__
        _note(f"could not write the log file {self.baseFilename} ({reason}); carrying on without a log.")


def configure_logging(log_dir: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Send the root logger to a rotating file; return the file's path, or None when it cannot be written.

    Then the program carries on without a log: one line on stderr says so, and nothing else is printed
    there. Callers log only what a support person needs: never the API token, customer addresses,
    e-mails or phone numbers.
    """
    root = logging.getLogger()
    root.setLevel(level)
    directory = log_dir
    try:
        if directory is None:
            directory = default_log_dir()
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / LOG_FILE_NAME
        for handler in list(root.handlers):
            if isinstance(handler, _LogFile) and Path(handler.baseFilename) == path:
                return path
        handler = _LogFile(path)
    except OSError as error:
        where = error.filename if error.filename else directory
        _note(f"cannot write the log file in {where} ({_reason(error)}); carrying on without a log.")
        if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
            root.addHandler(logging.NullHandler())  # so warnings are not printed on stderr instead
        return None
    handler.setFormatter(PrivateFormatter(_FORMAT))
    root.addHandler(handler)
    return path
