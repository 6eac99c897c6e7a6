"""What the screens, the API and a replay see of the recurring problems: the `recurring` entity, its scope, its moment."""

from __future__ import annotations

from domain.replay import checkpoint, fold_until, moment
from tests.conftest import T0
from tests.unit.recurring_log import DAY, folded, report, resolved
from web import views

TOWNS = {"T01": 0.0, "T02": 3000.0}  # two spots 3 km apart, one in each township


def _reports(town: str, first: int, days: tuple[float, ...] = (0, 10, 20)) -> list:
    return [report(first + n, day, east_m=TOWNS[town], township=town) for n, day in enumerate(days)]


def _recurring(snapshot: dict) -> list[dict]:
    return [e for e in snapshot["entities"] if e["kind"] == "recurring"]


def test_a_replay_shows_a_recurring_problem_from_its_third_report_on_and_not_before(district):
    log = list(enumerate(_reports("T01", 1), 1))
    before = views.snapshot(moment(district, log, T0 + 20 * DAY - 1), T0 + 20 * DAY - 1, 8, "all")
    after = views.snapshot(moment(district, log, T0 + 20 * DAY), T0 + 20 * DAY, 8, "all")
    assert _recurring(before) == []
    assert [(e["id"], e["count"]) for e in _recurring(after)] == [("P-I1", 3)]


def test_a_checkpoint_taken_before_the_third_report_stays_without_the_problem(district):
    log = list(enumerate(_reports("T01", 1), 1))
    state = moment(district, log, T0 + 15 * DAY)
    kept = checkpoint(state)
    fold_until(state, log, T0 + 20 * DAY)
    assert [e["id"] for e in _recurring(views.snapshot(state, T0 + 20 * DAY, 8, "all"))] == ["P-I1"]
    assert _recurring(views.snapshot(kept, T0 + 20 * DAY, 8, "all")) == []
    assert len(kept.recur_groups["P-I1"].members) == 2


def test_the_entity_lists_its_reports_with_where_each_stands_and_whether_it_came_back(district):
    state = folded(district, [report(1, 0), *resolved(1, 1), report(2, 2), report(3, 3), *resolved(3, 3.5)[:1]])
    (entity,) = _recurring(views.snapshot(state, T0 + 4 * DAY, 8, "all"))
    assert {k: entity[k] for k in ("count", "open", "resolved", "relapses", "held", "township", "basis")} == {
        "count": 3,
        "open": 3,
        "resolved": 1,
        "relapses": 1,
        "held": False,
        "township": "T01",
        "basis": "place",
    }
    assert [(r["id"], r["status"], r["again"], r["orders"]) for r in entity["reports"]] == [
        ("I1", "resolved", False, 1),
        ("I2", "waiting", True, 0),
        ("I3", "handling", False, 1),
    ]
    assert (entity["first_at"], entity["last_at"]) == (T0, T0 + 3 * DAY)


def test_a_township_sees_the_recurring_problems_anchored_in_its_own_township_only(district):
    state = folded(district, sorted(_reports("T01", 1) + _reports("T02", 4), key=lambda e: e.at))
    now = T0 + 20 * DAY
    assert [e["id"] for e in _recurring(views.snapshot(state, now, 8, "all"))] == ["P-I1", "P-I4"]
    assert [e["id"] for e in _recurring(views.snapshot(state, now, 8, "T01"))] == ["P-I1"]
    assert [e["id"] for e in _recurring(views.snapshot(state, now, 8, "T02"))] == ["P-I4"]


def test_a_caller_problem_shows_no_caller(district):
    state = folded(district, [report(n, n, east_m=n * 2000, caller="c0ffee0123456789") for n in (1, 2, 3)])
    (entity,) = _recurring(views.snapshot(state, T0 + 3 * DAY, 8, "all"))
    assert entity["basis"] == "caller" and "c0ffee0123456789" not in repr(entity)


def test_the_clock_re_sends_the_shown_recurring_problems_and_a_delta_drops_one_that_left_its_days(district):
    state = folded(district, _reports("T01", 1))
    assert "recurring:P-I1" in views.timed_keys(state)
    assert views.entity(state, "recurring:P-I1", T0 + 20 * DAY, 8) is not None
    assert views.entity(state, "recurring:P-I1", T0 + 31 * DAY, 8) is None  # the push removes it then
