import pytest

from spectrum_desktop.store.shared_url import (
    InvalidJournalUrl,
    JournalNeedsTls,
    PasswordInJournalUrl,
    parse_journal_url,
)


def test_a_loopback_address_needs_no_tls():
    address = parse_journal_url("postgresql://ann@127.0.0.1:5433/team", environ={})
    assert (address.host, address.dbname, address.user) == ("127.0.0.1", "team", "ann")
    assert address.keyring_user == "journal:postgresql://ann@127.0.0.1:5433/team"
    assert parse_journal_url("postgresql://ann@localhost/team", environ={}).host == "localhost"


def test_a_password_in_the_address_is_refused_and_not_repeated():
    with pytest.raises(PasswordInJournalUrl) as caught:
        parse_journal_url("postgresql://ann:s3cret@db.example.com/team?sslmode=require", environ={})
    assert "s3cret" not in str(caught.value) and "s3cret" not in caught.value.url
    assert caught.value.url == "postgresql://ann@db.example.com/team?sslmode=require"


@pytest.mark.parametrize("url", ["postgresql://ann@db.example.com/team", "postgresql://ann@10.0.0.5/team?sslmode=prefer"])
def test_another_computer_needs_tls(url):
    with pytest.raises(JournalNeedsTls) as caught:
        parse_journal_url(url, environ={})
    assert caught.value.host in ("db.example.com", "10.0.0.5")


@pytest.mark.parametrize("url, environ, elsewhere", [
    ("postgresql://ann@127.0.0.1/team?host=db.example.com", {}, "db.example.com"),  # the query's host wins in libpq
    ("postgresql://ann@localhost/team?hostaddr=10.0.0.5", {}, "10.0.0.5"),  # libpq connects to hostaddr
    ("postgresql://ann@localhost/team", {"PGHOSTADDR": "10.0.0.5"}, "10.0.0.5"),
    ("postgresql://ann@localhost,db.example.com/team", {}, "db.example.com"),  # any of several hosts
])
def test_where_libpq_really_connects_decides_whether_tls_is_needed(url, environ, elsewhere):
    with pytest.raises(JournalNeedsTls) as caught:
        parse_journal_url(url, environ=environ)
    assert caught.value.host == elsewhere
    assert parse_journal_url(url + ("&" if "?" in url else "?") + "sslmode=require", environ=environ).dbname == "team"


def test_a_loopback_hostaddr_or_socket_needs_no_tls():
    assert parse_journal_url("postgresql://ann@localhost/team?hostaddr=127.0.0.1", environ={}).host == "localhost"
    assert parse_journal_url("postgresql://ann@/team?host=/var/run/postgresql", environ={}).host == "/var/run/postgresql"


@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_tls_modes_that_are_enough(mode):
    assert parse_journal_url(f"postgresql://ann@db.example.com/team?sslmode={mode}", environ={}).dbname == "team"
    assert parse_journal_url("postgresql://ann@db.example.com/team", environ={"PGSSLMODE": mode}).host


@pytest.mark.parametrize("url", ["mysql://ann@h/db", "postgresql://ann@127.0.0.1:5432/", "postgresql:///team", ""])
def test_unusable_addresses_say_what_is_wrong(url):
    with pytest.raises(InvalidJournalUrl):
        parse_journal_url(url, environ={})


def test_the_words_for_each_problem_live_in_the_window_and_the_command_line():
    from spectrum_desktop.cli.errors import message
    from spectrum_desktop.store.pg_journal import SchemaTooNew, SharedHistoryUnavailable
    from spectrum_desktop.store.shared_url import JournalUrlSettingRefused
    from spectrum_desktop.ui.errors import user_message

    cases = [
        (PasswordInJournalUrl("postgresql://ann@db/team"), "must not contain the password"),
        (JournalNeedsTls("db.example.com"), "sslmode=require"),
        (InvalidJournalUrl("mysql://x", InvalidJournalUrl.SCHEME), "postgresql://"),
        (SharedHistoryUnavailable("team on db.example.com"), "team on db.example.com"),
        (SchemaTooNew(9, 1), "newer version"),
        (JournalUrlSettingRefused("service"), "service="),
        (JournalUrlSettingRefused("PGSERVICE", from_environment=True), "connection to another server"),
    ]
    for error, words in cases:
        assert words in user_message(error) and words in message(error), type(error).__name__
        assert "SPECTRUM_DESKTOP" not in user_message(error)  # no environment variables for the desk


@pytest.mark.parametrize("url", [
    "postgresql://ann@localhost/team?service=elsewhere",  # the service file's hostaddr would win, unchecked
    "postgresql://ann@localhost/team?sslmode=require&service=elsewhere",  # refused whatever the TLS
    "postgresql://ann@localhost/team?servicefile=/tmp/pg_service.conf&service=elsewhere",
])
def test_a_service_entry_that_could_send_the_connection_elsewhere_is_refused(url, tmp_path):
    from spectrum_desktop.store.shared_url import JournalUrlSettingRefused

    services = tmp_path / "pg_service.conf"  # what libpq would read: hostaddr to another computer, no TLS
    services.write_text("[elsewhere]\nhostaddr=10.0.0.5\nsslmode=disable\n")
    with pytest.raises(JournalUrlSettingRefused) as caught:
        parse_journal_url(url, environ={"PGSERVICEFILE": str(services)})
    assert caught.value.setting == "service" and not caught.value.from_environment


def test_a_service_chosen_by_the_computers_settings_is_refused_too():
    from spectrum_desktop.store.shared_url import JournalUrlSettingRefused

    with pytest.raises(JournalUrlSettingRefused) as caught:
        parse_journal_url("postgresql://ann@localhost/team", environ={"PGSERVICE": "elsewhere"})
    assert caught.value.setting == "PGSERVICE" and caught.value.from_environment


def test_a_password_in_the_query_is_refused_and_not_repeated():
    with pytest.raises(PasswordInJournalUrl) as caught:
        parse_journal_url("postgresql://ann@localhost/team?password=s3cret&sslmode=require", environ={})
    assert "s3cret" not in caught.value.url and caught.value.url == "postgresql://ann@localhost/team?sslmode=require"
