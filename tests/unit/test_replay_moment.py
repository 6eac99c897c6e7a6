"""A moment is a prefix of the log: folded by time, from a checkpoint that later folds never touch."""

from __future__ import annotations

from domain import events as ev
from domain.dispatch import issue_order
from domain.projection import Projection
from domain.replay import checkpoint, fold_until, moment
from domain.report import breaches, series
from domain.sla import SlaPolicy
from tests.conftest import T0
from tests.unit.helpers import COMMANDER, with_incident


def a_day(district) -> list[tuple[int, ev.Event]]:
    """Two events: a report at T0 and its order at T0+100, numbered as the log would."""
    state, iid = with_incident(district, T0)
    order = issue_order(state, SlaPolicy(), COMMANDER, iid, "T01-A", "cmd-0001", T0 + 100)
    reported = next(iter(state.incidents.values()))
    return [
        (
            1,
            ev.IncidentReported(
                event_id=f"rep:{iid}",
                at=T0,
                incident_id=iid,
                source="12345",
                source_id="A1",
                category="noise",
                township="T01",
                lon=reported.lon,
                lat=reported.lat,
                priority=3,
            ),
        ),
        (2, order[0]),
    ]


def test_a_moment_holds_every_event_up_to_it_and_none_after(district):
    log = a_day(district)
    assert moment(district, log, T0 - 1).incidents == {}
    before = moment(district, log, T0 + 99)
    assert before.seq == 1 and next(iter(before.incidents.values())).order is None
    assert moment(district, log, T0 + 100).seq == 2


def test_the_fold_stops_at_the_first_later_event_so_a_moment_is_always_a_prefix_of_the_log(district):
    log = a_day(district)
    late_first = [(1, log[1][1]), (2, log[0][1])]  # a clock that ran ahead in another process
    state = Projection(district)
    assert fold_until(state, late_first, T0 + 50) is True
    assert state.seq == 0


def test_a_checkpoint_does_not_change_when_the_state_it_was_copied_from_folds_on(district):
    log = a_day(district)
    state = moment(district, log[:1], T0)
    kept = checkpoint(state)
    fold_until(state, log, T0 + 100)
    assert state.seq == 2 and kept.seq == 1
    assert next(iter(kept.incidents.values())).order is None and kept.team_busy == {}


def test_a_dispatch_round_past_its_target_is_a_breach_of_stage_dispatch(district):
    state = moment(district, a_day(district)[:1], T0)
    rows = breaches(state.incidents.values(), T0 - 10, T0 + 86400, T0 + 700)
    assert [(r["stage"], r["lateness_s"], r["done_at"]) for r in rows] == [("dispatch", 100.0, None)]


def test_the_received_series_has_one_bucket_per_hour_of_the_day(district):
    state = moment(district, a_day(district), T0 + 100)
    buckets = series(state.incidents.values(), T0 - 3600, T0 - 3600 + 86400, 3600)
    assert len(buckets) == 24 and [b["received"] for b in buckets][:2] == [0, 1]
