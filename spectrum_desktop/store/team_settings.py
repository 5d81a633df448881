"""Team mode settings (config dir, team.json): the shared history's address and the person's display name.

Never a password or a key: the database password comes from libpq (PGPASSWORD, ~/.pgpass) or the keyring,
the team key from the keyring (or SPECTRUM_DESKTOP_TEAM_KEY for scripts). See `store/team_secrets.py`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from spectrum_desktop.store.paths import config_dir

TEAM_FILE = "team.json"


@dataclass(frozen=True)
class TeamSettings:
    journal_url: str = ""
    """Empty: the history is this computer's own (SQLite)."""
    display_name: str = ""
    """Empty: the OS login name is shown as the sender."""


class TeamSettingsStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / TEAM_FILE

    def load(self) -> TeamSettings:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return TeamSettings()
        if not isinstance(data, dict):
            return TeamSettings()
        return TeamSettings(journal_url=str(data.get("journal_url") or ""),
                            display_name=str(data.get("display_name") or ""))

    def save(self, settings: TeamSettings) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
        os.replace(temporary, self.path)
