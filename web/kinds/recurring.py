"""The recurring kind: a recurring problem (domain/recurring.py) with its reports, as the lists, the map and the API
show it; a township sees those anchored in its own township."""

from __future__ import annotations

from typing import TypedDict

from domain import events as ev
from domain import recurring
from domain.projection import Projection
from web.kinds.base import DayFigures, Entity, EntityKind

SHOWN_REPORTS = 50  # the newest reports a problem lists (its counts are of them all): a hot spot's entity stays small


class ReportShape(TypedDict):
    """One report of a recurring problem: each opens its own timeline (/replay?incident=<id>)."""

    id: str
    at: float  # received
    source: str
    township: str
    status: str  # waiting | handling | resolved | closed (domain/recurring.py status)
    open: bool
    resolved: int  # its orders resolved
    reopened: int
    orders: int
    again: bool  # reported while another report of the problem stood resolved: the fix did not hold


class RecurringShape(TypedDict):
    """A recurring problem: where, what, how often, whether it is settled and whether its fixes held."""

    kind: str
    id: str
    basis: str  # place | caller (the same caller on the same matter: the caller is never shown)
    category: str
    lon: float  # the anchor: its first report
    lat: float
    township: str
    address: str
    count: int  # its reports within D days
    first_at: float
    last_at: float
    open: int  # its reports still open
    resolved: int
    relapses: int  # reported again after a resolve, or reopened
    held: bool | None  # None: nothing resolved yet
    reports: list[ReportShape]  # the newest SHOWN_REPORTS, oldest first


def shape(p: recurring.Problem) -> RecurringShape:
    """Return a recurring problem as the screens and the API show it."""
    g, reports, again = p.group, p.reports, set(p.group.again)
    return {
        "kind": "recurring",
        "id": g.id,
        "basis": g.basis,
        "category": g.category,
        "lon": g.lon,
        "lat": g.lat,
        "township": g.township,
        "address": g.address,
        "count": len(reports),
        "first_at": reports[0].at,
        "last_at": reports[-1].at,
        "open": p.open,
        "resolved": p.resolved,
        "relapses": p.relapses,
        "held": p.held,
        "reports": [
            {
                "id": r.id,
                "at": r.at,
                "source": r.source,
                "township": r.township,
                "status": recurring.status(r),
                "open": r.open,
                "resolved": r.resolved,
                "reopened": r.reopened,
                "orders": r.orders,
                "again": r.id in again,
            }
            for r in reports[-SHOWN_REPORTS:]
        ],
    }


def _build(state: Projection, ident: str, day: DayFigures) -> RecurringShape | None:
    found = recurring.problem(state, ident, day.now)
    return shape(found) if found is not None else None


def _scope(entity: Entity, scope: str) -> bool:
    """A room sees the recurring problems anchored in its township."""
    return bool(entity["township"] == scope)


# The events whose folds change a report's standing or its groups (domain/projection.py: recurbook's wrappers).
RECURRING_EVENTS: tuple[type[ev.Event], ...] = (
    ev.IncidentReported,
    ev.OrderIssued,
    ev.OrderResolved,
    ev.OrderTransferred,
    ev.IncidentReopened,
    ev.IncidentClosed,
    ev.IncidentCancelled,
    ev.IncidentMerged,
)
# clock: a report leaves the D days' window with no event, so the shown ones are re-sent every 10 minutes.
KIND = EntityKind("recurring", RecurringShape, _build, lambda s: s.recur_shown, RECURRING_EVENTS, _scope, clock=True)
