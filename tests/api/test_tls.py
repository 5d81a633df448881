"""TLS verification is always on: a server with an untrusted certificate is unreachable, and nothing is sent."""

import datetime
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from spectrum_desktop.api import RetryPolicy, SpectrumClient, Unreachable
from tests.api.conftest import ack


def self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path):
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            return

    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", seen, cert
    server.shutdown()
    server.server_close()


def test_untrusted_certificate_is_unreachable_and_not_retried(tls_server, monkeypatch):
    url, seen, _ = tls_server
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with SpectrumClient(url, "t", retry=RetryPolicy(max_attempts=3, base_delay=0.01)) as client:
        outcome = client.acknowledge(ack("TLS-1"))
    assert isinstance(outcome, Unreachable)
    assert outcome.detail == "the server's security certificate could not be verified"
    assert outcome.attempts == 1 and not outcome.maybe_arrived
    assert seen == []


def test_trusted_certificate_works(tls_server, monkeypatch):
    url, seen, cert = tls_server
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # the system's way to trust a company CA
    with SpectrumClient(url, "t", retry=RetryPolicy.none()) as client:
        outcome = client.acknowledge(ack("TLS-2"))
    assert outcome.http_status == 200  # "{}" is not an acknowledgement result: unrecognised, but it arrived
    assert seen == ["/api/order/acknowledgement"]
