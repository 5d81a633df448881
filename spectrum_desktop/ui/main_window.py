"""The main window: environment band, toolbar, menus, pages, status bar."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from spectrum_desktop import APP_DISPLAY_NAME
from spectrum_desktop.domain.environment import Environment
from spectrum_desktop.domain.states import SubmissionState
from spectrum_desktop.domain.validation import warm_up as warm_up_validation
from spectrum_desktop.domain.words import count as counted
from spectrum_desktop.ui.environment_band import EnvironmentBand, title_name
from spectrum_desktop.ui.environment_choice import load_environments
from spectrum_desktop.ui import tasks
from spectrum_desktop.ui.errors import OrderNotReady, show_error, show_words
from spectrum_desktop.ui.order_editor import OrderEditor
from spectrum_desktop.ui.result_panel import ResultPanel
from spectrum_desktop.ui.send_flow import SendFlow
from spectrum_desktop.ui.window_tools import attach as attach_window_tools

log = logging.getLogger(__name__)

FIRST_PAINT_FALLBACK_MS = 1000
"""Work planned for after the first paint (the validation warm-up, whose thread would slow that paint by holding
Python's lock while it imports; listening for later launches) starts then, or this long after showing if no paint
was seen."""


class _AfterFirstPaint(QObject):
    """Calls `then` from the event loop once the watched window has painted (its first UpdateRequest is done)."""

    def __init__(self, window: QWidget, then) -> None:
        super().__init__(window)
        self._then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.UpdateRequest:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.parent(), self._then)  # after this paint, not before it
            self.deleteLater()
        return False


def _alive(task: tasks.Task) -> bool:
    try:
        task.is_running()
    except RuntimeError:
        return False
    return True


class MainWindow(QMainWindow):
    environment_changed = Signal(str)
    send_finished = Signal(object)
    """The SubmissionRecord of a send that went out (whatever its outcome)."""
    send_not_sent = Signal(str)
    """Why nothing was sent (the user cancelled at a question, a missing token, an invalid order...)."""
    token_requested = Signal(str)
    """The user asked to set the token of this environment id (the result panel's "Set token…")."""

    _correction: Any = None
    _bulk_sending = False
    """The History row the order in the editor corrects (set by load_order), or None."""

    def __init__(self, context: Any, settings: QSettings) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.context = context
        listed = load_environments(context)
        self._environments: list[Environment] = list(listed.environments)
        self._default_environment = listed.active_id
        self._settings = settings
        self.band = EnvironmentBand()
        self.pages = QTabWidget(objectName="pages")
        self.editor = OrderEditor()
        self.order_page_action = self.add_page(self.editor, "Order", "Ctrl+1")
        self.results = ResultPanel()
        self.sender_flow = SendFlow(self, context, self.results)
        self.sender_flow.finished.connect(self._on_send_done)
        self.sender_flow.not_sent.connect(self._on_not_sent)
        self.results.token_requested.connect(lambda: self.token_requested.emit(self.active_environment().id))
        # The send's result belongs to the Order page: under the JSON preview, beside the form, never over it.
        self.editor.place_result_panel(self.results)
        self.splitter = self.editor.side_splitter
        self.editor.show_requested.connect(lambda: self.show_page("Order"))
        self._refused = False
        self.editor.changed.connect(self._forget_refusal)
        self.editor.fields["purchaseOrderNumber"].textChanged.connect(self._follow_purchase_order)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.band)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._build_toolbar()
        self._build_menus()
        self.token_label = QLabel(objectName="tokenLocation")
        self.rate_label = QLabel(objectName="rateBudget")
        self.statusBar().addPermanentWidget(self.token_label)
        self.statusBar().addPermanentWidget(self.rate_label)
        self._restore()
        self.tools = attach_window_tools(self)
        self._shown_once = False
        self._painted = False
        self._after_paint: list[Callable[[], None]] = [self._start_warm_up]
        self._warm_up: tasks.Task | None = None
        if listed.problem:
            QTimer.singleShot(0, self, lambda: show_words(
                self, f"{listed.problem}\n\nOnly the Local sandbox is offered until this is fixed.",
                "The environments could not be read"))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.editor.focus_first_field()  # typing at once fills the purchase order number
            _AfterFirstPaint(self, self._first_painted)
            QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self, self._first_painted)

    def after_first_paint(self, then: Callable[[], None]) -> None:
        """Run `then` from the event loop once the window has painted for the first time (soon, if it has)."""
        if self._painted:
            QTimer.singleShot(0, self, then)
        else:
            self._after_paint.append(then)

    def _first_painted(self) -> None:
        if self._painted:
            return
        self._painted = True
        planned, self._after_paint = self._after_paint, []
        for then in planned:
            then()

    def _start_warm_up(self) -> None:
        """Import pydantic and build the order validators on a worker thread, so the first keystroke's validation
        is quick. A keystroke before it is done simply validates (waiting for what the warm-up is building)."""
        if self._warm_up is not None:
            return
        self._warm_up = tasks.run(self, lambda report, cancel: warm_up_validation(), lambda _none: None,
                                  self._warm_up_failed, progress=None, cancellable=False)

    def _warm_up_failed(self, error: BaseException) -> None:
        """Nothing to tell the person: the first validation builds what the warm-up could not (and says so then)."""
        log.warning("Order checking could not be prepared ahead (%s); it is prepared on first use",
                    type(error).__name__)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Environment", objectName="environmentToolbar")
        self.environment_combo = QComboBox(objectName="environmentCombo")
        self.environment_combo.setAccessibleName("Active environment")
        for environment in self._environments:
            self.environment_combo.addItem(environment.name, environment.id)
        self.environment_combo.currentIndexChanged.connect(self._on_environment_index)
        toolbar.addWidget(QLabel(" Environment: "))
        toolbar.addWidget(self.environment_combo)
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        self.choose_environment_action = QAction("Choose &environment", self, shortcut=QKeySequence("Ctrl+E"))
        self.choose_environment_action.triggered.connect(self._focus_environment)
        self.addAction(self.choose_environment_action)

    def _focus_environment(self) -> None:
        self.environment_combo.setFocus()
        self.environment_combo.showPopup()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = file_menu.addAction("&New order", QKeySequence.StandardKey.New, self.new_order)
        self.open_action = file_menu.addAction("&Open…", QKeySequence.StandardKey.Open, self._choose_file)
        self.paste_json_action = file_menu.addAction("&Paste JSON", QKeySequence("Ctrl+Shift+V"), self.paste_json)
        self.save_action = file_menu.addAction("&Save draft", QKeySequence.StandardKey.Save, self._not_yet)
        file_menu.addSeparator()
        self.quit_action = file_menu.addAction("&Quit", QKeySequence.StandardKey.Quit, self.close)
        order_menu = self.menuBar().addMenu("&Order")
        order_menu.addAction(self.choose_environment_action)
        self.send_action = order_menu.addAction("Sen&d", QKeySequence("Ctrl+Return"), self.send_current)
        self.send_action.setObjectName("sendAction")
        self.send_action.setEnabled(False)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.send_action)
        self.toolbar.widgetForAction(self.send_action).setObjectName("sendButton")
        order_menu.addSeparator()
        for action in self.editor.line_item_actions:
            order_menu.addAction(action)
        order_menu.addMenu(self.editor.columns_menu)
        self.editor.validated.connect(self._on_validated)
        self._on_validated()
        edit_menu = self.menuBar().addMenu("&Edit")
        self.preferences_action = edit_menu.addAction(
            "&Preferences…", QKeySequence.StandardKey.Preferences, self._not_yet
        )
        self.view_menu = self.menuBar().addMenu("&View")
        self.view_menu.addAction(self.order_page_action)  # made before the menu; History and Bulk join it later
        from spectrum_desktop.ui.help_menu import install_help_menu

        self.help = install_help_menu(self)

    def set_bulk_sending(self, sending: bool) -> None:
        """A bulk run goes to the environment it started with: no switching (nor single sends) while it does."""
        self._bulk_sending = sending
        self._on_validated()

    def _on_validated(self, result=None) -> None:
        busy = (hasattr(self, "sender_flow") and self.sender_flow.busy()) or self._bulk_sending
        self.environment_combo.setEnabled(not busy)
        self.environment_combo.setToolTip(
            "Wait for the send to finish before switching environment." if busy else "Active environment (Ctrl+E)")
        if not self.editor.has_content():
            self.send_action.setToolTip("Nothing to send yet: type the purchase order number and add a line item.")
            self.send_action.setEnabled(False)
            return  # an empty form is not validated for this (a fresh one is validated on its first edit)
        result = self.editor.result if result is None else result
        if result is None or not result.ok:
            errors = self.editor.errors_to_fix(result) if result is not None else []
            count = len(errors)
            first = f" First: {errors[0].label}: {errors[0].message}." if count else ""
            self.send_action.setToolTip(f"Fix {counted(count, 'problem')} before sending.{first} "
                                        "Send shows them all and sends nothing.")
            self.send_action.setEnabled(not busy)
        elif busy:
            self.send_action.setToolTip("A send is under way; wait for its result (or cancel it).")
            self.send_action.setEnabled(False)
        else:
            name = self.active_environment().name if self.environment_combo.count() else "the server"
            self.send_action.setToolTip(f"The order is valid. Send it to {name} (Ctrl+Return).")
            self.send_action.setEnabled(True)

    def send_current(self) -> bool:
        """Send the order in the form to the active environment (asks first on production).

        The outcome arrives as send_finished(record) or send_not_sent(reason). False when nothing started.
        """
        result = self.editor.result
        if result is None or not result.ok:
            # The first Send on an unfinished order is how a person asks what is missing: show every problem.
            self.show_page("Order")
            self.editor.reveal_problems()
            self.editor.first_problem()
            errors = self.editor.errors_to_fix(result) if result else []
            self.sender_flow.refuse(OrderNotReady(len(errors), (errors[0].label, errors[0].message) if errors
                                                  else None), self.active_environment())
            self._refused = True
            return False
        self._refused = False
        correction = self._correction
        started = self.sender_flow.start(self.active_environment(), self.current_order(), self.editor.kind(),
                                         resend_of=correction.original_id if correction is not None else None)
        if started:
            self._on_validated()
        return started

    def _forget_refusal(self) -> None:
        """"Not sent: fix the order first" goes once the order is edited; the Problems list says what is left."""
        if self._refused and not self.sender_flow.busy():
            self._refused = False
            self.results.clear()

    def _on_send_done(self, record) -> None:
        self._on_validated()
        correction = self._correction
        if correction is not None and correction.accepted and record.original_id == correction.original_id \
                and record.state is SubmissionState.SUCCEEDED:
            where = self._environment_name(correction.environment_id)
            self.editor.show_note(f"{correction.purchase_order} is complete: {where} accepted "
                                  f"{', '.join(correction.accepted)} before and "
                                  f"{', '.join(r.recipe_set_id for r in record.results)} now.")
        self.send_finished.emit(record)

    def _on_not_sent(self, reason: str) -> None:
        self._on_validated()
        self.send_not_sent.emit(reason)

    def _not_yet(self) -> None:
        self.statusBar().showMessage("Not available yet in this build.", 4000)

    def add_page(self, widget: QWidget, title: str, shortcut: str | None = None) -> QAction:
        index = self.pages.addTab(widget, title)
        action = QAction(title, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: self.pages.setCurrentIndex(self.pages.indexOf(widget)))
        self.addAction(action)
        if hasattr(self, "view_menu"):
            self.view_menu.addAction(action)
        self.pages.setTabToolTip(index, f"{title} ({shortcut})" if shortcut else title)
        return action

    def show_page(self, title: str) -> None:
        for index in range(self.pages.count()):
            if self.pages.tabText(index) == title:
                self.pages.setCurrentIndex(index)
                return
        raise KeyError(f"There is no page called {title!r}.")

    def _choose_file(self) -> None:
        from spectrum_desktop.ui.files import documents_folder

        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open order", str(documents_folder()),
                                              "Orders (*.json *.csv);;All files (*)")
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> bool:
        from spectrum_desktop.domain.importing import OrderImportError, load_orders  # (csv) when a file is opened

        try:
            orders = load_orders(path)
        except (OrderImportError, OSError) as exc:
            show_error(self, exc, "Could not open the order")
            return False
        return self._load_imported(orders)

    def paste_json(self) -> bool:
        from spectrum_desktop.domain.importing import OrderImportError, load_json_text

        try:
            orders = load_json_text(QApplication.clipboard().text())
        except OrderImportError as exc:
            show_error(self, exc, "Could not read the pasted JSON")
            return False
        return self._load_imported(orders)

    def _load_imported(self, orders: list[dict[str, Any]]) -> bool:
        if not orders:
            show_words(self, "The file holds no orders. Choose a file with at least one order in it.",
                       "Nothing to open")
            return False
        self.load_order(orders[0])
        if len(orders) > 1:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Information, "Several orders", f"The file holds {len(orders)} orders; "
                              "the first one is open here. Use the Bulk page to send them all.",
                              QMessageBox.StandardButton.Ok, self)
            box.open()
        self.show_page("Order")
        return True

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        local = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if local:
            self.open_file(local[0])
            event.acceptProposedAction()

    def new_order(self) -> None:
        """An empty order, scrolled to the top, with the cursor in the purchase order number."""
        self.show_page("Order")
        self.editor.new_order()
        self._set_correction(None)
        self.editor.focus_first_field()
        if not self.sender_flow.busy():
            self.results.clear()  # the last order's result is in History; it must not read as the new one's

    def load_order(self, order: dict[str, Any], correction: Any = None, keep_result: bool = False) -> None:
        """Fill the editor. `correction` (services.submission.Correction, from History's Open in editor): the
        order corrects that row; its accepted recipe sets are shown above the line items and never sent again.
        The last send's result goes (it must not read as this order's) unless `keep_result`: the result panel
        opened this very order's failed recipe sets."""
        self.editor.load(order)
        self._set_correction(correction)
        if not keep_result and not self.sender_flow.busy():
            self.results.clear()

    def correction_of(self) -> int | None:
        """The History row the order in the editor corrects (kept with its draft), or None."""
        return self._correction.original_id if self._correction is not None else None

    def restore_correction(self, correction: Any) -> None:
        """A restored draft of a correction: link the order in the editor to that row again (its note comes back
        and Send is a correction), unless another purchase order is in the form now."""
        if correction is not None and self.editor.order().get("purchaseOrderNumber") == correction.purchase_order:
            self._set_correction(correction)

    def _set_correction(self, correction: Any) -> None:
        self._correction = correction
        if correction is None or not correction.accepted:
            self.editor.show_note("")
            return
        where = self._environment_name(correction.environment_id)
        accepted = ", ".join(correction.accepted)
        if not (correction.body.get("lineItems") or correction.body.get("recipeSets")):
            self.editor.show_note(f"{correction.purchase_order} is complete: {where} has accepted all its recipe "
                                  f"sets ({accepted}). Nothing is left to correct.")
            return
        self.editor.show_note(f"Already accepted by {where}: {accepted} — not sent again. "
                              "Only the recipe sets below, which failed, are sent.")

    def _follow_purchase_order(self, text: str) -> None:
        """Another purchase order typed over a correction's: it is a new order now, and the note goes."""
        if self._correction is not None and text.strip() != self._correction.purchase_order:
            self._set_correction(None)

    def _environment_name(self, environment_id: str) -> str:
        return next((e.name for e in self._environments if e.id == environment_id), "Spectrum")

    def current_order(self) -> dict[str, Any]:
        return self.editor.order()

    def active_environment(self) -> Environment:
        return self._environments[self.environment_combo.currentIndex()]

    def set_environment(self, environment_id: str) -> None:
        index = self.environment_combo.findData(environment_id)
        if index < 0:
            raise KeyError(f"There is no environment with id {environment_id!r}.")
        self.environment_combo.setCurrentIndex(index)
        self._on_environment_index(index)

    def reload_environments(self) -> None:
        """Re-read the environments after Preferences changed them; keeps the active one when it still exists."""
        current = self.active_environment().id if self.environment_combo.count() else None
        listed = load_environments(self.context)
        self._environments = list(listed.environments)
        self._default_environment = listed.active_id
        self.environment_combo.blockSignals(True)
        self.environment_combo.clear()
        for environment in self._environments:
            self.environment_combo.addItem(environment.name, environment.id)
        index = self.environment_combo.findData(current)
        if index < 0:
            index = max(self.environment_combo.findData(listed.active_id), 0)
        self.environment_combo.setCurrentIndex(index)
        self.environment_combo.blockSignals(False)
        self._on_environment_index(index)

    def show_token_location(self, text: str) -> None:
        self.token_label.setText(f"Token: {text}")

    def show_rate_budget(self, left: int, total: int, what: str = "") -> None:
        """`what`: which sends the budget is for (the server counts each kind of request apart)."""
        label = f"Requests left{f' for {what}' if what else ''}: "
        self.rate_label.setText(f"{label}{left} of {total}")
        # As wide as with every request left, so counting down never shifts the status bar.
        widest = self.rate_label.fontMetrics().horizontalAdvance(f"{label}{total} of {total}")
        self.rate_label.setMinimumWidth(widest + self.rate_label.contentsMargins().left()
                                        + self.rate_label.contentsMargins().right())

    def _on_environment_index(self, index: int) -> None:
        if index < 0:
            return
        environment = self._environments[index]
        self.band.show_environment(environment)
        # A shared history in use is said in the title (the status bar has no room to spare at 1024 px).
        shared = " (shared history)" if getattr(self.context, "shared_history_url", "") else ""
        self.setWindowTitle(f"{title_name(environment)} — {APP_DISPLAY_NAME}{shared}")
        self.send_action.setText(f"Sen&d to {environment.name}")
        self._settings.setValue("environment", environment.id)
        if not self.sender_flow.busy():
            self.results.clear()
        self._on_validated()
        self.environment_changed.emit(environment.id)

    def _splitters(self) -> dict[str, QSplitter]:
        """The splitters whose positions are remembered, by settings key."""
        return {"editorSplitter": self.editor.splitter, "formSplitter": self.editor.form_splitter,
                "resultSplitter": self.splitter}

    def _restore(self) -> None:
        geometry = self._settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        for key, splitter in self._splitters().items():
            state = self._settings.value(key)
            if state is not None:
                splitter.restoreState(state)
        self._restore_editor()
        saved = self._settings.value("environment")
        index = self.environment_combo.findData(saved) if saved else -1
        if index < 0:
            index = max(self.environment_combo.findData(self._default_environment), 0)
        self.environment_combo.blockSignals(True)
        self.environment_combo.setCurrentIndex(index)
        self.environment_combo.blockSignals(False)
        self._on_environment_index(index)

    def _restore_editor(self) -> None:
        """The line-item columns chosen, their widths and More fields, as the person left them."""
        columns = self._settings.value("lineItemColumns")
        if isinstance(columns, str) and columns:
            self.editor.set_chosen_columns(columns.split(","))
        try:
            widths = json.loads(str(self._settings.value("lineItemWidths") or "{}"))
        except ValueError:
            widths = {}
        if isinstance(widths, dict):
            self.editor.set_column_widths(widths)
        try:
            form_sizes = json.loads(str(self._settings.value("formSplitterByKind") or "{}"))
        except ValueError:
            form_sizes = {}
        if isinstance(form_sizes, dict):
            self.editor.set_form_sizes(form_sizes)
        self.editor.set_more_fields_shown(str(self._settings.value("moreFields", "false")).lower() == "true")
        self.results.restore_column_state(self._settings.value("resultColumns"))

    def save_layout(self) -> None:
        """Remember the window's size, every splitter, the line-item columns and More fields."""
        self._settings.setValue("geometry", self.saveGeometry())
        for key, splitter in self._splitters().items():
            self._settings.setValue(key, splitter.saveState())
        self._settings.setValue("lineItemColumns", ",".join(self.editor.chosen_columns()))
        self._settings.setValue("lineItemWidths", json.dumps(self.editor.column_widths()))
        self._settings.setValue("formSplitterByKind", json.dumps(self.editor.form_sizes()))
        self._settings.setValue("resultColumns", self.results.column_state())
        self._settings.setValue("moreFields", "true" if self.editor.more_fields_shown() else "false")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.save_layout()
        self._settings.sync()
        if self.sender_flow.busy():
            self.sender_flow.cancel()  # an in-flight send is recorded as unknown at once, never lost
        if self._finish_background_work():
            self.context.close()
        else:
            log.warning("Background work still running at close; the data files are left open for it")
        super().closeEvent(event)

    def _finish_background_work(self, timeout_s: float = 5.0) -> bool:
        """Cancel every task of this window and its pages and let them end, so none reads a closed database."""
        # The validation warm-up reads no data file: closing does not wait for it (it ends with the process).
        running = [task for task in self.findChildren(tasks.Task) if task.is_running() and task is not self._warm_up]
        for task in running:
            task.cancel()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if not any(task.is_running() for task in running):
                    return True
            except RuntimeError:  # a finished task already deleted by Qt
                running = [t for t in running if _alive(t)]
                continue
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.005)
        return False
