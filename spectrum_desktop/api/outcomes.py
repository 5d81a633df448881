"""What a call to Spectrum came to: one typed outcome per call, never a raw response or an exception."""

from __future__ import annotations

from dataclasses import dataclass, field

from spectrum_desktop.domain.states import FailureReason, SubmissionState
from spectrum_desktop.domain.submission import RecipeSetResult


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """Base of every outcome. `http_status` is None when no HTTP answer came back."""

    http_status: int | None = None
    attempts: int = 1
    response_text: str = field(default="", repr=False)  # the answer's body as received ("" when none)

    # Class-level facts, not fields: how a journal records this outcome.
    state = SubmissionState.UNKNOWN
    reason = None
    maybe_arrived = True

    @property
    def message(self) -> str:
        return "Spectrum answered in a way the app does not know."

    @property
    def label(self) -> str:
        """Short lower-case name for logs and summaries."""
        return type(self).__name__.lower()


@dataclass(frozen=True, kw_only=True)
class Accepted(Outcome):
    purchase_order_number: str
    results: tuple[RecipeSetResult, ...] = ()
    state = SubmissionState.SUCCEEDED

    @property
    def message(self) -> str:
        return f"Order {self.purchase_order_number} was accepted by Spectrum."


@dataclass(frozen=True, kw_only=True)
class PartiallyAccepted(Outcome):
    """HTTP 200 with allSuccessful false: some (or all) recipeSets were not processed."""

    purchase_order_number: str
    results: tuple[RecipeSetResult, ...] = ()

    @property
    def failed(self) -> tuple[RecipeSetResult, ...]:
        return tuple(r for r in self.results if not r.success)

    @property
    def failed_ids(self) -> tuple[str, ...]:
        return tuple(r.recipe_set_id for r in self.failed)

    @property
    def state(self) -> SubmissionState:  # type: ignore[override]
        return SubmissionState.PARTIAL if any(r.success for r in self.results) else SubmissionState.FAILED

    @property
    def reason(self) -> FailureReason | None:  # type: ignore[override]
        return None if self.state is SubmissionState.PARTIAL else FailureReason.REJECTED

    @property
    def message(self) -> str:
        details = "; ".join(f"{r.recipe_set_id}: {r.message.strip().rstrip('.')}" if r.message else r.recipe_set_id
                            for r in self.failed)
        one = len(self.failed) == 1
        return (f"Order {self.purchase_order_number}: {len(self.failed)} of {len(self.results)} recipe sets "
                f"{'was' if one else 'were'} not accepted. {details or 'Spectrum gave no details'}. "
                f"Correct {'it' if one else 'them'} and resend the failed {'one' if one else 'ones'}.")


@dataclass(frozen=True, kw_only=True)
class AlreadySubmitted(Outcome):
    """409: Spectrum already has this purchase order (for a resend: the earlier attempt arrived)."""

    last_modification: str | None = None
    error: str = ""
    api_version: str | None = None
    state = SubmissionState.ALREADY_SUBMITTED

    @property
    def message(self) -> str:
        from spectrum_desktop.domain.dates import readable_moment

        when = f" (last changed {readable_moment(self.last_modification)})" if self.last_modification else ""
        return f"Spectrum already has this purchase order{when}. Nothing more to send."


@dataclass(frozen=True, kw_only=True)
class Rejected(Outcome):
    """Another 4xx: the server refused the request and said why."""

    error: str = ""
    api_version: str | None = None
    state = SubmissionState.FAILED
    reason = FailureReason.REJECTED

    @property
    def message(self) -> str:
        return f"Spectrum refused the request (HTTP {self.http_status}): {self.error or 'no reason given'}. " \
               "Correct the order and send it again."


@dataclass(frozen=True, kw_only=True)
class ServerError(Outcome):
    """5xx with a JSON error body. `text` is the server's error text, whole, for support."""

    text: str = ""
    trace_id: str | None = None
    api_version: str | None = None
    last_modification: str | None = None
    state = SubmissionState.FAILED
    reason = FailureReason.SERVER_ERROR

    @property
    def message(self) -> str:
        text = self.text.strip().rstrip(".")
        if not self.trace_id:
            trace = ""
        elif self.trace_id in text:  # the server's own text already names it
            trace = " Give support that trace ID."
        else:
            trace = f" Give support this trace ID: {self.trace_id}."
        return f"Spectrum had an error (HTTP {self.http_status}): {text}.{trace} Try again later."


