"""Icons shared by more than one page (the rest use QStyle standard icons where they are built)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter
from PySide6.QtWidgets import QStyle, QWidget


def tinted_icon(widget: QWidget, which: QStyle.StandardPixmap, colour: QColor) -> QIcon:
    """A standard icon's shape in one colour: the plain arrows are black, which vanish on a dark background.
    A disabled button greys the tinted icon as usual."""
    plain = widget.style().standardIcon(which)
    icon = QIcon()
    for size in (16, 24, 32):
        pixmap = plain.pixmap(size, size)
        painter = QPainter(pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRect(pixmap.rect())  # as fillRect, whose overloads would load QGradient's enums at start-up
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def send_icon(widget: QWidget) -> QIcon:
    """The forward arrow in the palette's highlight colour, which reads on light and dark alike."""
    return tinted_icon(widget, QStyle.StandardPixmap.SP_ArrowForward, widget.palette().highlight().color())


def arrow_icon(widget: QWidget, which: QStyle.StandardPixmap) -> QIcon:
    """An arrow in the button text's colour (dark on a light scheme, light on a dark one)."""
    return tinted_icon(widget, which, widget.palette().buttonText().color())
