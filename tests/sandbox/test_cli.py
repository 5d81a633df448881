"""`spectrum-desktop sandbox` as a user runs it: a real process, real HTTP, stopped with Ctrl+C (SIGINT)."""

import os
import signal
import socket
import subprocess
import sys

import requests

ORDER = {"purchaseOrderNumber": "CLI-1", "orderDate": "2022-01-31T13:15:05-05:00",
         "lineItems": [{"recipeSetId": "R1", "sku": "S", "quantity": 1}]}


def start(tmp_path, *args):
    env = dict(os.environ, SPECTRUM_DESKTOP_HOME=str(tmp_path), PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "spectrum_desktop", "sandbox", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_banner(process):
    lines = [process.stdout.readline() for _ in range(4)]
    url = lines[0].rsplit(" ", 1)[1].strip()
    token = lines[1].split(": ", 1)[1].strip()
    return lines, url, token


def test_prints_url_and_token_serves_and_stops_on_ctrl_c(tmp_path):
    process = start(tmp_path, "--port", "0", "--token", "cli-token", "--rate-limit", "2/60")
    try:
        lines, url, token = read_banner(process)
        assert url.startswith("http://127.0.0.1:") and token == "cli-token"
        assert lines[2].strip() == "Rate limit: 2 requests per 60 s per endpoint"
        assert "Ctrl+C" in lines[3]
        headers = {"SPECTRUM_API_TOKEN": token}
        path = url + "/api/order/acknowledgement"
        assert requests.post(path, json=ORDER, headers=headers, timeout=5).status_code == 200
        assert requests.post(path, json=ORDER, headers=headers, timeout=5).status_code == 409
        limited = requests.post(path, json=ORDER, headers=headers, timeout=5)
        assert limited.status_code == 403 and "Retry-After" in limited.headers
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "Sandbox stopped." in out and "Traceback" not in err
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0  # the port is closed again


def test_random_token_when_none_given(tmp_path):
    process = start(tmp_path, "--port", "0", "--rate-limit", "off")
    try:
        lines, url, token = read_banner(process)
        assert token.startswith("sandbox-") and len(token) > 12
        assert lines[2].strip() == "Rate limit: off"
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)
    assert process.returncode == 0 and "Sandbox stopped." in out


def test_bad_rate_limit_and_busy_port_exit_2(tmp_path):
    bad = start(tmp_path, "--rate-limit", "lots")
    out, err = bad.communicate(timeout=20)
    assert bad.returncode == 2 and "N/SECONDS" in err
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = start(tmp_path, "--port", str(busy.getsockname()[1]))
        out, err = taken.communicate(timeout=20)
    assert taken.returncode == 2 and "--port" in err and "Traceback" not in err
