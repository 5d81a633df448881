"""One small application context built from the data directory: the submission service, environments, tokens,
targets. The journal is private to the services (`context.submissions` is the way in)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from spectrum_desktop.domain.endpoints import ACKS_PATH as MANY_PATH
from spectrum_desktop.services.errors import MissingToken, UnknownEnvironment
from spectrum_desktop.services.owner import Owner

if TYPE_CHECKING:
    from spectrum_desktop.domain.environment import Environment
    from spectrum_desktop.sandbox import SandboxServer
    from spectrum_desktop.services.submission import Target

AD_HOC = "ad-hoc"
AD_HOC_BUDGET = (100, 60.0)


@dataclass(frozen=True)
class BudgetView:
    """How much of an environment's rate budget is free right now."""

    left: int
    total: int
    seconds: float


class AppContext:
    """Opened once per process (GUI or CLI) and passed to the use cases. Nothing global.

    The Local sandbox environment is served by an in-process SandboxServer started on first use and
    stopped by close(); it needs no token from the user. A sandbox handed in is used as it is (its owner
    starts and stops it). Every target of one environment draws from one machine-wide rate budget kept in
    the database, so the budget holds across threads and processes. `owner` identifies this process's claims
    on journal rows; opening the journal recovers only rows whose owner is gone.
    """

    def __init__(self, sandbox: SandboxServer | None = None) -> None:
        self._lock = threading.Lock()
        self._sandbox = sandbox
        self._owns_sandbox = sandbox is None
        self._budgets: dict[tuple[str, int, float], object] = {}
        self._owner: Owner | None = None
        self._named_by = None
        """Team settings saved in Preferences since start: their name is the sender (their address waits for the
        next start; `team_settings` stays what this process opened with)."""
        self.recovered: tuple = ()
        self.new_team_key: bytes | None = None
        """Set when this process set up an empty shared history: its team key, to be shown once."""
        self.new_team_key_saved = False
        self.may_make_team_key = False
        """Set by a caller that shows `new_team_key` (the CLI's history): only then may an empty shared history
        get its team key when the journal opens."""

    @property
    def owner(self) -> Owner:
        """This process's id on the journal rows it claims (made once, on first use: psutil loads then)."""
        with self._lock:
            if self._owner is None:
                self._owner = Owner.for_this_process()
            return self._owner

    @cached_property
    def database(self):
        from spectrum_desktop.store.database import Database

        return Database()

    @cached_property
    def team_settings(self):
        from spectrum_desktop.store.team_settings import TeamSettingsStore

        return TeamSettingsStore().load()

    @property
    def sender(self) -> str:
        from spectrum_desktop.services.team import sender_name

        return sender_name(self._named_by or self.team_settings)

    def use_team_settings(self, settings) -> None:
        """Preferences › Shared history was saved: the name chosen there is this process's sender from now on (the
        rows it sends and copies, and the histories already open), so one person does not go under two names until
        the next start. The address is not switched here: a history already open stays until the next start."""
        self._named_by = settings
        for name in ("journal", "local_journal"):
            journal = self.__dict__.get(name)
            if journal is not None:
                journal.sender = self.sender

    @property
    def shared_history_url(self) -> str:
        """The shared history's address ('' when this computer keeps its own). Read at start (the window's title):
        no shared-history or encryption library is loaded for it."""
        from spectrum_desktop.store.shared_url import configured_url

        return configured_url(self.team_settings.journal_url)

    @cached_property
    def journal(self):
        """The history: the team's shared one on PostgreSQL when an address is set, else this computer's own."""
        url = self.shared_history_url
        if url:
            from spectrum_desktop.services.team import open_shared

            shared = open_shared(url, self.sender, make_key=self.may_make_team_key, owner=self.owner.id)
            self.new_team_key = shared.new_team_key
            self.new_team_key_saved = shared.key_saved
            journal = shared.journal
        else:
            journal = self.local_journal
        from spectrum_desktop.services.owner import owner_alive

        # Only rows whose owner is gone: another window or run working beside this one (or, in a shared history,
        # another machine whose lease runs) keeps its rows.
        self.recovered = journal.recover(owner_alive, self.owner.id).unknown
        return journal

    @cached_property
    def local_journal(self):
        """This computer's own history (SQLite), also when a shared one is in use (moving it over reads it)."""
        from spectrum_desktop.store.crypto import BodyCipher
        from spectrum_desktop.store.journal import Journal

        return Journal(self.database, BodyCipher.from_keyring(), sender=self.sender)

    @cached_property
    def submissions(self):
        """The one submission service (check, send, resend, history pages) for this process."""
        from spectrum_desktop.services.submission import SubmissionService

        return SubmissionService.from_context(self)

    def target_for_record(self, record) -> Target:
        """Where a history row goes back to: its environment, or its ad-hoc address."""
        if record.environment_id == AD_HOC:
            return self.ad_hoc_target(record.base_url)
        return self.target(self.environment(record.environment_id))

    @cached_property
    def settings(self):
        from spectrum_desktop.store.environments import EnvironmentSettings

        return EnvironmentSettings()

    @cached_property
    def tokens(self):
        from spectrum_desktop.store.tokens import TokenStore

        return TokenStore()

    @cached_property
    def environments(self):
        from spectrum_desktop.services.environments import EnvironmentService

        return EnvironmentService(self)

    @cached_property
    def credentials(self):
        from spectrum_desktop.services.tokens import TokenService

        return TokenService(self)

    def environment(self, name_or_id: str) -> Environment:
        from spectrum_desktop.services.errors import EnvironmentsFileInvalid
        from spectrum_desktop.store.environments import SettingsError

        try:
            settings = self.settings.load()
        except SettingsError as error:
            raise EnvironmentsFileInvalid(error.path or self.settings.path, error.detail, error) from None
        environment = settings.get(name_or_id)
        if environment is None:
            raise UnknownEnvironment(name_or_id)
        return environment

    def environment_names(self) -> dict[str, str]:
        """Environment id -> the name people know it by, for output meant for people ({} when the settings cannot
        be read: the caller then shows ids, and the error is reported where the settings are needed)."""
        from spectrum_desktop.store.environments import SettingsError

        try:
            environments = self.settings.load().environments
        except (SettingsError, OSError):
            return {}
        return {environment.id: environment.name for environment in environments}

    def limits(self, environment: Environment):
        """The environment's budget (one limiter per endpoint): machine-wide in the local database, or the
        team's in the shared history when there is one."""
        return self.budget(environment.id, environment.rate_limit_requests, environment.rate_limit_seconds)

    def budget(self, scope: str, requests: int, seconds: float):
        """A budget of `requests` per `seconds` for `scope` (an environment id) kept in the database every sender
        sees: the shared history's for a team (every machine), else the local one (every process here);
        `send --rate-limit` uses a tighter one over the same rows."""
        key = (scope, requests, seconds)
        with self._lock:
            budget = self._budgets.get(key)
        if budget is None:
            if self.shared_history_url:
                from spectrum_desktop.services.team_budget import TeamRateLimits

                budget = TeamRateLimits(self.journal, scope, requests, seconds)
            else:
                from spectrum_desktop.store.ratebudget import SharedRateLimits

                budget = SharedRateLimits(self.database, scope, requests, seconds)
            with self._lock:
                budget = self._budgets.setdefault(key, budget)
        return budget

    def rate_budget(self, environment: Environment, endpoint: str = MANY_PATH) -> BudgetView:
        limiter = self.limits(environment).for_path(endpoint)
        return BudgetView(limiter.remaining(), limiter.max_requests, limiter.window_seconds)

    def target(self, environment: Environment) -> Target:
        from spectrum_desktop.services.submission import Target  # the send path: not loaded to open the window

        if environment.is_sandbox:
            sandbox = self._local_sandbox(environment)
            base_url, token = sandbox.url, sandbox.token
        else:
            base_url, token = environment.base_url, self._token(environment.id)
            if not token:
                raise MissingToken(environment.name)
        return Target(environment.id, environment.name, base_url, token, environment.is_production,
                      environment.connect_timeout, environment.read_timeout, limits=self.limits(environment))

    def ad_hoc_target(self, base_url: str) -> Target:
        from spectrum_desktop.services.submission import Target, check_target

        check_target(Target(AD_HOC, base_url, base_url, ""))
        token = self._token(AD_HOC)
        if not token:
            raise MissingToken(base_url)
        limits = self.budget(f"{AD_HOC} {base_url.rstrip('/')}", *AD_HOC_BUDGET)
        return Target(AD_HOC, base_url, base_url.rstrip("/"), token, limits=limits)

    def _token(self, environment_id: str) -> str | None:
        from spectrum_desktop.services.tokens import TokenNotSaved
        from spectrum_desktop.store.tokens import TokenStoreError

        try:
            return self.tokens.get(environment_id)
        except TokenStoreError as error:
            raise TokenNotSaved.from_store(error) from None

    @property
    def sandbox_url(self) -> str | None:
        """The local sandbox's address, or None when it has not been started."""
        return self._sandbox.url if self._sandbox is not None else None

    def _local_sandbox(self, environment: Environment) -> SandboxServer:
        with self._lock:
            if self._sandbox is None:
                from spectrum_desktop.sandbox import SandboxServer

                self._sandbox = SandboxServer(
                    rate_limit=(environment.rate_limit_requests, environment.rate_limit_seconds)
                ).start()
            return self._sandbox

    def close(self) -> None:
        with self._lock:
            sandbox = self._sandbox if self._owns_sandbox else None
            if self._owns_sandbox:
                self._sandbox = None
        if sandbox is not None:
            sandbox.stop()
        journal = self.__dict__.get("journal")
        if journal is not None and hasattr(journal, "close"):
            journal.close()
        if "database" in self.__dict__:
            self.database.close()
