"""The team kind: a township's service team, and the incident it is busy with."""

from __future__ import annotations

from typing import TypedDict

from domain import events as ev
from domain.positions import STALE_S
from domain.projection import Projection
from web.kinds.base import DayFigures, EntityKind


class TeamShape(TypedDict):
    """A service team on the map and in the rooms."""

    kind: str
    id: str
    township: str
    team_kind: str
    name_zh: str
    name_en: str
    lon: float
    lat: float
    members: int
    busy_with: str | None
    fix: FixShape | None  # its phone's newest kept fix; drawn there until stale_at, then at its base, marked stale
    stale_at: float | None


class FixShape(TypedDict):
    """Where a team's phone last was: WGS-84, its accuracy in metres and when the phone took it."""

    lon: float
    lat: float
    accuracy_m: float
    at: float


def _build(state: Projection, ident: str, _day: DayFigures) -> TeamShape | None:
    t = state.district.teams.get(ident)
    if t is None:
        return None
    fix = state.team_fix.get(t.id)
    return {
        "kind": "team",
        "id": t.id,
        "township": t.township,
        "team_kind": t.kind,
        "name_zh": t.name_zh,
        "name_en": t.name_en,
        "lon": t.lon,
        "lat": t.lat,
        "members": t.members,
        "busy_with": state.team_busy.get(t.id),
        "fix": None if fix is None else {"lon": fix.lon, "lat": fix.lat, "accuracy_m": fix.accuracy_m, "at": fix.at},
        "stale_at": None if fix is None else fix.at + STALE_S,
    }


# A team is taken by an order and freed when its incident is resolved or leaves it (domain/folds.py _take, _free);
# its phone moves it (domain/positions.py).
KIND = EntityKind(
    "team",
    TeamShape,
    _build,
    lambda s: s.district.teams,
    (
        ev.OrderIssued,
        ev.OrderRouted,
        ev.OrderResolved,
        ev.OrderTransferred,
        ev.IncidentReopened,
        ev.IncidentClosed,
        ev.IncidentCancelled,
        ev.IncidentMerged,
        ev.TeamPositioned,
    ),
)
