"""The window follows the system's dark or light scheme, and our own colours stay readable in both."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from spectrum_desktop.domain.submission import RecipeSetResult
from spectrum_desktop.ui.colour_scheme import TONES, dark_palette, follow_system_scheme, is_dark, tone
from spectrum_desktop.ui.environment_band import text_colour
from spectrum_desktop.ui.result_panel import ResultPanel
from spectrum_desktop.ui.result_text import ResultText, Tone
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


@pytest.mark.parametrize("scheme", [0, 1], ids=["light", "dark"])
def test_every_tone_reads_on_the_window_and_on_its_fill_and_every_fill_under_the_text(scheme):
    palette = dark_palette() if scheme else QPalette()
    if not scheme and is_dark(palette):
        pytest.skip("this platform's default palette is dark")
    window = palette.color(QPalette.ColorRole.Window).name()
    text = palette.color(QPalette.ColorRole.Text).name()
    texts = [name for name in TONES if not name.endswith("_fill")]
    for name in texts:
        colour = TONES[name][scheme]
        assert contrast(window, colour) >= 4.5, (name, colour, window)
        fill = TONES.get(name + "_fill")
        if fill:
            assert contrast(fill[scheme], colour) >= 4.5, (name, colour, fill[scheme])
    for name in (n for n in TONES if n.endswith("_fill")):
        assert contrast(TONES[name][scheme], text) >= 4.5, (name, TONES[name][scheme], text)


def test_a_shown_result_changes_its_colours_with_the_scheme(qtbot, window):
    _win, follower = window
    panel = ResultPanel()
    qtbot.addWidget(panel)
    panel.show()
    rows = (RecipeSetResult("RS-1", True, "Processed"), RecipeSetResult("RS-2", False, "Unknown recipe set"))
    panel.show_result(ResultText(Tone.PARTIAL, "Partly accepted", rows=rows))

    def row_fill(row: int) -> QColor:
        return panel.table.item(row, 0).background().color()

    assert row_fill(0).lightness() > 150 and row_fill(1).lightness() > 150, "light fills on the light scheme"
    assert row_fill(0) != row_fill(1)
    follower.apply(Qt.ColorScheme.Dark)
    qtbot.waitUntil(lambda: row_fill(0).lightness() < 100, timeout=2000)
    assert row_fill(1).lightness() < 100
    assert TONES["warning_fill"][1] in panel.headline.styleSheet()
    text = panel.palette().color(QPalette.ColorRole.Text).name()
    assert contrast(row_fill(0).name(), text) >= 4.5 and contrast(row_fill(1).name(), text) >= 4.5
