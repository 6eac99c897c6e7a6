"""The open and last-change indexes, and the retention: the figures and the per-second work read only what can count."""

from __future__ import annotations

import pickle
from dataclasses import fields

import pytest

from domain import events as ev
from domain.dispatch import breaches
from domain.kpi import day_figures
from domain.lifecycle import escalations
from domain.projection import Projection, fold_stream, replay
from domain.replay import checkpoint, fold_until, moment
from domain.sla import SlaPolicy
from domain.state import RETENTION_S, SWEEP_S
from tests.conftest import T0
from tests.unit.lives import DAY, district_log, numbered

DAYS, PER_DAY = 12, 60


class Walked(Projection):
    """The reference: every figure counted over every incident ever folded, as before the indexes."""

    def changed_since(self, t: float) -> list:
        return list(self.incidents.values())


@pytest.fixture(scope="module")
def log(district) -> list[ev.Event]:
    return district_log(district, DAYS, PER_DAY, T0)


@pytest.fixture(scope="module")
def kept(district, log) -> Walked:
    """The whole log folded with nothing archived."""
    state = Walked(district)
    state.retention_s = float("inf")
    for seq, e in numbered(log):
        state.apply(e, seq)
    return state


@pytest.fixture(scope="module")
def live(district, log) -> Projection:
    return replay(district, numbered(log))


def as_dict(state: Projection) -> dict:
    return {f.name: getattr(state, f.name) for f in fields(state) if f.name != "district"}


def test_the_open_index_lists_exactly_the_open_incidents_in_the_order_they_came(kept):
    assert [i.id for i in kept.open_incidents()] == [i.id for i in kept.incidents.values() if i.is_open]
    assert 0 < len(kept.open_ids) < len(kept.incidents) / 5


def test_closed_incidents_leave_memory_after_the_retention_and_open_ones_never_do(live, kept):
    assert len(live.incidents) < len(kept.incidents) * 0.8
    assert live.kept_since > live.last_event_at - RETENTION_S - SWEEP_S
    assert live.open_ids == kept.open_ids and all(i in live.incidents for i in kept.open_ids)
    for iid, inc in kept.incidents.items():
        if iid not in live.incidents:
            assert not inc.is_open and kept.touched[iid] < live.kept_since
        else:
            assert live.incidents[iid] == inc


def test_the_figures_of_a_window_within_the_retention_are_those_of_every_incident_ever_folded(live, kept):
    starts = [T0 + d * DAY for d in range(DAYS + 3) if T0 + d * DAY >= live.kept_since]
    assert len(starts) >= 6
    for start in starts:
        for now in (start + DAY / 2, live.last_event_at):
            assert day_figures(live, start, start + DAY, now) == day_figures(kept, start, start + DAY, now)


@pytest.mark.parametrize("days", [1, 7])
def test_a_report_read_as_of_its_windows_end_sees_every_incident_of_its_window(district, log, days):
    """The Replayer's states archive too: a day's or a week's window, read as of its end, is within the retention."""
    for end in (T0 + d * DAY for d in range(days, DAYS + 2)):
        start = end - days * DAY
        archived, whole = moment(district, numbered(log), end), Walked(district)
        whole.retention_s = float("inf")
        fold_until(whole, numbered(log), end)
        assert day_figures(archived, start, end, end) == day_figures(whole, start, end, end)


def test_the_sla_checks_walk_the_open_incidents_and_find_what_a_walk_of_all_would(live, kept):
    now = live.last_event_at + 3600
    assert breaches(live, now) == breaches(kept, now) and len(breaches(live, now)) > 0
    assert escalations(live, SlaPolicy(), now) == escalations(kept, SlaPolicy(), now)


@pytest.mark.parametrize("cut", [1, 500, 2_000, 4_321, -40])
def test_a_state_started_from_a_pickled_snapshot_and_the_tail_equals_the_full_fold(district, log, live, cut):
    pairs = list(numbered(log))
    head = replay(district, pairs[:cut])
    restored = pickle.loads(pickle.dumps(checkpoint(head)))
    for seq, e in pairs[cut:]:
        restored.apply(e, seq)
    assert as_dict(restored) == as_dict(live)
    assert list(restored.touched) == list(live.touched)  # the same order too: the next sweep walks it


def test_a_late_event_of_an_archived_incident_changes_nothing(district, live):
    state = checkpoint(live)
    gone = next(f"L{n:05d}" for n in range(DAYS * PER_DAY) if f"L{n:05d}" not in state.incidents)
    before = as_dict(state)
    late = ev.IncidentEscalated("esc:late", state.last_event_at, gone, f"{gone}-1", "sla", "sign")
    assert state.apply(late, state.seq + 1) == set()
    assert {k: v for k, v in as_dict(state).items() if k != "seq"} == {k: v for k, v in before.items() if k != "seq"}


def test_an_archived_incident_is_rebuilt_from_its_own_stream(district, log, live, kept):
    gone = [iid for iid in kept.incidents if iid not in live.incidents and not kept.incidents[iid].merged][:20]
    assert gone
    for iid in gone:
        own = [(s, e) for s, e in numbered(log) if getattr(e, "incident_id", None) == iid]
        assert fold_stream(district, own).incidents[iid] == kept.incidents[iid]


def test_an_incident_put_in_by_hand_is_indexed_when_read(district, live):
    state = checkpoint(live)
    other = next(i for i in live.open_incidents())
    state.incidents["by-hand"] = other.__class__(**{**other.__dict__, "id": "by-hand"})
    assert "by-hand" in [i.id for i in state.open_incidents()]
