"""The recurring problems' values: the policy (R, N, D), a report in the book and a group (the state holds them).

Apart from domain/recurring.py (which reads a State) so that the state and the district can hold them without an
import cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

DAY_S = 86400.0
PLACE, CALLER = "place", "caller"
POLICY_KEYS = frozenset({"radius_m", "count", "days"})
MAX_RADIUS_M, MAX_COUNT, MAX_DAYS = 5000.0, 1000, 366.0  # the book keeps D days of reports: bounded on purpose


@dataclass(frozen=True)
class RecurringPolicy:
    """R, N and D: the same category within radius_m metres, count or more times within days days."""

    radius_m: float = 100.0
    count: int = 3
    days: float = 30.0

    @property
    def window_s(self) -> float:
        """Return D in seconds."""
        return self.days * DAY_S

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecurringPolicy:
        """Build it from the policy file's {"radius_m": R, "count": N, "days": D}; unknown or bad values refused."""
        bad = sorted(set(data) - POLICY_KEYS)
        if bad:
            raise ValueError(f"recurring: unknown setting(s) {bad}; settings are {sorted(POLICY_KEYS)}")
        count = data.get("count", cls.count)
        if isinstance(count, bool) or not isinstance(count, int) or not 2 <= count <= MAX_COUNT:
            raise ValueError(f"recurring count: a whole number from 2 to {MAX_COUNT}")
        policy = cls(float(data.get("radius_m", cls.radius_m)), count, float(data.get("days", cls.days)))
        if not 0 < policy.radius_m <= MAX_RADIUS_M or not 0 < policy.days <= MAX_DAYS:
            raise ValueError(f"recurring: radius_m in (0, {MAX_RADIUS_M:g}] metres, days in (0, {MAX_DAYS:g}]")
        return policy


class Report(NamedTuple):
    """A report in the book: when and where it came, and where its incident stands (kept past its archiving)."""

    id: str
    at: float  # received (the IncidentReported event's time)
    lon: float
    lat: float
    township: str
    source: str
    groups: tuple[str, ...]  # its place group, then its caller group when it has a caller
    counted: bool = True  # neither cancelled nor merged into another (kpi's "received, and nowhere else")
    open: bool = True
    resolved: int = 0  # its orders resolved
    reopened: int = 0  # reopened after an unsatisfied call-back
    orders: int = 0


class Group(NamedTuple):
    """Reports of one category at one place, or of one caller: its anchor is its first report."""

    id: str  # P-<anchor incident> or C-<anchor incident>
    basis: str  # PLACE or CALLER
    category: str
    lon: float
    lat: float
    township: str
    address: str
    last_at: float
    members: tuple[str, ...] = ()  # report ids, oldest first: those within D days of the last
    again: tuple[str, ...] = ()  # members that came while a member resolved since the report before stood resolved
    fixed: bool = False  # a member was resolved since the last report came
    caller: str = ""  # a caller group's caller (its hash): the book's own index, never shown
