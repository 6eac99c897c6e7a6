"""The situation kind: the district's flood response level and security posture, one entity for the wall."""

from __future__ import annotations

from typing import Any, TypedDict

from domain import events as ev
from domain import situation
from domain.projection import Projection
from web.kinds.base import DayFigures, EntityKind
from web.kinds.broadcast import BROADCAST_SHOWN_S


class SituationShape(TypedDict):
    """The flood response level (and what gives it) and the posture broadcast in force."""

    kind: str
    id: str
    flood: dict[str, Any]
    posture: dict[str, Any] | None


def _build(state: Projection, _ident: str, day: DayFigures) -> SituationShape:
    now = situation.situation(state, day.now, BROADCAST_SHOWN_S)
    return {"kind": "situation", "id": "district", "flood": now["flood"], "posture": now["posture"]}


# Its folds are wrapped in situation.touching (domain/projection.py FOLDS).
KIND = EntityKind(
    "situation",
    SituationShape,
    _build,
    lambda _s: ("district",),
    (ev.StationReadingRecorded, ev.AlertIssued, ev.AlertCancelled, ev.AlertExpired, ev.BroadcastIssued),
)
