"""The kinds that count the whole day: the day's figures (kpi) and the analytics view's charts."""

from __future__ import annotations

from typing import Any, TypedDict

from application import charts
from domain import events as ev
from domain.projection import Projection
from web.kinds.base import DayFigures, Entity, EntityKind
from web.kinds.incident import INCIDENT_EVENTS


class KpiShape(TypedDict):
    """The day's figures (domain/kpi.py day_figures): the district's and the townships' ranked."""

    kind: str
    id: str
    start: float
    end: float
    now: float
    district: dict[str, Any]
    townships: list[dict[str, Any]]


class ChartShape(TypedDict):
    """One chart: kind, id and now, then its own fields (application/charts.py BUILDERS)."""

    kind: str
    id: str
    now: float


def _kpi(_state: Projection, _ident: str, day: DayFigures) -> KpiShape:
    return {"kind": "kpi", "id": "today", **day.get()}  # type: ignore[typeddict-item]


def _chart(state: Projection, ident: str, day: DayFigures) -> Entity | None:
    build = charts.BUILDERS.get(ident)
    return {"kind": "chart", "id": ident, "now": day.now, **build(state, day.now, day)} if build else None


def _nobody(_entity: Entity, _scope: str) -> bool:
    """The district's analytics view only: a township room draws no chart."""
    return False


KPI = EntityKind("kpi", KpiShape, _kpi, lambda _s: ("today",), INCIDENT_EVENTS, clock=True, figured=True)
CHART = EntityKind(
    "chart",
    ChartShape,
    _chart,
    lambda _s: charts.BUILDERS,
    (*INCIDENT_EVENTS, ev.StationReadingRecorded, ev.HallTicketRecorded),
    scope=_nobody,
    clock=True,
    figured=True,
)
