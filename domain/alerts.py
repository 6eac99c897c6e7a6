"""Public warning alerts (CAP 1.2): issued, updated, cancelled, and expired on their own at their time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain import events as ev
from domain.state import AlertState, Circle, Ring, State

DEFAULT_TTL_S = 24 * 3600  # an alert without an expiry time leaves the map after a day, unless cancelled


@dataclass(frozen=True)
class CapAlert:
    """A validated CAP message: Alert and Update carry an area; Cancel names what it cancels."""

    source_id: str  # the CAP identifier
    sender: str
    sent: float
    msg_type: str  # Alert | Update | Cancel
    references: tuple[str, ...] = ()  # identifiers of earlier messages this one updates or cancels
    event: str = ""
    severity: str = ""
    urgency: str = ""
    certainty: str = ""
    headline: str = ""
    description: str = ""
    area_desc: str = ""
    polygons: tuple[Ring, ...] = ()
    circles: tuple[Circle, ...] = ()
    expires: float = 0.0


def decide(state: State, alert: CapAlert, now: float) -> list[ev.Event]:
    """Return the events of a CAP message; an Update replaces what it references, a Cancel removes it."""
    if alert.msg_type == "Cancel":
        return [
            ev.AlertCancelled(
                event_id=f"cap:{alert.source_id}", at=now, alert_id=alert.source_id, references=alert.references
            )
        ]
    expires = alert.expires or alert.sent + DEFAULT_TTL_S
    return [
        ev.AlertIssued(
            event_id=f"cap:{alert.source_id}",
            at=now,
            alert_id=alert.source_id,
            sender=alert.sender,
            msg_type=alert.msg_type,
            event=alert.event,
            severity=alert.severity,
            urgency=alert.urgency,
            certainty=alert.certainty,
            headline=alert.headline,
            description=alert.description,
            area_desc=alert.area_desc,
            polygons=alert.polygons,
            circles=alert.circles,
            sent=alert.sent,
            expires=expires,
            replaces=alert.references if alert.msg_type == "Update" else (),
        )
    ]


def expire_due(state: State, now: float) -> list[ev.Event]:
    """Return an AlertExpired for each alert whose time has passed."""
    return [
        ev.AlertExpired(event_id=f"cap-expired:{a.id}", at=now, alert_id=a.id)
        for a in state.alerts.values()
        if a.expires <= now
    ]


def active(state: State, now: float) -> list[AlertState]:
    """Return the alerts in force at now (those past expiry are gone even before the tick removes them)."""
    return [a for a in state.alerts.values() if a.expires > now]


def _tuples(value: object) -> Any:  # Any: tuples nested as deep as the JSON, its scalars at the leaves
    """Turn the JSON lists an event comes back with into the tuples the state holds."""
    return tuple(_tuples(v) for v in value) if isinstance(value, (list, tuple)) else value


def apply_issued(state: State, e: ev.AlertIssued) -> set[str]:
    """Fold an issued or updated alert: it replaces those it references."""
    changed = {f"alert:{r}" for r in e.replaces if state.alerts.pop(r, None) is not None}
    state.alerts[e.alert_id] = AlertState(
        e.alert_id,
        e.sender,
        e.event,
        e.severity,
        e.urgency,
        e.certainty,
        e.headline,
        e.description,
        e.area_desc,
        _tuples(e.polygons),
        _tuples(e.circles),
        e.sent,
        e.expires,
    )
    return changed | {f"alert:{e.alert_id}"}


def apply_cancelled(state: State, e: ev.AlertCancelled) -> set[str]:
    """Fold a cancel: the referenced alerts leave the map."""
    return {f"alert:{r}" for r in e.references if state.alerts.pop(r, None) is not None}


def apply_expired(state: State, e: ev.AlertExpired) -> set[str]:
    """Fold an expiry."""
    return {f"alert:{e.alert_id}"} if state.alerts.pop(e.alert_id, None) is not None else set()
