"""The shared history's problems on the command line, in one place: words on stderr and an exit code."""

from __future__ import annotations

import argparse
import sys


def run_command(args: argparse.Namespace) -> int:
    """Run a subcommand; a shared history that cannot be used stops it before anything is sent."""
    from spectrum_desktop.cli import EXIT_BAD_INPUT, EXIT_UNREACHABLE
    from spectrum_desktop.store.pg_journal import SharedHistoryUnavailable
    from spectrum_desktop.store.shared_url import SharedHistoryError

    try:
        return args.handler(args)
    except SharedHistoryUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except SharedHistoryError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def show_new_team_key(key: bytes | None, saved: bool) -> None:
    """Once, for the person who set up an empty shared history: the team key to hand to colleagues."""
    if key is None:
        return
    where = "It is kept in this computer's keyring." if saved else (
        "No keyring is available here: set SPECTRUM_DESKTOP_TEAM_KEY to it for the next runs.")
    print("This shared history was empty, so a team key was made for it. Hand it to each colleague once "
          "(they paste it in Preferences › Shared history); it will not be shown again.\n"
          f"Team key: {key.decode('ascii')}\n{where}", file=sys.stderr)
