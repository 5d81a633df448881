"""Where the app keeps its things on this computer, for Help › Where data and logs live (and support)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    what: str
    """What is kept there, in words for the person at the desk."""
    path: Path
    is_folder: bool


def locations() -> list[Location]:
    """The app's folders and main files (created when missing), read from the one home of paths (store/paths)."""
    from spectrum_desktop.logging_setup import LOG_FILE_NAME
    from spectrum_desktop.store import paths
    from spectrum_desktop.store.environments import SETTINGS_FILE

    return [
        Location("History of everything sent (order contents encrypted)", paths.database_path(), False),
        Location("Environments and settings", paths.config_dir() / SETTINGS_FILE, False),
        Location("Log file (send it to support when something goes wrong; no tokens or addresses)",
                 paths.log_dir() / LOG_FILE_NAME, False),
        Location("Data folder (history, drafts)", paths.data_dir(), True),
        Location("Settings folder", paths.config_dir(), True),
        Location("Logs folder", paths.log_dir(), True),
    ]


TOKENS_ARE_KEPT = ("API tokens are never written to a file: they are kept in this computer's keyring "
                   "(Windows Credential Manager, macOS Keychain, or the desktop's secret service).")
