"""The one place where failures become messages a person can act on."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from spectrum_desktop.domain.words import count, environments_problem

if TYPE_CHECKING:  # the message box's class loads when a message is shown, not at start-up
    from PySide6.QtWidgets import QMessageBox, QWidget

GENERIC = (
    "Something unexpected went wrong. Nothing further was done. "
    "Try again; if it keeps happening, send the log file to support."
)


def user_message(exc: BaseException) -> str:
    """The one place the window turns a typed error (which carries data) into words a person can act on;
    anything unexpected gets a generic message."""
    words = _typed_message(exc)
    if words:
        return words
    if isinstance(exc, OSError) and exc.strerror:  # a file the system refused: no "[Errno 13] ..." at the desk
        what = f"The file {exc.filename}" if exc.filename else "A file"
        return (f"{what} could not be used: {exc.strerror[:1].lower()}{exc.strerror[1:]}. Check that the folder "
                "exists, that you may write there and that the disk has room, then try again.")
    from spectrum_desktop.domain.importing import OrderImportError

    if isinstance(exc, OrderImportError):  # the import rules say where and what to change (domain/importing.py)
        return str(exc)
    # Anything else is unexpected: its text was written for a programmer, so the person gets GENERIC (what to do)
    # and the log gets the detail (PrivateFormatter keeps exception texts out of it: no customer data, no token).
    logging.getLogger("spectrum_desktop.ui").error("no words for %s; the generic message was shown",
                                                  type(exc).__name__, exc_info=exc)
    return GENERIC


class OrderNotReady(Exception):
    """The window's own refusal to send: the form still has `problems` to fix; `first` is the first one's
    (label, message). Worded by user_message."""

    def __init__(self, problems: int, first: tuple[str, str] | None = None) -> None:
        self.problems = problems
        self.first = first
        super().__init__(problems)


def show_words(parent: QWidget | None, text: str, title: str) -> QMessageBox:
    """A message box for words the window already has (no exception behind them)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    box.open()
    return box


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Something went wrong") -> QMessageBox:
    return show_words(parent, user_message(exc), title)


def bulk_not_sent_again(delivered: list[str], accepted_left_out: dict[str, tuple[str, ...]],
                        accepted_skipped: set[str], environment_name: str, most: int = 5) -> str:
    """The Bulk summary's words for what a run did not send on purpose: orders already delivered there (the
    button beside the summary sends them anyway) and recipe sets already accepted (never sent again)."""
    text = ""
    if delivered:
        one = len(delivered) == 1
        text += (f" {len(delivered)} {'order was' if one else 'orders were'} already delivered to "
                 f"{environment_name}, not sent again ({_listed(delivered, most)}): "
                 f"{bulk_send_delivered_button(len(delivered))} sends {'it' if one else 'them'}.")
    for po, ids in list(accepted_left_out.items())[:most]:
        were = f"{', '.join(ids)} {'was' if len(ids) == 1 else 'were'} already accepted"
        rest = ("nothing else in it was left to send; correct the rest from History" if po in accepted_skipped
                else "only its other recipe sets were sent")
        text += f" {po}: {were} and not sent again; {rest}."
    if len(accepted_left_out) > most:
        text += f" {count(len(accepted_left_out) - most, 'more order')} had recipe sets already accepted (see History)."
    return text


def bulk_send_delivered_button(orders: int) -> str:
    """The Bulk button that sends the orders a run skipped as already delivered."""
    return "Send it anyway" if orders == 1 else "Send them anyway"


def _listed(items: list[str], most: int) -> str:
    from spectrum_desktop.domain.words import listed

    return listed(items, most)


