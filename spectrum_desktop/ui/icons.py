"""Icons shared by more than one page (the rest use QStyle standard icons where they are built)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPainter
from PySide6.QtWidgets import QStyle, QWidget


def send_icon(widget: QWidget) -> QIcon:
    """The standard forward arrow in the palette's highlight colour: the plain one is black, which vanishes on a
    dark toolbar; the highlight blue reads on light and dark alike (a disabled action greys it as usual)."""
    plain = widget.style().standardIcon(QStyle.StandardPixmap.SP_ArrowForward)
    colour = widget.palette().highlight().color()
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
