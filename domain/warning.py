"""Early warning against the baseline (预警): the EARS C2 rule, per township and category, by day and by hour.

A period's count of reports (so far: the alarm is early, not at the period's end) is judged against the same
period on the 7 days ending 2 days before (d-9 .. d-3: the guard band keeps a slow start of the outbreak itself out
of its baseline; an hour against the same hour of those days, so the day's rhythm is respected). With the baseline's
mean m and sample standard deviation s, the count alarms when it is above m + 3 * max(s, sd_floor) and at least
min_count (docs/glossary.md "Early warning"). Pure: times are parameters; no state is read here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

HOUR, DAY = "hour", "day"  # the two period kinds
HOUR_S, DAY_S = 3600, 86400
SIGMAS = 3.0  # EARS C2's threshold, in standard deviations above the mean
BASELINE_DAYS = 7
GUARD_DAYS = 2  # the baseline ends this many days before the day judged: days d-9 .. d-3
FIRST_BACK = BASELINE_DAYS + GUARD_DAYS  # 9: the oldest baseline day, counted back from the day judged


@dataclass(frozen=True)
class Rule:
    """One period kind's guards: the least standard deviation used, and the least count that alarms."""

    sd_floor: float
    min_count: int


@dataclass(frozen=True)
class WarningPolicy:
    """The early warning's guards per period kind (the policy file's "warning"; docs/glossary.md)."""

    # A floor of one report: a series that never varies (all zeros, or the same count daily) would otherwise alarm on
    # one report above its mean. The least counts keep a lowered floor from making 1-2 reports in an hour, or 4 in a
    # day, a warning; with the default floor the hour's (3) never binds and the day's (5) binds on quiet series.
    hour: Rule = Rule(1.0, 3)
    day: Rule = Rule(1.0, 5)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WarningPolicy:
        """Build from {"hour": {"sd_floor", "min_count"}, "day": {...}}; a missing value keeps its default."""
        bad = [k for k in data if k not in (HOUR, DAY)]
        if bad:
            raise ValueError(f"warning policy: unknown period kind(s) {bad}; kinds are {[HOUR, DAY]}")
        return cls(_rule(data.get(HOUR, {}), cls.hour, HOUR), _rule(data.get(DAY, {}), cls.day, DAY))

    def rule(self, kind: str) -> Rule:
        """Return the guards of a period kind."""
        return self.hour if kind == HOUR else self.day


def _rule(raw: Any, default: Rule, kind: str) -> Rule:
    if not isinstance(raw, Mapping) or any(k not in ("sd_floor", "min_count") for k in raw):
        raise ValueError(f"warning policy {kind}: {{'sd_floor': reports, 'min_count': reports}}")
    floor, least = float(raw.get("sd_floor", default.sd_floor)), int(raw.get("min_count", default.min_count))
    if not floor > 0 or least < 1:
        raise ValueError(f"warning policy {kind}: sd_floor must be positive, min_count at least 1")
    return Rule(floor, least)


@dataclass(frozen=True)
class Baseline:
    """A series' usual level: mean, sample standard deviation, and the count it takes to alarm (above threshold)."""

    mean: float
    sd: float
    threshold: float


def baseline(history: Sequence[int], rule: Rule) -> Baseline:
    """Return the baseline of the 7 counts of the same period on days d-9 .. d-3."""
    n = len(history)
    mean = sum(history) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in history) / (n - 1)) if n > 1 else 0.0  # sample sd: n - 1
    return Baseline(mean, sd, mean + SIGMAS * max(sd, rule.sd_floor))


def alarms(count: int, base: Baseline, rule: Rule) -> bool:
    """Tell whether a count alarms: above the threshold (exactly at it does not) and at least the least count."""
    return count > base.threshold and count >= rule.min_count


def baseline_indexes(kind: str, index: int) -> list[int]:
    """Return the period indexes of a period's baseline: the same hour, or the day, on days d-9 .. d-3."""
    per_day = 24 if kind == HOUR else 1
    return [index - back * per_day for back in range(FIRST_BACK, GUARD_DAYS, -1)]


def period_index(kind: str, t: float, utc_offset_h: float) -> int:
    """Return the local hour or day a moment falls in, counted from 1970-01-01 local (ledger.day_of for days)."""
    return int((t + utc_offset_h * 3600.0) // (HOUR_S if kind == HOUR else DAY_S))


def period_bounds(kind: str, index: int, utc_offset_h: float) -> tuple[float, float]:
    """Return a period's [start, end) as Unix times."""
    length = HOUR_S if kind == HOUR else DAY_S
    start = index * length - utc_offset_h * 3600.0
    return start, start + length


def warning_id(kind: str, index: int, township: str, category: str) -> str:
    """Return a warning's stable id: one per period, township and category, however many processes judge it."""
    return f"warn:{kind}:{index}:{township}:{category}"


@dataclass(frozen=True)
class EarlyWarning:
    """A warning raised (WarningRaised) and, once a commander saw it, acknowledged (WarningAcknowledged)."""

    id: str
    kind: str  # HOUR or DAY
    start: float  # the period judged, [start, end)
    end: float
    township: str
    category: str
    count: int  # reports in the period when it was raised
    mean: float
    sd: float
    threshold: float
    raised_at: float
    acked_at: float | None = None
    acked_by: str = ""
    note: str = ""

    def in_force(self, now: float) -> bool:
        """Tell whether it is on the screens: until acknowledged and its period is over, so nobody misses one."""
        return self.raised_at <= now and (self.acked_at is None or now < self.end)
