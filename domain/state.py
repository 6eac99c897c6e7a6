"""The district's state as the projection holds it: plain data that every fold and decision reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.model import Broadcast, District, Fix, HallState, Incident, StationState
from domain.recurvalues import Group as RecurGroup
from domain.recurvalues import Report as RecurReport
from domain.warning import EarlyWarning

RETENTION_S = 8 * 86400.0  # a closed incident stays in memory this long: the weekly report's window and a day more
# The archive sweep runs when the log's time enters a new UTC day (event time, so every fold agrees): once a day,
# as walking the oldest changes costs a little; a closed incident stays 8 to 9 days.
SWEEP_S = 86400.0
DAY_S = 86400.0
LedgerKey = tuple[int, str, str]  # (local day since 1970-01-01, township, category): domain/ledger.py
LostKey = tuple[int, str, str]  # (local day, township, incident id): the points an incident lost there
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
    team_fix: dict[str, Fix] = field(default_factory=dict)  # team id -> its newest kept fix (domain/positions.py)
    # incident id -> its order's track, (lon, lat, fix time) oldest first, the last positions.TRACK_POINTS
    tracks: dict[str, tuple[tuple[float, float, float], ...]] = field(default_factory=dict)
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
    # Indexes the incident folds keep (domain/folds.py), so the per-second and per-delta work is set by the open
    # incidents and the recent days, not by the log's age. Flat dicts of immutable values: checkpoints copy them whole.
    open_ids: dict[str, None] = field(default_factory=dict)  # the open incidents' ids, in the order they came
    # id -> the log's time (last_event_at) when the incident last changed; ordered by that change, so the values
    # never decrease along the dict and the incidents changed since a moment are its tail.
    touched: dict[str, float] = field(default_factory=dict)
    retention_s: float = RETENTION_S
    sweep_at: float = float("-inf")  # the log's time at which the next archive sweep runs
    kept_since: float = float("-inf")  # every incident that changed since then is still here (older closed ones left)
    # The long views' ledger (domain/ledger.py): counts by (day, township, category), the points lost by
    # (day, township, incident), each kept incident's part in both (taken out again when it changes); days from
    # ledger_floor on. Flat dicts of tuples, like the indexes above.
    ledger: dict[LedgerKey, tuple[int, ...]] = field(default_factory=dict)
    ledger_lost: dict[LostKey, tuple[str, ...]] = field(default_factory=dict)
    ledger_of: dict[str, Any] = field(default_factory=dict)
    ledger_dirty: dict[str, None] = field(default_factory=dict)  # incidents changed since the ledger last settled
    ledger_floor: int = -(10**9)
    # Early warning (domain/warnbook.py): reports per (local hour, or day, since 1970, township, category), the last 10
    # days, oldest first; the warnings raised, by id; when the first report came (no baseline reaches back before it).
    report_hours: dict[tuple[int, str, str], int] = field(default_factory=dict)
    report_days: dict[tuple[int, str, str], int] = field(default_factory=dict)
    warnings: dict[str, EarlyWarning] = field(default_factory=dict)
    reports_since: float = float("inf")
    # Recurring problems (domain/recurring.py, kept by domain/recurbook.py): the reports of the last D days with their
    # incidents' standing, and their groups, ordered by their last report; the anchors' grid cells per category, the
    # callers' groups, the groups holding N reports or more (the screens' ids); bounded by D in the log's time.
    recur_reports: dict[str, RecurReport] = field(default_factory=dict)
    recur_groups: dict[str, RecurGroup] = field(default_factory=dict)
    recur_cells: dict[tuple[str, int, int], tuple[str, ...]] = field(default_factory=dict)
    recur_callers: dict[tuple[str, str], str] = field(default_factory=dict)  # (caller hash, category) -> group
    recur_shown: dict[str, None] = field(default_factory=dict)
    recur_prune_at: float = float("-inf")

    def open_incidents(self) -> list[Incident]:
        """Return the incidents that still need work."""
        self._reindex()
        get = self.incidents.get
        return [inc for i in self.open_ids if (inc := get(i)) is not None and inc.is_open]

    def changed_since(self, t: float) -> list[Incident]:
        """Return the open incidents and every incident that changed at or after t (in the log's time): a superset of
        those with a receipt, a dispatch round or an order at or after t."""
        self._reindex()
        get, touched, out = self.incidents.get, self.touched, []
        for iid in reversed(touched):
            if touched[iid] < t:
                break
            out.append(get(iid))
        out += (get(i) for i in self.open_ids if touched.get(i, t) < t)
        return [inc for inc in out if inc is not None]

    def _reindex(self) -> None:
        """Index incidents put in by hand (tests, tools) rather than folded in: the folds keep the indexes otherwise."""
        if len(self.touched) == len(self.incidents):
            return
        for iid, inc in self.incidents.items():
            if iid not in self.touched:
                self.touched[iid] = self.last_event_at
                if inc.is_open:
                    self.open_ids[iid] = None

    def dispatch_due(self, priority: int, since: float) -> float:
        """Return when an incident of a priority waiting since then must have its order."""
        target = self.dispatch_s.get(priority)  # no max() on the hot path: every ingested record comes here
        return since + (target if target is not None else max(self.dispatch_s.values()))
