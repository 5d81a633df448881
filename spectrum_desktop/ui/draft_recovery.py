"""Autosave of the order being edited, Save draft, and the offer to restore an unsent draft after a crash."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from spectrum_desktop.domain.words import count as counted
from spectrum_desktop.ui.errors import user_message

if TYPE_CHECKING:  # the message box's class loads when a box is shown, not at start-up
    from PySide6.QtWidgets import QMessageBox

AUTOSAVE_MS = 2000


class DraftAutosave(QObject):
    """Writes the editor's order through the drafts service at most every two seconds while it changes.

    The first change starts a 2-second timer; whatever the form holds when it fires is written. So at most
    two seconds of typing can be lost, and nothing is written on every keystroke.
    """

    saved = Signal(int)
    failed = Signal(str)

    def __init__(self, editor: Any, keeper: Any, parent: QObject | None = None,
                 correction_of: Callable[[], int | None] | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._keeper = keeper
        self._correction_of = correction_of or (lambda: None)
        """The History row the order in the editor corrects (kept with the draft), or None."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_now)
        editor.changed.connect(self._on_changed)

    def pending(self) -> bool:
        return self._timer.isActive()

    def _on_changed(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def save_now(self) -> bool:
        """Write the form now (Save draft, Ctrl+S); False with `failed` emitted when it could not be written."""
        self._timer.stop()
        try:
            draft_id = self._keeper.save(self._editor.order(), str(self._editor.kind()), self._correction_of())
        except Exception as error:  # noqa: BLE001 - the typing stays in the window; say why it was not saved
            self.failed.emit(user_message(error))
            return False
        self.saved.emit(draft_id)
        return True

    def sent(self) -> None:
        """The order went out: drop its draft and any pending write."""
        self._timer.stop()
        self._keeper.sent()

    def stop(self) -> None:
        self._timer.stop()


def offer_unsent_draft(parent: QWidget, keeper: Any, draft: Any, restore,
                       restore_correction: Callable[[int], None] | None = None) -> QMessageBox | None:
    """Ask (without blocking) whether to bring back `draft` (from `keeper.unsent()`), left by an earlier session.

    `restore(order: dict, kind: str)` fills the form; `restore_correction(original_id)` then links it again to the
    History row it corrects (a draft of a correction). Returns the open message box (objectName "draftRecovery"),
    or None when there is nothing to offer.
    """
    from PySide6.QtWidgets import QMessageBox

    if draft is None:
        return None
    when = draft.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
    count = len(draft.order.get("lineItems") or draft.order.get("recipeSets") or [])
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Restore the order you were working on?",
        f"This order was still in the form when the app closed, not yet delivered:\n\n{draft.name} "
        f"({counted(count, 'line item')}), last edited {when}."
        "\n\nRestore it to carry on (History shows what was sent of it, if anything), or discard it for good?",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("draftRecovery")
    restore_button = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    restore_button.setObjectName("restoreDraft")
    discard_button = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    discard_button.setObjectName("discardDraft")
    box.setDefaultButton(restore_button)

    def answered(button) -> None:
        if button is restore_button:
            keeper.adopt(draft)
            restore(draft.order, draft.kind)
            if restore_correction is not None and getattr(draft, "correction_of", None) is not None:
                restore_correction(draft.correction_of)
        elif button is discard_button:
            keeper.discard(draft)

    box.buttonClicked.connect(answered)
    box.open()
    return box


def could_not_read_draft(parent: QWidget, error: BaseException) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, "Unsent draft", user_message(error),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("draftRecovery")
    box.open()
    return box
