"""The coloured band at the top of the window naming the active environment."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from spectrum_desktop.domain.endpoints import is_production_address
from spectrum_desktop.domain.environment import Environment


def production_name(environment: Environment) -> str:
    """The environment's name for a warning: "Live (production)", but "Production" alone, never "Production
    (PRODUCTION)"."""
    if not environment.is_production or "production" in environment.name.casefold():
        return environment.name
    return f"{environment.name} (production)"


def title_name(environment: Environment) -> str:
    """The environment as the band and the window title name it: "PRODUCTION — Live copy", "PRODUCTION" (never
    "PRODUCTION — Production"), or just the name of a test environment."""
    if not environment.is_production:
        return environment.name
    if "production" in environment.name.casefold():
        return environment.name.upper()
    return f"PRODUCTION — {environment.name}"


def band_text(environment: Environment) -> str:
    if environment.is_production:
        return f"{title_name(environment)}: orders sent from here are real. Every send asks first."
    if is_production_address(environment.base_url):
        return (f"{environment.name}: a Spectrum production address that is not marked as production. "
                "Orders sent from here are real and do not ask first.")
    return f"{environment.name}: for testing. Orders sent from here are not real."


class EnvironmentBand(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("environmentBand")
        self.setMargin(6)
        self.setWordWrap(True)

    def show_environment(self, environment: Environment) -> None:
        text = band_text(environment)
        self.setText(text)
        self.setAccessibleName(text)
        self.setStyleSheet(
            f"QLabel#environmentBand {{ background: {environment.colour}; color: {text_colour(environment.colour)};"
            " font-weight: bold; }"
        )


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG relative luminance), so the band stays
    readable whatever colour is chosen and whatever the system's light or dark scheme."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(background[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    # contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05): equal at L ~ 0.179
    return "black" if luminance > 0.179 else "white"
