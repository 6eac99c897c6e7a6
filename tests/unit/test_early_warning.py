"""The early warning's rule (EARS C2) on constructed series whose baselines are known by hand."""

from __future__ import annotations

import pytest

from domain.sla import SlaPolicy
from domain.warnbook import due_warnings
from domain.warning import DAY, HOUR, Rule, WarningPolicy, alarms, baseline, baseline_indexes
from tests.unit.helpers import fold
from tests.unit.warnings_log import DAY0, HOUR_S, anchor, at, reports, series, state_of

POLICY = WarningPolicy()
# Days d-9 .. d-3 at 10:00: 0 4 0 4 0 4 2. Mean 2; deviations ±2 six times and 0: variance 24 / 6 = 4, sd 2.
KNOWN = {9: 0, 8: 4, 7: 0, 6: 4, 5: 0, 4: 4, 3: 2}


def kinds(due) -> set[str]:
    return {w.kind for w in due}


def test_the_baseline_is_the_mean_and_sample_standard_deviation_and_the_threshold_three_of_them_above():
    base = baseline([0, 4, 0, 4, 0, 4, 2], Rule(1.0, 3))
    assert (base.mean, base.sd, base.threshold) == (2.0, 2.0, 8.0)


def test_a_series_that_never_varies_is_judged_with_the_floor_for_its_deviation():
    assert baseline([2] * 7, Rule(1.0, 3)).threshold == 5.0
    assert baseline([2] * 7, Rule(0.5, 3)).threshold == 3.5


def test_a_count_exactly_at_the_threshold_does_not_alarm_and_one_above_does():
    base = baseline([0, 4, 0, 4, 0, 4, 2], Rule(1.0, 3))
    assert not alarms(8, base, Rule(1.0, 3)) and alarms(9, base, Rule(1.0, 3))


def test_the_baseline_is_the_same_period_on_days_d9_to_d3():
    assert baseline_indexes(DAY, 100) == [91, 92, 93, 94, 95, 96, 97]
    assert baseline_indexes(HOUR, 2410) == [2410 - 24 * back for back in range(9, 2, -1)]


def test_an_hour_at_its_threshold_raises_nothing_and_the_next_report_raises_the_hours_warning(district):
    state = state_of(district, anchor(), series(KNOWN), reports(8, at(0, 10, 5)))
    assert due_warnings(state, at(0, 10, 30), POLICY) == []
    fold(state, reports(1, at(0, 10, 20)))
    (due,) = [w for w in due_warnings(state, at(0, 10, 30), POLICY) if w.kind == HOUR]
    assert (due.count, due.mean, due.sd, due.threshold) == (9, 2.0, 2.0, 8.0)
    assert (due.township, due.category, due.period_start) == ("T03", "waterlogging", DAY0 + 10 * HOUR_S)


def test_the_floor_keeps_a_quiet_series_from_alarming_on_one_two_or_three_reports_in_an_hour(district):
    state = state_of(district, anchor())
    for n in (1, 2, 3):
        fold(state, reports(1, at(0, 14, n)))
        assert due_warnings(state, at(0, 14, 30), POLICY) == [], n
    fold(state, reports(1, at(0, 14, 4)))
    assert kinds(due_warnings(state, at(0, 14, 30), POLICY)) == {HOUR}  # 4 > 0 + 3 * 1; the day needs 5


def test_a_quiet_day_needs_the_least_count_of_five_reports(district):
    state = state_of(district, anchor(), reports(4, at(0, 14)))
    assert DAY not in kinds(due_warnings(state, at(0, 14, 30), POLICY))
    fold(state, reports(1, at(0, 15)))
    assert DAY in kinds(due_warnings(state, at(0, 15, 30), POLICY))


def test_the_hourly_rule_compares_the_same_hour_of_the_baseline_days(district):
    usual = {back: 5 for back in range(3, 10)}  # five every day at 10:00, none at 03:00
    at_ten = state_of(district, anchor(), series(usual), reports(5, at(0, 10)))
    assert due_warnings(at_ten, at(0, 10, 30), POLICY) == []
    at_three = state_of(district, anchor(), series(usual), reports(5, at(0, 3)))
    assert kinds(due_warnings(at_three, at(0, 3, 30), POLICY)) == {HOUR}  # the day's 5 is its usual 5


def test_the_two_days_before_the_day_judged_are_not_in_its_baseline(district):
    burst = state_of(district, anchor(), series({2: 10, 1: 10}), reports(5, at(0, 10)))
    assert kinds(due_warnings(burst, at(0, 10, 30), POLICY)) == {HOUR, DAY}
    counted = state_of(district, anchor(), series({3: 10}), reports(5, at(0, 10)))
    assert due_warnings(counted, at(0, 10, 30), POLICY) == []  # d-3 is: mean 10/7, sd 3.78, threshold 12.8


def test_no_warning_is_raised_before_the_log_reaches_back_over_the_whole_baseline(district):
    assert due_warnings(state_of(district, reports(9, at(0, 10))), at(0, 10, 30), POLICY) == []


def test_a_warning_is_raised_once_with_the_same_id_by_any_process_that_judges_it(district):
    state = state_of(district, anchor(), reports(5, at(0, 10)))
    first, again = due_warnings(state, at(0, 10, 30), POLICY), due_warnings(state, at(0, 10, 31), POLICY)
    assert [w.event_id for w in first] == [w.event_id for w in again] == [w.warning_id for w in first]
    fold(state, first)
    fold(state, reports(3, at(0, 10, 40)))
    assert due_warnings(state, at(0, 10, 50), POLICY) == []


def test_the_alarm_fires_as_the_running_count_crosses_not_when_the_period_ends(district):
    state = state_of(district, anchor(), reports(4, at(0, 9, 1)))
    (due,) = due_warnings(state, at(0, 9, 2), POLICY)
    assert due.at == at(0, 9, 2) and due.kind == HOUR


def test_since_judges_only_the_pairs_with_a_report_since_then(district):
    state = state_of(district, anchor(), reports(4, at(0, 9, 1)))
    assert due_warnings(state, at(0, 9, 30), POLICY, since=at(0, 9, 20)) == []
    assert len(due_warnings(state, at(0, 9, 30), POLICY, since=at(0, 9, 0))) == 1


def test_an_hour_that_ended_between_two_checks_is_judged_at_the_next_one(district):
    state = state_of(district, anchor(), reports(4, at(0, 9, 59.9)))
    (due,) = due_warnings(state, at(0, 10, 0.5), POLICY, since=at(0, 9, 59.5))
    assert due.period_start == DAY0 + 9 * HOUR_S


def test_the_policy_is_read_from_the_policy_files_warning_section():
    policy = WarningPolicy.from_dict({"hour": {"sd_floor": 0.5}, "day": {"min_count": 8}})
    assert policy == WarningPolicy(Rule(0.5, 3), Rule(1.0, 8))
    for bad in ({"week": {}}, {"hour": {"sd_floor": 0}}, {"day": {"min_count": 0}}, {"hour": {"sigma": 2}}):
        with pytest.raises(ValueError):
            WarningPolicy.from_dict(bad)


def test_the_sla_policy_file_carries_the_warning_section():
    assert SlaPolicy.from_dict({"warning": {"day": {"min_count": 8}}}).warning == WarningPolicy(day=Rule(1.0, 8))
    assert SlaPolicy().warning == WarningPolicy()
