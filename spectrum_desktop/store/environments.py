"""The environments settings file (JSON in the config directory), with every default in one place."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from spectrum_desktop.domain.environment import SANDBOX_URL, Environment
from spectrum_desktop.store.paths import config_dir

SETTINGS_FILE = "environments.json"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    environments: tuple[Environment, ...]
    active_id: str

    @model_validator(mode="after")
    def _check(self) -> Settings:
        ids = [e.id for e in self.environments]
        if len(set(ids)) != len(ids):
            raise ValueError("Two environments have the same id; each needs its own.")
        if self.active_id not in ids:
            raise ValueError(f"The active environment '{self.active_id}' is not in the list.")
        return self

    def get(self, environment_id_or_name: str) -> Environment | None:
        key = environment_id_or_name.casefold()
        for environment in self.environments:
            if environment.id.casefold() == key or environment.name.casefold() == key:
                return environment
        return None

    @property
    def active(self) -> Environment:
        found = self.get(self.active_id)
        assert found is not None  # guaranteed by _check
        return found


class SettingsError(ValueError):
    """The settings file or an edit is not valid; the message says what to fix."""


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
                base_url="https://api.spectrumcustomizer.com",
                colour="#c62828",
                is_production=True,
            ),
        ),
        active_id="local-sandbox",
    )


def _reason(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in error.errors())


class EnvironmentSettings:
    """Loads and saves the settings file; a first run gets the defaults."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / SETTINGS_FILE

    def load(self) -> Settings:
        if not self.path.exists():
            return default_settings()
        try:
            return Settings.model_validate_json(self.path.read_text(encoding="utf-8"))
        except ValidationError as error:
            raise SettingsError(
                f"The environments file {self.path} is not valid ({_reason(error)}). Fix or delete it."
            ) from None

    def save(self, settings: Settings) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(settings.model_dump(mode="json"), indent=2), encoding="utf-8")
        os.replace(tmp, self.path)

    def update(self, environments: list[dict] | tuple[Environment, ...], active_id: str) -> Settings:
        """Validate an edit; refuse it with a reason, or save and return it."""
        try:
            settings = Settings.model_validate({"environments": list(environments), "active_id": active_id})
        except ValidationError as error:
            raise SettingsError(f"That change was not saved: {_reason(error)}") from None
        self.save(settings)
        return settings
