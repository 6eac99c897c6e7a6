"""Flood watch of a hydrology station: crossing its warning or guarantee level opens one incident, with hysteresis."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain import alerts
from domain import events as ev
from domain.dispatch import incident_id_for
from domain.model import Station, StationState
from domain.state import NORMAL, AlertState, FloodWatch, State

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


def assess(
    watch: FloodWatch, station: Station, level: float, observed_at: float, now: float
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
        out.append(
            ev.IncidentReported(
                event_id=f"rep:{incident_id}",
                at=now,
                incident_id=incident_id,
                source=SOURCE,
                source_id=source_id,
                category=CATEGORY,
                township=station.township,
                lon=station.lon,
                lat=station.lat,
                priority=PRIORITY,
                summary=f"{station.name_zh}水位{level:.2f}m，超{'保证' if stage == GUARANTEE else '警戒'}水位",
                address=station.name_zh,
                reported_at=observed_at,
            )
        )
    changed = ev.FloodStageChanged(
        event_id=f"flood:{station.id}:{watch.changes + 1}",
        at=now,
        station_id=station.id,
        stage=STAGE_NAMES[stage],
        level=level,
        episode=episode,
        incident_id=incident_id,
        observed_at=observed_at,
    )
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


# --- what the screens show of a station and of the district (issue 12) -------------------------------------

TREND_READINGS = 4  # levels a station keeps for its trend: the latest and the three before (bounded)
TREND_STEADY_M = 0.02  # a change within a sensor's noise over those readings is steady
LEVEL_STATES = STAGE_NAMES  # a level's state: normal, warning (at or above the warning line), guarantee


def level_state(station: Station, level: float) -> str:
    """Return where a level stands against a station's lines, at once and with no hysteresis (what the screens show)."""
    if level >= station.guarantee_level:
        return "guarantee"
    return "warning" if level >= station.warning_level else "normal"


def trend(recent: tuple[float, ...]) -> str:
    """Return rising, falling or steady: the latest level against the oldest kept one (steady with one reading)."""
    if len(recent) < 2:
        return "steady"
    change = recent[-1] - recent[0]
    return "rising" if change > TREND_STEADY_M else "falling" if change < -TREND_STEADY_M else "steady"


def apply_reading(state: State, e: ev.StationReadingRecorded) -> set[str]:
    """Fold a reading: the station's latest level and rainfall, and its last TREND_READINGS levels."""
    before = state.stations.get(e.station_id)
    recent = ((before.recent if before else ()) + (e.level,))[-TREND_READINGS:]
    state.stations[e.station_id] = StationState(e.level, e.rainfall, e.at, recent)
    return {f"station:{e.station_id}"}


# The district's flood emergency response level (防汛应急响应等级), IV lowest .. I highest, by this rule:
# each clause gives a level and the highest one holds (docs/glossary.md "flood response level").
RESPONSE_LEVELS = ("IV", "III", "II", "I")
# CAP severity of a flood-related alert in force -> level (China's colours: blue, yellow, orange, red).
ALERT_LEVEL = {"Minor": "IV", "Moderate": "III", "Severe": "II", "Extreme": "I"}
# An alert is flood-related when its event or headline names one of these (rainstorm, flood, typhoon, storm surge).
FLOOD_WORDS = ("雨", "洪", "汛", "台风", "风暴潮", "rain", "flood", "typhoon", "storm", "hurricane")


def station_levels(above_warning: int, above_guarantee: int) -> str | None:
    """Return the level the stations give: I two above guarantee, II one (or three above warning), III two above warning, IV one."""
    if above_guarantee >= 2:
        return "I"
    if above_guarantee == 1 or above_warning >= 3:
        return "II"
    return "III" if above_warning == 2 else "IV" if above_warning == 1 else None


def flood_alert(a: AlertState) -> bool:
    """Tell whether an alert is about rain, flood, typhoon or storm surge."""
    text = f"{a.event} {a.headline}".lower()
    return any(w in text for w in FLOOD_WORDS)


def highest(levels: Iterable[str | None]) -> str | None:
    """Return the highest of some response levels (None when there is none)."""
    return max((x for x in levels if x), key=RESPONSE_LEVELS.index, default=None)


def response_level(state: State, now: float) -> dict[str, Any]:
    """Return the level (None: no response) and what gives it: stations above their lines, flood alerts in force."""
    states = [
        level_state(s, r.level if (r := state.stations.get(s.id)) else s.normal_level)
        for s in state.district.stations.values()
    ]
    guarantee = states.count("guarantee")
    warning = guarantee + states.count("warning")
    flood_alerts = [a for a in alerts.active(state, now) if flood_alert(a)]
    by_stations = station_levels(warning, guarantee)
    by_alerts = highest(ALERT_LEVEL.get(a.severity) for a in flood_alerts)
    return {
        "level": highest((by_stations, by_alerts)),
        "by_stations": by_stations,
        "by_alerts": by_alerts,
        "above_warning": warning,
        "above_guarantee": guarantee,
        "alerts": sorted(a.id for a in flood_alerts),
    }
