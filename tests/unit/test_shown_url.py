"""A database URL written to a log line or the journal never carries its password."""

from store.log import shown


def test_a_database_url_in_a_log_line_has_its_password_masked_and_the_rest_kept():
    url = "postgresql+psycopg://onemap:s3cret@db.example:5432/onemap?options=-csearch_path%3Dd1"
    assert "s3cret" not in shown(url)
    assert shown(url) == "postgresql+psycopg://onemap:***@db.example:5432/onemap?options=-csearch_path%3Dd1"
    assert shown("sqlite:////var/lib/onemap/onemap.sqlite3") == "sqlite:////var/lib/onemap/onemap.sqlite3"
