import pytest

from spectrum_desktop.sandbox import SandboxServer
from tests.cli.helpers import TOKEN


@pytest.fixture
def server():
    """The real sandbox on loopback with the tests' token; SLOW* orders answer after 30 s (or at stop)."""
    with SandboxServer(token=TOKEN, rate_limit=None, slow_delay=30.0) as sandbox:
        yield sandbox
