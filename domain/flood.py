"""Flood watch of a hydrology station: crossing its warning or guarantee level opens one incident, with hysteresis."""
from __future__ import annotations

from domain import events as ev
from domain.dispatch import incident_id_for
from domain.model import Station
from domain.state import NORMAL, FloodWatch, State

WARNING, GUARANTEE = NORMAL + 1, NORMAL + 2
STAGE_NAMES = ("normal", "warning", "guarantee")
# A stage is left only when the level falls this far below its line: a level hovering on the line
# (waves, sensor noise of a few centimetres) keeps the stage, so it opens one incident, not fifty.
BAND_M = 0.10
SOURCE = "hydrology"
CATEGORY = "flood_risk"
PRIORITY = 1


def stage_for(level: float, station: Station, current: int) -> int:
    """Return the stage a level brings: up at once on crossing a line, down only BAND_M below it."""
    lines = (float("-inf"), station.warning_level, station.guarantee_level)
    reached = GUARANTEE if level >= lines[GUARANTEE] else WARNING if level >= lines[WARNING] else NORMAL
    if reached >= current:
        return reached
    stage = current
    while stage > NORMAL and level < lines[stage] - BAND_M:
        stage -= 1
    return stage


def assess(watch: FloodWatch, station: Station, level: float, observed_at: float, now: float
           ) -> tuple[list[ev.Event], FloodWatch]:
    """Return the events a reading brings and the watch after them; a reading older than the last change is ignored."""
    if observed_at < watch.observed_at:  # late or redelivered: it must not move the stage back
        return [], watch
    stage = stage_for(level, station, watch.stage)
    if stage == watch.stage:
        return [], watch
    out: list[ev.Event] = []
    episode, incident_id = watch.episode, watch.incident_id
    if watch.stage == NORMAL:  # a new episode: the one incident of this rise
        episode += 1
        source_id = f"{station.id}#flood{episode}"
        incident_id = incident_id_for(SOURCE, source_id)
        out.append(ev.IncidentReported(
            event_id=f"rep:{incident_id}", at=now, incident_id=incident_id, source=SOURCE, source_id=source_id,
            category=CATEGORY, township=station.township, lon=station.lon, lat=station.lat, priority=PRIORITY,
            summary=f"{station.name_zh}水位{level:.2f}m，超{'保证' if stage == GUARANTEE else '警戒'}水位",
            address=station.name_zh, reported_at=observed_at))
    changed = ev.FloodStageChanged(
        event_id=f"flood:{station.id}:{watch.changes + 1}", at=now, station_id=station.id, stage=STAGE_NAMES[stage],
        level=level, episode=episode, incident_id=incident_id, observed_at=observed_at)
    out.append(changed)
    return out, advance(watch, changed)


def advance(watch: FloodWatch, e: ev.FloodStageChanged) -> FloodWatch:
    """Return the watch after a stage change."""
    return FloodWatch(STAGE_NAMES.index(e.stage), e.episode, e.incident_id, e.observed_at, watch.changes + 1)


def watch_of(state: State, station_id: str) -> FloodWatch:
    """Return a station's watch (normal when it never left normal)."""
    return state.flood.get(station_id) or FloodWatch()


def apply_stage_changed(state: State, e: ev.FloodStageChanged) -> set[str]:
    """Fold a stage change into the projection."""
    state.flood[e.station_id] = advance(watch_of(state, e.station_id), e)
    return {f"station:{e.station_id}"}
