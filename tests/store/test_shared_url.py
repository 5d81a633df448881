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
    with pytest.raises(JournalNeedsTls, match="sslmode=require"):
        parse_journal_url(url, environ={})


@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_tls_modes_that_are_enough(mode):
    assert parse_journal_url(f"postgresql://ann@db.example.com/team?sslmode={mode}", environ={}).dbname == "team"
    assert parse_journal_url("postgresql://ann@db.example.com/team", environ={"PGSSLMODE": mode}).host


@pytest.mark.parametrize("url", ["mysql://ann@h/db", "postgresql://ann@127.0.0.1:5432/", "postgresql:///team", ""])
def test_unusable_addresses_say_what_is_wrong(url):
    with pytest.raises(InvalidJournalUrl):
        parse_journal_url(url, environ={})
