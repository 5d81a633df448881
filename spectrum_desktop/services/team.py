"""Team mode: which history this installation uses, who is sending, the team key, moving a local history over.

The shared history is chosen per installation: SPECTRUM_DESKTOP_JOURNAL_URL (scripts, the CLI) or Preferences ›
Shared history (team.json). The services above this module never know which backend they were given.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spectrum_desktop.domain.errors import SpectrumDesktopError
from spectrum_desktop.store.pg_journal import SchemaTooNew, SharedHistoryUnavailable, TeamKeyMissing, WrongTeamKey
from spectrum_desktop.store.shared_url import (
    URL_VARIABLE,
    InvalidJournalUrl,
    JournalNeedsTls,
    JournalUrlSettingRefused,
    PasswordInJournalUrl,
    SharedHistoryError,
    configured_url,
)

__all__ = [
    "URL_VARIABLE", "InvalidJournalUrl", "JournalNeedsTls", "JournalUrlSettingRefused", "NoKeyringForPassword",
    "PasswordInJournalUrl", "SchemaTooNew", "SharedHistoryError", "SharedHistoryUnavailable", "TeamKeyMissing",
    "WrongTeamKey",
]

if TYPE_CHECKING:
    from spectrum_desktop.services.context import AppContext
    from spectrum_desktop.store.pg_journal import PgJournal
    from spectrum_desktop.store.team_settings import TeamSettings

USER_VARIABLE = "SPECTRUM_DESKTOP_USER"


class NoKeyringForPassword(SpectrumDesktopError):
    """A database password was typed but this computer has no keyring to keep it in (words: ui/errors.py)."""


def sender_name(settings: TeamSettings | None = None) -> str:
    """SPECTRUM_DESKTOP_USER, else the display name from Preferences, else the OS login name."""
    name = os.environ.get(USER_VARIABLE, "").strip()
    if not name and settings is not None:
        name = settings.display_name.strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = ""
    return name or "unknown"


def sender_named(display_name: str) -> str:
    """The sender for a display name typed now (Preferences › Shared history › Your name), by sender_name's rule."""
    from spectrum_desktop.store.team_settings import TeamSettings

    return sender_name(TeamSettings(display_name=display_name))


def journal_url(settings: TeamSettings | None = None) -> str:
    """The shared history's address for this installation, or '' for the computer's own history."""
    return configured_url(settings.journal_url if settings else "")


def administrator_url() -> str:
    """The address set for this computer by its start-up settings (SPECTRUM_DESKTOP_JOURNAL_URL), or ''. It wins over
    Preferences, so Preferences shows it and cannot change it."""
    return os.environ.get(URL_VARIABLE, "").strip()


