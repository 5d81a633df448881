"""Preferences › Shared history: the team's shared history address (tested before it is kept), the name shown
as sender, the team key (pasted once, kept in the keyring), and copying this computer's history over.

Every database and keyring call runs through the one task helper; the page only asks and shows answers.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spectrum_desktop.services import team
from spectrum_desktop.ui import tasks
from spectrum_desktop.ui.colour_scheme import error_text_style
from spectrum_desktop.ui.errors import user_message


class _EnterDoes(QObject):
    """Enter in a field does that field's action (Test, Save, Keep team key), not whichever button the dialog
    happens to hold as its default (it was Keep team key, which then asked for a key nobody had typed)."""

    def __init__(self, field: QLineEdit, action) -> None:
        super().__init__(field)
        self._action = action
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._action()
            return True
        return False


class TeamKeyDialog(QDialog):
    """The new team key, shown this once: in a fixed-width font (l, I and 1 differ), selectable, with Copy key."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamKeyShownOnce")
        self.setWindowTitle("Team key")
        self.message = QLabel(
            "This shared history was empty, so a team key was made for it. Give it to each colleague once (they "
            "paste it under Team key in Preferences › Shared history). It is kept in your keyring and is shown "
            "only this once: copy it now.", objectName="teamKeyMessage")
        self.message.setWordWrap(True)
        self.key = QLineEdit(key, objectName="teamKeyText")
        self.key.setReadOnly(True)
        self.key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        # The whole key in view (frame and text margins come on top of the text's own width).
        metrics = self.key.fontMetrics()
        self.key.setMinimumWidth(metrics.horizontalAdvance(key) + 4 * metrics.averageCharWidth() + 16)
        self.key.setCursorPosition(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.copy_button = buttons.addButton("Copy key", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setObjectName("teamKeyCopy")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_key)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.key)
        layout.addWidget(buttons)

    def copy_key(self) -> None:
        QGuiApplication.clipboard().setText(self.key.text())
        self.copy_button.setText("Copied")


