"""Preferences: the Environments page (add, edit, remove), each field checked as it is typed."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from spectrum_desktop.domain.endpoints import is_production_address
from spectrum_desktop.domain.environment import (
    FIELD_LABELS,
    SANDBOX_URL,
    Environment,
    EnvironmentInvalid,
    RequestFormat,
)
from spectrum_desktop.domain.words import count
from spectrum_desktop.ui.colour_scheme import error_outline_style, error_text_style
from spectrum_desktop.ui.wheel_guard import guard_wheel
from spectrum_desktop.ui.errors import user_message




NEW_ID = "new-environment"
BUILT_IN_ADDRESS = "Built in (this computer)"
"""What Preferences shows as the Local sandbox's address (it runs inside the app)."""

LABELS = {field: label for field, label in FIELD_LABELS.items() if field != "id"}  # the one home: domain
HINTS = {
    "name": "What the band and the environment list show, e.g. Staging",
    "base_url": "The server's address, starting with https:// (plain http:// only for this computer)",
    "colour": "The band's colour, e.g. #c62828",
    "rate_limit_requests": "How many requests the server allows in the window below",
    "batch_size": "Orders per request when sending many",
}


def field_messages(error: EnvironmentInvalid) -> dict[str, str]:
    """The refused fields' messages by field name (a field with two problems gets both)."""
    messages: dict[str, str] = {}
    for field, text in error.problems:
        messages[field] = f"{messages[field]} {text}" if field in messages else text
    return messages


def new_environment_fields() -> dict[str, Any]:
    return {"name": "New environment", "base_url": "https://", "colour": "#1565c0"}


