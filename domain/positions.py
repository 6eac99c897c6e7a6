"""Where the teams are: which phone fixes the log keeps, and what an on-site step's fix proves."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from domain import events as ev
from domain.access import authorize
from domain.errors import Rejected
from domain.model import BY_ROOM, NOT_VERIFIED, VERIFIED, Actor, Fix, Incident, Role
from domain.state import State

EARTH_RADIUS_M = 6_371_008.8
STALE_S = 300.0  # a team whose newest fix is older shows at its base, marked so (the screens get stale_at)
TRACK_POINTS = 240  # an order's track in memory: an hour of fixes at one per 15 s (the log keeps them all)
Point = tuple[float, float, float]  # lon, lat, fix time


@dataclass(frozen=True)
class SitePolicy:
    """The on-site proof and the team positions' rules (the policy file's "teams"; docs/glossary.md)."""

    radius_m: float = 300.0  # an on-site fix within this of the incident proves the team is there
    accuracy_m: float = 100.0  # a fix less sure than this proves nothing and is not kept
    late_s: float = 1800.0  # a step or fix the phone queued offline longer than this is refused
    ahead_s: float = 60.0  # a phone's clock may be this far ahead of the server's
    # The log keeps a fix of a team on an order every 15 s or 30 m (its track); of a team on duty and free, one a
    # minute when it moves 30 m, else one every 4 minutes (under STALE_S: a free team waiting never looks stale).
    track_every_s: float = 15.0
    track_moved_m: float = 30.0
    free_every_s: float = 60.0
    free_moved_m: float = 30.0
    free_heartbeat_s: float = 240.0

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> SitePolicy:
        """Build from the policy file's "teams" mapping; unknown keys and non-positive values are refused."""
        names = {f.name for f in fields(cls)}
        bad = [k for k in raw if k not in names]
        if bad:
            raise ValueError(f"SLA policy teams: unknown key(s) {bad}; keys are {sorted(names)}")
        out = {k: float(v) for k, v in raw.items()}
        if any(not v > 0 for v in out.values()):
            raise ValueError("SLA policy teams: values must be positive")
        return cls(**out)


SITE = SitePolicy()  # the default policy


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def check_fix(policy: SitePolicy, lon: float, lat: float, accuracy_m: float, fix_at: float, now: float) -> Fix:
    """Return the fix if it is a usable position, else raise Rejected with the reason."""
    values = (lon, lat, accuracy_m, fix_at)
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
        raise Rejected("bad_fix")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90) or accuracy_m < 0:
        raise Rejected("bad_fix")
    if accuracy_m > policy.accuracy_m:
        raise Rejected("inaccurate_fix", accuracy=round(accuracy_m), limit=round(policy.accuracy_m))
    check_device_time(policy, fix_at, now)
    return Fix(float(lon), float(lat), float(accuracy_m), float(fix_at))


def check_device_time(policy: SitePolicy, device_at: float, now: float) -> None:
    """Refuse a phone's time ahead of the server's, or older than a step may wait offline."""
    if device_at > now + policy.ahead_s:
        raise Rejected("device_time_ahead", seconds=round(device_at - now))
    if device_at < now - policy.late_s:
        raise Rejected("device_time_old", minutes=round(policy.late_s / 60))


def team_of(state: State, actor: Actor) -> str:
    """Return the team id of a team member, checked against the district, or raise Rejected."""
    if actor.role is not Role.TEAM or not actor.team or actor.team not in state.district.teams:
        raise Rejected("forbidden", action="team", role=actor.role.value)
    return actor.team


def report_position(
    state: State, policy: SitePolicy, actor: Actor, fix: Fix, event_id: str, now: float
) -> list[ev.Event]:
    """Return the TeamPositioned the log keeps of a phone's fix, or nothing when the fix adds nothing new."""
    authorize(actor, "report_position", actor.township)
    team_id = team_of(state, actor)
    incident_id = state.team_busy.get(team_id, "")
    if not keeps(policy, state.team_fix.get(team_id), fix, bool(incident_id)):
        return []
    return [ev.TeamPositioned(event_id, now, team_id, fix.lon, fix.lat, fix.accuracy_m, fix.at, incident_id)]


def keeps(policy: SitePolicy, last: Fix | None, fix: Fix, on_order: bool) -> bool:
    """Tell whether the log keeps a fix after the team's last kept one (the thinning: see SitePolicy)."""
    if last is None:
        return True
    elapsed = fix.at - last.at
    if elapsed <= 0:
        return False  # older than what the district holds: a queued fix arriving late
    moved = distance_m(last.lon, last.lat, fix.lon, fix.lat)
    if on_order:
        return elapsed >= policy.track_every_s or moved >= policy.track_moved_m
    return (elapsed >= policy.free_every_s and moved >= policy.free_moved_m) or elapsed >= policy.free_heartbeat_s


def proof(policy: SitePolicy, actor: Actor, incident: Incident, fix: Fix | None) -> tuple[str, float | None]:
    """Return how an on-site step is proven and the distance from the incident: by the room when a room marks it;
    verified when the team's phone was within the radius with a sure fix; else not verified."""
    if actor.role is not Role.TEAM:
        return BY_ROOM, None
    if fix is None or not all(math.isfinite(v) for v in (fix.lon, fix.lat, fix.accuracy_m)):
        return NOT_VERIFIED, None
    d = round(distance_m(fix.lon, fix.lat, incident.lon, incident.lat), 1)
    return (VERIFIED if d <= policy.radius_m and fix.accuracy_m <= policy.accuracy_m else NOT_VERIFIED), d


def positioned(s: State, e: ev.TeamPositioned) -> set[str]:
    """Fold a kept fix: the team's newest position, and a point of its order's track."""
    last = s.team_fix.get(e.team_id)
    if e.team_id not in s.district.teams or (last is not None and last.at >= e.fix_at):
        return set()
    s.team_fix[e.team_id] = Fix(e.lon, e.lat, e.accuracy_m, e.fix_at)
    inc = s.incidents.get(e.incident_id) if e.incident_id else None
    if inc is not None and inc.is_open:
        s.tracks[e.incident_id] = (s.tracks.get(e.incident_id, ()) + ((e.lon, e.lat, e.fix_at),))[-TRACK_POINTS:]
    return {f"team:{e.team_id}"}


def where(team_lon: float, team_lat: float, fix: Fix | None, now: float) -> tuple[float, float]:
    """Return where a team is taken to be now: its fresh fix, else its base."""
    if fix is not None and now - fix.at <= STALE_S:
        return fix.lon, fix.lat
    return team_lon, team_lat
