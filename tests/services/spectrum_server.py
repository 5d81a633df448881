"""A small Spectrum look-alike on loopback for service and CLI tests (real HTTP, real sockets).

Magic values: recipeSetId starting FAIL -> success false; purchase order starting SLOW -> answers after
`slow_seconds`; a purchase order seen before -> 409; a wrong token -> 401; status 500 for PO starting ERR.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "tok-test-7f3a9c"


class SpectrumServer:
    def __init__(self, slow_seconds: float = 0.0, max_batch: int = 10_000,
                 rate: tuple[int, float] | None = None) -> None:
        self.slow_seconds = slow_seconds
        self.max_batch = max_batch
        self.rate = rate
        self.arrivals: list[float] = []
        self.forbidden = 0
        self.acknowledged: dict[str, list[dict]] = {}
        self.lock = threading.Lock()
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.headers.get("SPECTRUM_API_TOKEN") != TOKEN:
                    self._answer(401, {"error": "Unauthorized"})
                    return
                po = self.path.rsplit("/", 1)[-1]
                with server.lock:
                    found = server.acknowledged.get(po)
                if found is None:
                    self._answer(404, {"error": "Not found"})
                else:
                    self._answer(200, {"purchaseOrderNumber": po, "lineItems": found})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.lock:
                    server.requests += 1
                    now = time.monotonic()
                    if server.rate is not None:
                        count, seconds = server.rate
                        recent = [t for t in server.arrivals if now - t < seconds]
                        if len(recent) >= count:
                            server.forbidden += 1
                            self._answer(403, {"error": "Rate limit exceeded"})
                            return
                    server.arrivals.append(now)
                if self.headers.get("SPECTRUM_API_TOKEN") != TOKEN:
                    self._answer(401, {"error": "Unauthorized"})
                    return
                if isinstance(body, list):
                    if len(body) > server.max_batch:
                        self._answer(413, {"error": "Payload too large"})
                        return
                    self._answer(200, [server.acknowledge(o) for o in body])
                    return
                po = body["purchaseOrderNumber"]
                if po.startswith("ERR"):
                    self._answer(500, {"error": "Error message with trace log ID 42."})
                    return
                result = server.acknowledge(body)
                if result is None:
                    self._answer(409, {"error": "Purchase order has already been submitted."})
                else:
                    self._answer(200, result)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def acknowledge(self, body: dict) -> dict | None:
        po = body["purchaseOrderNumber"]
        if po.startswith("SLOW"):
            time.sleep(self.slow_seconds)
        items = body.get("lineItems") or body.get("recipeSets") or []
        with self.lock:
            if po in self.acknowledged:
                return None
            self.acknowledged[po] = items
        statuses = [
            {"recipeSetId": i["recipeSetId"], "success": not i["recipeSetId"].startswith("FAIL"),
             "message": "Failed" if i["recipeSetId"].startswith("FAIL") else "Processed Successfully"}
            for i in items
        ]
        return {"purchaseOrderNumber": po, "statuses": statuses, "allSuccessful": all(s["success"] for s in statuses)}

    def __enter__(self) -> SpectrumServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def order(po: str, *recipe_sets: str) -> dict:
    return {
        "purchaseOrderNumber": po,
        "orderDate": "2024-05-01T10:00:00Z",
        "organizationId": "1000345201",
        "lineItems": [{"recipeSetId": r, "sku": "100003-0001-S", "quantity": 1} for r in recipe_sets or ("R1",)],
    }