class EnvironmentForm(QWidget):
    """The fields of one environment with a message line under each."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(objectName="environmentName")
        self.base_url = QLineEdit(objectName="environmentBaseUrl")
        self.colour = QLineEdit(objectName="environmentColour")
        self.colour_button = QPushButton("Choose…", objectName="chooseColour")
        self.colour_button.setAutoDefault(False)
        self.colour_button.clicked.connect(self._choose_colour)
        self.is_production = QCheckBox("Orders sent here are real (asks before every send)",
                                       objectName="environmentProduction")
        self.request_format = QComboBox(objectName="environmentFormat")
        for fmt in RequestFormat:
            label = "RecipeSet (deprecated, older API versions)" if fmt is RequestFormat.RECIPE_SET else "LineItem"
            self.request_format.addItem(label, fmt.value)
        self.rate_limit_requests = QSpinBox(objectName="environmentRateRequests", minimum=0, maximum=100_000)
        self.rate_limit_seconds = QDoubleSpinBox(objectName="environmentRateSeconds", minimum=0, maximum=86_400,
                                                 decimals=1)
        self.batch_size = QSpinBox(objectName="environmentBatchSize", minimum=0, maximum=100_000)
        self.connect_timeout = QDoubleSpinBox(objectName="environmentConnectTimeout", minimum=0, maximum=600,
                                              decimals=1)
        self.read_timeout = QDoubleSpinBox(objectName="environmentReadTimeout", minimum=0, maximum=3600, decimals=1)
        guard_wheel(self.request_format, self.rate_limit_requests, self.rate_limit_seconds, self.batch_size,
                    self.connect_timeout, self.read_timeout)
        self.inputs: dict[str, QWidget] = {
            "name": self.name,
            "base_url": self.base_url,
            "colour": self.colour,
            "is_production": self.is_production,
            "request_format": self.request_format,
            "rate_limit_requests": self.rate_limit_requests,
            "rate_limit_seconds": self.rate_limit_seconds,
            "batch_size": self.batch_size,
            "connect_timeout": self.connect_timeout,
            "read_timeout": self.read_timeout,
        }
        self.errors: dict[str, QLabel] = {}
        self.touched: set[str] | None = None
        """The fields edited since a new environment was shown (their problems are shown); None: show all."""
        form = QFormLayout(self)
        for field, widget in self.inputs.items():
            widget.setAccessibleName(LABELS[field])
            if field in HINTS:
                widget.setToolTip(HINTS[field])
            message = QLabel(objectName=f"{field}Error")
            message.setStyleSheet(error_text_style(self))
            message.setWordWrap(True)
            message.setVisible(False)
            self.errors[field] = message
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(1)
            if field == "colour":
                row = QHBoxLayout()
                row.addWidget(widget, 1)
                row.addWidget(self.colour_button)
                column.addLayout(row)
            else:
                column.addWidget(widget)
            column.addWidget(message)
            form.addRow(LABELS[field], holder)
            self._connect(field, widget)

    def _connect(self, field: str, widget: QWidget) -> None:
        if isinstance(widget, QLineEdit):
            changed = widget.textChanged
        elif isinstance(widget, QCheckBox):
            changed = widget.toggled
        elif isinstance(widget, QComboBox):
            changed = widget.currentIndexChanged
        else:
            changed = widget.valueChanged
        changed.connect(lambda *_: self._touch(field))
        changed.connect(self.edited)

    def _touch(self, field: str) -> None:
        if self.touched is not None and not self.signalsBlocked():  # not while load() fills the form
            self.touched.add(field)

    def _choose_colour(self) -> None:
        colour = QColorDialog.getColor(QColor(self.colour.text() or "#1565c0"), self, "Band colour")
        if colour.isValid():
            self.colour.setText(colour.name())

    def load(self, fields: dict[str, Any], fresh: bool = False) -> None:
        """Fill the form; `fresh` (a new environment): a field's problem shows only once it is edited."""
        defaults = Environment(id="x", name="x", base_url=SANDBOX_URL)
        values = {**defaults.to_fields(), **fields}
        self.blockSignals(True)
        try:
            self.name.setText(str(values["name"]))
            built_in = values["base_url"] == SANDBOX_URL
            self.base_url.setText(BUILT_IN_ADDRESS if built_in else str(values["base_url"]))
            self.base_url.setReadOnly(built_in)
            self.base_url.setFrame(not built_in)  # shown as plain text: there is nothing to type
            self.base_url.setToolTip("The Local sandbox runs inside this app on this computer; it has no address "
                                     "to change." if built_in else HINTS["base_url"])
            self.colour.setText(str(values["colour"]))
            self.is_production.setChecked(bool(values["is_production"]))
            self.request_format.setCurrentIndex(max(self.request_format.findData(str(values["request_format"])), 0))
            self.rate_limit_requests.setValue(int(values["rate_limit_requests"]))
            self.rate_limit_seconds.setValue(float(values["rate_limit_seconds"]))
            self.batch_size.setValue(int(values["batch_size"]))
            self.connect_timeout.setValue(float(values["connect_timeout"]))
            self.read_timeout.setValue(float(values["read_timeout"]))
        finally:
            self.blockSignals(False)
        self.touched = set() if fresh else None

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text().strip(),
            "base_url": SANDBOX_URL if self.base_url.isReadOnly() else self.base_url.text().strip(),
            "colour": self.colour.text().strip(),
            "is_production": self.is_production.isChecked(),
            "request_format": self.request_format.currentData(),
            "rate_limit_requests": self.rate_limit_requests.value(),
            "rate_limit_seconds": self.rate_limit_seconds.value(),
            "batch_size": self.batch_size.value(),
            "connect_timeout": self.connect_timeout.value(),
            "read_timeout": self.read_timeout.value(),
        }

    def show_messages(self, messages: dict[str, str]) -> int:
        """Show each field's message (only the edited fields' on a fresh form); returns how many are shown."""
        shown = 0
        for field, label in self.errors.items():
            text = messages.get(field, "") if self.touched is None or field in self.touched else ""
            shown += bool(text)
            label.setText(text)
            label.setVisible(bool(text))
            widget = self.inputs[field]
            widget.setStyleSheet(error_outline_style(widget) if text and isinstance(widget, QLineEdit) else "")
            self.errors[field].setStyleSheet(error_text_style(self))
        return shown

    def message(self, field: str) -> str:
        return self.errors[field].text()


