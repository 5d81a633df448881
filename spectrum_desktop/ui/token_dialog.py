"""The API token of one environment: paste it (masked), save or replace it in the keyring, remove it, test it."""

from __future__ import annotations

from typing import Any

from html import escape

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spectrum_desktop.domain.environment import Environment
from spectrum_desktop.ui import tasks
from spectrum_desktop.ui.colour_scheme import tone
from spectrum_desktop.ui.errors import user_message



class TokenDialog(QDialog):
    """Talks to `context.credentials` (the services' TokenService); keyring work and the test run off the GUI thread."""

    token_changed = Signal(str)
    """The environment id whose saved token was saved, replaced or removed."""

    def __init__(self, context: Any, environment: Environment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenDialog")
        self.setWindowTitle(f"API token for {environment.name}")
        self.setMinimumWidth(520)
        self._credentials = context.credentials
        self.environment = environment
        self._task: tasks.Task | None = None
        self._reading = False
        self.location = None

        self.where = QLabel(objectName="tokenWhere")
        self.where.setWordWrap(True)
        self.entry = QLineEdit(objectName="tokenEntry")
        self.entry.setAccessibleName(f"API token for {environment.name}")
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        self.entry.setPlaceholderText("Paste the token you were given for this environment")
        self.show_token = QCheckBox("Show", objectName="showToken")
        self.show_token.setToolTip("Show the token while you check it; it is hidden again when the dialog closes.")
        self.show_token.toggled.connect(self._on_show_toggled)
        self.save_button = QPushButton("Save", objectName="saveToken")
        self.remove_button = QPushButton("Remove saved token", objectName="removeToken")
        self.test_button = QPushButton("Test connection", objectName="testConnection")
        self.test_button.setToolTip(
            "Looks up an order number that does not exist: tells a good token from a bad one without sending anything."
        )
        for button in (self.save_button, self.remove_button, self.test_button):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.test_button.clicked.connect(self.test_connection)
        self.entry.textChanged.connect(self._update_buttons)
        self.result = QLabel(objectName="connectionResult")
        self.result.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close_button = close.button(QDialogButtonBox.StandardButton.Close)
        close_button.setAutoDefault(False)  # Enter must never close the dialog and drop a pasted token
        close_button.setDefault(False)

        entry_row = QHBoxLayout()
        entry_row.addWidget(self.entry, 1)
        entry_row.addWidget(self.show_token)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{escape(environment.name)}</b> — {escape(self._address(environment))}",
                         objectName="tokenEnvironment")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(self.where)
        layout.addLayout(entry_row)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(close)
        self.refresh()

    @staticmethod
    def _address(environment: Environment) -> str:
        return "built in (this computer)" if environment.is_sandbox else environment.base_url

    def refresh(self) -> None:
        """Find out, off the GUI thread (a keyring may be slow or ask to be unlocked), where the token is kept and
        whether one is saved; the widgets follow when the answer comes."""
        self._reading = True
        if self.location is None:
            self.where.setText("Looking up where the token is kept…")
        self._update_buttons()
        credentials, environment = self._credentials, self.environment
        tasks.run(self, lambda report, cancel: credentials.location(environment), self._show_location,
                  self._location_unreadable, progress=None)

    def location_known(self) -> bool:
        return not self._reading

    def _location_unreadable(self, error: BaseException) -> None:
        self._reading = False
        self.where.setText(user_message(error))  # a locked keyring must not stop the dialog working
        self._update_buttons()

    def _show_location(self, location: Any) -> None:
        self._reading = False
        self.location = location
        if not location.needed:
            self.where.setText("The local sandbox needs no token: it accepts any request from this computer. "
                               "You can still test the connection.")
        elif location.has_token or location.overridden:
            self.where.setText(location.text)
        elif location.persistent:
            self.where.setText(f"{location.text} It will be kept in {location.kept_in}.")
        else:
            self.where.setText(f"{location.text} No keyring is available, so a saved token is kept in "
                               "memory only, until the app closes.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        QTimer.singleShot(0, self, self._fit)  # a text may have changed
        needed = self.location is None or self.location.needed
        has_token = bool(self.location and self.location.has_token)
        working = self._task is not None and self._task.is_running()
        busy = working or self._reading
        typed = bool(self.entry.text().strip())
        self.entry.setEnabled(needed and not working)
        self.show_token.setEnabled(needed)
        self.save_button.setText("Replace saved token" if has_token else "Save")
        self.save_button.setEnabled(needed and typed and not busy)
        self.save_button.setDefault(needed and typed)  # Enter saves what was pasted
        self.remove_button.setEnabled(needed and has_token and not busy)
        self.test_button.setEnabled(not busy and (not needed or typed or has_token))

    def _fit(self) -> None:
        """Grow to show every wrapped line (the texts change after the dialog opened) and never be shrunk so far
        that a wrapped label is cut off at the top or bottom."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.minimumSize().height())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)
        if self.height() < needed:
            self.resize(self.width(), needed)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit()

    def _on_show_toggled(self, shown: bool) -> None:
        self.entry.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)

    def _run(self, work, on_success, progress: str) -> None:
        self.result.setText("")
        self._task = tasks.run(self, work, on_success, self._on_failure, progress=progress, cancellable=False)
        self._task.finished.connect(self._update_buttons)
        self._update_buttons()

    def save(self) -> None:
        token = self.entry.text().strip()
        if not token:
            return
        environment, credentials = self.environment, self._credentials
        self._run(lambda report, cancel: credentials.save(environment, token), self._saved, "Saving the token…")

    def _saved(self, _result: object) -> None:
        self.entry.clear()
        self.show_token.setChecked(False)
        self.refresh()
        kept = self.location.kept_in if self.location is not None else "the keyring"
        self._say(True, f"Token saved ({kept}).")
        self.token_changed.emit(self.environment.id)

    def remove(self) -> None:
        environment, credentials = self.environment, self._credentials
        self._run(lambda report, cancel: credentials.remove(environment), self._removed, "Removing the token…")

    def _removed(self, _result: object) -> None:
        self.refresh()
        self._say(True, "The saved token was removed. Paste a token to send to this environment again.")
        self.token_changed.emit(self.environment.id)

    def test_connection(self) -> None:
        """Check the typed token, or the saved one when nothing is typed, against the server."""
        token = self.entry.text().strip() or None
        environment, credentials = self.environment, self._credentials
        self._run(lambda report, cancel: credentials.check(environment, token), self._checked,
                  "Testing the connection…")

    def _checked(self, check: Any) -> None:
        self._say(bool(check.ok), str(check.message))

    def _on_failure(self, error: BaseException) -> None:
        self._say(False, user_message(error))

    def _say(self, ok: bool, text: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {tone('good' if ok else 'error', self)}; font-weight: bold;")
        self.result.setAccessibleName(text)
        QTimer.singleShot(0, self, self._fit)

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        self.entry.clear()
        self.show_token.setChecked(False)
        super().done(result)
