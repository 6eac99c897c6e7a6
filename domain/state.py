"""The district's state as the projection holds it: plain data that every fold and decision reads."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from domain.model import Broadcast, District, HallState, Incident, StationState

NORMAL = 0  # a station's flood stage before any line is crossed (domain.flood names the others)
Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs, closed
Circle = tuple[float, float, float]  # lon, lat, radius in metres
Sample = tuple[float, float]  # (event time, value): a chart's sample (domain/series.py)


@dataclass(frozen=True)
class FloodWatch:
    """A station's flood stage, its episode count and incident, and the reading time of the last change."""

    stage: int = NORMAL
    episode: int = 0
    incident_id: str = ""
    observed_at: float = float("-inf")
    changes: int = 0


@dataclass(frozen=True)
class AlertState:
    """An alert on the map until it expires or is cancelled."""

    id: str
    sender: str
    event: str
    severity: str
    urgency: str
    certainty: str
    headline: str
    description: str
    area_desc: str
    polygons: tuple[Ring, ...]
    circles: tuple[Circle, ...]
    sent: float
    expires: float


@dataclass
class State:
    """Current state of the district, rebuilt from events alone; seq is the last applied log seq."""

    district: District
    dispatch_s: Mapping[int, float] = field(default_factory=lambda: {1: 60.0, 2: 180.0, 3: 600.0})  # SlaPolicy's
    incidents: dict[str, Incident] = field(default_factory=dict)
    stations: dict[str, StationState] = field(default_factory=dict)
    halls: dict[str, HallState] = field(default_factory=dict)
    team_busy: dict[str, str] = field(default_factory=dict)  # team id -> incident id
    flood: dict[str, FloodWatch] = field(default_factory=dict)  # station id -> its flood watch
    alerts: dict[str, AlertState] = field(default_factory=dict)  # CAP alerts in force
    broadcasts: dict[str, Broadcast] = field(default_factory=dict)
    seq: int = 0
    last_event_at: float = 0.0
    # The analytics charts' rolling history (domain/series.py keeps it bounded): frozen values, so a checkpoint's
    # dict copies are whole. (hour start, source stack) -> reports; station / hall id -> its 10-minute samples.
    hourly: dict[tuple[float, str], int] = field(default_factory=dict)
    gauge_samples: dict[str, tuple[Sample, ...]] = field(default_factory=dict)
    hall_samples: dict[str, tuple[Sample, ...]] = field(default_factory=dict)

    def open_incidents(self) -> list[Incident]:
        """Return the incidents that still need work."""
        return [i for i in self.incidents.values() if i.is_open]

    def dispatch_due(self, priority: int, since: float) -> float:
        """Return when an incident of a priority waiting since then must have its order."""
        target = self.dispatch_s.get(priority)  # no max() on the hot path: every ingested record comes here
        return since + (target if target is not None else max(self.dispatch_s.values()))
