"""Icons drawn here rather than taken from QStyle: touching the style class from Python builds its eleven enums
(about 6 ms), which the window's first paint need not wait for. Each is one colour chosen from the palette, so it
reads on a light and a dark scheme alike; a disabled button greys it as usual."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QWidget

SIZES = (16, 24, 32)

# Triangles on a unit square, pointing where the arrow points.
ARROWS = {
    "up": ((0.2, 0.72), (0.5, 0.28), (0.8, 0.72)),
    "down": ((0.2, 0.28), (0.5, 0.72), (0.8, 0.28)),
    "right": ((0.3, 0.18), (0.78, 0.5), (0.3, 0.82)),
}


def _drawn(colour: QColor, draw: Callable[[QPainter, int], None]) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        draw(painter, size)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def arrow_icon(colour: QColor, direction: str) -> QIcon:
    """A solid triangle pointing "up", "down" or "right"."""
    corners = ARROWS[direction]
    return _drawn(colour, lambda painter, size: painter.drawPolygon(
        QPolygonF([QPointF(x * size, y * size) for x, y in corners])))


def key_icon(colour: QColor) -> QIcon:
    """A key (the API token): a ring, a shaft and two teeth."""

    def draw(painter: QPainter, size: int) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, max(1.5, size / 9)))
        painter.drawEllipse(QRectF(size * 0.1, size * 0.32, size * 0.36, size * 0.36))
        painter.drawLine(QPointF(size * 0.46, size * 0.5), QPointF(size * 0.9, size * 0.5))
        painter.drawLine(QPointF(size * 0.72, size * 0.5), QPointF(size * 0.72, size * 0.7))
        painter.drawLine(QPointF(size * 0.86, size * 0.5), QPointF(size * 0.86, size * 0.66))

    return _drawn(colour, draw)


def send_icon(widget: QWidget) -> QIcon:
    """The forward arrow in the palette's highlight colour."""
    return arrow_icon(widget.palette().highlight().color(), "right")


def text_colour(widget: QWidget) -> QColor:
    """The button text's colour: dark on a light scheme, light on a dark one."""
    return widget.palette().buttonText().color()
