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
from spectrum_desktop.domain.errors import SettingsProblem, SpectrumDesktopError
from spectrum_desktop.store.paths import config_dir

SETTINGS_FILE = "environments.json"


class SettingsError(SpectrumDesktopError, ValueError):
    """The settings file or an edit is not valid. Data only, no words for staff (ui/errors.py and cli/errors.py
    word it, through domain.words.environments_problem): `problem` (a SettingsProblem); `index` (the entry's place
    in the list, from 0) and `name` (its name, when it has one); `problems` ((field, message) of a refused entry);
    `keys` (settings this version does not know); `line`/`column` (where the JSON breaks); `path` (the file, when
    it was read from one). `detail` and str() are the technical detail for the log (they may quote JSON paths)."""

    def __init__(self, problem: SettingsProblem, *, index: int | None = None, name: str = "",
                 problems: Iterable[tuple[str, str]] = (), keys: Iterable[str] = (), line: int = 0, column: int = 0,
                 detail: str = "", path: Path | None = None) -> None:
        self.problem = problem
        self.index = index
        self.name = name
        self.problems = tuple(problems)
        self.keys = tuple(keys)
        self.line = line
        self.column = column
        self.path = path
        self.detail = detail or problem.value
        """What is wrong, technically, without the path."""
        super().__init__(f"environments file {path}: {self.detail}" if path else self.detail)

    def reading(self, path: Path) -> SettingsError:
        """The same problem, found in the file at `path`."""
        return SettingsError(self.problem, index=self.index, name=self.name, problems=self.problems,
                             keys=self.keys, line=self.line, column=self.column, detail=self.detail, path=path)


@dataclass(frozen=True)
class Settings:
    environments: tuple[Environment, ...]
    active_id: str

    def __post_init__(self) -> None:
        ids = [e.id for e in self.environments]
        if len(set(ids)) != len(ids):
            twice = next(n for n, i in enumerate(ids) if ids.count(i) > 1)
            raise SettingsError(SettingsProblem.SAME_ID, index=twice, name=self.environments[twice].name,
                                detail=f"two environments have the id {ids[twice]!r}")
        if self.active_id not in ids:
            raise SettingsError(SettingsProblem.ACTIVE_MISSING,
                                detail=f"active_id {self.active_id!r} is not in the list")

    @classmethod
    def from_data(cls, environments: Iterable[Environment | Mapping[str, Any]], active_id: object) -> Settings:
        """Check every entry; the error names the entry and field to fix."""
        checked = []
        for n, entry in enumerate(environments):
            if isinstance(entry, Environment):
                checked.append(entry)
                continue
            if not isinstance(entry, Mapping):
                raise SettingsError(SettingsProblem.ENTRY_NOT_SETTINGS, index=n,
                                    detail=f"environments[{n}] is not an object")
            try:
                checked.append(Environment.from_fields(entry))
            except EnvironmentInvalid as error:
                name = entry.get("name")
                raise SettingsError(SettingsProblem.ENTRY_INVALID, index=n, problems=error.problems,
                                    name=name.strip() if isinstance(name, str) else "",
                                    detail="; ".join(f"environments[{n}].{field}: {message}"
                                                     for field, message in error.problems)) from None
        if not isinstance(active_id, str):
            raise SettingsError(SettingsProblem.NO_ACTIVE, detail="active_id is not a string")
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
        raise SettingsError(SettingsProblem.NOT_JSON, line=error.lineno, column=error.colno,
                            detail=f"not JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("environments"), list):
        raise SettingsError(SettingsProblem.NOT_SETTINGS,
                            detail='not an object with "environments" (a list) and "active_id"')
    extra = sorted(set(data) - {"environments", "active_id"})
    if extra:
        raise SettingsError(SettingsProblem.UNKNOWN_SETTING, keys=extra, detail=f"unknown settings {extra}")
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
            raise SettingsError(SettingsProblem.NOT_TEXT, detail="not text (UTF-8)", path=self.path) from None
        except SettingsError as error:
            raise error.reading(self.path) from None

    def save(self, settings: Settings) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(settings.to_data(), indent=2), encoding="utf-8")
        os.replace(tmp, self.path)

    def update(self, environments: Iterable[Environment | Mapping[str, Any]], active_id: str) -> Settings:
        """Validate an edit; refuse it (SettingsError, nothing saved), or save and return it."""
        settings = Settings.from_data(environments, active_id)
        self.save(settings)
        return settings
