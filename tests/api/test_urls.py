"""Base URLs: joined with or without a trailing slash or a path prefix; plain http only for this computer."""

import pytest

from spectrum_desktop.api import (
    Accepted,
    InsecureBaseUrl,
    InvalidBaseUrl,
    InvalidToken,
    SpectrumClient,
    Unauthorized,
    check_base_url,
    join_url,
)
from spectrum_desktop.api.urls import check_token, is_loopback
from tests.api.conftest import FAST_RETRY, TOKEN, ack


@pytest.mark.parametrize(("base", "expected"), [
    ("https://api.example.com", "https://api.example.com/api/order"),
    ("https://api.example.com/", "https://api.example.com/api/order"),
    ("https://api.example.com/spectrum", "https://api.example.com/spectrum/api/order"),
    ("https://api.example.com/spectrum/", "https://api.example.com/spectrum/api/order"),
    ("https://api.example.com:8443/a/b//", "https://api.example.com:8443/a/b/api/order"),
])
def test_join(base, expected):
    assert join_url(check_base_url(base), "/api/order") == expected
    assert join_url(base, "api/order") == expected


@pytest.mark.parametrize("base", ["http://example.com", "http://10.0.0.5:8080", "http://api.spectrumcustomizer.com/"])
def test_plain_http_refused_for_other_hosts(base):
    with pytest.raises(InsecureBaseUrl, match="https://"):
        SpectrumClient(base, TOKEN)


@pytest.mark.parametrize("base", ["http://localhost:8080", "http://127.0.0.1:1", "http://[::1]:9", "http://127.5.0.1"])
def test_plain_http_allowed_for_loopback(base):
    assert SpectrumClient(base, TOKEN).base_url == base


@pytest.mark.parametrize("base", ["", "api.example.com", "ftp://example.com", "https://", "https://h/?x=1"])
def test_not_a_server_address(base):
    with pytest.raises(InvalidBaseUrl):
        check_base_url(base)


def test_loopback_detection():
    assert is_loopback("localhost") and is_loopback("127.0.0.1") and is_loopback("::1")
    assert not is_loopback("localhost.example.com") and not is_loopback("10.0.0.1")


def test_path_prefix_reaches_the_endpoint_over_http(sandbox):
    # The sandbox serves at its root, so a prefix must produce /prefix/api/...: it answers 404 there.
    with SpectrumClient(sandbox.url + "/", TOKEN, retry=FAST_RETRY) as client:
        assert isinstance(client.acknowledge(ack("URL-1")), Accepted)
    with SpectrumClient(sandbox.url + "/prefix/", TOKEN, retry=FAST_RETRY) as client:
        outcome = client.acknowledge(ack("URL-2"))
    assert outcome.http_status == 404
    assert [r.path for r in sandbox.received()] == ["/api/order/acknowledgement", "/prefix/api/order/acknowledgement"]


def test_client_repr_hides_token():
    assert "secret" not in repr(SpectrumClient("https://api.example.com", "secret"))


def test_pasted_token_is_trimmed_and_garbage_refused(sandbox):
    with SpectrumClient(sandbox.url, f"  {TOKEN}\n", retry=FAST_RETRY) as client:
        assert isinstance(client.acknowledge(ack("TOK-1")), Accepted)
    for bad in ("abc\ndef", "tökén", "a\tb"):
        with pytest.raises(InvalidToken, match="Copy it again"):
            check_token(bad)
        with SpectrumClient(sandbox.url, bad, retry=FAST_RETRY) as client:
            outcome = client.acknowledge(ack("TOK-2"))
        assert isinstance(outcome, Unauthorized) and "Copy it again" in outcome.error
        assert outcome.attempts == 0 and outcome.http_status is None
    assert sandbox.accepted_count("TOK-2") == 0 and len(sandbox.received()) == 1
