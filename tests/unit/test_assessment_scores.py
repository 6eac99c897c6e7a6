"""The townships' assessment on a constructed month whose answers were computed by hand (tests/month.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain import ledger
from domain.assessment import Books, assess, card
from domain.kpi import day_figures
from domain.periods import period
from domain.projection import Projection
from domain.scoring import AssessmentPolicy
from tests import month
from tests.unit.helpers import fold

NOVEMBER = period("month", date(2026, 11, 17))


def folded(district, retention_s: float | None = None) -> Projection:
    state = Projection(district)
    if retention_s is not None:
        state.retention_s = retention_s
    fold(state, month.events())
    return state


def books(state: Projection) -> Books:
    return Books.of(state)


def rows(result):
    return {r["id"]: r for r in result["townships"]}


def test_a_constructed_month_scores_and_ranks_each_township_as_computed_by_hand(district):
    result = assess(books(folded(district)), NOVEMBER, AssessmentPolicy())
    got = rows(result)
    assert {t: got[t]["score"] for t in month.EXPECTED_SCORES} == month.EXPECTED_SCORES
    assert {t: got[t]["rank"] for t in month.EXPECTED_RANKS} == month.EXPECTED_RANKS
    assert all(r["score"] is None and r["rank"] is None for t, r in got.items() if t not in month.EXPECTED_SCORES)
    assert (result["red"], result["black"]) == (["T01", "T03", "T02"], [])
    t01 = got["T01"]
    assert (t01["received"], t01["orders"], t01["ordered"], t01["resolved"]) == (5, 5, 4, 4)
    assert (t01["rated"], t01["satisfied"], t01["reopened"], t01["breaches"]) == (5, 4, 1, 1)
    assert (t01["reopen_rate"], t01["satisfaction_rate"]) == (0.2, 0.8)
    t02 = got["T02"]
    assert (t02["returned"], t02["return_rate"], t02["on_site_late"], t02["completion_rate"]) == (1, 0.3333, 1, 1.0)
    t03 = got["T03"]
    assert (t03["received"], t03["ordered"], t03["resolved"], t03["breaches"]) == (1, 2, 1, 2)
    assert t03["indicators"]["response"] | {"cost_each": None} == {
        "good": 3, "judged": 4, "rate": 0.75, "weight": 30, "points": 22.5, "lost_points": 7.5, "cost_each": None
    }  # fmt: skip


def test_the_townships_come_in_rank_order_then_those_with_nothing_judged(district):
    ids = [r["id"] for r in assess(books(folded(district)), NOVEMBER, AssessmentPolicy())["townships"]]
    assert ids == ["T01", "T03", "T02", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "T11"]


def test_the_red_and_black_lists_are_the_top_and_bottom_of_the_ranking(district):
    result = assess(books(folded(district)), NOVEMBER, AssessmentPolicy(board=1))
    assert (result["red"], result["black"]) == (["T01"], ["T02"])


def test_each_township_changes_against_the_month_before(district):
    got = rows(assess(books(folded(district)), NOVEMBER, AssessmentPolicy()))
    assert (got["T01"]["previous"], got["T01"]["score_change"], got["T01"]["rank_change"]) == (
        {"score": 100.0, "rank": 1},
        -10.0,
        0,
    )
    assert (got["T02"]["score_change"], got["T02"]["rank_change"]) == (-11.25, -1)
    assert (got["T03"]["previous"], got["T03"]["score_change"]) == ({"score": None, "rank": None}, None)


@pytest.mark.parametrize("township", sorted(month.EXPECTED_LOST))
def test_every_point_a_township_lost_is_traced_to_the_incidents_that_lost_it(district, township):
    row = card(books(folded(district)), NOVEMBER, AssessmentPolicy(), township)["township"]
    assert {x["incident"]: x["points"] for x in row["lost"]} == month.EXPECTED_LOST[township]
    assert sum(x["points"] for x in row["lost"]) == pytest.approx(100 - row["score"])
    assert sum(r["lost_points"] or 0 for r in row["indicators"].values()) == pytest.approx(100 - row["score"])


def test_a_lost_point_names_its_reasons(district):
    lost = {
        x["incident"]: x["reasons"]
        for x in card(books(folded(district)), NOVEMBER, AssessmentPolicy(), "T03")["township"]["lost"]
    }
    assert lost == {"C1": ["respond", "on_site", "unresolved"]}


def test_weights_from_the_policy_score_reopened_and_returned_orders(district):
    policy = AssessmentPolicy.from_dict({"weights": {"response": 30, "resolution": 30, "satisfaction": 30, "held": 10}})
    got = rows(assess(books(folded(district)), NOVEMBER, policy))
    assert got["T01"]["score"] == pytest.approx(27 + 30 + 24 + 10 * 4 / 5)  # one order of five reopened
    assert got["T02"]["score"] == pytest.approx(30 + 22.5 + 15 + 10)


@pytest.mark.parametrize(
    "raw",
    [
        {"weights": {"speed": 5}},
        {"weights": {"response": -1}},
        {"weights": dict.fromkeys(("response", "resolution", "satisfaction"), 0)},
        {"board": 0},
    ],  # fmt: skip
)
def test_a_policy_with_unknown_indicators_negative_or_no_weight_is_refused(raw):
    with pytest.raises(ValueError, match="assessment"):
        AssessmentPolicy.from_dict(raw)


def test_the_ledger_counts_what_the_days_figures_count(district):
    state = folded(district, retention_s=float("inf"))  # every incident kept, so each day's figures can be read
    end = month.local(12, 1, 0)
    sums: dict[str, dict[str, int]] = {}
    day = NOVEMBER.first
    while day < NOVEMBER.end:
        start = month.local(day.month, day.day, 0)
        for row in day_figures(state, start, start + 86400, end)["townships"]:
            got = sums.setdefault(row["id"], {})
            for name in ("received", "ordered", "resolved", "rated", "satisfied"):
                got[name] = got.get(name, 0) + row[name]
            for step, tally in row["stages"].items():
                for verdict in ("on_time", "late"):
                    got[f"{step}_{verdict}"] = got.get(f"{step}_{verdict}", 0) + tally[verdict]
        day += timedelta(days=1)
    got = rows(assess(books(state), NOVEMBER, AssessmentPolicy()))
    assert {t: {k: got[t][k] for k in s} for t, s in sums.items()} == sums


def test_incidents_archived_out_of_memory_keep_their_counts(district):
    kept, archived = folded(district, retention_s=float("inf")), folded(district)
    assert "A1" in kept.incidents and "A1" not in archived.incidents
    assert archived.ledger == kept.ledger and archived.ledger_lost == kept.ledger_lost
    assert assess(books(archived), NOVEMBER, AssessmentPolicy()) == assess(books(kept), NOVEMBER, AssessmentPolicy())


def test_the_ledger_settled_is_the_sum_of_every_incidents_part(district):
    state = folded(district, retention_s=float("inf"))
    copy = ledger.settled_copy(state)
    assert state.ledger_dirty and state.ledger != copy.ledger  # December's report is not settled yet
    ledger.settle(state)
    assert state.ledger == copy.ledger and not state.ledger_dirty
    total: dict = {}
    for inc in state.incidents.values():
        for (day, town, cat, field), n in ledger.contribution(inc, state.touched[inc.id], district.utc_offset_h)[
            0
        ].items():
            row = total.setdefault((day, town, cat), [0] * len(ledger.FIELDS))
            row[field] += n
    assert state.ledger == {k: tuple(v) for k, v in total.items()}


def test_days_older_than_the_ledger_keeps_are_dropped(district):
    state = folded(district)
    ledger.prune(state, ledger.day_of(month.local(11, 10, 0), 8) + ledger.LEDGER_DAYS)
    assert min(k[0] for k in state.ledger) == ledger.day_of(month.local(11, 10, 0), 8)
    assert all(k[0] >= state.ledger_floor for k in state.ledger_lost)


@pytest.mark.parametrize(
    ("kind", "day", "label", "first", "end", "before"),
    [
        ("week", date(2026, 12, 6), "2026-W49", date(2026, 11, 30), date(2026, 12, 7), date(2026, 11, 23)),
        ("month", date(2026, 12, 31), "2026-12", date(2026, 12, 1), date(2027, 1, 1), date(2026, 11, 1)),
        ("quarter", date(2026, 2, 3), "2026-Q1", date(2026, 1, 1), date(2026, 4, 1), date(2025, 10, 1)),
        ("year", date(2026, 7, 1), "2026", date(2026, 1, 1), date(2027, 1, 1), date(2025, 1, 1)),
    ],
)
def test_a_period_holds_its_local_days_and_knows_the_one_before(kind, day, label, first, end, before):
    p = period(kind, day)
    assert (p.label, p.first, p.end, p.before().first) == (label, first, end, before)
    assert p.days == (first.toordinal() - 719163, end.toordinal() - 719163)


def test_where_the_months_incidents_ended_settled_on_the_spot_or_flowing_out_by_source(district):
    result = assess(books(folded(district)), NOVEMBER, AssessmentPolicy())
    got = rows(result)
    assert (got["T01"]["outcomes"]["on_spot"], got["T01"]["outcomes"]["court_mediation"]) == (3, 1)
    assert (got["T01"]["on_spot_share"], got["T02"]["on_spot_share"], got["T03"]["on_spot_share"]) == (0.75, 0.5, 0.0)
    district_ = result["district"]
    assert (district_["on_spot_share"], district_["flows_out"]) == (0.5714, 3)
    assert district_["outcomes"] == {
        "on_spot": 4, "law_enforcement": 1, "court_mediation": 1, "petition": 1, "department": 0
    }  # fmt: skip
    assert district_["by_source"] == {
        "110": {"settled": 0, "out": 1, "on_spot_share": 0.0},
        "12345": {"settled": 3, "out": 2, "on_spot_share": 0.6},
        "grid": {"settled": 1, "out": 0, "on_spot_share": 1.0},
    }


def test_recurring_problems_left_open_are_a_figure_of_now_given_for_the_period_that_holds_today(district):
    state, now = folded(district), month.local(12, 1, 1)  # every report of the month is at one place: one group
    at_now = Books.of(state, now)
    december = rows(assess(at_now, period("month", date(2026, 12, 1)), AssessmentPolicy()))
    assert {t: r["recurring_open"] for t, r in december.items() if r["recurring_open"]} == {"T01": 1}  # O1's place
    assert all(r["recurring_open"] is None for r in assess(at_now, NOVEMBER, AssessmentPolicy())["townships"])
