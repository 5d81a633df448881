"""Start-up: argument parsing, then either a command-line subcommand or the window."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from spectrum_desktop import APP_DISPLAY_NAME, __version__, cli
from spectrum_desktop.logging_setup import configure_logging
from spectrum_desktop.store import paths

log = logging.getLogger(__name__)


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The command line; commands False leaves the subcommands (and the modules behind them) out."""
    parser = argparse.ArgumentParser(
        prog="spectrum-desktop",
        description=f"{APP_DISPLAY_NAME}: send orders to the Spectrum API. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="start offscreen, open the window, send one order to the built-in sandbox, exit 0 on success",
    )
    if commands:
        subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
        cli.add_subcommands(subparsers)
    return parser


def names_a_command(argv: list[str]) -> bool:
    """Whether the arguments may name a subcommand or ask for help; the top-level options take no values, so any
    word that is not an option is a command word. Opening the window needs no command modules."""
    return any(not arg.startswith("-") or arg in ("-h", "--help") for arg in argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(commands=names_a_command(argv)).parse_args(argv)
    log_path = configure_logging()
    log.info("Spectrum Desktop %s starting", __version__)
    if getattr(args, "command", None):
        return args.handler(args)
    if args.selftest:
        return run_selftest_mode(log_path)
    return run_window(log_path)


def window_factory() -> Callable[[], object]:
    try:
        startup = importlib.import_module("spectrum_desktop.ui.startup")
    except ModuleNotFoundError as exc:
        if exc.name != "spectrum_desktop.ui.startup":
            raise
        return _placeholder_window
    return startup.build_main_window


def _placeholder_window():
    from PySide6.QtWidgets import QLabel, QMainWindow

    window = QMainWindow()
    window.setWindowTitle(APP_DISPLAY_NAME)
    window.setCentralWidget(QLabel("Spectrum Desktop"))
    return window


def run_selftest_mode(log_path) -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from spectrum_desktop.ui.crash_dialog import install_crash_hook
    from spectrum_desktop.ui.selftest import run_selftest

    install_crash_hook(log_path, show_dialog=False)
    app = QApplication.instance() or QApplication(sys.argv)

    def report(line: str) -> None:
        log.info(line)
        print(line, flush=True)

    return run_selftest(app, window_factory(), report)


def data_folder() -> Path | None:
    """The data folder the window works on (its single-window key); None when it cannot be had."""
    try:
        return paths.data_dir()
    except OSError:
        return None


def run_window(log_path) -> int:
    opened = show_window(log_path, data_folder())
    if opened is None:
        return 0
    app, _window = opened
    return app.exec()


def show_window(log_path, folder: Path | None) -> tuple[object, object] | None:
    """Everything the window needs before its event loop runs: the application, the crash hook and the window,
    shown. None when a window already has `folder` (it was asked to come to the front); folder None: no
    one-window check."""
    from PySide6.QtWidgets import QApplication

    from spectrum_desktop.ui.crash_dialog import install_crash_hook

    install_crash_hook(log_path)
    app = QApplication.instance() or QApplication(sys.argv)
    factory = window_factory()
    if factory is _placeholder_window:
        window = factory()
    else:
        from spectrum_desktop.ui.startup import open_main_window

        window = open_main_window(folder)
        if window is None:
            log.info("A window is already open on this data folder; it was asked to come to the front")
            print(f"{APP_DISPLAY_NAME} is already open for this data folder; its window was brought to the front.")
            return None
    window.show()
    return app, window
