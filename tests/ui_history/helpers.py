"""Orders, CSV files and targets for the History and Bulk page tests."""

from __future__ import annotations

import csv
import io
import socket
from collections import Counter

from PySide6.QtCore import QItemSelectionModel

from spectrum_desktop.api import RateLimits
from spectrum_desktop.domain.importing import CSV_COLUMNS
from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.submission import Target
from spectrum_desktop.store.journal import HistoryQuery, Journal


def order(po: str, *recipe_sets: str) -> dict:
    return {
        "purchaseOrderNumber": po,
        "orderDate": "2024-05-01T10:00:00Z",
        "organizationId": "1000345201",
        "lineItems": [{"recipeSetId": r, "sku": "100003-0001-S", "quantity": 1} for r in recipe_sets or ("R1",)],
    }


def target(server: SandboxServer, environment_id: str = "staging", read_timeout: float = 30.0,
           limits: RateLimits | None = None) -> Target:
    """Where the tests send; `limits` is the environment's shared rate budget (as AppContext hands out)."""
    return Target(environment_id, environment_id.title(), server.url, server.token, read_timeout=read_timeout,
                  limits=limits)


def closed_port_target(environment_id: str = "staging") -> Target:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return Target(environment_id, environment_id.title(), f"http://127.0.0.1:{port}", "no-token")


def orders_csv(n: int, invalid_every: int = 0, fail_every: int = 0, prefix: str = "PO",
               sku_quantities: bool = False) -> str:
    """n one-line orders; every `invalid_every`-th has quantity 0 (invalid); every `fail_every`-th gets a
    second recipeSet FAIL-… so the sandbox accepts it only in part."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for i in range(n):
        base = {"purchaseOrderNumber": f"{prefix}-{i}", "orderDate": "2024-05-01T10:00:00Z",
                "lineItems.sku": "100003-0001-S"}
        if sku_quantities:  # the RecipeSet format needs them
            base.update({"lineItems.skuQuantities.sku": "100003-0001-S", "lineItems.skuQuantities.quantity": "2"})
        quantity = "0" if invalid_every and i % invalid_every == 7 else "1"
        writer.writerow({**base, "lineItems.recipeSetId": f"R-{i}", "lineItems.quantity": quantity})
        if fail_every and i % fail_every == 3:
            writer.writerow({**base, "lineItems.recipeSetId": f"FAIL-{i}", "lineItems.quantity": "1"})
    return out.getvalue()


def all_rows(journal: Journal):
    rows, page = [], 0
    while True:
        result = journal.history(HistoryQuery(page=page, page_size=1000))
        rows.extend(result.rows)
        page += 1
        if page * 1000 >= result.total:
            return rows


def rows_per_po(journal: Journal) -> Counter:
    return Counter(po for r in all_rows(journal) for po in r.purchase_orders)


def api_statuses(server: SandboxServer) -> list[int]:
    return [r.status for r in server.received() if r.path.startswith("/api/")]


def select_row(view, row: int, add: bool = False) -> None:
    flags = QItemSelectionModel.SelectionFlag.Rows | (
        QItemSelectionModel.SelectionFlag.Select if add else QItemSelectionModel.SelectionFlag.ClearAndSelect)
    view.table.selectionModel().setCurrentIndex(view.model.index(row, 0), flags)
