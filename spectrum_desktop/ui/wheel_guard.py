"""The mouse wheel scrolls a form; it changes a value only in the field the person is working in.

Qt's choice boxes, spin boxes and date editors take the wheel from under the pointer, so scrolling down a long
order would quietly change its priority or country on the way. A guarded widget hands a wheel it receives
without having the focus to the scroll area around it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget


def _working_in(widget: QWidget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and (focused is widget or widget.isAncestorOf(focused))  # an editable box's text


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or _working_in(watched):
            return False
        area = _scroll_area_around(watched)
        if area is not None:
            delta = event.angleDelta()
            bar = area.horizontalScrollBar() if abs(delta.x()) > abs(delta.y()) else area.verticalScrollBar()
            QApplication.sendEvent(bar, event)
        return True  # the widget itself never sees it


def guard_wheel(*widgets: QWidget) -> None:
    """Let the wheel change these widgets only while the person works in them (a click or Tab gives the focus)."""
    for widget in widgets:
        if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel no longer takes the focus by itself
        widget.installEventFilter(_WheelGuard(widget))
