"""Decide what a validated source record means: a new incident, a station reading, a hall ticket."""

from __future__ import annotations

from dataclasses import dataclass

from domain import events as ev
from domain.catalog import CATEGORIES
from domain.dispatch import incident_id_for
from domain.fastinit import quick_init
from domain.state import State


@quick_init
@dataclass(frozen=True)
class Report:
    """A source record that reports an incident, already validated and in WGS-84."""

    source: str
    source_id: str
    category: str
    lon: float
    lat: float
    reported_at: float
    summary: str = ""
    address: str = ""
    priority: int | None = None
    caller: str = ""  # a keyed hash of the caller's id (streams/sources/caller.py), never the number


def report_incident(state: State, report: Report, township: str | None, now: float) -> list[ev.Event]:
    """Open an incident for a report; nothing when the same source record was already taken."""
    incident_id = incident_id_for(report.source, report.source_id)
    if incident_id in state.incidents:
        return []
    priority = report.priority or CATEGORIES[report.category].priority
    return [
        ev.IncidentReported(
            event_id=f"rep:{incident_id}",
            at=now,
            incident_id=incident_id,
            source=report.source,
            source_id=report.source_id,
            category=report.category,
            township=township,
            lon=report.lon,
            lat=report.lat,
            priority=priority,
            summary=report.summary,
            address=report.address,
            reported_at=report.reported_at,
            caller=report.caller,
        )
    ]


@dataclass(frozen=True)
class Reading:
    """A validated hydrology reading."""

    source_id: str
    station_id: str
    level: float
    rainfall: float
    observed_at: float


@dataclass(frozen=True)
class Ticket:
    """A validated service-hall queue event."""

    source_id: str
    hall_id: str
    action: str
    ticket: str = ""
    window: str = ""


Intake = Report | Reading | Ticket


def record_reading(state: State, r: Reading, now: float) -> list[ev.Event]:
    """Record a hydrology reading."""
    return [
        ev.StationReadingRecorded(
            event_id=f"hydrology:{r.source_id}", at=now, station_id=r.station_id, level=r.level, rainfall=r.rainfall
        )
    ]


def record_ticket(state: State, t: Ticket, now: float) -> list[ev.Event]:
    """Record a service-hall queue event."""
    return [
        ev.HallTicketRecorded(
            event_id=f"hall:{t.source_id}", at=now, hall_id=t.hall_id, action=t.action, ticket=t.ticket, window=t.window
        )
    ]


def decide(state: State, item: Intake, township: str | None, now: float) -> list[ev.Event]:
    """Return the events one validated record brings (none for a record already taken)."""
    if isinstance(item, Report):
        return report_incident(state, item, township, now)
    if isinstance(item, Reading):
        return record_reading(state, item, now)
    return record_ticket(state, item, now)