class _TryingAddress:
    """Around Preferences' own connections to an address (Test, Save, Keep team key, Copy): an unreachable server
    or a refused login is marked as found while trying that address (its words then say what to check), since the
    history in use may be another one, or working."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        if isinstance(error, SharedHistoryUnavailable):
            error.trying_address = True
        return False


@dataclass
class SharedJournal:
    journal: PgJournal
    new_team_key: bytes | None
    """Set only for the person whose connection set up an empty shared history: show it once, then forget it."""
    key_saved: bool = False


def open_shared(url: str, sender: str, make_key: bool = True, owner: str | None = None) -> SharedJournal:
    """Connect, migrate and pick the team key.

    An empty shared history gets its team key from the first person to connect where it can be shown
    (`make_key`: Preferences › Shared history, `history`, `history --export-to`): SPECTRUM_DESKTOP_TEAM_KEY when
    set, else a new key, which is kept in the keyring first (with no usable keyring no key is made: the person is
    told to set one up) and returned as `new_team_key` to be shown once. Elsewhere (sending, a window that has
    not been asked) no key is made behind the person's back. Without a key, `journal.team_key_problem()` says why,
    and sending is refused with it (nothing is sent without its contents journaled)."""
    from cryptography.fernet import Fernet

    from spectrum_desktop.store.crypto import BodyCipher
    from spectrum_desktop.store.pg_journal import (
        PgDatabase,
        PgJournal,
        WrongTeamKey,
        check_team_key,
        create_team_key,
        team_key_state,
    )
    from spectrum_desktop.store.shared_url import parse_journal_url
    from spectrum_desktop.store.team_secrets import (
        database_password,
        forget_team_key,
        save_team_key,
        team_key,
    )

    address = parse_journal_url(url)
    db = PgDatabase(address, password=database_password(address))
    key = team_key(address)
    shown: bytes | None = None
    state = ""
    if not team_key_state(db):
        if key is not None:
            create_team_key(db, sender, key)
        elif not make_key:
            state = TeamKeyMissing.NONE_YET
        else:
            fresh = Fernet.generate_key()
            if save_team_key(address, fresh):
                if create_team_key(db, sender, fresh) is not None:
                    key = shown = fresh
                else:  # a colleague set it up at the same moment: theirs counts, ours goes
                    forget_team_key(address)
            else:
                state = TeamKeyMissing.NO_KEYRING
    if key is not None:
        try:
            check_team_key(db, key)
        except WrongTeamKey:
            key = None
            state = TeamKeyMissing.WRONG
    journal = PgJournal(db, BodyCipher(key), sender=sender, owner=owner, key_state=state)
    return SharedJournal(journal, shown, shown is not None)


def enter_team_key(url: str, key_text: str) -> bool:
    """Check a pasted team key against the shared history and keep it in the keyring (False: no keyring).
    Raises WrongTeamKey when it is not this history's key."""
    from spectrum_desktop.store.pg_journal import PgDatabase, check_team_key
    from spectrum_desktop.store.shared_url import parse_journal_url
    from spectrum_desktop.store.team_secrets import database_password, save_team_key

    address = parse_journal_url(url)
    with _TryingAddress():
        db = PgDatabase(address, password=database_password(address))
        try:
            key = key_text.strip().encode("ascii", "ignore")
            check_team_key(db, key)
        finally:
            db.close()
    return save_team_key(address, key)


@dataclass(frozen=True)
class ConnectionCheck:
    where: str
    rows: int
    has_team_key: bool
    schema_version: int


def check_connection(url: str, password: str = "") -> ConnectionCheck:
    """Preferences › Shared history › Test: connect (and set up the tables when empty) with `password` when one is
    typed, else the keyring's or libpq's; typed errors say what failed."""
    from spectrum_desktop.store.pg_journal import PgDatabase, team_key_state
    from spectrum_desktop.store.shared_url import parse_journal_url
    from spectrum_desktop.store.team_secrets import database_password

    address = parse_journal_url(url)
    with _TryingAddress():
        db = PgDatabase(address, password=password or database_password(address))
        try:
            rows = db.read("SELECT count(*) AS n FROM submissions")[0]["n"]
            return ConnectionCheck(address.display, int(rows), team_key_state(db), db.schema_version)
        finally:
            db.close()


@dataclass(frozen=True)
class ExportResult:
    copied: int
    already_there: int
    bodies_left_out: int
    """Rows copied this time whose contents could not be (kept only for their session locally, or no team key)."""
    new_team_key: bytes | None = None
    """Set when this copy set up an empty shared history: its team key, to be shown once."""
    key_saved: bool = False


