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
