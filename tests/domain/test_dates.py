

def test_a_servers_timestamp_reads_as_date_hour_and_zone():
    from spectrum_desktop.domain.dates import readable_moment

    assert readable_moment("2026-12-06T08:43:55.790742+00:00") == "2026-12-06 08:43 UTC"
    assert readable_moment("2024-05-01T10:00:00+02:00") == "2024-05-01 10:00 +02:00"
    assert readable_moment("2024-05-01T10:00:00Z") == "2024-05-01 10:00 UTC"
    assert readable_moment("not a date") == "not a date"
