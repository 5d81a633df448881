"""State badges: a table cell drawn as a rounded, coloured label whose text colour is chosen by contrast, so it
reads the same in the light and the dark scheme. Used by History and Bulk."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.ui.environment_band import text_colour

STATE_COLOURS = {
    SubmissionState.SUCCEEDED: "#2e7d32",
    SubmissionState.ALREADY_SUBMITTED: "#00695c",
    SubmissionState.PARTIAL: "#ef6c00",
    SubmissionState.FAILED: "#c62828",
    SubmissionState.UNKNOWN: "#6a1b9a",
    SubmissionState.QUEUED: "#546e7a",
    SubmissionState.SENDING: "#1565c0",
}
INVALID_COLOUR = "#c62828"
BADGE_ROLE = Qt.ItemDataRole.UserRole + 7
"""The model returns the badge's background colour (a "#rrggbb" string) for this role; no colour: plain text."""
PADDING = 6
MARGIN = 3


class BadgeDelegate(QStyledItemDelegate):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._fonts: dict[str, tuple[QFont, QFontMetrics]] = {}

    def _bold(self, base: QFont) -> tuple[QFont, QFontMetrics]:
        """The bold font and its metrics, made once per base font (painting stays cheap on long tables)."""
        key = base.key()
        if key not in self._fonts:
            font = QFont(base)
            font.setBold(True)
            self._fonts[key] = (font, QFontMetrics(font))
        return self._fonts[key]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        colour = index.data(BADGE_ROLE)
        if not colour:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        font, metrics = self._bold(opt.font)
        inner = opt.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        width = min(metrics.horizontalAdvance(text) + 2 * PADDING + 2, inner.width())
        badge = QRect(inner.left(), inner.top(), width, inner.height())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        radius = badge.height() / 2.5
        painter.drawRoundedRect(badge, radius, radius)
        painter.setPen(QColor(text_colour(colour)))
        painter.setFont(font)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, badge.width() - 2 * PADDING)
        painter.drawText(badge.adjusted(PADDING, 0, -PADDING, 0), Qt.AlignmentFlag.AlignVCenter, shown)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802 - Qt override
        size = super().sizeHint(option, index)
        if not index.data(BADGE_ROLE):
            return size
        font = option.font
        font.setBold(True)
        from PySide6.QtGui import QFontMetrics

        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        width = QFontMetrics(font).horizontalAdvance(text) + 2 * PADDING + 2 * MARGIN + 4
        return QSize(max(size.width(), width), max(size.height(), option.fontMetrics.height() + 2 * MARGIN + 4))


def badge_width(font, texts) -> int:
    """The column width that shows the widest of these badge texts whole."""
    from PySide6.QtGui import QFontMetrics

    bold = type(font)(font)
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    return max((metrics.horizontalAdvance(t) for t in texts), default=0) + 2 * PADDING + 2 * MARGIN + 12


def text_width(font, texts, padding: int = 24) -> int:
    """The column width that shows the widest of these plain texts whole (with the cell's margins)."""
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(font)
    return max((metrics.horizontalAdvance(t) for t in texts), default=0) + padding
