"""Builders for unit tests: a projection with incidents in it, without any I/O."""

from __future__ import annotations

from domain import events as ev
from domain.dispatch import incident_id_for
from domain.intake import Report, report_incident
from domain.model import Actor, District, Role
from domain.projection import Projection

COMMANDER = Actor("cmdr", Role.COMMANDER)


def room(township: str) -> Actor:
    """Return a township operator of one township."""
    return Actor(f"room-{township}", Role.TOWNSHIP, township)


def fold(state: Projection, events: list[ev.Event]) -> list[ev.Event]:
    """Apply events as the store would, numbering them."""
    for e in events:
        state.apply(e, state.seq + 1)
    return events


def with_incident(
    district: District, now: float, category: str = "noise", township: str = "T01", source_id: str = "A1"
) -> tuple[Projection, str]:
    """Return a projection holding one new incident at its township's centre."""
    state = Projection(district)
    t = district.townships[township]
    fold(state, report_incident(state, Report("12345", source_id, category, t.lon, t.lat, now), township, now))
    return state, incident_id_for("12345", source_id)