def export_history(local, shared: PgJournal, progress: Callable[[int, int], None] | None = None,
                   sender: str | None = None) -> ExportResult:
    """Copy every row of the local history into the shared one, oldest first; a row already copied (by anyone,
    any number of times) is not copied again. Every row of this computer's history is its person's: `sender` (the
    name they go by now) when given, else the local history's owner as it reports them."""
    from spectrum_desktop.store.crypto import BodyUnreadable
    from spectrum_desktop.store.journal import HistoryQuery

    rows = []
    page = 0
    while True:
        result = local.history(HistoryQuery(page=page, page_size=500))
        rows.extend(result.rows)
        if (page + 1) * 500 >= result.total:
            break
        page += 1
    rows.sort(key=lambda r: r.id)
    mapping: dict[int, int] = {}
    copied = already = left_out = 0
    for n, row in enumerate(rows, start=1):
        record = local.get(row.id)
        try:
            request, response = local.request_body(row.id), local.response_body(row.id)
        except BodyUnreadable:
            request = response = None
        origin = "local:" + hashlib.sha256("\x1f".join(
            [record.environment_id, record.created_at.isoformat(), record.endpoint, *record.purchase_orders]
        ).encode("utf-8")).hexdigest()
        new_id, fresh = shared.import_record(record, origin, request, response, local.attempts(row.id),
                                             mapping.get(record.original_id) if record.original_id else None,
                                             sender or record.sender or shared.sender)
        mapping[row.id] = new_id
        copied, already = copied + fresh, already + (not fresh)
        # Only a row copied now can have left its contents out now (one copied before was counted then).
        left_out += fresh and (request is None or not shared.bodies_persistent)
        if progress:
            progress(n, len(rows))
    return ExportResult(copied, already, left_out)


def watch_history(context: AppContext, callback: Callable[[dict], None]):
    """Live news of rows written by anyone (shared history only): returns a listener with `stop()`, or None
    for this computer's own history (nothing else writes to it from another computer). Opens the context's history
    when it is not open yet (the journal stays inside the services)."""
    listen = getattr(context.journal, "listen", None)
    return listen(callback) if listen is not None else None


def load_settings() -> TeamSettings:
    from spectrum_desktop.store.team_settings import TeamSettingsStore

    return TeamSettingsStore().load()


def save_settings(url: str, display_name: str, password: str = "") -> TeamSettings:
    """Keep the address (checked first: no password, TLS off this computer) and the display name; a typed
    database password goes to the keyring, never the settings file. An empty address means this computer's own
    history. Takes effect the next time the app starts."""
    from spectrum_desktop.store.shared_url import parse_journal_url
    from spectrum_desktop.store.team_secrets import save_database_password
    from spectrum_desktop.store.team_settings import TeamSettings, TeamSettingsStore

    url = url.strip()
    if url:
        address = parse_journal_url(url)
        if password and not save_database_password(address, password):
            raise NoKeyringForPassword()
    settings = TeamSettings(journal_url=url, display_name=display_name.strip())
    TeamSettingsStore().save(settings)
    return settings


def join(url: str, sender: str) -> SharedJournal:
    """Connect once as a member (Preferences › Shared history › Save): sets up an empty shared history and its
    team key (returned once in `new_team_key`). The journal is closed again; the caller only reads the result."""
    with _TryingAddress():
        shared = open_shared(url, sender)
    shared.journal.close()
    return shared


def export_to(url: str, context: AppContext, progress: Callable[[int, int], None] | None = None,
              on_new_key: Callable[[bytes | None, bool], None] | None = None,
              sender: str | None = None) -> ExportResult:
    """Copy this computer's own history (the context's) into the shared history at `url`, every row as sent by
    `sender` (the name the person chose at copy time; default: the context's sender, read now, not when the
    context opened). `on_new_key(key, saved)` is called once connected, before copying (so a key made for an
    empty shared history is shown even if copying then fails); the result also carries it."""
    sender = sender or context.sender
    with _TryingAddress():
        shared = open_shared(url, sender)
        try:
            if on_new_key is not None:
                on_new_key(shared.new_team_key, shared.key_saved)
            result = export_history(context.local_journal, shared.journal, progress, sender)
            return replace(result, new_team_key=shared.new_team_key, key_saved=shared.key_saved)
        finally:
            shared.journal.close()
