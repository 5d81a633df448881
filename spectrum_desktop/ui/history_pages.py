"""Put History (Ctrl+H) and Bulk (Ctrl+B) in the main window.

The tabs and shortcuts exist at once; each page (and the modules behind it) is built the first time its tab
is shown, so the window opens fast. Everything the pages do goes through the services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from spectrum_desktop.ui.bulk_view import BulkView, SendPlan
    from spectrum_desktop.ui.history_format import HistoryFilter
    from spectrum_desktop.ui.history_view import HistoryView

CLOSE_WAIT_SECONDS = 40.0  # longer than a read timeout: the batch in flight gets its answer recorded


class LazyPage(QWidget):
    """A tab that builds its real page on first show (or when code asks for it)."""

    def __init__(self, build: Callable[[], QWidget], name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._build = build
        self.built: QWidget | None = None

    def page(self) -> QWidget:
        if self.built is None:
            self.built = self._build()
            self.layout().addWidget(self.built)
        return self.built

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.page()
        super().showEvent(event)


class HistoryPages:
    """The two tabs of one window and the links between them, the editor and the window's sends."""

    def __init__(self, window: Any, context: Any) -> None:
        self._window = window
        self._context = context
        self._lazy_service: Any = None
        self.history_tab = LazyPage(self._build_history, "historyTab")
        self.bulk_tab = LazyPage(self._build_bulk, "bulkTab")
        self.live: Any = None
        """The LiveHistory of a shared history's open History page (None for this computer's own history)."""

    @property
    def history(self) -> HistoryView:
        return self.history_tab.page()

    @property
    def bulk(self) -> BulkView:
        return self.bulk_tab.page()

    def built_pages(self) -> list[QWidget]:
        return [p for p in (self.history_tab.built, self.bulk_tab.built) if p is not None]

    def notify_changed(self, *_args: object) -> None:
        """Something was sent: History re-reads (only once it exists; it reads fresh when first shown)."""
        if self.history_tab.built is not None:
            self.history_tab.built.notify_changed()

    def sent_elsewhere(self, records: object) -> None:
        """An order went out from the editor or a History resend: Bulk's row of it (if any) stops saying Invalid,
        and the result panel under the order shows the resend instead of an older result."""
        if self.bulk_tab.built is not None:
            self.bulk_tab.built.sent_elsewhere(records)
        if isinstance(records, list):
            self._echo_resent(records)

    def _echo_resent(self, records: list) -> None:
        """The result panel under the order shows the result of a History resend of the same purchase order, so it
        never keeps an older answer for it (coordinated here; the panel and the send flow are left as they are)."""
        window = self._window
        panel, flow = getattr(window, "results", None), getattr(window, "sender_flow", None)
        if panel is None or (flow is not None and flow.busy()):
            return
        from spectrum_desktop.ui.result_text import describe

        shown = panel.shown.headline if panel.shown is not None else ""
        editing = str(window.current_order().get("purchaseOrderNumber", "")).strip()
        names = {e.id: e.name for e in self._environments()}
        for record in reversed(records):
            pos = set(record.purchase_orders)
            if (editing and editing in pos) or any(po and po in shown for po in pos):
                panel.show_result(describe(record, names.get(record.environment_id, record.environment_id)))
                return

    def _service(self) -> Any:
        from spectrum_desktop.ui.history_sources import LazyService

        if self._lazy_service is None:
            self._lazy_service = LazyService(self._context)
        return self._lazy_service

    def _edit(self, order: dict, correction: Any = None, keep_result: bool = False) -> None:
        """Open an order from History or Bulk in the editor; from History it carries its Correction (the
        recipeSets accepted already are shown, never sent again)."""
        self._window.load_order(order, correction, keep_result)
        self._window.show_page("Order")

    def _environments(self) -> list:
        from spectrum_desktop.ui.environment_choice import load_environments

        return list(load_environments(self._context).environments)

    def _build_history(self) -> HistoryView:
        from spectrum_desktop.ui.history_sources import history_source
        from spectrum_desktop.ui.history_view import HistoryView

        view = HistoryView(history_source(self._service()), self._environments(), lazy=True)
        view.open_in_editor.connect(self._edit)
        view.resend_finished.connect(self.notify_changed)
        view.resend_finished.connect(self.sent_elsewhere)
        self._window.environment_changed.connect(lambda _id: view.set_environments(self._environments()))
        if getattr(self._context, "shared_history_url", ""):
            view.set_shared(True, self._context.sender)
            view.model.modelReset.connect(lambda: self._listen(view))
        return view

    def _listen(self, view: HistoryView) -> None:
        """Once History has read the shared history (so the journal is open), rows colleagues write reach it over
        LISTEN/NOTIFY: a few reloads a second at most, only of the rows loaded, never a poll of the table."""
        if self.live is not None:
            return
        from spectrum_desktop.ui.live_history import LiveHistory

        self.live = LiveHistory(view, self._context, view.notify_changed).start()

    def stop_live(self) -> None:
        """Before the window closes its context: the listener's own connection and thread end."""
        if self.live is not None:
            self.live.stop()

    def _build_bulk(self) -> BulkView:
        from spectrum_desktop.ui.bulk_view import BulkView
        from spectrum_desktop.ui.history_sources import bulk_source, plan_for

        context, window = self._context, self._window

        def current_plan() -> SendPlan:
            return plan_for(context.environment(window.active_environment().id))

        view = BulkView(bulk_source(self._service(), current_plan,
                                    lambda p: context.target(context.environment(p.environment_id))))
        view.open_in_editor.connect(self._edit)
        view.progressed.connect(self.notify_changed)
        view.show_problems.connect(self._show_problems)
        view.sending_changed.connect(window.set_bulk_sending)
        window.environment_changed.connect(lambda _id: view.refresh_delivered())
        return view

    def _show_problems(self, history_filter: HistoryFilter) -> None:
        """History shown first, then filtered: being shown (the first time, or after sends) it re-reads its own
        widgets' filter (whole days), which must come before the precise one Bulk hands over, not replace it. A
        page built just now would be shown on the next turn of the event loop: it is shown at once."""
        self._window.show_page("History")
        view = self.history
        view.show()
        bulk = self.bulk_tab.built
        view.show_filter(history_filter, scope=bulk.run_scope() if bulk is not None else "")


