import pytest

from spectrum_desktop.services.errors import MissingToken

from spectrum_desktop.sandbox import SandboxServer
from spectrum_desktop.services.context import AppContext
from spectrum_desktop.services.environments import InvalidEnvironment
from spectrum_desktop.services.errors import UnknownEnvironment
from spectrum_desktop.services.tokens import SANDBOX_NEEDS_NONE


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("SPECTRUM_DESKTOP_HOME", str(tmp_path))
    monkeypatch.delenv("SPECTRUM_API_TOKEN", raising=False)
    return tmp_path


def fresh():
    return AppContext()


def test_add_update_activate_remove_are_saved(home):
    ctx = fresh()
    assert [e.id for e in ctx.environments.list()] == ["local-sandbox", "staging", "production"]
    added = ctx.environments.add({"name": "QA Box", "base_url": "https://qa.example.com", "batch_size": 20})
    assert added.id == "qa-box"
    ctx.environments.update("qa-box", {"colour": "#123456", "read_timeout": 12})
    ctx.environments.set_active("QA Box")
    again = fresh()
    assert again.environments.active().id == "qa-box"
    assert (again.environments.get("qa-box").colour, again.environments.get("qa-box").read_timeout) == ("#123456", 12)
    with pytest.raises(InvalidEnvironment, match="active environment"):
        again.environments.remove("qa-box")
    again.environments.set_active("staging")
    again.environments.remove("qa-box")
    with pytest.raises(UnknownEnvironment):
        fresh().environments.get("qa-box")


def test_invalid_edits_are_refused_with_the_field_and_reason(home):
    ctx = fresh()
    with pytest.raises(InvalidEnvironment) as refused:
        ctx.environments.add({"name": "Shop", "base_url": "http://shop.example.com"})
    assert refused.value.problems[0][0] == "base_url"
    assert "Base URL" in str(refused.value) and "https://" in str(refused.value)
    with pytest.raises(InvalidEnvironment) as refused:
        ctx.environments.update("staging", {"batch_size": 0, "colour": "red"})
    assert {name for name, _ in refused.value.problems} == {"batch_size", "colour"}
    with pytest.raises(InvalidEnvironment, match="already called"):
        ctx.environments.add({"name": "staging", "base_url": "https://other.example.com"})
    with pytest.raises(InvalidEnvironment, match="cannot be changed"):
        ctx.environments.update("staging", {"id": "stage"})
    assert fresh().environments.get("staging").batch_size == 50  # nothing half-saved


def test_tokens_in_the_keyring_and_connection_check(home, secret_service):
    ctx = fresh()
    sandbox_env = ctx.environments.get("local-sandbox")
    where = ctx.credentials.location(sandbox_env)
    assert not where.needed and where.text == SANDBOX_NEEDS_NONE
    assert ctx.credentials.check(sandbox_env).ok  # starts the in-process sandbox; no token asked
    with SandboxServer(rate_limit=None, token="qa-token-4412") as server:
        qa = ctx.environments.add({"name": "QA", "base_url": server.url})
        assert not ctx.credentials.location(qa).has_token
        with pytest.raises(MissingToken) as missing:  # typed: the window words it (not the bare name)
            ctx.credentials.check(qa)
        assert missing.value.environment_name == "QA"
        where = ctx.credentials.save(qa, "  qa-token-4412 ")
        assert where.has_token and where.persistent and where.kept_in in where.text
        assert fresh().tokens.get("qa") == "qa-token-4412"  # in the keyring, not the settings file
        assert "qa-token-4412" not in (home / "config" / "environments.json").read_text()
        assert ctx.credentials.check(qa).ok
        refused = ctx.credentials.check(qa, token="wrong")
        assert not refused.ok and "refused the token" in refused.message
        assert not ctx.credentials.remove(qa).has_token
    ctx.close()


def test_without_a_keyring_the_token_is_kept_in_memory_and_the_user_is_told(home, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    ctx = fresh()
    staging = ctx.environments.get("staging")
    where = ctx.credentials.save(staging, "tok")
    assert not where.persistent and "memory only" in where.kept_in and "enter it again" in where.text
