"""The panel under the order that shows a send in progress and then its result, one row per recipeSet."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from spectrum_desktop.domain.fields import field_by_key
from spectrum_desktop.ui.colour_scheme import tone
from spectrum_desktop.ui.result_text import CHECK_LABEL, CORRECT_LABEL, SEND_AGAIN_LABEL, Action, ResultText, Tone
from spectrum_desktop.ui.status_line import StatusLine

PROGRESS_DELAY_MS = 300
TONE_NAMES = {  # the colour_scheme tone (text) and "<tone>_fill" (background) of each kind of result
    Tone.SUCCESS: "good",
    Tone.PARTIAL: "warning",
    Tone.FAILURE: "error",
    Tone.NOTICE: "notice",
    Tone.UNKNOWN: "neutral",
}


class ResultPanel(QWidget):
    cancel_requested = Signal()
    token_requested = Signal()
    send_again_requested = Signal()
    check_requested = Signal()
    correct_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPanel")
        self.setAccessibleName("Result of the last send")
        self.shown: ResultText | None = None

        self.progress_row = QWidget(objectName="sendProgressRow")
        self.progress_label = StatusLine(objectName="sendProgressLabel")  # a long PO never widens the panel
        self.progress_bar = QProgressBar(objectName="sendProgress")
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setAccessibleName("Sending")
        self.cancel_button = QPushButton("Cancel", objectName="cancelSend")
        self.cancel_button.setToolTip("Stop waiting for the answer. The order may still arrive; it is kept as "
                                      "“unknown” so you can check it.")
        self.cancel_button.clicked.connect(self.cancel_requested)
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress_label, 1)
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.cancel_button)
        self.progress_row.hide()
        self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_DELAY_MS)
        self._progress_timer.timeout.connect(self.progress_row.show)

        self.headline = QLabel(objectName="resultHeadline")
        self.headline.setWordWrap(True)
        self.headline.setMargin(6)
        self.detail = QLabel(objectName="resultDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 3, objectName="resultTable")
        self.table.setHorizontalHeaderLabels([field_by_key("recipeSetId").label, "Result", "Server's message"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._fitting = False
        self._widths_kept = False  # once the person sizes a column, a new result keeps their widths
        self.table.horizontalHeader().sectionResized.connect(self._column_resized)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Result per recipeSet")
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

        self.copy_trace_button = QPushButton("Copy trace ID", objectName="copyTraceId")
        self.copy_trace_button.clicked.connect(self.copy_trace_id)
        self.token_button = QPushButton("Set token…", objectName="setToken")
        self.token_button.clicked.connect(self.token_requested)
        self.send_again_button = QPushButton(SEND_AGAIN_LABEL, objectName="sendAgain")
        self.send_again_button.clicked.connect(self.send_again_requested)
        self.check_button = QPushButton(CHECK_LABEL, objectName="checkOutcome")
        self.check_button.setToolTip("Ask the server whether it has this purchase order, without sending anything.")
        self.check_button.clicked.connect(self.check_requested)
        self.correct_button = QPushButton(CORRECT_LABEL, objectName="correctFailed")
        self.correct_button.setToolTip("Open only the recipe sets that failed in the form, to correct and send them")
        self.correct_button.clicked.connect(self.correct_requested)
        self._buttons = {
            Action.COPY_TRACE_ID: self.copy_trace_button,
            Action.SET_TOKEN: self.token_button,
            Action.SEND_AGAIN: self.send_again_button,
            Action.CHECK: self.check_button,
            Action.CORRECT: self.correct_button,
        }
        buttons = QHBoxLayout()
        for button in self._buttons.values():
            button.hide()
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self._filler = QWidget()  # keeps a short result at the top when there is no table
        layout.addWidget(self._filler, 1)
        self._filler.hide()
        self.placeholder = QLabel("The result of a send appears here, one row per recipe set.",
                                  objectName="resultPlaceholder")
        self.placeholder.setEnabled(False)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.insertWidget(1, self.placeholder, 1)
        self.headline.hide()
        self.detail.hide()
        self.table.hide()

    def sending(self, text: str) -> None:
        """A send started: the progress row appears only if it takes more than a moment; the previous result
        (an error, say) goes at once, so it is never read as this send's."""
        self.clear()
        self.placeholder.hide()
        self.progress_label.setText(text)
        self.cancel_button.setEnabled(True)
        self._progress_timer.start()

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_label.setText("Cancelling… the answer is no longer awaited.")

    def idle(self) -> None:
        self._progress_timer.stop()
        self.progress_row.hide()

    def show_result(self, result: ResultText) -> None:
        self.idle()
        self.shown = result
        self.headline.setText(result.headline)
        self.headline.setAccessibleName(result.headline)
        self.headline.setProperty("tone", result.tone.value)
        self.detail.setText(result.detail)
        self.placeholder.hide()
        self.headline.show()
        self.detail.setVisible(bool(result.detail))
        for action, button in self._buttons.items():
            button.setVisible(action in result.actions)
            button.setEnabled(True)
        self.table.setRowCount(len(result.rows))
        for index, row in enumerate(result.rows):
            cells = (row.recipe_set_id, "Succeeded" if row.success else "Failed", row.message)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # the column may be too narrow for the server's whole message
                self.table.setItem(index, column, item)
        self._paint_colours()
        self.table.setVisible(bool(result.rows))
        self._filler.setVisible(not result.rows)
        if not self._widths_kept:
            self._fitting = True
            self.table.resizeColumnToContents(0)
            self._fitting = False

    def correction_opened(self) -> None:
        """The failed recipe sets are in the form now: opening them again would undo what was typed since."""
        self.correct_button.setEnabled(False)

    def _paint_colours(self) -> None:
        """The headline's and rows' colours for the current scheme (again when the system scheme changes)."""
        if self.shown is None:
            return
        name = TONE_NAMES[self.shown.tone]
        self.headline.setStyleSheet(f"QLabel#resultHeadline {{ background: {tone(name + '_fill', self)};"
                                    f" color: {tone(name, self)}; font-weight: bold; }}")
        fills = {True: QColor(tone("good_fill", self)), False: QColor(tone("error_fill", self))}
        for index, row in enumerate(self.shown.rows):
            for column in range(self.table.columnCount()):
                item = self.table.item(index, column)
                if item is not None:
                    item.setBackground(fills[row.success])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_colours()

    def _column_resized(self, *args: object) -> None:
        if not self._fitting and self.table.isVisible():
            self._widths_kept = True

    def column_state(self) -> object:
        """The result table's column widths, for the window to remember."""
        return self.table.horizontalHeader().saveState()

    def restore_column_state(self, state: object) -> None:
        if state is not None and self.table.horizontalHeader().restoreState(state):
            self._widths_kept = True

    def clear(self) -> None:
        """Back to the empty state (the environment changed: an old result must not look like the new one's)."""
        self.shown = None
        self.headline.hide()
        self.detail.hide()
        self.table.hide()
        self.table.setRowCount(0)
        self._filler.hide()
        for button in self._buttons.values():
            button.hide()
        self.placeholder.show()

    def copy_trace_id(self) -> None:
        if self.shown and self.shown.trace_id:
            QApplication.clipboard().setText(self.shown.trace_id)
            self.copy_trace_button.setText("Copied")
            QTimer.singleShot(1500, self, lambda: self.copy_trace_button.setText("Copy trace ID"))
