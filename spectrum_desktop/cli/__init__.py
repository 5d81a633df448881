"""The command-line face of the services: validate, send, history, resend, sandbox.

Each subcommand lives in its own module with a `register(subparsers)` function.
"""

from __future__ import annotations

import argparse

EXIT_OK = 0
EXIT_NOT_ALL_SUCCEEDED = 1
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3
EXIT_LOCAL_DATA = 4


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Register every command-line subcommand on the top-level parser."""
    from spectrum_desktop.cli import validate
    validate.register(subparsers)
    from spectrum_desktop.cli import history, resend, send  # helper F
    for module in (send, history, resend):  # helper F
        module.register(subparsers)
    from spectrum_desktop.cli import sandbox  # helper H1
    sandbox.register(subparsers)
    from spectrum_desktop.cli.errors import guarded

    for parser in subparsers.choices.values():  # typed errors become words and exit codes in one place
        handler = parser.get_default("handler")
        if handler is not None:
            parser.set_defaults(handler=guarded(handler))
