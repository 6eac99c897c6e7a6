"""The district's things as frozen values; times are Unix seconds passed in, never read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from domain.recurvalues import RecurringPolicy


class Stage(str, Enum):
    """Where an incident stands in its lifecycle."""

    NEW = "new"  # received, waiting for the commander's order
    ORDERED = "ordered"  # order issued, waiting to be signed for
    SIGNED = "signed"
    RESPONDED = "responded"
    ROUTED = "routed"
    ON_SITE = "on_site"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    MERGED = "merged"  # a duplicate of another incident, folded into it
    TRANSFERRED = "transferred"  # handed to a department outside the district's teams


# The township room's steps, in the only order they may be taken, and the stage each reaches.
STEPS: tuple[str, ...] = ("sign", "respond", "route", "on_site", "resolve")
STEP_STAGE: dict[str, Stage] = {
    "sign": Stage.SIGNED,
    "respond": Stage.RESPONDED,
    "route": Stage.ROUTED,
    "on_site": Stage.ON_SITE,
    "resolve": Stage.RESOLVED,
}
# Steps with an SLA deadline counted from the order's issue.
TIMED_STEPS: tuple[str, ...] = ("sign", "respond", "route", "on_site")
# The steps a service team takes itself from /team (the room signs, responds and routes; it may still mark
# these for a team it hears by radio: then the on-site step is "by the room").
TEAM_STEPS: tuple[str, ...] = ("on_site", "resolve")
# How an on-site step was proven (docs/glossary.md "on site verified").
VERIFIED, NOT_VERIFIED, BY_ROOM = "verified", "not_verified", "by_room"
TERMINAL_STAGES = frozenset({Stage.CLOSED, Stage.CANCELLED, Stage.MERGED, Stage.TRANSFERRED})
OPEN_STAGES = frozenset(s for s in Stage if s not in TERMINAL_STAGES)
FEEDBACK = ("satisfied", "unsatisfied", "unreached")
# How a resolved order ended (三源治理): settled on the spot, or handed to law enforcement, to the courts or
# mediation, to petitions (信访), to another department. A transfer to a department ends as "department" too.
OUTCOMES = ("on_spot", "law_enforcement", "court_mediation", "petition", "department")


class Role(str, Enum):
    """Who may act: checked on the server for every state change."""

    ADMIN = "admin"
    COMMANDER = "commander"
    DUTY_LEADER = "duty_leader"
    TOWNSHIP = "township"
    WALL = "wall"
    SYSTEM = "system"  # source systems posting records, the simulator, the SLA ticker
    TEAM = "team"  # a member of one service team, on its phone (/team): its own team's orders only


@dataclass(frozen=True)
class Actor:
    """The authenticated caller of a command."""

    name: str
    role: Role
    township: str | None = None  # set for township operators and team members: their one township
    team: str | None = None  # set for team members: their one team


@dataclass(frozen=True)
class Township:
    """A street (街道) or town (镇) of the district."""

    id: str
    name_zh: str
    name_en: str
    kind: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Team:
    """A township's full-time service team (专职服务队)."""

    id: str
    township: str
    kind: str
    name_zh: str
    name_en: str
    lon: float
    lat: float
    members: int = 6


@dataclass(frozen=True)
class Station:
    """A hydrology station with its thresholds in metres."""

    id: str
    name_zh: str
    name_en: str
    township: str | None
    lon: float
    lat: float
    warning_level: float
    guarantee_level: float
    normal_level: float


# A hall's office hours: (ISO weekday 1=Mon..7=Sun, opens, closes) in minutes after local midnight.
OfficeHours = tuple[tuple[int, int, int], ...]


@dataclass(frozen=True)
class Hall:
    """A service hall (便民服务中心); township None is the district centre; no hours: never shown closed."""

    id: str
    township: str | None
    name_zh: str
    name_en: str
    lon: float
    lat: float
    windows: int
    hours: OfficeHours = ()


