"""The alert kind: a public warning (CAP) in force, with its areas."""

from __future__ import annotations

from typing import Any, TypedDict

from domain import events as ev
from domain.catalog import warning_name_en
from domain.projection import Projection
from web.kinds.base import DayFigures, EntityKind


class AlertShape(TypedDict):
    """An alert; each area is {"polygon": [[lat, lon], ...]} or {"circle": {lat, lon, radius_km}}."""

    kind: str
    id: str
    event: str
    event_en: str
    severity: str
    headline: str
    area_desc: str
    areas: list[dict[str, Any]]
    sent: float
    expires: float


def _build(state: Projection, ident: str, _day: DayFigures) -> AlertShape | None:
    a = state.alerts.get(ident)
    if a is None:
        return None
    areas: list[dict[str, Any]] = [{"polygon": [[lat, lon] for lon, lat in ring]} for ring in a.polygons]
    areas += [{"circle": {"lat": lat, "lon": lon, "radius_km": r / 1000}} for lon, lat, r in a.circles]
    return {
        "kind": "alert",
        "id": a.id,
        "event": a.event,
        "event_en": warning_name_en(a.event, a.headline),
        "severity": a.severity or "Unknown",
        "headline": a.headline,
        "area_desc": a.area_desc,
        "areas": areas,
        "sent": a.sent,
        "expires": a.expires,
    }


KIND = EntityKind("alert", AlertShape, _build, lambda s: s.alerts, (ev.AlertIssued, ev.AlertCancelled, ev.AlertExpired))