class EnvironmentsPage(QWidget):
    """Add, edit and remove environments through `context.environments` (the services' EnvironmentService)."""

    environments_changed = Signal()
    token_changed = Signal(str)

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("environmentsPage")
        self._context = context
        self._service = context.environments
        self.token_dialog = None
        self.not_production_question: NotProductionQuestion | None = None
        self._current_id: str | None = None  # None while a new, unsaved environment is shown
        self.list = QListWidget(objectName="environmentList")
        self.list.setAccessibleName("Environments")
        self.list.currentItemChanged.connect(self._on_selected)
        self.add_button = QPushButton("Add", objectName="addEnvironment")
        self.remove_button = QPushButton("Remove", objectName="removeEnvironment")
        self.form = EnvironmentForm()
        self.form.edited.connect(self.check)
        self.summary = QLabel(objectName="environmentSummary")
        self.summary.setWordWrap(True)
        self.save_button = QPushButton("Save changes", objectName="saveEnvironment")
        self.revert_button = QPushButton("Undo changes", objectName="revertEnvironment")
        self.token_button = QPushButton("Token…", objectName="environmentToken")
        self.token_button.setToolTip("Save, replace, remove or test this environment's API token")
        self.token_button.clicked.connect(self.open_token_dialog)
        for button in (self.add_button, self.remove_button, self.save_button, self.revert_button, self.token_button):
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._reload_current)

        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.add_button)
        list_buttons.addWidget(self.remove_button)
        left.addLayout(list_buttons)
        right = QVBoxLayout()
        right.addWidget(self.form)
        right.addWidget(self.summary)
        save_row = QHBoxLayout()
        save_row.addWidget(self.token_button)
        save_row.addStretch(1)
        save_row.addWidget(self.revert_button)
        save_row.addWidget(self.save_button)
        right.addLayout(save_row)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 2)
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        environments = self._service.list()
        self.list.blockSignals(True)
        self.list.clear()
        for environment in environments:
            text = environment.name + (" — real orders" if environment.is_production else "")
            item = QListWidgetItem(text)
            item.setToolTip(f"{environment.name}: {address(environment.base_url)}"
                            + (" (production: every send asks first)" if environment.is_production else ""))
            item.setData(Qt.ItemDataRole.UserRole, environment.id)
            item.setIcon(swatch(environment.colour))  # a swatch stays readable in light and dark schemes
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = [e.id for e in environments]
        row = ids.index(select_id) if select_id in ids else (0 if ids else -1)
        self.list.setCurrentRow(row)
        if row >= 0:
            self._on_selected(self.list.item(row))

    def _on_selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        self._current_id = item.data(Qt.ItemDataRole.UserRole)
        self._reload_current()

    def open_token_dialog(self):
        from spectrum_desktop.ui.token_dialog import TokenDialog

        if self._current_id is None:
            return None
        self.token_dialog = TokenDialog(self._context, self._service.get(self._current_id), self)
        self.token_dialog.token_changed.connect(self.token_changed)
        self.token_dialog.open()
        return self.token_dialog

    def _reload_current(self) -> None:
        self.token_button.setEnabled(self._current_id is not None)
        if self._current_id is None:
            self.form.load(new_environment_fields())
        else:
            self.form.load(self._service.get(self._current_id).to_fields())
        self.check()

    def current_id(self) -> str | None:
        return self._current_id

    def has_unsaved_changes(self) -> bool:
        if self._current_id is None:
            return True
        saved = self._service.get(self._current_id).to_fields()
        return any(saved.get(key) != value for key, value in self.form.values().items())

    def check(self) -> bool:
        """Validate the form with the settings model; show each message beside its field."""
        values = self.form.values()
        try:
            Environment(id=self._current_id or NEW_ID, **values)
        except EnvironmentInvalid as error:
            messages = field_messages(error)
            shown = self.form.show_messages(messages)
            self.save_button.setEnabled(False)
            if shown:
                self.save_button.setToolTip("Fix the fields marked in red first.")
                self._say(f"Fix {count(shown, 'field')} marked in red before saving.", ok=False)
            else:  # a new environment nobody has typed into yet
                self.save_button.setToolTip("Fill in the fields first.")
                self._say("Give it a name and the server's address (it starts with https://), then save.", ok=True)
            return False
        self.form.show_messages({})
        self.save_button.setEnabled(True)
        self.save_button.setToolTip("")
        self._say("", ok=True)
        return True

    def add(self) -> None:
        self._current_id = None
        self.token_button.setEnabled(False)
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)
        self.form.load(new_environment_fields(), fresh=True)
        self.check()
        self.form.name.setFocus()
        self.form.name.selectAll()

    def save(self) -> bool:
        """Save the form; un-marking production (or leaving a Spectrum production address unmarked) asks first,
        and the save happens only when the person agrees (see `not_production_question`)."""
        if not self.check():
            return False
        values = self.form.values()
        question = self._production_question(values)
        if question is not None:
            self.not_production_question = question
            question.accepted.connect(lambda: self._write(values))
            question.finished.connect(lambda result: result == question.MARKED and self._mark_production(values))
            if self._current_id is not None and self._service.get(self._current_id).is_production:
                question.rejected.connect(lambda: self.form.is_production.setChecked(True))  # Cancel keeps it
            question.open()
            return False
        return self._write(values)

    def _production_question(self, values: dict[str, Any]) -> NotProductionQuestion | None:
        """The question to ask before `values` are saved as "not production", or None when there is nothing to ask."""
        if values["is_production"]:
            return None
        saved = self._service.get(self._current_id) if self._current_id is not None else None
        at_production_address = is_production_address(values["base_url"])
        was_production = saved is not None and saved.is_production
        newly_unmarked_address = at_production_address and (
            saved is None or saved.base_url != values["base_url"] or was_production)
        if not (was_production or newly_unmarked_address):
            return None
        return NotProductionQuestion(values["name"], values["base_url"], must_type=at_production_address,
                                     was_production=was_production, parent=self)

    def _mark_production(self, values: dict[str, Any]) -> None:
        self.form.is_production.setChecked(True)
        self._write({**values, "is_production": True})

    def _write(self, values: dict[str, Any]) -> bool:
        try:
            if self._current_id is None:
                saved = self._service.add(values)
            else:
                saved = self._service.update(self._current_id, values)
        except Exception as error:  # noqa: BLE001 - the service's message says what to fix
            problems = getattr(error, "problems", None) or []
            self.form.show_messages({field: message for field, message in problems})
            self._say(user_message(error), ok=False)
            return False
        self.reload(saved.id)
        self._say(f"Saved {saved.name}.", ok=True)
        self.environments_changed.emit()
        return True

    def remove(self) -> bool:
        if self._current_id is None:
            self.reload()
            return False
        environment = self._service.get(self._current_id)
        try:
            self._service.remove(self._current_id)
        except Exception as error:  # noqa: BLE001 - e.g. the active or the last environment
            self._say(user_message(error), ok=False)
            return False
        self.reload()
        self._say(f"Removed {environment.name}. Its saved token is no longer used.", ok=True)
        self.environments_changed.emit()
        return True

    def _say(self, text: str, ok: bool) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet("" if ok else error_text_style(self))


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def address(base_url: str) -> str:
    """An environment's address as Preferences shows it."""
    return BUILT_IN_ADDRESS if base_url == SANDBOX_URL else base_url


