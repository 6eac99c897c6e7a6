"""Every event of the domain, past tense, and their plain-dict codec."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.fastinit import quick_init


@dataclass(frozen=True)
class Event:
    """Base: a unique id (which makes appends idempotent) and when it happened."""

    event_id: str
    at: float

    def dedupe_key(self) -> str | None:
        """Return a second identity the log refuses to hold twice, if any."""
        return None

    def stream(self) -> str:
        """Return the id of the thing the event belongs to (incident, station, hall)."""
        return ""


@quick_init
@dataclass(frozen=True)
class IncidentReported(Event):
    """A source reported something; a new incident exists."""

    incident_id: str
    source: str
    source_id: str
    category: str
    township: str | None
    lon: float
    lat: float
    priority: int
    summary: str = ""
    address: str = ""
    reported_at: float = 0.0
    caller: str = ""  # a keyed hash of the caller's id (streams/sources/caller.py), never the number; "" without

    def dedupe_key(self) -> str | None:
        return f"{self.source}:{self.source_id}"

    def stream(self) -> str:
        return self.incident_id


@dataclass(frozen=True)
class IncidentEvent(Event):
    """Base of every event about one incident's order."""

    incident_id: str
    order_id: str
    actor: str

    def stream(self) -> str:
        return self.incident_id


@dataclass(frozen=True)
class OrderIssued(IncidentEvent):
    """The commander ordered a team to handle the incident; the SLA clock starts."""

    team_id: str
    township: str
    deadlines: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class StepDone(IncidentEvent):
    """Base of the township room's steps; late when done after its deadline."""

    late: bool = False
    note: str = ""
    # A step a team pressed on its phone: when the phone says it was pressed (0: not from a phone). A step queued
    # offline arrives later; the clock still judges the server's time (docs/glossary.md "sent late").
    device_at: float = 0.0
    photos: tuple[str, ...] = ()  # evidence photo ids (store/evidence.py), uploaded before the step


@dataclass(frozen=True)
class OrderSigned(StepDone):
    """The township signed for the order (签收)."""


@dataclass(frozen=True)
class OrderResponded(StepDone):
    """The township responded to the caller (回应)."""


@dataclass(frozen=True)
class OrderRouted(StepDone):
    """The township routed the order to its team (流转); team_id names it when the room picked it."""

    team_id: str = ""


@dataclass(frozen=True)
class TeamOnSite(StepDone):
    """The team arrived and is handling it on site (现场处置), proven by its phone's position or marked by the room."""

    proof: str = ""  # model.VERIFIED, NOT_VERIFIED or BY_ROOM ("" in a log from before proofs: by the room)
    lon: float | None = None  # the phone's fix when the step was pressed, if it sent one
    lat: float | None = None
    accuracy_m: float | None = None
    distance_m: float | None = None  # from the incident


@dataclass(frozen=True)
class OrderResolved(StepDone):
    """The incident was handled (办结), and how it ended (model.OUTCOMES; "" in a log from before outcomes)."""

    outcome: str = ""


@dataclass(frozen=True)
class TeamPositioned(Event):
    """A team's phone reported where it is; the server keeps a thinned series (domain/positions.py)."""

    team_id: str
    lon: float
    lat: float
    accuracy_m: float
    fix_at: float  # when the phone took the fix
    incident_id: str = ""  # the order it was working then: the fix is a point of that order's track

    def stream(self) -> str:
        # A fix on an order is in the incident's own stream (its timeline reads its track there); a free team's
        # in the team's.
        return self.incident_id or f"team:{self.team_id}"


@dataclass(frozen=True)
class SlaBreached(IncidentEvent):
    """A stage's deadline passed with the stage undone; appended once per stage."""

    step: str
    deadline: float


@dataclass(frozen=True)
class DispatchBreached(IncidentEvent):
    """An incident waited for its order past the center's dispatch target; once per dispatch round."""

    deadline: float = 0.0


@dataclass(frozen=True)
class OrderTransferred(IncidentEvent):
    """The order left this township: to another township (a new order follows) or a department."""

    to_township: str = ""
    to_department: str = ""
    reason: str = ""


@dataclass(frozen=True)
class FeedbackRecorded(IncidentEvent):
    """The caller was called back: satisfied, unsatisfied or unreached (回访)."""

    result: str = "satisfied"
    note: str = ""


@dataclass(frozen=True)
class IncidentReopened(IncidentEvent):
    """The incident is open again (the caller was not satisfied); it waits for a new order."""

    reason: str = ""


@dataclass(frozen=True)
class IncidentClosed(IncidentEvent):
    """The incident is closed after its feedback (结案)."""

    note: str = ""


@dataclass(frozen=True)
class IncidentCancelled(IncidentEvent):
    """The incident was cancelled, with the reason (撤销)."""

    reason: str = ""


@dataclass(frozen=True)
class IncidentMerged(IncidentEvent):
    """This incident is the same event as another and was folded into it (合并)."""

    into: str = ""
    reason: str = ""


@dataclass(frozen=True)
class IncidentEscalated(IncidentEvent):
    """A breached stage stayed undone and went up to the district duty leader (升级)."""

    step: str = ""
    level: str = "duty_leader"


