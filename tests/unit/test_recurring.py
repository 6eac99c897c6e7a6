"""Recurring problems: the same category at the same place, or from the same caller, N times in D days (100 m, 3, 30)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain import events as ev
from domain.recurring import RecurringPolicy, open_by_township, problem, problems
from tests.conftest import T0
from tests.unit.recurring_log import DAY, folded, report, resolved


def _ids(found) -> list[list[str]]:
    return [[r.id for r in p.reports] for p in found]


def test_three_reports_of_one_category_within_100_m_over_20_days_are_one_recurring_problem(district):
    state = folded(district, [report(1, 0), report(2, 10, east_m=60), report(3, 20, east_m=-90)])
    (found,) = problems(state, T0 + 20 * DAY)
    assert [r.id for r in found.reports] == ["I1", "I2", "I3"]
    assert (found.group.id, found.group.category, found.group.township) == ("P-I1", "manhole_cover", "T01")
    assert (found.open, found.resolved, found.relapses, found.held) == (3, 0, 0, None)


def test_two_reports_are_not_yet_a_recurring_problem(district):
    state = folded(district, [report(1, 0), report(2, 10)])
    assert problems(state, T0 + 10 * DAY) == []


def test_a_fourth_report_150_m_from_the_anchor_does_not_join(district):
    state = folded(district, [report(1, 0), report(2, 1, east_m=50), report(3, 2), report(4, 3, east_m=150)])
    assert _ids(problems(state, T0 + 3 * DAY)) == [["I1", "I2", "I3"]]
    assert state.recur_reports["I4"].groups == ("P-I4",)


def test_the_radius_is_measured_from_the_anchor_not_from_the_last_report(district):
    # 90 m steps east: each is within 100 m of the one before, the third is 180 m from the first.
    state = folded(district, [report(1, 0), report(2, 1, east_m=90), report(3, 2, east_m=180)])
    assert [state.recur_reports[f"I{n}"].groups for n in (1, 2, 3)] == [("P-I1",), ("P-I1",), ("P-I3",)]


def test_reports_31_days_apart_do_not_count_together(district):
    state = folded(district, [report(1, 0), report(2, 31), report(3, 32), report(4, 33)])
    assert state.recur_reports["I2"].groups == ("P-I2",)
    assert _ids(problems(state, T0 + 33 * DAY)) == [["I2", "I3", "I4"]]


def test_a_problem_holds_while_n_reports_are_within_the_last_d_days(district):
    state = folded(district, [report(1, 0), report(2, 10), report(3, 20)])
    assert problems(state, T0 + 30 * DAY)  # the first report is exactly 30 days old: still counted
    assert problems(state, T0 + 31 * DAY) == []


def test_another_category_at_the_same_place_is_another_group(district):
    events = [
        report(1, 0),
        report(2, 1),
        report(3, 2, category="streetlight"),
        report(4, 3),
        report(5, 4, "streetlight"),
    ]
    state = folded(district, events)
    assert _ids(problems(state, T0 + 4 * DAY)) == [["I1", "I2", "I4"]]
    assert state.recur_reports["I5"].groups == ("P-I3",)


def test_a_report_joins_the_nearest_anchor_within_the_radius(district):
    state = folded(district, [report(1, 0, east_m=-80), report(2, 0.1, east_m=80), report(3, 1, east_m=70)])
    assert state.recur_reports["I3"].groups == ("P-I2",)


def test_the_same_caller_three_times_on_the_same_matter_anywhere_is_a_recurring_problem(district):
    events = [report(n, n, east_m=n * 2000, caller="c0ffee") for n in (1, 2, 3)]
    (found,) = problems(folded(district, events), T0 + 3 * DAY)
    assert (found.group.id, found.group.basis, [r.id for r in found.reports]) == ("C-I1", "caller", ["I1", "I2", "I3"])


def test_the_same_caller_on_another_matter_or_another_caller_does_not_count(district):
    events = [
        report(1, 1, caller="c0ffee"),
        report(2, 2, "noise", 3000, "c0ffee"),
        report(3, 3, east_m=4000, caller="beef"),
    ]
    assert problems(folded(district, events), T0 + 3 * DAY) == []


def test_one_callers_reports_all_at_one_place_are_listed_once_as_that_places_problem(district):
    state = folded(district, [report(n, n, caller="c0ffee") for n in (1, 2, 3)])
    assert [p.group.id for p in problems(state, T0 + 3 * DAY)] == ["P-I1"]
    assert problem(state, "C-I1", T0 + 3 * DAY) is None


def test_a_problem_resolved_then_reported_again_did_not_hold(district):
    events = [report(1, 0), report(2, 1), *resolved(1, 2), *resolved(2, 2), report(3, 5)]
    (found,) = problems(folded(district, events), T0 + 5 * DAY)
    assert (found.resolved, found.relapses, found.held, found.group.again) == (2, 1, False, ("I3",))


def test_a_report_while_the_last_one_is_still_unresolved_is_not_a_relapse(district):
    events = [report(1, 0), *resolved(1, 1), report(2, 2), report(3, 3)]
    (found,) = problems(folded(district, events), T0 + 3 * DAY)
    assert (found.relapses, found.group.again) == (1, ("I2",))


def test_a_problem_resolved_with_no_report_since_held(district):
    events = [report(1, 0), report(2, 1), report(3, 2), *(e for n in (1, 2, 3) for e in resolved(n, 3))]
    (found,) = problems(folded(district, events), T0 + 4 * DAY)
    assert (found.open, found.resolved, found.relapses, found.held) == (3, 3, 0, True)


def test_a_report_reopened_after_its_resolve_is_a_relapse(district):
    reopen = ev.IncidentReopened("re:I1", T0 + 4 * DAY, "I1", "I1-1", "cmdr", reason="again")
    events = [report(1, 0), report(2, 1), report(3, 2), *resolved(1, 3), reopen]
    (found,) = problems(folded(district, events), T0 + 4 * DAY)
    assert (found.relapses, found.held, found.reports[0].reopened) == (1, False, 1)


def test_a_cancelled_or_merged_report_does_not_count(district):
    cancel = ev.IncidentCancelled("c:I3", T0 + 3 * DAY, "I3", "", "cmdr", reason="test call")
    state = folded(district, [report(1, 0), report(2, 1), report(3, 2), cancel])
    assert problems(state, T0 + 3 * DAY) == []
    merge = ev.IncidentMerged("m:I4", T0 + 5 * DAY, "I4", "", "cmdr", into="I1")
    state = folded(district, [report(1, 0), report(2, 1), report(3, 2), cancel, report(4, 4), merge])
    assert problems(state, T0 + 5 * DAY) == []


def test_a_problem_is_open_until_every_report_is_closed(district):
    closes = [ev.IncidentClosed(f"cl:I{n}", T0 + 4 * DAY, f"I{n}", f"I{n}-1", "cmdr") for n in (1, 2, 3)]
    events = [report(1, 0), report(2, 1), report(3, 2), *(e for n in (1, 2, 3) for e in resolved(n, 3))]
    assert open_by_township(folded(district, events), T0 + 4 * DAY) == {"T01": 1}
    assert open_by_township(folded(district, events + closes), T0 + 4 * DAY) == {}


def test_open_by_township_counts_each_townships_open_recurring_problems(district):
    events = [report(n, n) for n in (1, 2, 3)] + [report(n, n - 3, "noise", 500, township="T02") for n in (4, 5, 6)]
    assert open_by_township(folded(district, events), T0 + 4 * DAY) == {"T01": 1, "T02": 1}


def test_a_group_outlives_the_archiving_of_its_closed_incidents(district):
    closes = [ev.IncidentClosed(f"cl:I{n}", T0 + 0.5 * DAY, f"I{n}", f"I{n}-1", "cmdr") for n in (1, 2)]
    events = [report(1, 0), report(2, 0.1), *(e for n in (1, 2) for e in resolved(n, 0.2)), *closes, report(3, 20)]
    state = folded(district, events)
    assert "I1" not in state.incidents  # closed for longer than the retention: out of memory
    (found,) = problems(state, T0 + 20 * DAY)
    assert ([r.id for r in found.reports], found.open, found.relapses) == (["I1", "I2", "I3"], 1, 1)


def test_the_book_forgets_what_is_older_than_d_days(district):
    state = folded(district, [report(1, 0, caller="c0ffee"), report(2, 1), report(3, 2), report(4, 40, east_m=900)])
    assert set(state.recur_reports) == {"I4"}
    assert set(state.recur_groups) == {"P-I4"} and set(state.recur_shown) == set()
    assert list(state.recur_cells.values()) == [("P-I4",)] and state.recur_callers == {}


def test_the_policy_sets_r_n_and_d(district):
    policy = RecurringPolicy.from_dict({"radius_m": 200, "count": 2, "days": 7})
    events = [report(1, 0), report(2, 6, east_m=150), report(3, 14)]
    assert _ids(problems(folded(replace(district, recurring=policy), events[:2]), T0 + 6 * DAY)) == [["I1", "I2"]]
    assert problems(folded(replace(district, recurring=policy), events), T0 + 14 * DAY) == []


@pytest.mark.parametrize(
    "bad", [{"radius_m": 0}, {"count": 1}, {"count": 2.5}, {"days": 400}, {"radius": 100}, {"radius_m": "far"}]
)
def test_a_policy_out_of_its_bounds_is_refused(bad):
    with pytest.raises(ValueError):
        RecurringPolicy.from_dict(bad)
