"""The window follows the system's dark or light scheme, and our own colours stay readable in both."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from spectrum_desktop.ui.colour_scheme import follow_system_scheme, is_dark, tone
from spectrum_desktop.ui.environment_band import text_colour
from spectrum_desktop.ui.startup import build_main_window


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        c = QColor(colour)
        def ch(v):
            v /= 255
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    win = build_main_window()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    follower = follow_system_scheme()
    yield win, follower
    follower.apply(Qt.ColorScheme.Light)  # the next tests get the light palette back


def test_the_dark_scheme_applies_and_the_light_one_comes_back(qtbot, window):
    win, follower = window
    app = QApplication.instance()
    follower.apply(Qt.ColorScheme.Dark)  # what the system's colorSchemeChanged delivers
    assert is_dark(app.palette())
    qtbot.waitUntil(lambda: is_dark(win.palette()), timeout=2000)
    window_colour = win.palette().color(QPalette.ColorRole.Window).name()
    text = win.palette().color(QPalette.ColorRole.WindowText).name()
    assert contrast(window_colour, text) >= 7
    assert contrast(window_colour, tone("error", win)) >= 4.5
    assert contrast(window_colour, tone("good", win)) >= 4.5
    follower.apply(Qt.ColorScheme.Light)
    assert not is_dark(app.palette())
    qtbot.waitUntil(lambda: not is_dark(win.palette()), timeout=2000)
    light = win.palette().color(QPalette.ColorRole.Window).name()
    assert contrast(light, tone("error", win)) >= 4.5 and contrast(light, tone("good", win)) >= 4.5


def test_follow_is_one_per_application(window):
    _win, follower = window
    assert follow_system_scheme() is follower


@pytest.mark.parametrize("background", ["#2e7d32", "#f9a825", "#c62828", "#1565c0", "#ffeb3b", "#6a1b9a", "#00695c",
                                        "#ef6c00", "#546e7a", "#ffffff", "#000000"])
def test_band_and_badge_text_is_chosen_by_contrast(background):
    assert contrast(background, text_colour(background)) >= 4.5
