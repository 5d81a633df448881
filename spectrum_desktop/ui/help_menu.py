"""Help menu: About (with the version), Keyboard shortcuts (read from the window's real actions), the sandbox's
test values (the README's table, from spectrum_desktop.sandbox.magic) and where data and logs live."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QWidget

from spectrum_desktop import APP_DISPLAY_NAME

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QTableWidget

# The dialogs' own classes (and `platform`) are imported when a dialog is opened: the menu is built at start-up,
# its dialogs are not.

_MARKS = re.compile(r"\*\*|`")


def plain(markdown: str) -> str:
    """The README's Markdown cell as plain words (no backticks or bold marks)."""
    return _MARKS.sub("", markdown)


def action_text(action: QAction) -> str:
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".").strip()


def typed(key: QKeySequence) -> bool:
    """A combination a person types (Ctrl+S, F1), not a special keyboard's own key ("New", "Save")."""
    text = key.toString(QKeySequence.SequenceFormat.PortableText)
    return "+" in text or re.fullmatch(r"F\d+", text) is not None


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every action of the window that has a shortcut, read from the QActions
    themselves, so the list is never out of date. Actions in no named menu are listed under "Window", and so
    are QShortcuts that say what they do (whatsThis)."""
    menus: dict[QAction, str] = {}
    bar = _menu_bar_menus(window)
    for menu in bar + [m for m in window.findChildren(QMenu) if m not in bar]:  # the menu bar's name wins
        title = action_text(menu.menuAction())
        for action in menu.actions() if title else ():
            menus.setdefault(action, title)
    rows, seen = [], set()
    actions = list(window.actions()) + [a for a in window.findChildren(QAction) if a not in window.actions()]
    for action in actions:
        keys = [k for n, k in enumerate(action.shortcuts()) if not k.isEmpty() and (n == 0 or typed(k))]
        if not keys or action in seen or not action_text(action):
            continue
        seen.add(action)
        text = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
        rows.append((menus.get(action, "Window"), action_text(action), text))
    for shortcut in window.findChildren(QShortcut):  # keys bound without an action: listed when described
        if shortcut.isEnabled() and shortcut.whatsThis() and not shortcut.key().isEmpty():
            rows.append(("Window", shortcut.whatsThis(),
                         shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)))
    order = {name: n for n, name in enumerate(action_text(m.menuAction()) for m in _menu_bar_menus(window))}
    rows.sort(key=lambda r: (order.get(r[0], len(order)), r[0]))
    return rows


def _menu_bar_menus(window: QWidget) -> list[QMenu]:
    bar = window.menuBar() if hasattr(window, "menuBar") else None
    return [a.menu() for a in bar.actions() if a.menu() is not None] if bar is not None else []


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]], name: str) -> QTableWidget:
    from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

    table = QTableWidget(len(rows), len(headers), objectName=name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    for c in range(len(headers) - 1):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    header.sectionResized.connect(lambda *_: table.resizeRowsToContents())  # wrapped rows as tall as they need
    table.resizeRowsToContents()
    return table


def _dialog(parent: QWidget, name: str, title: str, intro: str, body: QWidget | None, size: tuple[int, int]) -> QDialog:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    label = QLabel(intro, objectName=f"{name}Text")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    label.setOpenExternalLinks(True)
    layout.addWidget(label)
    if body is not None:
        layout.addWidget(body, 1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(*size)
    return dialog


class HelpMenu(QObject):
    """The Help menu of one window; each dialog is built when asked for and kept while open (tests find it)."""

    def __init__(self, window: Any, menu: QMenu) -> None:
        super().__init__(window)
        self._window = window
        self.menu = menu
        self.dialog: QDialog | None = None
        self.shortcuts_action = menu.addAction("&Keyboard shortcuts", QKeySequence.StandardKey.HelpContents,
                                               self.show_shortcuts)
        self.shortcuts_action.setObjectName("helpShortcuts")
        self.sandbox_action = menu.addAction("&Sandbox test values", self.show_sandbox_values)
        self.sandbox_action.setObjectName("helpSandbox")
        self.locations_action = menu.addAction("&Where data and logs live", self.show_locations)
        self.locations_action.setObjectName("helpLocations")
        menu.addSeparator()
        self.about_action = menu.addAction(f"&About {APP_DISPLAY_NAME}", self.show_about)
        self.about_action.setObjectName("helpAbout")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        menu.aboutToShow.connect(self._add_icons)

    def _add_icons(self) -> None:
        """Standard icons, fetched when the menu first opens (the style is not needed before)."""
        from PySide6.QtWidgets import QStyle

        self.menu.aboutToShow.disconnect(self._add_icons)
        icon = self._window.style().standardIcon
        self.shortcuts_action.setIcon(icon(QStyle.StandardPixmap.SP_DialogHelpButton))
        self.locations_action.setIcon(icon(QStyle.StandardPixmap.SP_DirIcon))

    def _open(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.open()
        return dialog

    def show_about(self) -> QDialog:
        import platform

        from PySide6 import __version__ as qt_binding_version

        from spectrum_desktop import __version__

        text = (f"<h3>{APP_DISPLAY_NAME} {__version__}</h3>"
                "<p>Sends order acknowledgements and full orders to the Spectrum API, keeps a history of every "
                "send, and resends what failed. The Local sandbox environment lets you practise without sending "
                "anything to Spectrum.</p>"
                f"<p>Python {platform.python_version()} · Qt for Python {qt_binding_version} · "
                f"{platform.system()} {platform.release()}</p>"
                "<p>Help › Where data and logs live shows the files to send to support.</p>")
        return self._open(_dialog(self._window, "aboutDialog", f"About {APP_DISPLAY_NAME}", text, None, (460, 260)))

    def show_shortcuts(self) -> QDialog:
        rows = shortcut_rows(self._window)
        table = _table(("Menu", "Action", "Keys"), rows, "shortcutsTable")
        table.setAccessibleName("Keyboard shortcuts")
        return self._open(_dialog(self._window, "shortcutsDialog", "Keyboard shortcuts",
                                  "Every action also has a menu entry or a button; the keys are a quicker way.",
                                  table, (560, 520)))

    def show_sandbox_values(self) -> QDialog:
        from spectrum_desktop.domain.fields import label_for
        from spectrum_desktop.sandbox.magic import MAGIC_VALUES

        rows = [(*(row.desk or (plain(row.value), label_for(row.field or ""))), row.seen)
                for row in MAGIC_VALUES if row.seen]
        table = _table(("Type this", "in", "and you see"), rows, "sandboxValuesTable")
        table.setAccessibleName("Sandbox test values")
        intro = ("Like a payment provider's test cards: in the <b>Local sandbox</b> environment, start a value with "
                 "one of these to get a chosen answer, to practise or to show a colleague what each result looks "
                 "like. Nothing sent to the Local sandbox reaches Spectrum.")
        dialog = _dialog(self._window, "sandboxValuesDialog", "Sandbox test values", intro, table, (820, 560))
        return self._open(dialog)

    def show_locations(self) -> QDialog:
        from PySide6.QtCore import Qt, QUrl
        from PySide6.QtGui import QDesktopServices, QGuiApplication
        from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton

        from spectrum_desktop.services.locations import TOKENS_ARE_KEPT, locations

        body = QWidget()
        grid = QGridLayout(body)
        for row, place in enumerate(locations()):
            what = QLabel(place.what)
            what.setWordWrap(True)
            path = QLabel(str(place.path), objectName=f"location{row}")
            path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            path.setWordWrap(True)
            copy = QPushButton("Copy path")
            copy.setAutoDefault(False)
            copy.clicked.connect(lambda _=False, p=str(place.path): QGuiApplication.clipboard().setText(p))
            show = QPushButton("Open folder")
            show.setAutoDefault(False)
            folder = place.path if place.is_folder else place.path.parent
            show.clicked.connect(lambda _=False, f=folder: QDesktopServices.openUrl(QUrl.fromLocalFile(str(f))))
            grid.addWidget(what, row, 0)
            grid.addWidget(path, row, 1)
            grid.addWidget(copy, row, 2)
            grid.addWidget(show, row, 3)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        dialog = _dialog(self._window, "locationsDialog", "Where data and logs live",
                         "The app keeps these on this computer. " + TOKENS_ARE_KEPT, body, (900, 380))
        return self._open(dialog)


def install_help_menu(window: Any) -> HelpMenu:
    return HelpMenu(window, window.menuBar().addMenu("&Help"))
