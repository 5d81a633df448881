"""The environment model's own checks: every field, with messages a person can act on."""

import pytest

from spectrum_desktop.domain.environment import SANDBOX_URL, Environment, EnvironmentInvalid, RequestFormat


def problems(**fields):
    with pytest.raises(EnvironmentInvalid) as refused:
        Environment.from_fields({"id": "qa", "name": "QA", "base_url": "https://qa.example.com", **fields})
    return dict(refused.value.problems)


def test_values_are_normalised_like_the_settings_file_gives_them():
    env = Environment.from_fields({"id": "qa", "name": " QA ", "base_url": "https://qa.example.com/api/",
                                   "request_format": "RecipeSet", "rate_limit_seconds": 6, "batch_size": "10"})
    assert (env.name, env.base_url, env.request_format) == ("QA", "https://qa.example.com/api", RequestFormat.RECIPE_SET)
    assert isinstance(env.rate_limit_seconds, float) and env.batch_size == 10
    assert Environment(id="local", name="Local", base_url=SANDBOX_URL + "/").is_sandbox
    assert Environment.from_fields(env.to_fields()) == env


@pytest.mark.parametrize(("field", "value", "says"), [
    ("id", "Has Spaces", "lower-case letters"),
    ("id", "x" * 65, "at most 64"),
    ("name", "   ", "Give the environment a name."),
    ("name", "n" * 81, "80 characters"),
    ("base_url", "ftp://qa.example.com", "https://"),
    ("base_url", "http://qa.example.com", "only allowed for this computer"),
    ("colour", "green", "#2e7d32"),
    ("is_production", "yes", "true or false"),
    ("request_format", "Lines", "LineItem or RecipeSet"),
    ("rate_limit_requests", 0, "1 or more"),
    ("rate_limit_requests", 2.5, "whole number"),
    ("rate_limit_seconds", 0, "above 0"),
    ("batch_size", 1001, "from 1 to 1000"),
    ("batch_size", True, "whole number"),
    ("connect_timeout", "soon", "above 0"),
    ("read_timeout", float("inf"), "above 0"),
])
def test_each_bad_field_is_refused_with_its_own_message(field, value, says):
    found = problems(**{field: value})
    assert list(found) == [field] and says in found[field]


def test_every_problem_is_reported_at_once_and_unknown_or_missing_fields_too():
    assert set(problems(colour="red", batch_size=0)) == {"colour", "batch_size"}
    with pytest.raises(EnvironmentInvalid) as refused:
        Environment.from_fields({"name": "QA", "token": "secret"})
    assert dict(refused.value.problems) == {"token": "is not a setting of an environment",
                                            "id": "is required", "base_url": "is required"}
    assert "secret" not in str(refused.value)


def test_plain_http_is_allowed_for_this_computer_only():
    assert Environment(id="dev", name="Dev", base_url="http://127.0.0.1:8080").base_url == "http://127.0.0.1:8080"
    assert Environment(id="dev", name="Dev", base_url="http://localhost").base_url == "http://localhost"
