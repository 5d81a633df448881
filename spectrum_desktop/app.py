"""Start-up: argument parsing, then either a command-line subcommand or the window."""

from __future__ import annotations

import argparse
import sys

from spectrum_desktop import APP_DISPLAY_NAME, __version__, cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spectrum-desktop",
        description=f"{APP_DISPLAY_NAME}: send orders to the Spectrum API. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli.add_subcommands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command:
        return args.handler(args)
    return run_window()


def run_window() -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle(APP_DISPLAY_NAME)
    window.setCentralWidget(QLabel("Spectrum Desktop"))
    window.show()
    return app.exec()
