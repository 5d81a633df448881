"""Sending the order in the form: check, ask when it matters, send off the GUI thread, show the result.

Two background steps run through ui.tasks, both calls to the submission service: `check` (the order
validated once, the target, already delivered there?) and, after any question to the person, `send` with
the checked order (not validated again). Nothing in the worker touches a widget.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from spectrum_desktop.domain.environment import Environment
from spectrum_desktop.domain.states import OrderKind, SubmissionState
from spectrum_desktop.ui import tasks
from spectrum_desktop.ui.errors import user_message
from spectrum_desktop.ui.result_panel import ResultPanel
from spectrum_desktop.ui.result_text import CHECK_LABEL, ResultText, Tone, describe, describe_not_sent

if TYPE_CHECKING:  # the services (requests, keyring, SQLite) load on the first send, not at start-up
    from PySide6.QtWidgets import QMessageBox

    from spectrum_desktop.domain.submission import SubmissionRecord
    from spectrum_desktop.services.submission import CheckedOrder, Target


CANCELLED_BEFORE_SENDING = "Not sent: you cancelled before sending. Nothing left this computer."
CANCELLED_MESSAGE_MS = 10_000


@dataclass(frozen=True)
class Sent:
    record: SubmissionRecord
    response_body: str | None


class SendFlow(QObject):
    """One send at a time. `finished(record)` after a send; `not_sent(reason)` when nothing was sent."""

    finished = Signal(object)
    not_sent = Signal(str)
    correction_ready = Signal(object)
    """A services.submission.Correction of the last send (its failed recipe sets), asked for from the panel."""

    def __init__(self, parent: QMainWindow, context: Any, panel: ResultPanel) -> None:
        super().__init__(parent)
        self._window = parent
        self._context = context
        self._panel = panel
        self._task: tasks.Task | None = None
        self._environment: Environment | None = None
        self._last: Sent | None = None
        self._last_target: Target | None = None
        self._cancelled = False
        self._resend_of: int | None = None
        self._previous: ResultText | None = None
        self.question: QMessageBox | None = None
        panel.cancel_requested.connect(self.cancel)
        panel.check_requested.connect(self.check_last)
        panel.send_again_requested.connect(self.send_last_again)
        panel.correct_requested.connect(self.correct_last)

    def busy(self) -> bool:
        return self._task is not None or self.question is not None

    def start(self, environment: Environment, order: dict, kind: OrderKind | None,
              resend_of: int | None = None) -> bool:
        """Begin sending `order` to `environment`; False when a send is already under way. `resend_of`: the
        history row the order corrects (see SubmissionService.send)."""
        if self.busy():
            return False
        self._cancelled = False
        self._resend_of = resend_of
        self._environment = environment
        self._previous = self._panel.shown  # back on the panel if the person cancels before anything is sent
        context = self._context

        def check(_report, _cancel) -> CheckedOrder:
            return context.submissions.check(order, kind, context.target(environment))

        self._panel.sending(f"Preparing to send to {environment.name}…")
        self._task = tasks.run(self._window, check, self._confirm,
                               self._failed_before_sending, progress=None)
        return True

    def cancel(self) -> None:
        self._cancelled = True
        if self.question is not None:
            self.question.reject()
        if self._task is not None:
            self._task.cancel()
            self._panel.cancelling()

    # --- questions to the user (non-blocking message boxes, so tests and screen readers can answer them) ---
    def _confirm(self, checked: CheckedOrder) -> None:
        self._task = None
        self._panel.idle()
        if self._cancelled:
            self._cancelled_before_sending()
            return
        environment = self._environment
        po = checked.order.purchase_order
        from PySide6.QtWidgets import QMessageBox  # (the boxes' class loads on the first send)

        steps = []
        if checked.already_delivered:
            steps.append(("alreadySentWarning", QMessageBox.Icon.Warning, "Already sent",
                          f"Purchase order {po} was already sent successfully to {environment.name}.\n\n"
                          "Sending it again will most likely be answered “already submitted”. Send it anyway?",
                          "Send again anyway"))
        if checked.needs_confirmation:
            steps.append(_production_step(environment, po))
        if steps:
            self._ask(steps, lambda: self._send(checked))
        else:
            self._send(checked)

    def _ask(self, steps: list, then) -> None:
        if not steps:
            then()
            return
        from PySide6.QtWidgets import QMessageBox

        name, icon, title, text, yes_text = steps[0]
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, self._window)
        box.setObjectName(name)
        yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        self.question = box

        def answered(_result: int) -> None:
            self.question = None
            box.deleteLater()
            if box.clickedButton() is yes:
                self._ask(steps[1:], then)
            else:
                self._cancelled_before_sending()

        box.finished.connect(answered)
        box.open()

    def _cancelled_before_sending(self) -> None:
        """Nothing left the computer. The panel says so, or, when it showed an earlier result, shows that again
        (the answer to a send must not vanish because a repeat was called off) and the status bar says so."""
        self._panel.idle()
        if self._previous is not None:
            self._panel.show_result(self._previous)
        else:
            self._panel.show_result(ResultText(Tone.NOTICE, "Not sent: you cancelled before sending.",
                                               "Nothing left this computer."))
        self._window.statusBar().showMessage(CANCELLED_BEFORE_SENDING, CANCELLED_MESSAGE_MS)
        self.not_sent.emit("cancelled by the user")

    # --- the send itself ---
    def _send(self, checked: CheckedOrder) -> None:
        service = self._context.submissions
        self._last_target = checked.target
        resend_of = self._resend_of

        def work(_report, cancel: threading.Event) -> Sent:
            # The person already agreed to a repeat (force); another window sending it right now is not repeated.
            report = service.send([checked], force=True, cancel=cancel, resend_of=resend_of)
            if report.problems:
                raise report.problems[0]
            if not report.records:
                from spectrum_desktop.services.errors import BeingSentElsewhere

                raise BeingSentElsewhere(checked.order.purchase_order)
            return Sent(report.records[0], _response_body(service, report.records[0]))

        environment = self._environment
        self._panel.sending(f"Sending {checked.order.purchase_order} to {environment.name}…")
        self._panel.cancel_button.setEnabled(True)
        self._task = tasks.run(self._window, work, self._sent, self._failed_before_sending, progress=None)

    def _sent(self, sent: Sent) -> None:
        self._task = None
        self._last = sent
        self._show(sent)
        self.finished.emit(sent.record)

    def _show(self, sent: Sent) -> None:
        environment = self._environment
        self._panel.show_result(describe(sent.record, environment.name, sent.response_body,
                                         environment.rate_limit_seconds))

    def refuse(self, error: BaseException, environment: Environment) -> None:
        """Show why nothing was sent to `environment` (e.g. the order is invalid) and say so with not_sent."""
        self._not_sent(error, environment.name)

    def _failed_before_sending(self, error: BaseException) -> None:
        self._task = None
        self._not_sent(error, self._environment.name if self._environment else "the server")

    def _not_sent(self, error: BaseException, environment_name: str) -> None:
        from spectrum_desktop.services.errors import MissingToken

        self._panel.show_result(describe_not_sent(user_message(error), environment_name,
                                                  isinstance(error, MissingToken)))
        self.not_sent.emit(user_message(error))

    # --- follow-ups offered by the result panel ---
    def check_last(self) -> None:
        """Ask the server whether an unknown send arrived (a lookup; nothing is sent)."""
        if self._last is None or self._last_target is None or self.busy():
            return
        service, record, target = self._context.submissions, self._last.record, self._last_target

        def work(_report, _cancel) -> tuple[Sent, bool]:
            outcome = service.check_delivered(record.id, target)
            return Sent(outcome.record, _response_body(service, outcome.record)), outcome.delivered

        def done(result: tuple[Sent, bool]) -> None:
            self._task = None
            sent, delivered = result
            self._last = sent
            if delivered:
                self._show(sent)
            else:
                self._panel.show_result(ResultText(
                    Tone.UNKNOWN, f"Not found: {self._environment.name} does not have "
                    f"{', '.join(record.purchase_orders)}.",
                    "It did not arrive. It is safe to send it again (Send again).", sent.record.results,
                    actions=describe(sent.record, self._environment.name).actions))

        def failed(error: BaseException) -> None:
            self._task = None
            self._panel.show_result(ResultText(
                Tone.UNKNOWN, "Could not check: the outcome is still unknown.",
                f"{user_message(error)}\n\nTry {CHECK_LABEL} again in a moment.", record.results,
                actions=describe(record, self._environment.name).actions))

        self._panel.sending("Checking with the server…")
        self._task = tasks.run(self._window, work, done, failed, progress=None)

    def correct_last(self) -> None:
        """Read the last (partly accepted) send as a correction on a worker: correction_ready(Correction)."""
        if self._last is None or self.busy():
            return
        service, record = self._context.submissions, self._last.record

        def done(found) -> None:
            self._task = None
            if found is None:
                from spectrum_desktop.services.errors import BodyNotKept

                failed(BodyNotKept(record.id, record.purchase_orders))
                return
            self.correction_ready.emit(found)
            self._panel.correction_opened()

        def failed(error: BaseException) -> None:
            self._task = None
            from spectrum_desktop.ui.errors import show_error

            show_error(self._window, error, "Could not open the failed recipe sets")

        self._task = tasks.run(self._window, lambda _report, _cancel: service.correction(record.id), done, failed,
                               progress=None)

    def send_last_again(self) -> None:
        """Resend exactly what was sent last time (from the journal), linked to the original."""
        if self._last is None or self._last_target is None or self.busy():
            return
        service, record = self._context.submissions, self._last.record

        def work(_report, _cancel) -> Sent:
            report = service.resend([record.id])
            if report.problems:
                raise report.problems[0]
            again = report.records[-1] if report.records else service.record(record.id)
            return Sent(again, _response_body(service, again))

        def go() -> None:
            self._panel.sending(f"Sending {', '.join(record.purchase_orders)} again…")
            self._task = tasks.run(self._window, work, self._sent, self._failed_before_sending, progress=None)

        steps = [_production_step(self._environment, ", ".join(record.purchase_orders))] \
            if self._environment.is_production else []
        self._ask(steps, go)


def _production_step(environment: Environment, po: str) -> tuple:
    from PySide6.QtWidgets import QMessageBox

    from spectrum_desktop.ui.environment_band import production_name

    return ("confirmSend", QMessageBox.Icon.Question, f"Send to {environment.name}?",
            f"You are about to send purchase order {po} to {production_name(environment)}.\n\n"
            "This is real: Spectrum will act on it.",
            f"Send to {environment.name}")


def _response_body(service: Any, record: SubmissionRecord) -> str | None:
    """Only an "already submitted" answer is shown with Spectrum's own words (read on the worker thread)."""
    from spectrum_desktop.services.errors import ServiceError

    if record.state is not SubmissionState.ALREADY_SUBMITTED:
        return None
    try:
        return service.detail(record.id).response_body
    except ServiceError:
        return None