def _typed_message(exc: BaseException) -> str:
    from spectrum_desktop.domain.errors import LocalDataError, LocalDataProblem, NotInHistory
    from spectrum_desktop.services import errors as e

    if isinstance(exc, LocalDataError):
        folder = exc.path.parent
        if exc.problem is LocalDataProblem.DAMAGED:
            return (f"The history file could not be read: it was damaged. It was moved aside to {exc.moved_to} "
                    "and kept there; a new, empty history was started. Nothing was sent. Try again; if you need "
                    "what the old history held, give that file to support.")
        if exc.problem is LocalDataProblem.READ_ONLY:
            return (f"The history could not be saved: the folder {folder} is read-only. Nothing was sent. Ask "
                    "for the folder to be made writable, then try again.")
        if exc.problem is LocalDataProblem.FULL:
            return (f"The history could not be saved: the disk holding {folder} is full. Nothing more was sent. "
                    "Free some space, then resend what is left from History.")
        return (f"The history in {folder} could not be read or saved. Nothing was sent. Try again; if it keeps "
                "happening, send the log file to support.")
    if isinstance(exc, e.InvalidOrder):
        return "The order has problems and was not sent: " + "; ".join(exc.problems)
    if isinstance(exc, e.UnknownEnvironment):
        return f"There is no environment called {exc.name!r}. Check the name in Edit › Preferences… › Environments."
    if isinstance(exc, e.MissingToken):
        return (f"No API token is saved for {exc.environment_name}. Use Set token… (Edit menu or toolbar) to paste the "
                "token you were given, then send again.")
    if isinstance(exc, e.BodyNotKept):
        return (f"The contents of {', '.join(exc.purchase_orders) or 'this order'} were not kept (no keyring was "
                "available when it was sent), so it cannot be sent again from History. Import the order again "
                "and send it.")
    if isinstance(exc, e.InvalidAddress):
        return f"The server address cannot be used: {exc.reason}"
    if isinstance(exc, e.LookupFailed):
        return (f"Could not check order {exc.purchase_order} in {exc.environment_name}. {exc.outcome_message} "
                "Nothing was sent.")
    if isinstance(exc, e.BeingSentElsewhere):
        return (f"Not sent: {exc.purchase_order} is being sent right now from somewhere else (another "
                "window, a script, or a colleague who shares this history). See History for how it ends.")
    if isinstance(exc, e.AlreadyAccepted):
        one = len(exc.recipe_set_ids) == 1
        return (f"Not sent: {exc.environment_name} already accepted {', '.join(exc.recipe_set_ids)} of "
                f"{exc.purchase_order}, and an accepted recipe set is never sent again. Remove "
                f"{'it' if one else 'them'} from the line items (History › Open in editor opens only the ones "
                "that failed), then send again.")
    if isinstance(exc, e.BodyUnreadable) and not _shared_history_message(exc):
        return ("The saved contents of this order cannot be opened (the key that encrypted them is no longer in the "
                "keyring), so it cannot be sent again from History. Nothing was sent. Import the order again and "
                "send it.")
    if isinstance(exc, NotInHistory):
        return f"There is no submission number {exc.submission_id} in the history."
    from spectrum_desktop.services.tokens import TokenNotSaved

    if isinstance(exc, TokenNotSaved):
        return token_not_saved(exc)
    if isinstance(exc, e.EnvironmentsFileInvalid):
        what = f" ({environments_problem(exc.problem)})" if exc.problem is not None else ""
        return (f"The list of environments ({exc.path}) could not be read: it is damaged or was changed by "
                f"hand{what}. Nothing was sent. Ask whoever changed it to fix it, or move the file away to start "
                "again with the first-run environments.")
    if isinstance(exc, OrderNotReady):
        first = f" First: {exc.first[0]}: {exc.first[1]}." if exc.first else ""
        return f"Fix the order first: {count(exc.problems, 'problem')} to fix, listed beside the form.{first}"
    from spectrum_desktop.services.environments import LABELS, InvalidEnvironment

    if isinstance(exc, InvalidEnvironment):
        return "That change was not saved: " + "; ".join(
            message if field == "settings" else f"{LABELS.get(field, field)}: {message}"
            for field, message in exc.problems) + ("" if exc.problems[-1][1].endswith(".") else ".")
    from spectrum_desktop.domain.errors import DraftNotFound, InvalidRateLimit

    if isinstance(exc, InvalidRateLimit):
        return ("The rate limit of this environment must allow at least 1 request in a window of more than 0 "
                "seconds. Correct Requests allowed and Within (seconds) in Edit › Preferences… › Environments.")
    if isinstance(exc, DraftNotFound):
        return ("That draft is no longer kept (it was sent or discarded, perhaps in another window). What is in the "
                "form was not changed.")
    from spectrum_desktop.services.drafts import DraftNotKept

    if isinstance(exc, DraftNotKept):
        if exc.action == "save":
            return ("The draft could not be saved. Your typing is still in the window; free some disk space or "
                    "unlock the keyring, then choose File › Save draft.")
        return ("A draft left by an earlier session could not be read, so it cannot be restored. It is left as it "
                "is; start the order again, and if you need it back, send the log file to support.")
    return _shared_history_message(exc)


def token_not_saved(exc) -> str:
    """TokenNotSaved in words for the window."""
    if exc.problem == exc.EMPTY:
        return "The token is empty. Paste the whole token and save again."
    if exc.problem == exc.SANDBOX:
        return "The local sandbox needs no token."
    keyring = exc.keyring or "the keyring"
    did = {"save": "refused to save the token", "remove": "refused to remove the token"}.get(
        exc.action, "could not be read")
    return f"The keyring ({keyring}) {did}. Unlock it (for example by logging in again) and try again."


