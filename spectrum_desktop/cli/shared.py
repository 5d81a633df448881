"""The command line's one moment of team mode that is not an error: showing a new team key once."""

from __future__ import annotations

import sys


def show_new_team_key(key: bytes | None, saved: bool) -> None:
    """Once, for the person who set up an empty shared history: the team key to hand to colleagues."""
    if key is None:
        return
    where = "It is kept in this computer's keyring." if saved else (
        "No keyring is available here: set SPECTRUM_DESKTOP_TEAM_KEY to it for the next runs.")
    print("This shared history was empty, so a team key was made for it. Hand it to each colleague once "
          "(they paste it in Preferences › Shared history); it will not be shown again.\n"
          f"Team key: {key.decode('ascii')}\n{where}", file=sys.stderr)
