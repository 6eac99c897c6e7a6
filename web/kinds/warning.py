"""The warning kind: an early warning in force (domain/warnbook.py), its count against the usual level."""

from __future__ import annotations

from typing import TypedDict

from domain import events as ev
from domain.projection import Projection
from domain.warnbook import count_now
from domain.warning import EarlyWarning
from web.kinds.base import DayFigures, Entity, EntityKind


class WarningShape(TypedDict):
    """A warning: its period, township and category, the reports so far against the baseline, who acknowledged it."""

    kind: str
    id: str
    period: str  # "hour" | "day"
    start: float  # the period judged, [start, end)
    end: float
    township: str
    category: str
    count: int  # reports in the period so far (it keeps counting after the warning was raised)
    raised_count: int  # the count that raised it
    usual: float  # the baseline's mean: the same period on days d-9 .. d-3
    sd: float
    threshold: float  # above it the count alarmed: usual + 3 * max(sd, the floor)
    ratio: float | None  # count / usual; None when the usual level is 0
    raised_at: float
    acked_at: float | None
    acked_by: str
    note: str


def _build(state: Projection, ident: str, day: DayFigures) -> WarningShape | None:
    w = state.warnings.get(ident)
    return entity(state, w) if w is not None and w.in_force(day.now) else None


def entity(state: Projection, w: EarlyWarning) -> WarningShape:
    """Return a warning's entity, in force or not (the API lists those kept with ?state=all)."""
    count = count_now(state, w)
    return {
        "kind": "warning",
        "id": w.id,
        "period": w.kind,
        "start": w.start,
        "end": w.end,
        "township": w.township,
        "category": w.category,
        "count": count,
        "raised_count": w.count,
        "usual": round(w.mean, 2),
        "sd": round(w.sd, 2),
        "threshold": round(w.threshold, 2),
        "ratio": round(count / w.mean, 1) if w.mean > 0 else None,
        "raised_at": w.raised_at,
        "acked_at": w.acked_at,
        "acked_by": w.acked_by,
        "note": w.note,
    }


def _scope(entity: Entity, scope: str) -> bool:
    """The center and the township concerned see a warning; the other townships' rooms do not."""
    return scope == entity["township"]


# clock: an acknowledged warning leaves the screens when its period ends (an hour's end is a 10-minute slot's end).
KIND = EntityKind(
    "warning",
    WarningShape,
    _build,
    lambda s: s.warnings,
    (ev.WarningRaised, ev.WarningAcknowledged, ev.IncidentReported),
    scope=_scope,
    clock=True,
)
