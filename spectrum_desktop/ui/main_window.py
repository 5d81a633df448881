"""The main window: environment band, toolbar, menus, pages, status bar."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from spectrum_desktop import APP_DISPLAY_NAME
from spectrum_desktop.domain.importing import OrderImportError, load_json_text, load_orders
from spectrum_desktop.ui.environment_band import EnvironmentBand
from spectrum_desktop.ui.environment_choice import EnvironmentChoice
from spectrum_desktop.ui.errors import show_error
from spectrum_desktop.ui.order_editor import OrderEditor


class MainWindow(QMainWindow):
    environment_changed = Signal(str)

    def __init__(self, environments: Sequence[EnvironmentChoice], settings: QSettings) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self._environments = list(environments)
        self._settings = settings
        self.band = EnvironmentBand()
        self.pages = QTabWidget(objectName="pages")
        self.editor = OrderEditor()
        self.add_page(self.editor, "Order", "Ctrl+1")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.band)
        layout.addWidget(self.pages)
        self.setCentralWidget(central)
        self._build_toolbar()
        self._build_menus()
        self.token_label = QLabel(objectName="tokenLocation")
        self.rate_label = QLabel(objectName="rateBudget")
        self.statusBar().addPermanentWidget(self.token_label)
        self.statusBar().addPermanentWidget(self.rate_label)
        self._restore()

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
        focus = QAction("Choose environment", self, shortcut=QKeySequence("Ctrl+E"))
        focus.triggered.connect(self._focus_environment)
        self.addAction(focus)

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
        self.send_action = order_menu.addAction("Sen&d", QKeySequence("Ctrl+Return"), self._not_yet)
        self.send_action.setEnabled(False)
        self.editor.validated.connect(self._on_validated)
        self._on_validated(self.editor.result)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.preferences_action = edit_menu.addAction(
            "&Preferences…", QKeySequence.StandardKey.Preferences, self._not_yet
        )
        self.view_menu = self.menuBar().addMenu("&View")

    def _on_validated(self, result) -> None:
        if result is None or not result.ok:
            count = len(result.errors) if result is not None else 0
            first = f" First: {result.errors[0].label}: {result.errors[0].message}." if count else ""
            self.send_action.setToolTip(f"Fix {count} problem(s) before sending.{first}")
        else:
            self.send_action.setToolTip("The order is valid. Sending is not available yet in this build.")

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
        path, _ = QFileDialog.getOpenFileName(self, "Open order", "", "Orders (*.json *.csv);;All files (*)")
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> bool:
        try:
            orders = load_orders(path)
        except (OrderImportError, OSError) as exc:
            show_error(self, exc, "Could not open the order")
            return False
        return self._load_imported(orders)

    def paste_json(self) -> bool:
        try:
            orders = load_json_text(QApplication.clipboard().text())
        except OrderImportError as exc:
            show_error(self, exc, "Could not read the pasted JSON")
            return False
        return self._load_imported(orders)

    def _load_imported(self, orders: list[dict[str, Any]]) -> bool:
        if not orders:
            show_error(self, ValueError("The file holds no orders."), "Nothing to open")
            return False
        self.load_order(orders[0])
        if len(orders) > 1:
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
        self.editor.load({"lineItems": []})

    def load_order(self, order: dict[str, Any]) -> None:
        self.editor.load(order)

    def current_order(self) -> dict[str, Any]:
        return self.editor.order()

    def active_environment(self) -> EnvironmentChoice:
        return self._environments[self.environment_combo.currentIndex()]

    def set_environment(self, environment_id: str) -> None:
        index = self.environment_combo.findData(environment_id)
        if index < 0:
            raise KeyError(f"There is no environment with id {environment_id!r}.")
        self.environment_combo.setCurrentIndex(index)
        self._on_environment_index(index)

    def show_token_location(self, text: str) -> None:
        self.token_label.setText(f"Token: {text}")

    def show_rate_budget(self, left: int, total: int) -> None:
        self.rate_label.setText(f"Requests left: {left} of {total}")

    def _on_environment_index(self, index: int) -> None:
        if index < 0:
            return
        environment = self._environments[index]
        self.band.show_environment(environment)
        prefix = "PRODUCTION — " if environment.is_production else ""
        self.setWindowTitle(f"{prefix}{environment.name} — {APP_DISPLAY_NAME}")
        self._settings.setValue("environment", environment.id)
        self.environment_changed.emit(environment.id)

    def _restore(self) -> None:
        geometry = self._settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 720)
        splitter = self._settings.value("editorSplitter")
        if splitter is not None:
            self.editor.splitter.restoreState(splitter)
        saved = self._settings.value("environment")
        index = self.environment_combo.findData(saved) if saved else -1
        index = max(index, 0)
        self.environment_combo.blockSignals(True)
        self.environment_combo.setCurrentIndex(index)
        self.environment_combo.blockSignals(False)
        self._on_environment_index(index)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._settings.setValue("geometry", self.saveGeometry())
        self._settings.setValue("editorSplitter", self.editor.splitter.saveState())
        self._settings.sync()
        super().closeEvent(event)
