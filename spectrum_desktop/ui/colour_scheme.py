"""Follow the system's light or dark scheme (Qt 6.5+ QStyleHints.colorScheme) and keep our own colours readable
in both.

Where the platform style already draws the scheme (Windows 11, macOS, a desktop's Qt theme) nothing is changed;
where it does not (a plain X11 session, Fusion), a dark Fusion palette is applied for the dark scheme and the
original palette comes back for the light one. Changes of the system scheme while the app runs are followed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# Our colours as (light scheme, dark scheme). A text tone reads at 4.5:1 or better on the window's background and
# on its own fill; a fill is a cell's or banner's background under the palette's own text colour.
TONES = {
    "error": ("#b71c1c", "#ef9a9a"),
    "good": ("#1b5e20", "#a5d6a7"),
    "warning": ("#bf360c", "#ffcc80"),
    "notice": ("#0d47a1", "#90caf9"),
    "neutral": ("#37474f", "#cfd8dc"),
    "error_fill": ("#ffcdd2", "#5a2626"),
    "good_fill": ("#c8e6c9", "#1f4423"),
    "warning_fill": ("#fff3e0", "#4a3414"),
    "notice_fill": ("#e3f2fd", "#183450"),
    "neutral_fill": ("#eceff1", "#3a434a"),
}


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tone(name: str, widget: QWidget | None = None) -> str:
    """One of TONES for the widget's (or the application's) scheme: "#b71c1c" for "error" on light, "#ef9a9a" on dark."""
    light, dark = TONES[name]
    return dark if is_dark(widget.palette() if widget is not None else None) else light


def error_text_style(widget: QWidget) -> str:
    return f"color: {tone('error', widget)};"


def error_outline_style(widget: QWidget) -> str:
    return f"border: 2px solid {tone('error', widget)}; border-radius: 3px;"


def dark_palette() -> QPalette:
    palette = QPalette()
    window, base, text = QColor("#2b2b2b"), QColor("#1e1e1e"), QColor("#e8e8e8")
    disabled = QColor("#7f7f7f")
    roles = {
        QPalette.ColorRole.Window: window, QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base, QPalette.ColorRole.AlternateBase: QColor("#262626"),
        QPalette.ColorRole.ToolTipBase: QColor("#3a3a3a"), QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#9a9a9a"), QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#353535"), QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff8a80"), QPalette.ColorRole.Light: QColor("#505050"),
        QPalette.ColorRole.Midlight: QColor("#404040"), QPalette.ColorRole.Mid: QColor("#303030"),
        QPalette.ColorRole.Dark: QColor("#1a1a1a"), QPalette.ColorRole.Shadow: QColor("#000000"),
        QPalette.ColorRole.Highlight: QColor("#3d7bd9"), QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#8ab4f8"), QPalette.ColorRole.LinkVisited: QColor("#c58af9"),
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


class SchemeFollower(QObject):
    """Owned by the application (one per app): applies the scheme now and whenever the system changes it."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("colourSchemeFollower")
        self._app = app
        self._original_palette = QPalette(app.palette())
        self._replaced_style: str | None = None  # the style Fusion stands in for while we draw the dark scheme
        self.applied: Qt.ColorScheme = Qt.ColorScheme.Unknown
        app.styleHints().colorSchemeChanged.connect(self.apply)
        self.apply(app.styleHints().colorScheme())

    def apply(self, scheme: Qt.ColorScheme) -> None:
        """Dark: a dark palette unless the style already gives one. Light or unknown: the original palette."""
        app = self._app
        if scheme == Qt.ColorScheme.Dark:
            if not is_dark(app.palette()):
                if self._replaced_style is None:  # asked only now: touching the style costs start-up time
                    self._replaced_style = app.style().name()
                app.setStyle("Fusion")  # the one style that draws any palette faithfully on every platform
                app.setPalette(dark_palette())
        elif self.applied == Qt.ColorScheme.Dark:
            if self._replaced_style is not None:
                app.setStyle(self._replaced_style)
                self._replaced_style = None
            app.setPalette(self._original_palette)
        self.applied = scheme


def follow_system_scheme(app: QApplication | None = None) -> SchemeFollower | None:
    """Start following the system scheme (idempotent: a second call returns the first follower)."""
    app = app or QApplication.instance()
    if app is None:
        return None
    found = app.findChild(SchemeFollower, "colourSchemeFollower")
    return found if found is not None else SchemeFollower(app)