def _shared_history_message(exc: BaseException) -> str:
    """The shared history's (team mode's) typed errors, for the window."""
    from spectrum_desktop.services import team as t

    if isinstance(exc, t.SharedHistoryUnavailable) and exc.trying_address:
        # Preferences › Shared history tried an address: the history in use is not down, this address failed.
        if exc.login_refused:
            return (f"The database server for {exc.where} answered but refused the login: the password is missing "
                    "or wrong. Enter it under Password (it is kept in the keyring) and try again, or ask whoever "
                    "runs the database.")
        return (f"Could not connect to the database {exc.where}. Check the server name and port in the address, that this "
                "computer can reach that server over the network, and that the database server is running; then "
                "try again.")
    if isinstance(exc, t.SharedHistoryUnavailable) and exc.login_refused:
        return (f"The shared history ({exc.where}) refused the login: its password is missing or wrong, so nothing "
                "can be sent now. Enter the password under Password in Preferences › Shared history (it is kept in "
                "the keyring) and Test again, or ask whoever runs the database.")
    if isinstance(exc, t.SharedHistoryUnavailable):
        return (f"The shared history ({exc.where}) cannot be reached, so nothing can be sent now (every order is "
                "written to the history before it leaves). Editing and drafts still work; try again when the "
                "database is back, or ask whoever runs it.")
    if isinstance(exc, t.SchemaTooNew):
        return (f"The shared history was set up by a newer version of Spectrum Desktop (layout {exc.found}; this "
                f"one knows up to {exc.known}). Install the newer version to use it.")
    if isinstance(exc, t.TeamKeyMissing):
        return _team_key_missing(exc)
    if isinstance(exc, t.WrongTeamKey):
        return ("That team key does not belong to this shared history. Ask a colleague for the right key and "
                "paste it again.")
    if isinstance(exc, t.PasswordInJournalUrl):
        return ("The shared history address must not contain the password. Remove it from the address and enter "
                "it under Password instead (it is kept in the keyring).")
    if isinstance(exc, t.JournalNeedsTls):
        return (f"The shared history on {exc.host} must be reached over an encrypted connection: add "
                "?sslmode=require (or verify-full) to the address. Only a database on this computer may go "
                "without it.")
    if isinstance(exc, t.JournalUrlSettingRefused) and exc.from_environment:
        return ("This computer's database settings name a PostgreSQL service, which could send the shared history's "
                "connection to another server without the encryption check, so it is not used. Ask whoever set up "
                "this computer to remove that setting.")
    if isinstance(exc, t.JournalUrlSettingRefused):
        return (f"The shared history address may not contain {exc.setting}=: it could send the connection to another "
                "server without the encryption check. Write the server, port and database in the address itself, "
                "like postgresql://name@server:5432/database?sslmode=require.")
    if isinstance(exc, t.InvalidJournalUrl):
        return ("That is not a shared history address: it looks like postgresql://name@server:5432/database"
                + {t.InvalidJournalUrl.NO_HOST: " (the server is missing).",
                   t.InvalidJournalUrl.NO_DATABASE: " (the database name is missing)."}.get(exc.problem, "."))
    if isinstance(exc, t.NoKeyringForPassword):
        return ("This computer has no keyring to keep the database password in. Ask whoever runs the database to "
                "set it up in the ~/.pgpass file instead, then leave Password empty.")
    return ""


def _team_key_missing(exc) -> str:
    """The window's words for TeamKeyMissing (one home): why there is no team key here, and what to do."""
    where = f"the shared history ({exc.where})" if exc.where else "the shared history"
    if exc.state in (exc.NONE_YET, exc.NO_KEYRING):
        so = "so nothing was sent" if exc.sending else "so nothing can be sent yet"
        if exc.state == exc.NONE_YET:
            return (f"{where[0].upper()}{where[1:]} has no team key yet, {so}: order contents are encrypted with it "
                    "before anything leaves. Set it up in Preferences › Shared history (Save shows the new key "
                    "once) and hand it to your colleagues.")
        return (f"{where[0].upper()}{where[1:]} has no team key yet and this computer has no keyring to keep one in, "
                f"{so}. Set the team key up from a computer that has a keyring (GNOME Keyring, for example) and "
                "hand it to your colleagues; this computer needs a keyring too, to keep it.")
    so = ("so nothing was sent: an order's contents are encrypted with it and written to the history before it "
          "leaves" if exc.sending else "so this order's contents cannot be opened or sent again")
    if exc.state == exc.WRONG:
        return (f"The team key on this computer does not belong to {where}, {so}. Ask a colleague for the right key "
                "and paste it in Preferences › Shared history.")
    return (f"Order contents in {where} are encrypted with your team's key, which has not been entered on this "
            f"computer, {so}. Ask a colleague for the team key and paste it in Preferences › Shared history.")
