"""Magic values that make the sandbox answer a chosen way, like a payment provider's test cards."""

from __future__ import annotations

FAIL_RECIPE_SET = "FAIL"  # recipeSetId prefix: that status answers success: false
ERR500 = "ERR500"  # purchaseOrderNumber prefix: 500 with a trace ID
SLOW = "SLOW"  # purchaseOrderNumber prefix: answer delayed by slow_delay (order still recorded)
HTML502 = "HTML502"  # purchaseOrderNumber prefix: an HTML 502 page as a proxy would send
BADJSON = "BADJSON"  # purchaseOrderNumber prefix: 200 with a malformed JSON body
RATE403 = "RATE403"  # purchaseOrderNumber prefix: 403 with Retry-After, as if rate limited
DENY403 = "DENY403"  # purchaseOrderNumber prefix: 403 without rate-limit signs (forbidden)
DROP = "DROP"  # purchaseOrderNumber prefix: order recorded, connection closed without an answer
