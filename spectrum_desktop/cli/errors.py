"""The one place where the command line turns typed errors into words and exit codes (no tracebacks)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from spectrum_desktop.domain.errors import LocalDataError, LocalDataProblem, SpectrumDesktopError
from spectrum_desktop.domain.words import count

log = logging.getLogger("spectrum_desktop.cli")


def message(error: BaseException) -> str:
    """One paragraph a person can act on."""
    from spectrum_desktop.services.errors import (
        AlreadyAccepted,
        BodyNotKept,
        InvalidAddress,
        InvalidOrder,
        LookupFailed,
        MissingToken,
        NotInHistory,
        UnknownEnvironment,
    )
    if isinstance(error, LocalDataError):
        return local_data_message(error)
    if isinstance(error, InvalidOrder):
        where = f"order {error.number}: " if error.number else ""
        return f"{where}the order has problems and was not sent: " + "; ".join(error.problems)
    if isinstance(error, UnknownEnvironment):
        return (f"there is no environment called {error.name!r}. `spectrum-desktop` lists them in the window's "
                "Edit › Preferences… › Environments; give --env one of those names.")
    if isinstance(error, MissingToken):
        return (f"no API token is saved for {error.environment_name}. Save it in the window (Set token…) "
                "or set SPECTRUM_API_TOKEN for this run.")
    if isinstance(error, BodyNotKept):
        return (f"the contents of submission {error.submission_id} ({', '.join(error.purchase_orders)}) were not "
                "kept (no keyring was available when it was sent), so it cannot be sent again from history. "
                "Send the order from its file again.")
    if isinstance(error, InvalidAddress):
        return f"the server address cannot be used: {error.reason}"
    if isinstance(error, LookupFailed):
        return (f"could not check order {error.purchase_order} in {error.environment_name}: "
                f"{error.outcome_message} Nothing was sent; try again later.")
    if isinstance(error, AlreadyAccepted):
        return (f"{error.environment_name} already accepted {', '.join(error.recipe_set_ids)} of "
                f"{error.purchase_order}; an accepted recipe set is never sent again. Nothing was sent. Remove "
                f"{'it' if len(error.recipe_set_ids) == 1 else 'them'} from the file, or use "
                "`spectrum-desktop resend --failed`, which sends only the recipe sets that failed.")
    from spectrum_desktop.services.errors import BeingSentElsewhere, BodyUnreadable

    if isinstance(error, BeingSentElsewhere):
        return (f"{error.purchase_order} is being sent right now by another window or run on this computer (or a "
                "colleague who shares this history), so it was not sent again. See `spectrum-desktop history` for "
                "how it ends.")
    if isinstance(error, BodyUnreadable) and not shared_history_message(error):
        return ("the saved contents of this order cannot be opened (the key that encrypted them is no longer in "
                "the keyring), so it cannot be sent again from history. Nothing was sent. Send the order from its "
                "file again.")
    if isinstance(error, NotInHistory):
        return f"there is no submission number {error.submission_id} in the history (see `spectrum-desktop history`)."
    from spectrum_desktop.services.errors import EnvironmentsFileInvalid

    if isinstance(error, EnvironmentsFileInvalid):
        from spectrum_desktop.domain.words import environments_problem

        what = f" What is wrong: {environments_problem(error.problem)}." if error.problem is not None else ""
        return (f"the list of environments ({error.path}) could not be used, so nothing was sent. Fix it, or move "
                "it away to start again with the first-run environments (Local sandbox, Staging, Production)."
                + what)
    from spectrum_desktop.domain.errors import InvalidRateLimit

    if isinstance(error, InvalidRateLimit):
        return ("the environment's rate limit must allow at least 1 request in a window of more than 0 seconds, so "
                "nothing was sent. Correct it in the window (Edit › Preferences… › Environments) or give "
                "--rate-limit N/SECONDS, for example 100/60.")
    from spectrum_desktop.services.tokens import TokenNotSaved

    if isinstance(error, TokenNotSaved) and error.problem == TokenNotSaved.KEYRING:
        did = {"save": "refused to save the token", "remove": "refused to remove the token"}.get(
            error.action, "could not be read")
        return (f"the keyring ({error.keyring or 'the keyring'}) {did}, so nothing was sent. Unlock it and try "
                "again, or set SPECTRUM_API_TOKEN for this run.")
    shared = shared_history_message(error)
    if shared:
        return shared
    # Unexpected: its text was written for a programmer. The log gets the detail (without exception texts).
    log.error("no words for %s; the generic message was shown", type(error).__name__, exc_info=error)
    return ("something unexpected went wrong, and nothing further was done. Run the command again; if it keeps "
            "happening, send the log file to support.")


def production_question(orders: int, environment_name: str) -> str:
    """The question asked before sending to production at a terminal (the answer must be typed)."""
    return f"Send {count(orders, 'order')} to PRODUCTION ({environment_name})? Type yes to continue: "


def production_needs_yes(environment_name: str) -> str:
    return f"error: {environment_name} is production; add --yes to send without asking."


def orders_were(orders: int) -> str:
    """"1 order was" / "3 orders were"."""
    return f"{count(orders, 'order')} {'was' if orders == 1 else 'were'}"


def left_queued(orders: int) -> str:
    """After a cancelled or interrupted run: what stays queued and how to send it."""
    return (f"{orders_were(orders)} not sent and stay{'s' if orders == 1 else ''} queued; "
            f"`spectrum-desktop resend --failed` sends {'it' if orders == 1 else 'them'}.")


def accepted_not_sent_again(left_out: dict[str, tuple[str, ...]], skipped: list[str], environment_name: str,
                            most: int = 10) -> list[str]:
    """After a multi-order send: per purchase order, the recipe sets left out because they were accepted there
    before (never sent twice), and whether the rest of the order went."""
    lines = []
    for po, ids in list(left_out.items())[:most]:
        were = f"{', '.join(ids)} {'was' if len(ids) == 1 else 'were'} already accepted by {environment_name}"
        if po in skipped:
            lines.append(f"{po}: {were} and nothing else in it was left to send, so it was not sent again. "
                         "If other recipe sets of it failed before, correct them with `spectrum-desktop resend "
                         "--failed` or in the window (History › Open in editor).")
        else:
            lines.append(f"{po}: {were} and {'was' if len(ids) == 1 else 'were'} not sent again; only its other "
                         "recipe sets were sent.")
    if len(left_out) > most:
        lines.append(f"and {count(len(left_out) - most, 'more order')} with recipe sets already accepted "
                     "(see `spectrum-desktop history`).")
    return lines


def delivered_not_sent_again(purchase_orders: list[str], environment_name: str, listed: str) -> str:
    """`send` without --force: orders history shows delivered there are skipped (say which, and the way out)."""
    return (f"{orders_were(len(purchase_orders))} already delivered to {environment_name} and not sent again "
            f"({listed}); add --force to send {'it' if len(purchase_orders) == 1 else 'them'} anyway.")


def shared_history_message(error: BaseException) -> str:
    """The shared history's (team mode's) typed errors, for the command line."""
    from spectrum_desktop.services import team as t

    if isinstance(error, t.SharedHistoryUnavailable) and error.trying_address and not error.login_refused:
        return (f"could not connect to the database {error.where}. Check the server name and port in the address, that this "
                "computer can reach that server over the network, and that the database server is running.")
    if isinstance(error, t.SharedHistoryUnavailable) and error.login_refused:
        return (f"the shared history ({error.where}) refused the login: its password is missing or wrong, so "
                "nothing was sent. Keep the password in ~/.pgpass or PGPASSWORD, or enter it in the window "
                "(Preferences › Shared history).")
    if isinstance(error, t.SharedHistoryUnavailable):
        return (f"the shared history ({error.where}) cannot be reached, so nothing was sent (every order is "
                "written to the history before it leaves). Try again when the database is back.")
    if isinstance(error, t.SchemaTooNew):
        return (f"the shared history was set up by a newer version of Spectrum Desktop (layout {error.found}; "
                f"this one knows up to {error.known}). Install the newer version to use it.")
    if isinstance(error, t.TeamKeyMissing):
        return team_key_missing(error)
    if isinstance(error, t.WrongTeamKey):
        return "that team key does not belong to this shared history."
    if isinstance(error, t.PasswordInJournalUrl):
        return (f"the shared history address must not contain the password: use {error.url} and keep the "
                "password in ~/.pgpass, PGPASSWORD or the keyring (Preferences › Shared history).")
    if isinstance(error, t.JournalNeedsTls):
        return (f"the shared history on {error.host} must be reached over TLS: add ?sslmode=require (or "
                "verify-full) to its address.")  # wherever it came from: the variable, --export-to, Preferences
    if isinstance(error, t.JournalUrlSettingRefused) and error.from_environment:
        return (f"{error.setting} is set, which could send the shared history's connection to another server without "
                f"the TLS check, so it is not used. Unset {error.setting} for this program.")
    if isinstance(error, t.JournalUrlSettingRefused):
        return (f"the shared history address may not contain {error.setting}=: it could send the connection to "
                "another server without the TLS check. Write host, port and database in the address itself "
                "(postgresql://user@host:port/dbname?sslmode=require).")
    if isinstance(error, t.InvalidJournalUrl):
        return f"{error.url!r} is not a shared history address (postgresql://user@host:port/dbname)."
    return ""


def team_key_missing(error) -> str:
    """The command line's words for TeamKeyMissing (one home): why there is no team key here, what to do."""
    where = f"the shared history ({error.where})" if error.where else "the shared history"
    if error.state in (error.NONE_YET, error.NO_KEYRING):
        so = "so nothing was sent" if error.sending else "so nothing can be sent yet"
        if error.state == error.NONE_YET:
            return (f"{where} has no team key yet, {so}: order contents are encrypted with it before anything "
                    "leaves. Run `spectrum-desktop history` once on a computer with a keyring (it makes the key and "
                    "shows it once), or Save the address in the window (Preferences › Shared history).")
        return (f"{where} has no team key yet and this computer has no keyring to keep one in, {so}. Set the team "
                "key up on a computer that has a keyring (`spectrum-desktop history` there, or the window's "
                "Preferences › Shared history), then set SPECTRUM_DESKTOP_TEAM_KEY to it here for scripts.")
    so = ("so nothing was sent: an order's contents are encrypted with it and written to the history before it "
          "leaves" if error.sending else "so the order cannot be opened or sent again from here")
    if error.state == error.WRONG:
        return (f"the team key on this computer does not belong to {where}, {so}. Ask a colleague for the right "
                "key and paste it in the window (Preferences › Shared history), or set SPECTRUM_DESKTOP_TEAM_KEY to "
                "it for scripts.")
    return (f"order contents in {where} are encrypted with your team's key, which is not on this computer, {so}. "
            "Paste the team key in the window (Preferences › Shared history), or set SPECTRUM_DESKTOP_TEAM_KEY to "
            "it for scripts.")


