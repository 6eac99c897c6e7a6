"""Builders of constructed reports for the recurring problems' tests: a place, metres away from it, days later."""

from __future__ import annotations

import math

from domain import events as ev
from domain.projection import Projection
from domain.recurgrid import M_PER_DEGREE
from domain.sla import SlaPolicy
from tests.conftest import T0

DAY = 86400.0
LON, LAT = 121.40, 31.20  # a street corner in T01 of the demo district


def spot(east_m: float = 0.0, north_m: float = 0.0) -> tuple[float, float]:
    """Return (lon, lat) that many metres east and north of the corner."""
    return LON + east_m / (M_PER_DEGREE * math.cos(math.radians(LAT))), LAT + north_m / M_PER_DEGREE


def report(
    n: int, day: float, category: str = "manhole_cover", east_m: float = 0.0, caller: str = "", township: str = "T01"
) -> ev.IncidentReported:
    """Return report I<n>, received `day` days after T0, `east_m` metres east of the corner."""
    lon, lat = spot(east_m)
    return ev.IncidentReported(
        f"rep:I{n}", T0 + day * DAY, f"I{n}", "12345", f"S{n}", category, township, lon, lat, 3, caller=caller
    )


def resolved(n: int, day: float) -> list[ev.Event]:
    """Return an order to I<n> issued on a day and resolved an hour later."""
    at, inc = T0 + day * DAY, dict(incident_id=f"I{n}", order_id=f"I{n}-1", actor="cmdr")
    return [
        ev.OrderIssued(
            f"o:I{n}", at, team_id="T01-A", township="T01", deadlines=SlaPolicy().deadlines("noise", at), **inc
        ),
        ev.OrderResolved(f"r:I{n}", at + 3600, **inc),
    ]


def folded(district, events: list[ev.Event]) -> Projection:
    """Return a projection of the events, numbered in their order."""
    state = Projection(district)
    for seq, e in enumerate(events, 1):
        state.apply(e, seq)
    return state
