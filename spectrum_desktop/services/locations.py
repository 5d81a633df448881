"""Where the app keeps its things on this computer, for Help › Where data and logs live (and support)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    what: str
    """What is kept there, in words for the person at the desk."""
    path: Path | None
    is_folder: bool
    address: str = ""
    """Not on this computer: the database address (never a password), shown instead of a path."""

    @property
    def shown(self) -> str:
        return self.address or str(self.path)


def shared_history_address(url: str) -> str:
    """The shared history's address as it may be shown: checked, without a password ('' when it is not usable)."""
    from spectrum_desktop.store.shared_url import SharedHistoryError, parse_journal_url

    try:
        return parse_journal_url(url).url if url.strip() else ""
    except SharedHistoryError:
        return ""


def locations(shared_url: str = "") -> list[Location]:
    """The app's folders and main files (created when missing), read from the one home of paths (store/paths).
    With a shared history in use (`shared_url`), the history of everything sent is that database, and this computer's
    file is its own history from before (or for when the shared one is left)."""
    from spectrum_desktop.logging_setup import LOG_FILE_NAME
    from spectrum_desktop.store import paths
    from spectrum_desktop.store.environments import SETTINGS_FILE

    address = shared_history_address(shared_url)
    if address:
        history = [
            Location("History of everything sent: the team's shared history (a PostgreSQL database; order contents "
                     "encrypted with the team key)", None, False, address),
            Location("This computer's own history (not in use while the shared history is)", paths.database_path(),
                     False),
        ]
    else:
        history = [Location("History of everything sent (order contents encrypted)", paths.database_path(), False)]
    return [
        *history,
        Location("Environments and settings", paths.config_dir() / SETTINGS_FILE, False),
        Location("Log file (send it to support when something goes wrong; no tokens or addresses)",
                 paths.log_dir() / LOG_FILE_NAME, False),
        Location("Data folder (history, drafts)", paths.data_dir(), True),
        Location("Settings folder", paths.config_dir(), True),
        Location("Logs folder", paths.log_dir(), True),
    ]


TOKENS_ARE_KEPT = ("API tokens are never written to a file: they are kept in this computer's keyring "
                   "(Windows Credential Manager, macOS Keychain, or the desktop's secret service).")
