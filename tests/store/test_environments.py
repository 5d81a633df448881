import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import spectrum_desktop
from spectrum_desktop.domain.endpoints import PRODUCTION_HOSTS, is_production_address
from spectrum_desktop.domain.environment import SANDBOX_URL, Environment, EnvironmentInvalid, RequestFormat
from spectrum_desktop.domain.errors import SettingsProblem
from spectrum_desktop.store.environments import EnvironmentSettings, SettingsError, default_settings


def test_first_run_gives_the_three_defaults_with_sandbox_active(home):
    settings = EnvironmentSettings().load()
    assert [e.name for e in settings.environments] == ["Local sandbox", "Staging", "Production"]
    assert settings.active.is_sandbox and settings.active.base_url == SANDBOX_URL
    assert settings.get("production").is_production
    assert settings.get("Staging").base_url == "https://staging.spectrumcustomizer.com"
    assert settings.get("production").base_url == "https://api.spectrumcustomizer.com"


def test_the_production_address_has_one_home(home):
    """The default Production environment is on a host the base-URL rules know as production, and the program
    writes that host once (domain/endpoints.py), so the two cannot drift apart."""
    production = EnvironmentSettings().load().get("production")
    assert urlsplit(production.base_url).hostname in PRODUCTION_HOSTS
    assert is_production_address(production.base_url)
    package = Path(spectrum_desktop.__file__).parent
    (host,) = PRODUCTION_HOSTS
    written = {str(path.relative_to(package)): path.read_text(encoding="utf-8").count(host)
               for path in package.rglob("*.py") if host in path.read_text(encoding="utf-8")}
    assert written == {str(Path("domain", "endpoints.py")): 1}


def test_save_and_load_round_trip_in_config_dir(home):
    store = EnvironmentSettings()
    environments = [*default_settings().environments,
                    Environment(id="dev", name="Dev", base_url="http://127.0.0.1:8080",
                                request_format=RequestFormat.RECIPE_SET, batch_size=10)]
    saved = store.update(environments, "dev")
    assert store.path.parent == home / "config"
    assert EnvironmentSettings().load() == saved
    assert "token" not in json.loads(store.path.read_text())["environments"][0]


@pytest.mark.parametrize("url", ["http://staging.example.com", "ftp://x", "not a url"])
def test_unsafe_or_broken_urls_are_refused_with_a_reason(url):
    with pytest.raises(EnvironmentInvalid, match="https://"):
        Environment(id="x", name="X", base_url=url)


def test_invalid_edit_is_refused_and_nothing_saved(home):
    store = EnvironmentSettings()
    bad = [e.to_fields() for e in default_settings().environments]
    bad[1]["batch_size"] = 0
    with pytest.raises(SettingsError) as refused:
        store.update(bad, "staging")
    error = refused.value
    assert (error.problem, error.index, error.name) == (SettingsProblem.ENTRY_INVALID, 1, "Staging")
    assert [field for field, _ in error.problems] == ["batch_size"]
    assert not store.path.exists()
    with pytest.raises(SettingsError) as refused:
        store.update(list(default_settings().environments), "nowhere")
    assert refused.value.problem is SettingsProblem.ACTIVE_MISSING


def test_a_broken_file_carries_its_path_and_problem(home):
    store = EnvironmentSettings()
    store.path.write_text('{"environments": [], "active_id": "x"}')
    with pytest.raises(SettingsError) as refused:
        store.load()
    assert refused.value.path == store.path and refused.value.problem is SettingsProblem.ACTIVE_MISSING


@pytest.mark.parametrize(("content", "problem", "log", "words"), [
    ("{not json", SettingsProblem.NOT_JSON, "not JSON (line 1, column 2", "not written correctly (line 1, column 2)"),
    ('["a list"]', SettingsProblem.NOT_SETTINGS, '"environments" (a list)', "does not hold a list of environments"),
    ('{"environments": [], "active_id": "x", "theme": "dark"}', SettingsProblem.UNKNOWN_SETTING, "theme",
     "1 setting this version does not know (theme)"),
    ('{"environments": ["staging"], "active_id": "x"}', SettingsProblem.ENTRY_NOT_SETTINGS, "environments[0]",
     "environment 1 in the list is not a set of settings"),
    ('{"environments": [{"id": "a", "name": "Berlin", "base_url": "sandbox:", "batch_size": 0}], "active_id": "a"}',
     SettingsProblem.ENTRY_INVALID, "environments[0].batch_size: Use a whole number of orders from 1 to 1000.",
     "Berlin: Batch size: Use a whole number of orders from 1 to 1000"),
])
def test_a_broken_file_names_what_is_wrong_and_where(home, content, problem, log, words):
    """The error carries data; the log line (str) keeps the technical detail, and the words for staff
    (domain.words.environments_problem) name the environment and the field, never a JSON path."""
    from spectrum_desktop.domain.words import environments_problem

    store = EnvironmentSettings()
    store.path.write_text(content)
    with pytest.raises(SettingsError) as refused:
        store.load()
    assert refused.value.problem is problem
    assert log in str(refused.value) and str(store.path) in str(refused.value)
    said = environments_problem(refused.value)
    assert words in said, said
    assert "environments[" not in said and "batch_size" not in said and "active_id" not in said


def test_a_file_that_is_not_text_is_refused_readably(home):
    store = EnvironmentSettings()
    store.path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SettingsError) as refused:
        store.load()
    assert refused.value.problem is SettingsProblem.NOT_TEXT and "not text" in str(refused.value)
