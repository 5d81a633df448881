"""What the editor side adds to the main window: Set token…, Preferences…, Save draft, autosave and
draft recovery, and the status bar's token location and rate budget.

Kept apart from main_window.py so the window file stays small; `attach(window)` wires it all.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from spectrum_desktop.domain.endpoints import ACK_PATH, ACKS_PATH, ENDPOINTS, ORDER_PATH
from spectrum_desktop.domain.states import DELIVERED
from spectrum_desktop.domain.words import count as counted
from spectrum_desktop.services.drafts import DraftKeeper
from spectrum_desktop.ui import tasks
from spectrum_desktop.ui.draft_recovery import DraftAutosave, could_not_read_draft, offer_unsent_draft
from spectrum_desktop.ui.errors import user_message

RATE_REFRESH_MS = 1000
BUDGET_NAMES = {ACK_PATH: "acknowledgements", ACKS_PATH: "bulk sends", ORDER_PATH: "full orders"}
"""What each endpoint's budget is called in the status bar."""
DRAFT_CHECK_WAIT_MS = 5000
BACKGROUND_DELAY_MS = 400


def preferences_shortcuts() -> list[QKeySequence]:
    """The platform's Preferences keys where it has them (macOS Cmd+,), and Ctrl+, everywhere."""
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences))
    comma = QKeySequence("Ctrl+,")
    return keys + ([comma] if comma not in keys else [])


def token_status(location: Any) -> str:
    """What the status bar says about the active environment's token."""
    if not location.needed:
        return "not needed here"  # the tooltip says why (the Local sandbox needs none); the status bar is narrow
    if location.overridden:
        return "set for this session by the app's start-up settings (it overrides the saved one)"
    if not location.has_token:
        return f"none saved yet ({location.kept_in}); use Set token…"
    return location.kept_in


def token_status_detail(location: Any) -> str:
    """The status bar's tooltip: where a token is (or would be) kept."""
    if not location.needed:
        return "The Local sandbox runs inside this app and needs no token."
    return f"The token of this environment is kept in {location.kept_in}. Set token… saves, replaces or tests it."