class NotProductionQuestion(QDialog):
    """Asks before an environment is saved as "not production": sends to it will not ask first.

    At one of Spectrum's production addresses the person must also type the environment's name; one that was
    never marked as production is offered "Mark as production" first (the dialog then ends with MARKED).
    """

    MARKED = 2

    def __init__(self, name: str, base_url: str, must_type: bool, was_production: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmNotProduction")
        where = f"<b>{escape(name)}</b> ({escape(address(base_url))})"
        if was_production:
            self.setWindowTitle("Stop treating it as production?")
            said = (f"<p>{where} will no longer be treated as production.</p><p>Orders sent to it will go out "
                    "<b>without asking first</b>, and the band will not warn that they are real.</p>")
        else:
            self.setWindowTitle("Mark it as production?")
            said = (f"<p>{where} is one of Spectrum's production addresses, but it is not marked as production."
                    "</p><p>Unless it is, orders sent to it go out <b>without asking first</b>, and the band does "
                    "not warn that they are real.</p>")
        self.environment_name = name
        text = QLabel(said, objectName="notProductionText")
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        self.typed = QLineEdit(self, objectName="confirmEnvironmentName")
        self.typed.setAccessibleName("Type the environment's name to confirm")
        if must_type:
            warning = QLabel(f"This is a Spectrum production address: orders sent there are real. To save it as "
                             f"not production, type its name, <b>{escape(name)}</b>:", objectName="typeNameText")
            warning.setWordWrap(True)
            layout.addWidget(warning)
            layout.addWidget(self.typed)
        else:
            self.typed.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm_button = self.buttons.addButton("Save as not production",
                                                     QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm_button.setObjectName("confirmNotProductionButton")
        self.mark_button: QPushButton | None = None
        if not was_production:
            self.mark_button = self.buttons.addButton("Mark as production", QDialogButtonBox.ButtonRole.ActionRole)
            self.mark_button.setObjectName("markProductionButton")
            self.mark_button.clicked.connect(lambda: self.done(self.MARKED))
        (self.mark_button or self.buttons.button(QDialogButtonBox.StandardButton.Cancel)).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._must_type = must_type
        self.typed.textChanged.connect(self._update)
        self._update()
        self.setMinimumWidth(460)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self, self._update)  # showing picks a default button of its own: ours comes back

    def _update(self) -> None:
        ok = not self._must_type or self.typed.text().strip().casefold() == self.environment_name.casefold()
        self.confirm_button.setEnabled(ok)
        if self._must_type:
            self.confirm_button.setDefault(ok)
            if not ok and self.mark_button is not None:
                self.mark_button.setDefault(True)


class PreferencesDialog(QDialog):
    environments_changed = Signal()
    token_changed = Signal(str)

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferences")
        self.setWindowTitle("Preferences")
        self._closing_confirmed = False
        self.unsaved_question: QMessageBox | None = None
        self.resize(820, 560)
        self.tabs = QTabWidget(objectName="preferencesTabs")
        self.environments = EnvironmentsPage(context)
        self.environments.environments_changed.connect(self.environments_changed)
        self.environments.token_changed.connect(self.token_changed)
        self.tabs.addTab(self.environments, "Environments")
        from spectrum_desktop.ui.shared_history_page import SharedHistoryPage  # Preferences › Shared history
        self.tabs.addTab(SharedHistoryPage(context), "Shared history")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def reject(self) -> None:
        """Closing with unsaved edits asks first (without blocking: the answer closes or keeps the dialog)."""
        if self._closing_confirmed or not self.environments.has_unsaved_changes():
            super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          "The environment has changes that are not saved. Close and lose them?",
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("unsavedEnvironment")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(self._unsaved_answered)
        self.unsaved_question = box
        box.open()

    def _unsaved_answered(self, answer: int) -> None:
        if answer == QMessageBox.StandardButton.Discard:
            self._closing_confirmed = True
            self.reject()
