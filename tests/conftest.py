import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.secret_service_fixture", "tests.pg_fixture"]
