"""Order bodies and sandbox read-outs shared by the service and CLI tests."""

from __future__ import annotations

from spectrum_desktop.sandbox import SandboxServer


def order(po: str, *recipe_sets: str) -> dict:
    return {
        "purchaseOrderNumber": po,
        "orderDate": "2024-05-01T10:00:00Z",
        "organizationId": "1000345201",
        "lineItems": [{"recipeSetId": r, "sku": "100003-0001-S", "quantity": 1} for r in recipe_sets or ("R1",)],
    }


def posts(server: SandboxServer) -> int:
    """How many order requests (POSTs to the API, not sandbox controls) reached the sandbox."""
    return sum(1 for r in server.received() if r.method == "POST" and r.path.startswith("/api/"))


def statuses(server: SandboxServer) -> list[int]:
    return [r.status for r in server.received() if r.path.startswith("/api/")]


# --- the tests' short ways into the one SubmissionService (each builds the service from a journal) ---

def service(journal, target_for=None):
    from spectrum_desktop.services.submission import SubmissionService

    return SubmissionService(journal, target_for)


def submit(journal, target, raw, kind=None, cancel=None):
    """One order through check + send (sent even when delivered before, as the window's confirmed Send)."""
    return service(journal).submit(raw, target, kind, cancel=cancel)


def resend(journal, submission_id, target_for, cancel=None):
    report = service(journal, target_for).resend([submission_id], cancel=cancel)
    if report.problems:
        raise report.problems[0]
    return report.records[-1]


def send_many(journal, target, raws, kind=None, batch_size=50, budget=None, progress=None, cancel=None,
              parallel=3, force=True):
    from spectrum_desktop.services.progress import no_progress

    svc = service(journal)
    return svc.send(svc.check_many(raws, kind, target), force=force, batch_size=batch_size, budget=budget,
                    progress=progress or no_progress, cancel=cancel, parallel=parallel)


def send_queued(journal, target, ids, progress=None, cancel=None, batch_size=50):
    from spectrum_desktop.services.progress import no_progress

    return service(journal, lambda _record: target).resend(ids, progress=progress or no_progress, cancel=cancel,
                                                           batch_size=batch_size)


def reconcile(journal, submission_id, target):
    return service(journal).check_delivered(submission_id, target)


def needs_attention(journal, environment_id=None):
    return service(journal).needs_attention(environment_id)


def already_succeeded(journal, target, purchase_order):
    return bool(journal.delivered(target.environment_id, [purchase_order]))
