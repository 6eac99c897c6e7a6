"""Flood watch: a level crossing a station's line opens one incident; hovering on the line opens no more."""

from __future__ import annotations

from domain import flood
from domain.events import FloodStageChanged, IncidentReported
from domain.projection import Projection

T = 1_795_000_000.0


def _run(district, levels):
    """Fold readings (one a minute) through assess and the projection; return every event."""
    state, out = Projection(district), []
    station = next(iter(district.stations.values()))
    for i, level in enumerate(levels):
        events, _ = flood.assess(flood.watch_of(state, station.id), station, level, T + 60 * i, T + 60 * i)
        for e in events:
            state.apply(e, state.seq + 1)
        out += events
    return station, state, out


def test_a_level_hovering_on_the_warning_line_opens_one_incident_not_fifty(district):
    station = next(iter(district.stations.values()))
    w = station.warning_level
    hover = [w - 0.03 if i % 2 else w + 0.03 for i in range(50)]
    _, state, events = _run(district, [w - 1] + hover)
    assert sum(isinstance(e, IncidentReported) for e in events) == 1
    assert [e.stage for e in events if isinstance(e, FloodStageChanged)] == ["warning"]
    assert state.flood[station.id].stage == flood.WARNING


def test_a_fall_past_the_band_ends_the_episode_and_the_next_rise_opens_a_new_incident(district):
    station = next(iter(district.stations.values()))
    w, g = station.warning_level, station.guarantee_level
    _, state, events = _run(district, [w + 0.01, g + 0.1, g - 0.05, w - flood.BAND_M - 0.01, w + 0.2])
    stages = [e.stage for e in events if isinstance(e, FloodStageChanged)]
    assert stages == ["warning", "guarantee", "normal", "warning"]
    incidents = [e for e in events if isinstance(e, IncidentReported)]
    assert len(incidents) == 2 and incidents[0].incident_id != incidents[1].incident_id
    assert all(e.category == "flood_risk" and e.lon == station.lon for e in incidents)


def test_a_late_reading_older_than_the_last_change_moves_nothing(district):
    station = next(iter(district.stations.values()))
    watch = flood.FloodWatch(flood.WARNING, 1, "I1", observed_at=T + 600, changes=1)
    assert flood.assess(watch, station, station.warning_level - 5, T, T + 700) == ([], watch)