@dataclass(frozen=True, kw_only=True)
class Unauthorized(Outcome):
    """401, or 403 without any sign of rate limiting."""

    error: str = ""
    state = SubmissionState.FAILED
    reason = FailureReason.UNAUTHORIZED

    @property
    def message(self) -> str:
        return ("Spectrum did not accept the API token for this environment. Check the token in the environment "
                "settings (or ask your Spectrum contact for a new one).")


@dataclass(frozen=True, kw_only=True)
class RateLimited(Outcome):
    """403 with rate-limit headers or Retry-After: too many requests; wait `wait_seconds`."""

    wait_seconds: float = 0.0
    error: str = ""
    state = SubmissionState.FAILED
    reason = FailureReason.RATE_LIMITED

    @property
    def message(self) -> str:
        seconds = max(1, round(self.wait_seconds))
        return (f"Spectrum is receiving too many requests from you. Wait about {seconds} "
                f"second{'s' if seconds != 1 else ''} and send again.")


@dataclass(frozen=True, kw_only=True)
class Unreachable(Outcome):
    """Nothing was sent: connection refused, name not found, TLS failure, connect timeout."""

    detail: str = ""
    state = SubmissionState.FAILED
    reason = FailureReason.UNREACHABLE
    maybe_arrived = False

    @property
    def message(self) -> str:
        return (f"Could not reach the Spectrum server ({self.detail}). Nothing was sent. Check the network "
                "connection and the environment's address, then try again.")


@dataclass(frozen=True, kw_only=True)
class OutcomeUnknown(Outcome):
    """The request left but no answer came (read timeout, connection dropped): it may have arrived."""

    detail: str = ""

    @property
    def message(self) -> str:
        return (f"The request was sent but no answer came back ({self.detail}). It may or may not have arrived: "
                "check it with 'Check in Spectrum' before sending again.")


@dataclass(frozen=True, kw_only=True)
class Unrecognised(Outcome):
    """An answer the client cannot read (HTML from a proxy, broken JSON). `body` is kept whole for the user."""

    body: str = ""
    content_type: str = ""

    @property
    def message(self) -> str:
        return (f"Spectrum's answer (HTTP {self.http_status}) could not be read, so it is not known whether the "
                "order arrived. Check it with 'Check in Spectrum'; the raw answer is kept in the details.")


@dataclass(frozen=True, kw_only=True)
class Cancelled(Outcome):
    """Cancelled before the request left: nothing was sent."""

    state = SubmissionState.QUEUED
    maybe_arrived = False

    @property
    def message(self) -> str:
        return "Cancelled before sending. Nothing was sent."


@dataclass(frozen=True, kw_only=True)
class Found(Outcome):
    """Lookup: Spectrum knows this order."""

    order: dict = field(default_factory=dict)
    state = SubmissionState.SUCCEEDED

    @property
    def message(self) -> str:
        return "Spectrum has this order."


@dataclass(frozen=True, kw_only=True)
class NotFound(Outcome):
    """Lookup: Spectrum does not know this order (404)."""

    error: str = ""
    state = SubmissionState.FAILED
    maybe_arrived = False

    @property
    def message(self) -> str:
        return "Spectrum does not have this order."


@dataclass(frozen=True, kw_only=True)
class ManyOutcome:
    """Result of acknowledge_many: one outcome per purchase order sent, plus the request's own outcome."""

    outcome: Outcome
    results: dict[str, Outcome]
    http_status: int | None = None
    attempts: int = 1
    response_text: str = field(default="", repr=False)

    @property
    def all_accepted(self) -> bool:
        return bool(self.results) and all(isinstance(o, Accepted) for o in self.results.values())


LookupOutcome = Outcome  # Found, NotFound, or any failure outcome above
