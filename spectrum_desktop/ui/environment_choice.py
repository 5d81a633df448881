"""The environments the window offers, read through the services (never hard-coded here)."""

from __future__ import annotations

from dataclasses import dataclass

from spectrum_desktop.domain.environment import SANDBOX_URL, Environment

FALLBACK = Environment(id="local-sandbox", name="Local sandbox", base_url=SANDBOX_URL, colour="#2e7d32")


@dataclass(frozen=True)
class EnvironmentList:
    """What the combo shows, which one the settings call active, and why the file could not be read (if so)."""

    environments: tuple[Environment, ...]
    active_id: str
    problem: str = ""


def load_environments(context) -> EnvironmentList:
    """Read the settings; an unreadable file falls back to the Local sandbox only and says why."""
    from spectrum_desktop.services.errors import ServiceError

    try:
        service = context.environments
        return EnvironmentList(service.list(), service.active().id)
    except ServiceError as error:
        from spectrum_desktop.ui.errors import user_message  # the one place errors become words

        return EnvironmentList((FALLBACK,), FALLBACK.id, user_message(error))