@dataclass(frozen=True)
class BroadcastIssued(Event):
    """A one-click order went to many townships at once (一键指令)."""

    broadcast_id: str
    kind: str
    level: str
    message: str
    townships: tuple[str, ...]
    actor: str
    deadline: float

    def stream(self) -> str:
        return self.broadcast_id


@dataclass(frozen=True)
class BroadcastSigned(Event):
    """A township room signed for a broadcast order."""

    broadcast_id: str
    township: str
    actor: str
    late: bool = False

    def stream(self) -> str:
        return self.broadcast_id


@dataclass(frozen=True)
class StationReadingRecorded(Event):
    """A hydrology station reported its water level and rainfall."""

    station_id: str
    level: float
    rainfall: float = 0.0

    def stream(self) -> str:
        return self.station_id


@dataclass(frozen=True)
class HallTicketRecorded(Event):
    """A service hall's queue moved: issued, called, served, window_opened, window_closed."""

    hall_id: str
    action: str
    ticket: str = ""
    window: str = ""

    def stream(self) -> str:
        return self.hall_id


@dataclass(frozen=True)
class FloodStageChanged(Event):
    """A station's flood stage moved (normal, warning, guarantee); domain/flood.py decides it with hysteresis."""

    station_id: str
    stage: str
    level: float
    episode: int
    incident_id: str = ""
    observed_at: float = 0.0

    def stream(self) -> str:
        return self.station_id


@dataclass(frozen=True)
class AlertIssued(Event):
    """A public warning (CAP Alert or Update) is in force over an area until it expires."""

    alert_id: str
    sender: str
    msg_type: str
    event: str
    severity: str
    urgency: str
    certainty: str
    headline: str
    description: str
    area_desc: str
    polygons: tuple[Any, ...] = ()  # rings of (lon, lat)
    circles: tuple[Any, ...] = ()  # (lon, lat, radius_m)
    sent: float = 0.0
    expires: float = 0.0
    replaces: tuple[str, ...] = ()  # alert ids an Update supersedes

    def stream(self) -> str:
        return self.alert_id


@dataclass(frozen=True)
class AlertCancelled(Event):
    """A CAP Cancel withdrew earlier alerts."""

    alert_id: str
    references: tuple[str, ...] = ()

    def stream(self) -> str:
        return self.alert_id


@dataclass(frozen=True)
class AlertExpired(Event):
    """An alert's expiry time passed; it leaves the map."""

    alert_id: str

    def stream(self) -> str:
        return self.alert_id


@dataclass(frozen=True)
class WarningRaised(Event):
    """A township's reports of a category in an hour or a day went above their baseline (domain/warning.py)."""

    warning_id: str  # also the event's id: one warning per period, township and category, raised once
    kind: str  # "hour" | "day"
    period_start: float
    township: str
    category: str
    count: int
    mean: float
    sd: float
    threshold: float

    def stream(self) -> str:
        return self.warning_id


@dataclass(frozen=True)
class WarningAcknowledged(Event):
    """A commander saw an early warning and acknowledged it, with a note."""

    warning_id: str
    actor: str
    note: str = ""

    def stream(self) -> str:
        return self.warning_id


STEP_EVENTS: dict[str, type[StepDone]] = {
    "sign": OrderSigned,
    "respond": OrderResponded,
    "route": OrderRouted,
    "on_site": TeamOnSite,
    "resolve": OrderResolved,
}
# The codec's one list: an event type is decoded only when it is named here.
EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls
    for cls in (
        IncidentReported,
        OrderIssued,
        *STEP_EVENTS.values(),
        SlaBreached,
        TeamPositioned,
        OrderTransferred,
        FeedbackRecorded,
        IncidentReopened,
        IncidentClosed,
        IncidentCancelled,
        IncidentMerged,
        IncidentEscalated,
        DispatchBreached,
        BroadcastIssued,
        BroadcastSigned,
        StationReadingRecorded,
        HallTicketRecorded,
        FloodStageChanged,
        AlertIssued,
        AlertCancelled,
        AlertExpired,
        WarningRaised,
        WarningAcknowledged,
    )
}


def _fields_of(cls: type) -> tuple[str, ...]:
    """Return an event type's field names (dataclasses.fields is slow on the ingest hot path: cached below)."""
    return tuple(f.name for f in dataclasses.fields(cls))


# Typed as a plain function: mypy takes an event class for an unhashable instance when it checks the cache's key.
_field_names: Callable[[type], tuple[str, ...]] = functools.cache(_fields_of)


def to_dict(event: Event) -> dict[str, Any]:
    """Encode an event as a plain dict with its type name."""
    data = {name: getattr(event, name) for name in _field_names(type(event))}
    if "deadlines" in data:
        data["deadlines"] = dict(data["deadlines"])
    for name in ("townships", "photos"):
        if name in data:
            data[name] = list(data[name])
    data["type"] = type(event).__name__
    return data


def from_dict(data: Mapping[str, Any]) -> Event:
    """Decode an event written by to_dict; unknown fields are ignored for forward compatibility."""
    cls = EVENT_TYPES[data["type"]]
    names = {f.name for f in dataclasses.fields(cls)}
    fields = {k: v for k, v in data.items() if k in names}
    for name in ("townships", "photos"):
        if name in fields:
            fields[name] = tuple(fields[name])
    return cls(**fields)
