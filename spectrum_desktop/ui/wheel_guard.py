"""The mouse wheel scrolls a form and never changes a value.

Qt's choice boxes, spin boxes and date editors take the wheel from under the pointer (and keep taking it once
clicked), so scrolling down a long order would quietly change its priority or country on the way. A guarded widget
hands the wheel to the scroll area around it; its value changes by the keyboard or its list, which a person sees.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        area = _scroll_area_around(watched)
        if area is not None:
            delta = event.angleDelta()
            bar = area.horizontalScrollBar() if abs(delta.x()) > abs(delta.y()) else area.verticalScrollBar()
            QApplication.sendEvent(bar, event)
        return True  # the widget itself never sees it


def guard_wheel(*widgets: QWidget) -> None:
    """The wheel over these widgets scrolls what holds them instead of changing them."""
    for widget in widgets:
        if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel no longer takes the focus by itself
        widget.installEventFilter(_WheelGuard(widget))
