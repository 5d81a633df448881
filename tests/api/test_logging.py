"""Logs name purchase orders and outcomes, never the token or a customer's address, e-mail or phone."""

import logging

from spectrum_desktop.api import SpectrumClient
from tests.api.conftest import FAST_RETRY, TOKEN, ack, example

PERSONAL = ["john.smith@acme.com", "1015551212", "123 Fake Street", "Smith", "Portland", "97205"]


def test_logs_hold_po_numbers_only(sandbox, caplog):
    caplog.set_level(logging.INFO, logger="spectrum_desktop.api")
    body = example("full_order.json")
    body["purchaseOrderNumber"] = "LOG-1"
    with SpectrumClient(sandbox.url, TOKEN, retry=FAST_RETRY) as client:
        client.send_full_order(body)
        client.send_full_order(body)  # 409
        client.acknowledge(ack("ERR500-LOG"))  # retried
        client.acknowledge_many([ack("LOG-M1"), ack("LOG-M2")])
        client.lookup("LOG-1")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "LOG-1 -> accepted" in text and "LOG-1 -> alreadysubmitted" in text
    assert "trying again" in text and "ERR500-LOG" in text
    assert "LOG-M1, LOG-M2" in text and "2 accepted" in text
    assert all(r.levelno == logging.INFO for r in caplog.records)
    assert TOKEN not in text
    for value in PERSONAL:
        assert value not in text


def test_wrong_token_not_logged(sandbox, caplog):
    caplog.set_level(logging.DEBUG, logger="spectrum_desktop.api")
    with SpectrumClient(sandbox.url, "leaky-token-123", retry=FAST_RETRY) as client:
        client.acknowledge(ack("LOG-2"))
    assert "leaky-token-123" not in caplog.text
