"""The shared history's address: `postgresql://user@host:port/dbname`, checked before anything connects.

The password never sits in the address (nor in the settings file): libpq's own means (PGPASSWORD, ~/.pgpass)
or the OS keyring (service `spectrum-desktop`, user `journal:<address>`). A host other than this computer
needs TLS (`sslmode=require` or stricter), as the app already refuses plain http to another computer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from spectrum_desktop.domain.endpoints import is_loopback
from spectrum_desktop.domain.errors import SpectrumDesktopError

URL_VARIABLE = "SPECTRUM_DESKTOP_JOURNAL_URL"
KEYRING_PREFIX = "journal:"
SAFE_SSLMODES = frozenset({"require", "verify-ca", "verify-full"})


def configured_url(saved: str = "") -> str:
    """The shared history's address for this installation: SPECTRUM_DESKTOP_JOURNAL_URL, else the one saved in
    Preferences (`saved`), else '' (this computer keeps its own history). Light: the window reads it at start."""
    return os.environ.get(URL_VARIABLE, "").strip() or saved.strip()


class SharedHistoryError(SpectrumDesktopError):
    """Base of the shared history's typed errors. Data only: ui/errors.py and cli/errors.py say them in words."""


class InvalidJournalUrl(SharedHistoryError):
    """The address is not a postgresql:// address with a host and a database name."""

    SCHEME, NO_HOST, NO_DATABASE = "scheme", "no_host", "no_database"

    def __init__(self, url: str, problem: str) -> None:
        self.url, self.problem = url, problem
        super().__init__(problem)


class PasswordInJournalUrl(SharedHistoryError):
    """The address carries a password; it would end up in the settings file or the shell history. `url` is the
    address without it."""

    def __init__(self, url_without_password: str) -> None:
        self.url = url_without_password
        super().__init__(url_without_password)


class JournalNeedsTls(SharedHistoryError):
    """A database on another computer without sslmode=require or stricter."""

    def __init__(self, host: str) -> None:
        self.host = host
        super().__init__(host)


class JournalUrlSettingRefused(SharedHistoryError):
    """A libpq setting that can send the connection to another server without the TLS check seeing where: a
    `service=` entry (its service file may set host or hostaddr), or PGSERVICE in the environment
    (`from_environment`). `setting` is its name."""

    def __init__(self, setting: str, from_environment: bool = False) -> None:
        self.setting, self.from_environment = setting, from_environment
        super().__init__(setting)


REDIRECTING = ("service", "servicefile")
"""libpq settings that can change where it connects and that the TLS check cannot follow (host, hostaddr and
PGHOSTADDR it does follow): refused."""
REDIRECTING_ENVIRONMENT = ("PGSERVICE",)


@dataclass(frozen=True)
class JournalUrl:
    """A checked address: `url` has no password and is what the keyring entry and messages use."""

    url: str
    host: str
    dbname: str
    user: str

    @property
    def keyring_user(self) -> str:
        return KEYRING_PREFIX + self.url

    @property
    def display(self) -> str:
        """Words for the person: database and host, never a password."""
        return f"{self.dbname} on {self.host}"


def parse_journal_url(url: str, environ: dict[str, str] | None = None) -> JournalUrl:
    """Check a shared-history address; raise a typed error saying what to change."""
    environ = os.environ if environ is None else environ
    value = (url or "").strip()
    parts = urlsplit(value)
    if parts.scheme not in ("postgresql", "postgres"):
        raise InvalidJournalUrl(value, InvalidJournalUrl.SCHEME)
    if parts.password is not None:
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = parts.username or ""
        clean = urlunsplit((parts.scheme, f"{user}@{netloc}" if user else netloc, parts.path, parts.query, ""))
        raise PasswordInJournalUrl(clean)
    host = parts.hostname or ""
    query = parse_qs(parts.query)
    if "password" in query:
        kept = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "password"])
        raise PasswordInJournalUrl(urlunsplit((parts.scheme, parts.netloc, parts.path, kept, "")))
    for setting in REDIRECTING:
        if setting in query:
            raise JournalUrlSettingRefused(setting)
    for variable in REDIRECTING_ENVIRONMENT:
        if environ.get(variable, "").strip():
            raise JournalUrlSettingRefused(variable, from_environment=True)
    if not host:
        host = (query.get("host") or [""])[0]
    if not host:
        raise InvalidJournalUrl(value, InvalidJournalUrl.NO_HOST)
    dbname = parts.path.lstrip("/")
    if not dbname:
        raise InvalidJournalUrl(value, InvalidJournalUrl.NO_DATABASE)
    # Where libpq will really connect: a `host=` in the query overrides the one before the path, and `hostaddr=`
    # (or PGHOSTADDR) sends the connection to that address whatever the host says. Every one of them must be this
    # computer, or the connection must be encrypted.
    libpq = _as_libpq_reads_it(value)
    for setting in REDIRECTING:  # however libpq spells it (it is refused above when the query says it plainly)
        if libpq.get(setting):
            raise JournalUrlSettingRefused(setting)
    hosts = [h for h in (libpq.get("host") or host).split(",") if h]
    addresses = [a for a in (libpq.get("hostaddr") or environ.get("PGHOSTADDR", "")).split(",") if a]
    elsewhere = [h for h in hosts + addresses if not (h.startswith("/") or is_loopback(h))]
    if elsewhere:
        sslmode = libpq.get("sslmode") or (query.get("sslmode") or [environ.get("PGSSLMODE", "")])[0]
        if sslmode not in SAFE_SSLMODES:
            raise JournalNeedsTls(elsewhere[0])
    return JournalUrl(url=value, host=hosts[0] if hosts else host, dbname=dbname, user=parts.username or "")


def _as_libpq_reads_it(url: str) -> dict[str, str]:
    """The address's parameters as libpq itself parses them ({} when it cannot: connecting will then say why)."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        return {k: str(v) for k, v in conninfo_to_dict(url).items()}
    except Exception:  # noqa: BLE001 - psycopg missing or an address libpq refuses: the checks above stand
        return {}
