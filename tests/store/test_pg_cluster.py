import psycopg


def test_the_throwaway_cluster_gives_each_test_its_own_empty_database(pg_url, pg_cluster):
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT current_setting('ssl')").fetchone()[0] == "off"
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        assert tables == 0
        conn.execute("CREATE TABLE mine (x int)")
    assert pg_cluster.create_database() != pg_url
