"""Environments for the window: list, add, edit, remove, and which one is active (remembered)."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from spectrum_desktop.domain.environment import FIELD_LABELS as LABELS  # the one home of the labels
from spectrum_desktop.services.errors import ServiceError, UnknownEnvironment

if TYPE_CHECKING:
    from spectrum_desktop.domain.environment import Environment
    from spectrum_desktop.services.context import AppContext


class InvalidEnvironment(ServiceError):
    """An edit was refused; nothing was saved. `problems` is a list of (field name, message) for the form (the
    window words the whole in ui/errors.py); str() is for the log."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("That change was not saved: " + "; ".join(
            f"{LABELS.get(name, name)}: {message}" for name, message in problems
        ))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:56] or "environment"


class EnvironmentService:
    """`context.environments`. Every change is validated by the settings model and saved at once."""

    def __init__(self, context: AppContext) -> None:
        self._context = context

    def _load(self):
        from spectrum_desktop.store.environments import SettingsError

        from spectrum_desktop.services.errors import EnvironmentsFileInvalid

        try:
            return self._context.settings.load()
        except SettingsError as error:  # reading, not an edit: the file itself is the problem
            logging.getLogger("spectrum_desktop.services").error("environments file unusable: %s", error.detail)
            raise EnvironmentsFileInvalid(error.path or self._context.settings.path, error.detail, error) from None

    def list(self) -> tuple[Environment, ...]:
        return self._load().environments

    def get(self, id_or_name: str) -> Environment:
        found = self._load().get(id_or_name)
        if found is None:
            raise UnknownEnvironment(id_or_name)
        return found

    def active(self) -> Environment:
        return self._load().active

    def set_active(self, environment_id: str) -> Environment:
        settings = self._load()
        chosen = self.get(environment_id)
        self._save(list(settings.environments), chosen.id)
        return chosen

    def add(self, fields: dict[str, Any]) -> Environment:
        settings = self._load()
        fields = dict(fields)
        if not fields.get("id"):
            taken = {e.id for e in settings.environments}
            base = _slug(str(fields.get("name", "")))
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            fields["id"] = candidate
        environment = self._validated(fields)
        self._check_unique(environment, settings.environments)
        self._save([*settings.environments, environment], settings.active_id)
        return environment

    def update(self, environment_id: str, changes: dict[str, Any]) -> Environment:
        settings = self._load()
        current = self.get(environment_id)
        if "id" in changes and changes["id"] != current.id:
            raise InvalidEnvironment([("id", "cannot be changed; add a new environment instead")])
        environment = self._validated({**current.to_fields(), **changes})
        others = tuple(e for e in settings.environments if e.id != current.id)
        self._check_unique(environment, others)
        self._save([environment if e.id == current.id else e for e in settings.environments], settings.active_id)
        return environment

    def remove(self, environment_id: str) -> None:
        """Refused for the active environment and the last one. Its saved token is removed too."""
        settings = self._load()
        doomed = self.get(environment_id)
        if doomed.id == settings.active_id:
            raise InvalidEnvironment([("settings", f"{doomed.name} is the active environment; "
                                                   "choose another one first, then remove it")])
        self._save([e for e in settings.environments if e.id != doomed.id], settings.active_id)
        try:
            self._context.tokens.delete(doomed.id)
        except Exception:  # noqa: BLE001 - the environment is gone; a keyring hiccup must not undo that
            pass

    @staticmethod
    def _validated(fields: dict[str, Any]) -> Environment:
        from spectrum_desktop.domain.environment import Environment, EnvironmentInvalid

        try:
            return Environment.from_fields(fields)
        except EnvironmentInvalid as error:
            raise InvalidEnvironment(error.problems) from None

    @staticmethod
    def _check_unique(environment: Environment, others: tuple[Environment, ...]) -> None:
        if any(e.id == environment.id for e in others):
            raise InvalidEnvironment([("id", f"another environment already uses the id {environment.id!r}")])
        if any(e.name.casefold() == environment.name.casefold() for e in others):
            raise InvalidEnvironment([("name", f"another environment is already called {environment.name!r}")])

    def _save(self, environments: list[Environment], active_id: str) -> None:
        from spectrum_desktop.store.environments import SettingsError

        from spectrum_desktop.domain.errors import SettingsProblem
        from spectrum_desktop.domain.words import environments_problem

        try:
            self._context.settings.update(environments, active_id)
        except SettingsError as error:
            logging.getLogger("spectrum_desktop.services").info("environments edit refused: %s", error.detail)
            if error.problem is SettingsProblem.ENTRY_INVALID:
                raise InvalidEnvironment(list(error.problems)) from None
            raise InvalidEnvironment([("settings", environments_problem(error))]) from None
