import copy
import json
from pathlib import Path

import pytest

from spectrum_desktop.api import RetryPolicy, SpectrumClient
from spectrum_desktop.sandbox import SandboxServer

EXAMPLES = Path(__file__).parent.parent / "domain" / "examples"
TOKEN = "api-test-token"
FAST_RETRY = RetryPolicy(max_attempts=3, max_total_seconds=10.0, base_delay=0.02, max_delay=0.1, jitter=0.25)


def example(name):
    return json.loads((EXAMPLES / name).read_text())


def ack(po, *recipe_set_ids):
    body = copy.deepcopy(example("ack_lineitem.json"))
    body["purchaseOrderNumber"] = po
    if recipe_set_ids:
        template = body["lineItems"][0]
        body["lineItems"] = [dict(template, recipeSetId=rid) for rid in recipe_set_ids]
    return body


@pytest.fixture
def sandbox():
    with SandboxServer(token=TOKEN, rate_limit=None, slow_delay=2.0) as server:
        yield server


@pytest.fixture
def client(sandbox):
    with SpectrumClient(sandbox.url, TOKEN, retry=FAST_RETRY, connect_timeout=2.0, read_timeout=0.4) as c:
        yield c
