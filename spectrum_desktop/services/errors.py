"""The services' typed errors. They carry data (which order, which environment, which rows); the window turns
them into words in ui/errors.py and the command line in cli/errors.py. `str(error)` is for logs only."""

from __future__ import annotations

from collections.abc import Sequence

from spectrum_desktop.domain.errors import (
    BodyUnreadable,
    LocalDataError,
    LocalDataProblem,
    NotInHistory,
    SpectrumDesktopError,
)

__all__ = [
    "AlreadyAccepted", "BeingSentElsewhere", "BodyNotKept", "BodyUnreadable", "InvalidAddress", "InvalidOrder", "LocalDataError", "LocalDataProblem", "LookupFailed",
    "EnvironmentsFileInvalid", "MissingToken", "NotInHistory", "ServiceError", "UnknownEnvironment",
]


class ServiceError(SpectrumDesktopError):
    """Base of every error the services raise."""


class InvalidOrder(ServiceError):
    """The order did not pass validation; nothing was sent. `problems`: "label: what is wrong" each;
    `paths`: the JSON path of each problem, in the same order ("" when not known);
    `number`: the order's place in its file (1-based) when it came from one."""

    def __init__(self, problems: list[str], number: int | None = None, paths: list[str] | None = None) -> None:
        self.problems = problems
        self.paths = list(paths) if paths is not None else [""] * len(problems)
        self.number = number
        super().__init__("The order has problems and was not sent: " + "; ".join(problems))


class UnknownEnvironment(ServiceError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(name)


class MissingToken(ServiceError):
    def __init__(self, environment_name: str) -> None:
        self.environment_name = environment_name
        super().__init__(environment_name)

class BodyNotKept(ServiceError):
    """The row's contents were kept only for the session that sent it; nothing was sent."""

    def __init__(self, submission_id: int, purchase_orders: Sequence[str] = ()) -> None:
        self.submission_id = submission_id
        self.purchase_orders = tuple(purchase_orders)
        super().__init__(submission_id)


class InvalidAddress(ServiceError):
    """The server address cannot be used (not a URL, or plain http:// to another computer); nothing was sent.
    `reason` is the address rule's own explanation (domain/endpoints.py)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class LookupFailed(ServiceError):
    """Spectrum could not be asked whether an order arrived (unreachable, token refused, busy); row unchanged."""

    def __init__(self, purchase_order: str, environment_name: str, outcome_message: str) -> None:
        self.purchase_order = purchase_order
        self.environment_name = environment_name
        self.outcome_message = outcome_message
        super().__init__(purchase_order, outcome_message)


class BeingSentElsewhere(ServiceError):
    """Another window or command-line run on this computer is sending this purchase order right now."""

    def __init__(self, purchase_order: str) -> None:
        self.purchase_order = purchase_order
        super().__init__(purchase_order)


class AlreadyAccepted(ServiceError):
    """A correction of a partly accepted order holds recipeSets Spectrum accepted before; nothing was sent
    (accepted recipeSets are never sent again). `environment_name`: where they were accepted."""

    def __init__(self, purchase_order: str, recipe_set_ids: Sequence[str], environment_name: str) -> None:
        self.purchase_order = purchase_order
        self.recipe_set_ids = tuple(recipe_set_ids)
        self.environment_name = environment_name
        super().__init__(purchase_order, self.recipe_set_ids)


class EnvironmentsFileInvalid(ServiceError):
    """The environments file (the list of environments) could not be used: damaged or edited by hand; nothing was
    sent. `path`: the file; `detail`: what is wrong, technically (for the log only: it may quote JSON paths);
    `problem`: the settings error's data (store.environments.SettingsError), worded by domain.words.environments_problem
    for staff."""

    def __init__(self, path: object, detail: str, problem: object = None) -> None:
        self.path = path
        self.detail = detail
        self.problem = problem
        super().__init__(str(path), detail)
