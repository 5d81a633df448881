"""The environments settings file (JSON in the config directory), with every default in one place."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spectrum_desktop.domain.endpoints import PRODUCTION_URL
from spectrum_desktop.domain.environment import SANDBOX_URL, Environment, EnvironmentInvalid
from spectrum_desktop.store.paths import config_dir

SETTINGS_FILE = "environments.json"


class SettingsError(ValueError):
    """The settings file or an edit is not valid. str() is the technical detail (for the log and whoever edits the
    file); `path` is set when the environments file itself could not be used (not text, or not valid), so the
    services can raise a typed error that the window and the command line put into words."""

    def __init__(self, text: str, path: Path | None = None, detail: str | None = None) -> None:
        self.path = path
        self.detail = detail or text
        """What is wrong, without the path."""
        super().__init__(text)


@dataclass(frozen=True)
class Settings:
    environments: tuple[Environment, ...]
    active_id: str

    def __post_init__(self) -> None:
        ids = [e.id for e in self.environments]
        if len(set(ids)) != len(ids):
            raise SettingsError("Two environments have the same id; each needs its own.")
        if self.active_id not in ids:
            raise SettingsError(f"The active environment '{self.active_id}' is not in the list.")

    @classmethod
    def from_data(cls, environments: Iterable[Environment | Mapping[str, Any]], active_id: object) -> Settings:
        """Check every entry; the error names the entry and field to fix."""
        checked = []
        for n, entry in enumerate(environments):
            if isinstance(entry, Environment):
                checked.append(entry)
                continue
            if not isinstance(entry, Mapping):
                raise SettingsError(f"environments[{n}]: each environment must be an object of settings.")
            try:
                checked.append(Environment.from_fields(entry))
            except EnvironmentInvalid as error:
                raise SettingsError("; ".join(f"environments[{n}].{name}: {message}"
                                              for name, message in error.problems)) from None
        if not isinstance(active_id, str):
            raise SettingsError("active_id must name the active environment's id.")
        return cls(tuple(checked), active_id)

    def to_data(self) -> dict[str, Any]:
        return {"environments": [e.to_fields() for e in self.environments], "active_id": self.active_id}

    def get(self, environment_id_or_name: str) -> Environment | None:
        key = environment_id_or_name.casefold()
        for environment in self.environments:
            if environment.id.casefold() == key or environment.name.casefold() == key:
                return environment
        return None

    @property
    def active(self) -> Environment:
        found = self.get(self.active_id)
        assert found is not None  # guaranteed by __post_init__
        return found


def default_settings() -> Settings:
    return Settings(
        environments=(
            Environment(id="local-sandbox", name="Local sandbox", base_url=SANDBOX_URL, colour="#2e7d32"),
            Environment(
                id="staging", name="Staging", base_url="https://staging.spectrumcustomizer.com", colour="#f9a825"
            ),
            Environment(
                id="production",
                name="Production",
                base_url=PRODUCTION_URL,
                colour="#c62828",
                is_production=True,
            ),
        ),
        active_id="local-sandbox",
    )


def _parse(text: str) -> Settings:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(f"it is not JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("environments"), list):
        raise SettingsError('it must be an object with "environments" (a list) and "active_id"')
    extra = sorted(set(data) - {"environments", "active_id"})
    if extra:
        raise SettingsError(f"{', '.join(extra)} is not a setting")
    return Settings.from_data(data["environments"], data.get("active_id"))


class EnvironmentSettings:
    """Loads and saves the settings file; a first run gets the defaults."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / SETTINGS_FILE

    def load(self) -> Settings:
        if not self.path.exists():
            return default_settings()
        try:
            return _parse(self.path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise SettingsError(f"The environments file {self.path} is not text (UTF-8). Fix or delete it.",
                                self.path, "it is not text (UTF-8)") from None
        except SettingsError as error:
            raise SettingsError(f"The environments file {self.path} is not valid ({error}). Fix or delete it.",
                                self.path, str(error)) from None

    def save(self, settings: Settings) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(settings.to_data(), indent=2), encoding="utf-8")
        os.replace(tmp, self.path)

    def update(self, environments: Iterable[Environment | Mapping[str, Any]], active_id: str) -> Settings:
        """Validate an edit; refuse it with a reason, or save and return it."""
        try:
            settings = Settings.from_data(environments, active_id)
        except SettingsError as error:
            raise SettingsError(f"That change was not saved: {error}") from None
        self.save(settings)
        return settings
