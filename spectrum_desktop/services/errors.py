"""Typed service errors whose messages tell the user what to do next."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error the services raise; `str(error)` is meant for the user."""


class InvalidOrder(ServiceError):
    """The order did not pass validation; nothing was sent."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("The order has problems and was not sent: " + "; ".join(problems))


class UnknownEnvironment(ServiceError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"There is no environment called {name!r}. Check the name in Edit › Preferences… › Environments."
        )


class MissingToken(ServiceError):
    def __init__(self, environment_name: str) -> None:
        super().__init__(
            f"No API token is saved for {environment_name}. Use Set token… (Edit menu or toolbar) to paste the "
            "token you were given, then send again."
        )


class BodyNotKept(ServiceError):
    def __init__(self, submission_id: int) -> None:
        super().__init__(
            f"The contents of submission {submission_id} were not kept (no keyring was available when it was sent). "
            "Import the order again and send it."
        )


class InvalidAddress(ServiceError):
    """The server address cannot be used (not a URL, or plain http:// to another computer); nothing was sent."""