@dataclass(frozen=True)
class District:
    """The static fixtures of a district: what does not change by events."""

    name_zh: str
    name_en: str
    center: tuple[float, float]
    townships: Mapping[str, Township]
    teams: Mapping[str, Team]
    stations: Mapping[str, Station]
    halls: Mapping[str, Hall]
    utc_offset_h: float  # its time zone: its day starts at its midnight, its halls keep local hours (ONEMAP_TIMEZONE)
    neighbours: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # What the folds group as recurring problems (SlaPolicy's "recurring"): carried with the fixtures, as the time zone
    # is, so every fold of this district (store, replay, a snapshot's fingerprint) groups alike.
    recurring: RecurringPolicy = field(default_factory=RecurringPolicy)


@dataclass(frozen=True)
class Order:
    """A one-click order to a team and its progress against the SLA."""

    id: str
    incident_id: str
    team_id: str  # "" while the township room has not yet picked its team
    township: str
    issued_at: float
    issued_by: str
    deadlines: Mapping[str, float]
    done: Mapping[str, float] = field(default_factory=dict)
    late: tuple[str, ...] = ()
    breached: tuple[str, ...] = ()
    # The center's dispatch round this order ended (None for an order the township's transfer made).
    dispatch_since: float | None = None
    dispatch_due: float | None = None
    ended_at: float | None = None  # when it stopped being worked: transferred, reopened, closed, cancelled, merged
    proof: str = ""  # how its on-site step was proven: VERIFIED, NOT_VERIFIED or BY_ROOM ("" until it is done)
    proof_m: float | None = None  # the team's distance from the incident then, metres (None: no position sent)
    photos: tuple[str, ...] = ()  # evidence photo ids its steps carried (store/evidence.py holds the photos)
    outcome: str = ""  # how its resolve step said it ended (OUTCOMES; "" not resolved, or not recorded)

    def next_step(self) -> str | None:
        """Return the first step not yet done, or None when all are."""
        return next((s for s in STEPS if s not in self.done), None)


@dataclass(frozen=True)
class Incident:
    """One thing that happened in the district and what is being done about it."""

    id: str
    source: str
    source_id: str
    category: str
    township: str | None  # None: outside the district
    lon: float
    lat: float
    priority: int
    summary: str
    address: str
    reported_at: float
    received_at: float
    stage: Stage = Stage.NEW
    order: Order | None = None
    history: tuple[Order, ...] = ()  # earlier orders of this incident (transferred, reopened)
    feedback: str | None = None  # satisfied | unsatisfied | unreached, from the call-back
    reopened: int = 0
    escalated: tuple[str, ...] = ()  # stages escalated to the duty leader
    merged_into: str | None = None
    merged: tuple[str, ...] = ()  # incidents folded into this one
    note: str = ""  # the last resolve, close, cancel or transfer note
    dispatch_since: float = 0.0  # the center's clock to order started: receipt, or the last reopening
    dispatch_due: float = 0.0  # and must end by then (派单时限)
    dispatch_breached: bool = False  # the DispatchBreached of this round is in the log

    @property
    def is_open(self) -> bool:
        """Tell whether the incident still needs work."""
        return self.stage in OPEN_STAGES


@dataclass(frozen=True)
class Broadcast:
    """A one-click order to many townships (flood response, security posture, extra windows)."""

    id: str
    kind: str
    level: str
    message: str
    townships: tuple[str, ...]
    issued_at: float
    issued_by: str
    deadline: float  # every township signs on the same one-minute clock
    signed: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Fix:
    """A team's position from its phone: where, how sure (metres) and when the phone took it."""

    lon: float
    lat: float
    accuracy_m: float
    at: float


@dataclass(frozen=True)
class StationState:
    """A station's latest reading, and its last few levels (oldest first, domain.flood.TREND_READINGS at most)."""

    level: float
    rainfall: float
    at: float
    recent: tuple[float, ...] = ()


@dataclass(frozen=True)
class HallState:
    """A service hall's queue, folded from its ticket events."""

    waiting: tuple[tuple[str, float], ...] = ()  # (ticket, issued_at), oldest first
    open_windows: int = 0
    served_today: int = (
        0  # every ticket served since the log began (not a figure: "served" is the day's, served_recent)
    )
    at: float = 0.0
    # (quarter-hour index since the epoch, tickets served in it), the last day's only: domain.halls.served_since
    served_recent: tuple[tuple[int, int], ...] = ()