class _FinishBeforeClose(QObject):
    """On the window's Close (before its closeEvent closes the database): stop a bulk send after the batch in
    flight, with the user's agreement, and wait for the pages' background work to end."""

    def __init__(self, window: Any, pages: HistoryPages) -> None:
        super().__init__(window)
        self._pages = pages

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.Close:
            return False
        bulk = self._pages.bulk_tab.built
        if bulk is not None and bulk.is_sending():
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                watched, "Bulk send running",
                "Orders are still being sent. Stop after the batch being sent now and close? "
                "The rest stay queued in History and can be resumed from the Bulk page.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return True
            bulk.cancel()
        for page in self._pages.built_pages():
            page.guard.wait(CLOSE_WAIT_SECONDS)
        self._pages.stop_live()
        return False


def install_history_pages(window: Any, context: Any) -> HistoryPages:
    """Add History (Ctrl+H) and Bulk (Ctrl+B) to `window` (a MainWindow), backed by `context` (an AppContext)."""
    pages = HistoryPages(window, context)
    window.history_pages = pages
    window.add_page(pages.history_tab, "History", "Ctrl+H")
    window.add_page(pages.bulk_tab, "Bulk", "Ctrl+B")
    flow = getattr(window, "sender_flow", None)
    if flow is not None:  # the result panel's "Correct the failed ones" opens like History's Open in editor
        flow.correction_ready.connect(lambda correction: pages._edit(correction.body, correction, keep_result=True))
    sent = getattr(window, "send_finished", None)
    if sent is not None:
        sent.connect(pages.notify_changed)
        sent.connect(pages.sent_elsewhere)
    window.installEventFilter(_FinishBeforeClose(window, pages))
    return pages
