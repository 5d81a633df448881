"""Validate + serialise 10,000 orders of 5 line items, and one order of 1,000 line items.

Baseline in the same run: plain json.loads + json.dumps of the same data.
Targets (2-core machine): 10,000 orders < 1.5 s; the 1,000-line order < 50 ms.
"""

from __future__ import annotations

import json
import time

from spectrum_desktop.domain.validation import validate_many, validate_order


def _order(number: int, lines: int) -> dict:
    return {
        "purchaseOrderNumber": f"PO-{number}",
        "orderDate": "2022-01-31T13:15:05.2151663-05:00",
        "accountNumber": "2000690402",
        "organizationId": "1000345201",
        "emailAddress": "john.smith@acme.com",
        "phoneNumber": "1015551212",
        "priority": "normal",
        "lineItems": [
            {
                "recipeSetId": f"R{i}",
                "sku": "100003-0001-S",
                "quantity": 2,
                "giftMessage": "Enjoy your gift",
                "shipmentVendor": "Fedex",
                "shipmentTracking": "234324234324",
                "proofStatus": "Requested",
                "estimatedDeliveryDate": "2022-02-02T00:00:00.00000-00:00",
                "skuQuantities": [{"sku": "ABC1234", "quantity": 4}],
            }
            for i in range(lines)
        ],
    }


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    bulk = json.dumps([_order(n, 5) for n in range(10_000)])
    big = json.dumps(_order(1, 1_000))

    def bulk_ours():
        results = validate_many(json.loads(bulk))
        assert all(r.ok for r in results)
        json.dumps([r.body for r in results])

    def big_ours():
        result = validate_order(json.loads(big))
        assert result.ok
        json.dumps(result.body)

    for name, ours, text, repeat, target in (
        ("10,000 orders x 5 line items", bulk_ours, bulk, 3, 1.5),
        ("1 order x 1,000 line items", big_ours, big, 20, 0.050),
    ):
        base = _best(lambda: json.dumps(json.loads(text)), repeat)
        mine = _best(ours, repeat)
        verdict = "meets" if mine < target else "MISSES"
        print(f"{name}: validate+serialise {mine * 1000:.1f} ms; json.loads+dumps {base * 1000:.1f} ms; "
              f"ratio {mine / base:.1f}x; target {target * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