class SharedHistoryPage(QWidget):
    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharedHistoryPage")
        self._context = context
        self.task: tasks.Task | None = None
        self.key_box: TeamKeyDialog | None = None
        self._copied_as = ""
        settings = team.load_settings()
        self._saved_url = settings.journal_url
        intro = QLabel(
            "A team can keep one history on a PostgreSQL database, so everyone sees what the others sent and "
            "nobody sends an order twice. Leave the address empty to keep this computer's own history.")
        intro.setWordWrap(True)
        self.address = QLineEdit(settings.journal_url, objectName="sharedHistoryAddress")
        self.address.setPlaceholderText("postgresql://name@server:5432/database")
        self.address.setToolTip("The password is not part of the address: it is asked for by the database's own "
                                "means or kept in the keyring.")
        self.password = QLineEdit(objectName="sharedHistoryPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Only if the database asks for one; kept in the keyring")
        self.display_name = QLineEdit(settings.display_name, objectName="sharedHistoryName")
        self.display_name.setPlaceholderText(team.sender_name(None))
        self.display_name.setToolTip("Shown as “Sent by” to your colleagues; empty: your login name")
        self.team_key = QLineEdit(objectName="sharedHistoryTeamKey")
        self.team_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.team_key.setPlaceholderText("Paste the key a colleague gave you")
        self.test_button = QPushButton("Test", objectName="sharedHistoryTest")
        self.save_button = QPushButton("Save", objectName="sharedHistorySave")
        self.save_button.setToolTip("Keeps the address and your name. A new address is used from the next start of "
                                    "the app; your name counts at once.")
        self.key_button = QPushButton("Keep team key", objectName="sharedHistoryKeepKey")
        self.copy_button = QPushButton("Copy this computer's history into it", objectName="sharedHistoryCopy")
        self.set_by_administrator = QLabel(objectName="sharedHistorySetByAdministrator")
        self.set_by_administrator.setWordWrap(True)
        self.set_by_administrator.setVisible(False)
        administrator_url = team.administrator_url()
        if administrator_url:
            self.address.setText(administrator_url)
            self.address.setReadOnly(True)
            self.set_by_administrator.setText(
                "This address is set for this computer by your administrator's start-up settings, so it is the one "
                "in use and cannot be changed here. Ask your administrator to change it.")
            hint = (f"Set by the start-up setting {team.URL_VARIABLE}; it takes the place of an address saved "
                    "here.")
            for widget in (self.address, self.set_by_administrator):
                widget.setToolTip(hint)
            self.set_by_administrator.setVisible(True)
        self.status = QLabel(objectName="sharedHistoryStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        address_box = QVBoxLayout()
        address_box.setSpacing(2)
        address_box.addWidget(self.address)
        address_box.addWidget(self.set_by_administrator)
        form.addRow("Address", address_box)
        form.addRow("Password", self.password)
        form.addRow("Your name", self.display_name)
        key_row = QHBoxLayout()
        key_row.addWidget(self.team_key, 1)
        key_row.addWidget(self.key_button)
        form.addRow("Team key", key_row)
        buttons = QHBoxLayout()
        for button in (self.test_button, self.save_button, self.copy_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.test_button.clicked.connect(self.test)
        self.save_button.clicked.connect(self.save)
        self.key_button.clicked.connect(self.keep_key)
        self.copy_button.clicked.connect(self.copy_history)
        for field, action in ((self.address, self.test), (self.password, self.test), (self.display_name, self.save),
                              (self.team_key, self.keep_key)):
            _EnterDoes(field, action)

    # -- actions -------------------------------------------------------------------------------------------------

    def test(self) -> None:
        url = self.address.text().strip()
        if not url:
            self._say("Enter the address your team was given, then Test.", ok=False)
            return
        password = self.password.text()
        self._run(lambda _report, _cancel: team.check_connection(url, password), self._tested, "Connecting…")

    def save(self) -> None:
        url, name, password = self.address.text().strip(), self.display_name.text(), self.password.text()
        # An address set by the administrator is in force but is not this page's to keep: the file keeps its own.
        kept = self._saved_url if self.address.isReadOnly() else url

        context = self._context

        def work(_report, _cancel):
            settings = team.save_settings(kept, name, password)
            context.use_team_settings(settings)  # the name counts now: sends and copies from here on go under it
            if not url:
                return None
            return team.join(url, context.sender)

        self._run(work, self._saved, "Connecting…")

    def keep_key(self) -> None:
        url, key = self.address.text().strip(), self.team_key.text()
        if not url or not key.strip():
            self._say("Enter the address and paste the team key first.", ok=False)
            return
        self._run(lambda _report, _cancel: team.enter_team_key(url, key), self._key_kept, "Checking the key…")

    def copy_history(self) -> None:
        url = self.address.text().strip()
        if not url:
            self._say("Enter the shared history's address first.", ok=False)
            return
        context = self._context
        # The rows are this person's, under the name in "Your name" now (not the one this window started with).
        self._copied_as = sender = team.sender_named(self.display_name.text())

        def work(report, _cancel):
            return team.export_to(url, context,
                                  lambda done, total: report(done, total, f"Copying {done} of {total}…"),
                                  sender=sender)

        self._run(work, self._copied, "Copying the history…")

    # -- answers -------------------------------------------------------------------------------------------------

    def _tested(self, found: team.ConnectionCheck) -> None:
        orders = "1 order" if found.rows == 1 else f"{found.rows:,} orders"
        text = f"Connected to {found.where}: {orders} in the shared history."
        if not found.has_team_key:
            text += " It has no team key yet: Save makes one and shows it to you once."
        self._say(text, ok=True)

    def _saved(self, shared: team.SharedJournal | None) -> None:
        self.password.clear()
        if shared is None:
            self._say("Saved: this computer keeps its own history. Close Spectrum Desktop and start it again for "
                  "that to take effect.", ok=True)
            return
        self._say("Saved. Close Spectrum Desktop and start it again to use the shared history: until then this "
                  "window keeps the history it started with. Your name counts from now on.", ok=True)
        if shared.new_team_key is not None:
            self.show_new_key(shared.new_team_key.decode("ascii"))

    def show_new_key(self, key: str) -> None:
        box = TeamKeyDialog(key, self)
        self.key_box = box
        box.open()

    def _key_kept(self, kept: bool) -> None:
        self.team_key.clear()
        if kept:
            self._say("The team key is right and is kept in your keyring.", ok=True)
        else:
            self._say("The team key is right, but this computer has no keyring to keep it in.", ok=False)

    def _copied(self, result: team.ExportResult) -> None:
        def rows(n: int) -> str:
            return f"{n:,} order" if n == 1 else f"{n:,} orders"

        there = "was" if result.already_there == 1 else "were"
        text = (f"Copied {rows(result.copied)} as sent by “{self._copied_as}”; {rows(result.already_there)} "
                f"{there} there already.")
        if self._copied_as != self._context.sender:
            text += " Save to send under this name too."
        if result.bodies_left_out:
            text += f" The contents of {rows(result.bodies_left_out)} could not be copied."
        self._say(text, ok=True)
        if result.new_team_key is not None:  # this copy set up an empty shared history
            self.show_new_key(result.new_team_key.decode("ascii"))

    def _run(self, work, on_success, label: str) -> None:
        self._say(label, ok=True)
        self.task = tasks.run(self, work, on_success, lambda exc: self._say(user_message(exc), ok=False),
                              progress=label, cancellable=False)

    def _say(self, text: str, ok: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else error_text_style(self))
