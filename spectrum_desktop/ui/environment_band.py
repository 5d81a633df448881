"""The coloured band at the top of the window naming the active environment."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from spectrum_desktop.domain.environment import Environment


class EnvironmentBand(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("environmentBand")
        self.setMargin(6)

    def show_environment(self, environment: Environment) -> None:
        if environment.is_production:
            text = f"PRODUCTION: {environment.name}. Orders sent from here are real."
        else:
            text = f"Environment: {environment.name} (not production)"
        self.setText(text)
        self.setAccessibleName(text)
        self.setStyleSheet(
            f"QLabel#environmentBand {{ background: {environment.colour}; color: {text_colour(environment.colour)};"
            " font-weight: bold; }"
        )


def text_colour(background: str) -> str:
    """Black on light colours, white on dark ones, so the band stays readable whatever colour is chosen."""
    red, green, blue = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "white"
