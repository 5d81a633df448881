"""What the window needs to know about an environment to show and pick it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EnvironmentChoice:
    id: str
    name: str
    colour: str
    is_production: bool = False


FIRST_RUN_CHOICES = (
    EnvironmentChoice("sandbox", "Local sandbox", "#2e7d32"),
    EnvironmentChoice("staging", "Staging", "#f57c00"),
    EnvironmentChoice("production", "Production", "#c62828", is_production=True),
)
