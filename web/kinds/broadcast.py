"""The broadcast kind: a one-click order to many townships and who signed for it, shown for a day."""

from __future__ import annotations

from typing import TypedDict

from domain import events as ev
from domain import sla
from domain.projection import Projection
from web.kinds.base import DayFigures, Entity, EntityKind

BROADCAST_SHOWN_S = 86400  # a broadcast stays on the boards for a day


class BroadcastShape(TypedDict):
    """A broadcast order: its townships, deadline and signatures."""

    kind: str
    id: str
    type: str
    level: str
    message: str
    townships: list[str]
    issued_at: float
    issued_by: str
    deadline: float
    warn_at: float  # its countdown turns "due soon" then (domain/sla.py warning_at)
    signed: dict[str, float]


def _build(state: Projection, ident: str, day: DayFigures) -> BroadcastShape | None:
    b = state.broadcasts.get(ident)
    if b is None or day.now - b.issued_at > BROADCAST_SHOWN_S:
        return None
    return {
        "kind": "broadcast",
        "id": b.id,
        "type": b.kind,
        "level": b.level,
        "message": b.message,
        "townships": list(b.townships),
        "issued_at": b.issued_at,
        "issued_by": b.issued_by,
        "deadline": b.deadline,
        "warn_at": sla.warning_at(b.issued_at, b.deadline),
        "signed": dict(b.signed),
    }


def _scope(entity: Entity, scope: str) -> bool:
    """A room sees the broadcasts sent to its township."""
    return scope in entity["townships"]


KIND = EntityKind(
    "broadcast", BroadcastShape, _build, lambda s: s.broadcasts, (ev.BroadcastIssued, ev.BroadcastSigned), scope=_scope
)
