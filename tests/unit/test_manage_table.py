"""manage.py prints tables a person reads: the district's local time, blanks as dashes."""

from __future__ import annotations

from manage import table


def test_times_show_in_the_districts_time_and_blanks_as_dashes():
    out = table([{"name": "wall-1", "created_at": 0.0, "revoked_at": None}], ("name", "created_at", "revoked_at"), 8.0)
    assert out.splitlines() == ["name    created_at           revoked_at", "wall-1  1970-01-01 08:00:00  -"]