def local_data_message(error: LocalDataError) -> str:
    where = error.path
    if error.problem is LocalDataProblem.DAMAGED:
        return (f"the history database {where} was damaged and could not be read. It was moved aside to "
                f"{error.moved_to}, where it is kept, and the next run starts a new, empty history. Nothing was "
                "sent. Run the command again; keep the old file for support if you need what it held.")
    if error.problem is LocalDataProblem.READ_ONLY:
        return (f"could not write the history in {where.parent}: the folder or file is read-only. Nothing was "
                "sent. Make the folder writable (or point SPECTRUM_DESKTOP_HOME at a writable one) and try again.")
    if error.problem is LocalDataProblem.FULL:
        return (f"could not write the history in {where.parent}: the disk is full. Nothing more was sent. Free "
                "some space and run `spectrum-desktop resend --failed` to finish what was not recorded.")
    return (f"could not read or write the history in {where}. Nothing was sent. Check that the folder exists "
            "and is yours, then try again.")


def exit_code(error: BaseException) -> int:
    from spectrum_desktop.cli import EXIT_BAD_INPUT, EXIT_LOCAL_DATA, EXIT_UNREACHABLE
    from spectrum_desktop.services.errors import LookupFailed, MissingToken

    from spectrum_desktop.services.team import SharedHistoryUnavailable

    from spectrum_desktop.services.errors import EnvironmentsFileInvalid

    from spectrum_desktop.services.team import SchemaTooNew

    if isinstance(error, (LocalDataError, EnvironmentsFileInvalid, SchemaTooNew)):
        return EXIT_LOCAL_DATA  # the history (local or shared) cannot be used by this version: nothing sent
    from spectrum_desktop.services.tokens import TokenNotSaved

    if isinstance(error, (MissingToken, LookupFailed, SharedHistoryUnavailable, TokenNotSaved)):
        return EXIT_UNREACHABLE  # a locked keyring is like a missing token: nothing could be sent
    return EXIT_BAD_INPUT


def report(error: BaseException) -> int:
    """Print the words for `error` on stderr and return its exit code."""
    print(f"error: {message(error)}", file=sys.stderr)
    return exit_code(error)


def guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Every subcommand runs through this: typed errors become words and an exit code, never a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except SpectrumDesktopError as error:
            log.info("%s ended with %s", getattr(args, "command", "command"), type(error).__name__)
            return report(error)
        except OSError as error:  # the local data folder itself (log or data) could not be used
            from spectrum_desktop.cli import EXIT_LOCAL_DATA

            print(f"error: could not read or write local data ({error.strerror or error}). Nothing was sent.",
                  file=sys.stderr)
            return EXIT_LOCAL_DATA

    return run
