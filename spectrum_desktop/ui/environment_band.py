"""The coloured band at the top of the window naming the active environment."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from spectrum_desktop.ui.environment_choice import EnvironmentChoice


class EnvironmentBand(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("environmentBand")
        self.setMargin(6)

    def show_environment(self, environment: EnvironmentChoice) -> None:
        if environment.is_production:
            text = f"PRODUCTION: {environment.name}. Orders sent from here are real."
        else:
            text = f"Environment: {environment.name} (not production)"
        self.setText(text)
        self.setAccessibleName(text)
        self.setStyleSheet(
            f"QLabel#environmentBand {{ background: {environment.colour}; color: white; font-weight: bold; }}"
        )