class WindowTools(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self._window = window
        self._context = window.context
        self.keeper = DraftKeeper(self._context)
        self._restoring_correction: int | None = None
        """The History row a restored draft corrects, while its correction is read (kept with the draft meanwhile)."""
        self.autosave = DraftAutosave(window.editor, self.keeper, self,
                                      correction_of=lambda: window.correction_of() or self._restoring_correction)
        self.autosave.saved.connect(lambda _id: window.statusBar().showMessage("Draft saved.", 3000))
        self.autosave.failed.connect(lambda text: window.statusBar().showMessage(text, 10000))
        self.token_dialog = None
        self.preferences = None
        self.recovery = None
        self._status_task: tasks.Task | None = None
        self._budget_task: tasks.Task | None = None
        self._closed = False
        self._rebind(window.save_action, self.save_draft)
        self._rebind(window.preferences_action, self.open_preferences)
        window.preferences_action.setShortcuts(preferences_shortcuts())
        # Every binding the platform has for these (e.g. the keyboard's own New/Open keys), not only the first.
        for action, standard in ((window.new_action, QKeySequence.StandardKey.New),
                                 (window.open_action, QKeySequence.StandardKey.Open),
                                 (window.save_action, QKeySequence.StandardKey.Save),
                                 (window.quit_action, QKeySequence.StandardKey.Quit)):
            action.setShortcuts(standard)
        window.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        window.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.token_action = QAction("Set &token…", window, objectName="setTokenAction")
        self.token_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.token_action.setToolTip("Save, replace, remove or test the API token of the active environment")
        self.token_action.triggered.connect(self.open_token_dialog)
        menu = self._menu_of(window.preferences_action)
        if menu is not None:
            menu.insertAction(window.preferences_action, self.token_action)
        window.addAction(self.token_action)
        toolbar = window.findChild(QObject, "environmentToolbar")
        if toolbar is not None:
            toolbar.addAction(self.token_action)
            _toolbar_icons(window, toolbar, self.token_action)
        window.token_requested.connect(lambda _environment_id: self.open_token_dialog())
        window.environment_changed.connect(lambda _environment_id: self.refresh_status())
        window.environment_changed.connect(self._follow_request_format)
        window.send_finished.connect(self._on_sent)
        window.send_finished.connect(lambda _record: self.refresh_rate_budget())
        window.pages.currentChanged.connect(lambda _index: self.refresh_rate_budget())
        window.installEventFilter(self)
        self._rate_timer = QTimer(self)
        self._rate_timer.setInterval(RATE_REFRESH_MS)
        self._rate_timer.timeout.connect(self.refresh_rate_budget)
        self._follow_request_format()
        self._draft_task: tasks.Task | None = None
        # The keyring, the HTTP client and the database are not needed to show the window: read them once it is up.
        QTimer.singleShot(BACKGROUND_DELAY_MS, self, self._start_background_checks)

    def _start_background_checks(self) -> None:
        if self._closed:
            return
        self.refresh_status()
        self._draft_task = tasks.run(self._window, lambda report, cancel: self.keeper.unsent(), self.offer_draft,
                                     self._draft_unreadable, progress=None)

    @staticmethod
    def _rebind(action: QAction, slot) -> None:
        action.triggered.disconnect()
        action.triggered.connect(slot)

    def _menu_of(self, action: QAction) -> QMenu | None:
        for menu in self._window.menuBar().findChildren(QMenu):
            if action in menu.actions():
                return menu
        return None

    # drafts
    def save_draft(self) -> bool:
        return self.autosave.save_now()

    def offer_draft(self, draft: Any) -> None:
        """Offer back a draft an earlier session left unsent (looked up off the GUI thread at start)."""
        self.recovery = offer_unsent_draft(self._window, self.keeper, draft, self._restore, self._restore_correction)
        if not self.keeper.persistent:
            self._window.statusBar().showMessage(
                "No keyring: drafts are kept only while the app runs. Unlock or install a keyring.", 15000)

    def _draft_unreadable(self, error: BaseException) -> None:
        self.recovery = could_not_read_draft(self._window, error)

    def draft_check_started(self) -> bool:
        return self._draft_task is not None

    def draft_check_done(self) -> bool:
        return self._draft_task is not None and not self._draft_task.is_running()

    def _restore(self, order: dict, kind: str) -> None:
        self._window.editor.load(order, kind or None)
        self._window.statusBar().showMessage("The unsent order was restored.", 5000)

    def _restore_correction(self, original_id: int) -> None:
        """The restored draft corrects a History row: read that correction (the accepted recipe sets) off the GUI
        thread, then link the order to it again."""
        self._restoring_correction = original_id
        service = self._context.submissions

        def done(correction: Any) -> None:
            self._restoring_correction = None
            self._window.restore_correction(correction)

        def failed(_error: BaseException) -> None:  # the row is gone or unreadable: the order stays a new one
            self._restoring_correction = None

        tasks.run(self._window, lambda _report, _cancel: service.correction(original_id), done, failed, progress=None)

    def _on_sent(self, record: Any) -> None:
        if getattr(record, "state", None) in DELIVERED:
            self.autosave.sent()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Before the window's own closeEvent closes the context (and its database): write what was typed.
        if watched is self._window and event.type() == QEvent.Type.Close:
            self._closed = True
            self._rate_timer.stop()
            self._wait_for_draft_check()
            if self.autosave.pending():
                self.autosave.save_now()
        return False

    def _wait_for_draft_check(self) -> None:
        """The start-up draft lookup reads the database; let it finish before the window closes the context."""
        if self._draft_task is None or not self._draft_task.is_running():
            return
        loop = QEventLoop()
        self._draft_task.finished.connect(loop.quit)
        QTimer.singleShot(DRAFT_CHECK_WAIT_MS, loop, loop.quit)
        loop.exec()

    # token and preferences
    def open_token_dialog(self):
        from spectrum_desktop.ui.token_dialog import TokenDialog

        if self.token_dialog is not None:
            self.token_dialog.close()
        dialog = TokenDialog(self._context, self._window.active_environment(), self._window)
        dialog.token_changed.connect(lambda _environment_id: self.refresh_status())
        self.token_dialog = dialog
        dialog.open()
        return dialog

    def open_preferences(self):
        from spectrum_desktop.ui.preferences import PreferencesDialog

        if self.preferences is not None:
            self.preferences.close()
        dialog = PreferencesDialog(self._context, self._window)
        dialog.environments_changed.connect(self._environments_changed)
        dialog.token_changed.connect(lambda _environment_id: self.refresh_status())
        self.preferences = dialog
        dialog.open()
        return dialog

    def _follow_request_format(self, _environment_id: str = "") -> None:
        environment = self._window.active_environment()
        editor = self._window.editor
        if editor.follow_request_format(environment.request_format):
            self._window.statusBar().showMessage(
                f"{environment.name} takes acknowledgements in the {environment.request_format} format: "
                f"the form now builds “{editor.kind_combo.currentText()}”. What you typed is kept.", 8000)

    def _environments_changed(self) -> None:
        self._window.reload_environments()
        self.refresh_status()

    # status bar
    def refresh_status(self) -> None:
        """Token location and rate budget of the active environment, read off the GUI thread (the keyring can be
        slow, and the first budget read loads the HTTP client)."""
        window: QMainWindow = self._window
        environment = window.active_environment()
        context = self._context

        endpoint = self._endpoint()

        def read(report, cancel):
            from spectrum_desktop.services.team import SharedHistoryError

            location = context.credentials.location(environment)
            try:
                budget = context.rate_budget(environment, endpoint)
            except SharedHistoryError as error:  # the team's budget is in the shared history, and it is away
                budget = error
            return location, budget

        self._status_task = tasks.run(
            window, read, lambda found: self._show_status(environment.id, *found), self._status_failed,
            progress=None,
        )

    def _status_failed(self, error: BaseException) -> None:
        from spectrum_desktop.domain.errors import LocalDataError, LocalDataProblem
        from spectrum_desktop.ui.errors import show_error

        if isinstance(error, LocalDataError):  # e.g. a damaged history file moved aside: say where, in a dialog
            show_error(self._window, error, "History file")
            if error.problem is LocalDataProblem.DAMAGED:
                self.refresh_status()  # a new history was started: read the status again from it
            return
        self._window.show_token_location(user_message(error))

    def _show_status(self, environment_id: str, location: Any, budget: Any) -> None:
        if self._window.active_environment().id != environment_id:
            return
        self._window.show_token_location(token_status(location))
        self._window.token_label.setToolTip(token_status_detail(location))
        self._show_budget(budget)
        if not self._rate_timer.isActive() and self._window.isVisible():
            self._rate_timer.start()

    def refresh_rate_budget(self) -> None:
        """The budget is machine-wide and kept in the database: read it off the GUI thread."""
        if self._budget_task is not None or self._closed:
            return  # closed: the database is closed too (pages torn down after closing still signal a change)
        context, environment, endpoint = self._context, self._window.active_environment(), self._endpoint()

        def done(budget: Any) -> None:
            self._budget_task = None
            self._show_budget(budget)

        def failed(error: BaseException) -> None:  # the status bar must not break the window
            self._budget_task = None
            self._show_budget(error)

        self._budget_task = tasks.run(self._window, lambda report, cancel: context.rate_budget(environment, endpoint),
                                      done, failed, progress=None)

    def _endpoint(self) -> str:
        """The budget shown is the one the visible page sends with (the rate limit is per endpoint): on Bulk the
        multiple-acknowledgements endpoint, elsewhere the single-order endpoint of the form's kind."""
        pages = self._window.pages
        if pages.tabText(pages.currentIndex()) == "Bulk":
            return ACKS_PATH
        return ENDPOINTS[self._window.editor.kind()]

    def _show_budget(self, budget: Any) -> None:
        if isinstance(budget, BaseException):
            self._budget_unknown(budget)
            return
        self._window.show_rate_budget(budget.left, budget.total, BUDGET_NAMES.get(self._endpoint(), ""))
        self._window.rate_label.setToolTip(
            f"The server allows {counted(budget.total, 'request')} every {budget.seconds:g} "
            f"second{'' if budget.seconds == 1 else 's'}; "
            "sending waits when none are left."
        )

    def _budget_unknown(self, error: BaseException) -> None:
        """The budget could not be read: a few words in the status bar (the whole message would be cut off there),
        the whole of it in the tooltip."""
        from spectrum_desktop.services.team import SharedHistoryError

        label = self._window.rate_label
        label.setMinimumWidth(0)
        label.setText("Shared history not available: nothing can be sent" if isinstance(error, SharedHistoryError)
                      else "Requests left: unknown")
        label.setToolTip(user_message(error))


def _toolbar_icons(window: Any, toolbar: Any, token_action: QAction) -> None:
    """Send and Set token get standard icons, as the History and Bulk buttons do, and keep their words."""
    from spectrum_desktop.ui.icons import key_icon, send_icon, text_colour

    send = getattr(window, "send_action", None)
    icons = [(token_action, QIcon.fromTheme("dialog-password", key_icon(text_colour(window))))]
    if send is not None:
        icons.append((send, send_icon(window)))
    for action, icon in icons:
        action.setIcon(icon)
        button = toolbar.widgetForAction(action)
        if button is not None:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)


def attach(window: Any) -> WindowTools:
    return WindowTools(window)
