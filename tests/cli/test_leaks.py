from tests.cli.helpers import TOKEN, run_cli, write_orders
from tests.services.orders import order

ADDRESS = "17 Quillfeather Lane"
EMAIL = "marguerite.tanaka@example.org"
PHONE = "+1 555 013 7788"


def full_order(po: str, recipe_set: str = "R1") -> dict:
    address = {"firstName": "Marguerite", "lastName": "Tanaka", "address1": ADDRESS, "city": "Portland",
               "state": "OR", "postalCode": "97201", "country": "US"}
    return {**order(po, recipe_set), "customerAddress": address, "shippingAddress": address,
            "emailAddress": EMAIL, "phoneNumber": PHONE}


def test_no_token_or_personal_data_in_clear_under_the_data_dir(tmp_path, secret_service, server):
    home = tmp_path / "home"
    orders = write_orders(tmp_path / "in.json", [full_order("L-1"), full_order("L-2", "FAIL-1"),
                                                 full_order("ERR500-1")])
    assert run_cli(home, "send", orders, "--base-url", server.url, "--kind", "full").returncode == 1
    assert run_cli(home, "resend", "--failed").returncode == 1
    assert run_cli(home, "history").returncode == 0
    one = write_orders(tmp_path / "one.json", [full_order("L-3")])
    assert run_cli(home, "send", one, "--base-url", "http://127.0.0.1:9", "--kind", "full").returncode == 3
    assert "L-2" in run_cli(home, "history").stdout
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".sqlite3") for p in files)
    for path in files:
        data = path.read_bytes()
        for secret in (TOKEN, ADDRESS, EMAIL, PHONE, "Quillfeather", "013 7788"):
            assert secret.encode() not in data, f"{secret!r} in clear in {path.relative_to(home)}"
    assert any(b"L-1" in p.read_bytes() for p in files)  # the scan does see journal contents
