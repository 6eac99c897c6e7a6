"""The demo district's past: months of incidents worked as its townships work, as events, seeded and in time order.

A newcomer's first start shows the long views (the assessment, its trends, recurring problems, early warning)
working on a past with the rhythms a district has: seasons, weekdays and hours; townships that differ and one that
improves; a few places reported again and again; one storm that floods an underpass. The same seed gives the same
past, event for event.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from domain import events as ev
from domain.catalog import CATEGORIES
from domain.model import OUTCOMES, District
from domain.sla import SlaPolicy
from store.store import Store
from streams.simulator import CATEGORY_WEIGHT, HOURLY, ROADS

log = logging.getLogger(__name__)
WRITE_BATCH = 5000  # events appended at once: one transaction each
POINTS = 40_000  # places sampled in the district, each report spread around one

DAY_S = 86400.0
SEASON = (0.85, 0.8, 0.9, 1.0, 1.05, 1.15, 1.25, 1.2, 1.1, 1.0, 0.95, 0.9)  # January .. December
WEEKDAY = (1.05, 1.0, 1.0, 1.0, 1.05, 0.9, 0.85)  # Monday .. Sunday
SUMMER = frozenset({"waterlogging", "flood_risk", "fallen_tree"})  # three times as many from June to September
SOURCES = (("12345", 0.5), ("grid", 0.3), ("110", 0.2))
Assign = Callable[[Sequence[float], Sequence[float]], list[str | None]]  # a point's township (geo/locate.py)
# How resolved incidents end, by source (三源): most settled on the spot; the police line's more often with law
# enforcement, the hotline's more often with petitions or another department. Shares of model.OUTCOMES, in order.
ENDINGS = {
    "110": (0.80, 0.12, 0.04, 0.01, 0.03),
    "12345": (0.86, 0.02, 0.04, 0.03, 0.05),
    "grid": (0.92, 0.02, 0.03, 0.01, 0.02),
}
OTHER_ENDING = (0.9, 0.0, 0.0, 0.0, 0.1)
STORM_DAYS_AGO, STORM_HOURS, STORM_REPORTS = 12, (14, 17), 24  # one afternoon's waterlogging in one township


@dataclass(frozen=True)
class Habit:
    """How a township's room and teams work: the share of each stage done late, of call-backs unsatisfied, of
    orders handed on; `better` of its lateness goes away over the past (a township that improves)."""

    late: float
    unsatisfied: float
    handed_on: float
    better: float = 0.0


@dataclass(frozen=True)
class Spot:
    """A place reported again and again (a loose manhole cover, a square's loudspeakers)."""

    category: str
    township: str
    lon: float
    lat: float
    every_days: float


def habits(district: District, rng: random.Random) -> dict[str, Habit]:
    """Give each township its habits: from the best (1% late) to the worst (9%), the second worst improving."""
    towns = sorted(district.townships)
    order = rng.sample(towns, len(towns))
    out = {
        t: Habit(0.01 + 0.08 * i / max(1, len(towns) - 1), 0.01 + 0.03 * rng.random(), 0.01)
        for i, t in enumerate(order)
    }
    improving = order[-2]
    out[improving] = Habit(out[improving].late, out[improving].unsatisfied, 0.01, better=0.8)
    return out


def spots(points: dict[str, list[tuple[float, float]]], rng: random.Random) -> list[Spot]:
    """Place the recurring problems: a few, each in a township of its own."""
    wanted = (("manhole_cover", 2.0), ("noise", 1.5), ("garbage", 2.5), ("waterlogging", 3.0), ("streetlight", 3.5))
    towns = rng.sample(sorted(points), len(wanted))
    return [Spot(cat, t, *rng.choice(points[t]), every) for (cat, every), t in zip(wanted, towns)]


class History:
    """Generates the past day by day; `days()` yields each day's events (with the tails of earlier days' lives)."""

    def __init__(
        self,
        district: District,
        points: dict[str, list[tuple[float, float]]],
        policy: SlaPolicy,
        rate_per_day: float,
        seed: int = 11,
    ) -> None:
        self.district, self.points, self.policy, self.rate = district, points, policy, rate_per_day
        self.rng = random.Random(seed)
        self.zone = timezone(timedelta(hours=district.utc_offset_h))
        self.habits = habits(district, self.rng)
        self.spots = spots(points, self.rng)
        self.teams = {t: sorted(x.id for x in district.teams.values() if x.township == t) for t in district.townships}
        self.storm = sorted(points)[len(points) // 2]
        self.towns = sorted(points)
        self.n = 0

    def days(self, first: date, until: float) -> Iterator[list[ev.Event]]:
        """Yield, for each local day from first, the events that happened in it before until, in time order (what
        would happen after until is left out: the live feed goes on from there)."""
        pending: list[tuple[float, int, ev.Event]] = []
        end = datetime.fromtimestamp(until, self.zone).date()
        total = (end - first).days + 1
        for i in range(total):
            day = first + timedelta(days=i)
            start = datetime(day.year, day.month, day.day, tzinfo=self.zone).timestamp()
            for e in self._day(day, start, i / max(1, total - 1), (end - day).days):
                heapq.heappush(pending, (e.at, self.n, e))
                self.n += 1
            out = []
            while pending and pending[0][0] < min(start + DAY_S, until):
                out.append(heapq.heappop(pending)[2])
            yield out

    def _day(self, day: date, start: float, progress: float, days_ago: int) -> list[ev.Event]:
        """Return the lives of the incidents received on a day."""
        expected = self.rate * SEASON[day.month - 1] * WEEKDAY[day.weekday()]
        out: list[ev.Event] = []
        for _ in range(_poisson(self.rng, expected)):
            cat = self.rng.choices(_CODES, cum_weights=_SUMMER_CUM if 6 <= day.month <= 9 else _CUM)[0]
            town = self.rng.choice(self.towns)
            lon, lat = self.rng.choice(self.points[town])
            # Spread around the sampled point (about 150 m): two unrelated reports rarely fall at one place, so the
            # recurring problems a leader sees are the spots' and what chance makes at a district's density.
            lon, lat = lon + self.rng.gauss(0, 0.0015), lat + self.rng.gauss(0, 0.0013)
            out += self._life(cat, town, lon, lat, start + _hour(self.rng) + self.rng.random() * 3600, progress)
        for s in self.spots:
            if self.rng.random() < 1 / s.every_days:
                jitter = self.rng.gauss(0, 0.0002), self.rng.gauss(0, 0.0002)
                at = start + _hour(self.rng) + self.rng.random() * 3600
                out += self._life(s.category, s.township, s.lon + jitter[0], s.lat + jitter[1], at, progress)
        if days_ago == STORM_DAYS_AGO:
            for _ in range(STORM_REPORTS):
                lon, lat = self.rng.choice(self.points[self.storm])
                at = start + self.rng.uniform(*STORM_HOURS) * 3600
                out += self._life("waterlogging", self.storm, lon, lat, at, progress)
        return out

    def _life(self, cat: str, town: str, lon: float, lat: float, at: float, progress: float) -> list[ev.Event]:
        """Return one incident's life: reported, ordered, worked (late as its township's habit is), called back."""
        self.n += 1
        iid, source = f"H{self.n:07d}", self.rng.choices(_SOURCE_CODES, cum_weights=_SOURCE_CUM)[0]
        address = f"{self.rng.choice(ROADS)}{self.rng.randint(1, 399)}号"
        out: list[ev.Event] = [
            ev.IncidentReported(
                f"rep:{iid}", at, iid, source, f"hist-{iid}", cat, town, round(lon, 6), round(lat, 6),
                CATEGORIES[cat].priority, f"{address}附近：{CATEGORIES[cat].name_zh}", address, at,
            )
        ]  # fmt: skip
        t, n = at + self.rng.uniform(20, 150), 1
        while True:
            habit = self.habits[town]
            late = habit.late * (1 - habit.better * progress)
            worked, t, handed = self._order(iid, cat, town, n, t, late, habit.handed_on, source)
            out += worked
            if handed is not None:  # the room handed it to a neighbour, who works it from there
                town, n = handed, n + 1
                continue
            t += self.rng.uniform(1800, 7200)
            result = "unsatisfied" if self.rng.random() < habit.unsatisfied and n < 3 else "satisfied"
            result = "unreached" if result == "satisfied" and self.rng.random() < 0.1 else result
            out.append(ev.FeedbackRecorded(f"fb:{iid}-{n}", t, iid, f"{iid}-{n}", "history", result=result))
            if result != "unsatisfied":
                out.append(ev.IncidentClosed(f"close:{iid}", t + 30, iid, f"{iid}-{n}", "history"))
                return out
            t += self.rng.uniform(300, 1200)
            out.append(ev.IncidentReopened(f"reopen:{iid}-{n}", t, iid, f"{iid}-{n}", "history", reason="不满意"))
            t, n = t + self.rng.uniform(30, 120), n + 1

    def _order(
        self, iid: str, cat: str, town: str, n: int, issued: float, late: float, handed_on: float, source: str
    ) -> tuple[list[ev.Event], float, str | None]:
        """Return an order's events, when its last step was done, and the township it was handed to (or None)."""
        oid, team = f"{iid}-{n}", self.rng.choice(self.teams[town])
        deadlines = self.policy.deadlines(cat, issued)
        out: list[ev.Event] = [ev.OrderIssued(f"ord:{oid}", issued, iid, oid, "history", team, town, deadlines)]
        t = issued
        for step, cls in (("sign", ev.OrderSigned), ("respond", ev.OrderResponded), ("route", ev.OrderRouted)):
            t = self._step(out, cls, iid, oid, step, t, deadlines[step], late)
            if step == "sign" and self.rng.random() < handed_on:
                neighbours = sorted(self.district.neighbours.get(town, ())) or [town]
                to = self.rng.choice(neighbours)
                t += self.rng.uniform(20, 60)
                out.append(
                    ev.OrderTransferred(f"hand:{oid}", t, iid, oid, "history", to_township=to, reason="属地调整")
                )
                return out, t + 1, to
        t = self._step(out, ev.TeamOnSite, iid, oid, "on_site", t, deadlines["on_site"], late)
        t += self.rng.uniform(600, 5400)
        ended = ended_as(source, self.rng.random())
        out.append(ev.OrderResolved(f"resolve:{oid}", t, iid, oid, "history", note="已处置", outcome=ended))
        return out, t, None

    def _step(
        self, out: list[ev.Event], cls: type[ev.StepDone], iid: str, oid: str, step: str, t: float, due: float,
        late: float,
    ) -> float:  # fmt: skip
        """Append a step done on time or, as often as the habit says, late (with the ticker's breach before it)."""
        if self.rng.random() < late:
            done = due + self.rng.uniform(15, 400)
            out.append(ev.SlaBreached(f"breach:{oid}:{step}", due + 1, iid, oid, "sla", step=step, deadline=due))
        else:
            done = max(t, self.rng.uniform(t, due))
        out.append(cls(f"{step}:{oid}", done, iid, oid, "history", late=done > due))
        return done


def ended_as(source: str, roll: float) -> str:
    """Return how a resolved incident of a source ends, for a roll in [0, 1) (ENDINGS)."""
    for outcome, edge in zip(OUTCOMES, itertools.accumulate(ENDINGS.get(source, OTHER_ENDING))):
        if roll < edge:
            return outcome
    return OUTCOMES[0]


def _hour(rng: random.Random) -> float:
    """Return the start of an hour of the day, drawn with the district's daily rhythm, in seconds."""
    return rng.choices(_HOURS, cum_weights=_HOURLY_CUM)[0] * 3600.0


# Cumulative weights, made once: random.choices would add the weights up again at every draw.
_HOURS, _HOURLY_CUM = range(24), list(itertools.accumulate(HOURLY))
_CODES = list(CATEGORY_WEIGHT)
_CUM = list(itertools.accumulate(CATEGORY_WEIGHT.values()))
_SUMMER_CUM = list(itertools.accumulate(w * (3 if c in SUMMER else 1) for c, w in CATEGORY_WEIGHT.items()))
_SOURCE_CODES, _SOURCE_CUM = [s for s, _ in SOURCES], list(itertools.accumulate(w for _, w in SOURCES))


def _poisson(rng: random.Random, lam: float) -> int:
    """Draw a Poisson count (normal approximation past 30: a day has thousands)."""
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    k, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def township_points(
    district: District, assign: Assign, rng: random.Random, n: int = 4000
) -> dict[str, list[tuple[float, float]]]:
    """Sample points inside each township (a locator's `assign` says whose a point is)."""
    lons = [t.lon for t in district.townships.values()]
    lats = [t.lat for t in district.townships.values()]
    xs = [rng.uniform(min(lons) - 0.06, max(lons) + 0.06) for _ in range(n)]
    ys = [rng.uniform(min(lats) - 0.06, max(lats) + 0.06) for _ in range(n)]
    out: dict[str, list[tuple[float, float]]] = {t: [] for t in district.townships}
    for x, y, t in zip(xs, ys, assign(xs, ys)):
        if t is not None:
            out[t].append((x, y))
    return {t: p for t, p in out.items() if p}


def write_past(
    store: Store, district: District, assign: Assign, policy: SlaPolicy, rate_per_day: float, days: int, until: float
) -> int:
    """Append an empty demo district's past to its log, day by day, from `days` days before until; return how many
    events were written (the log's and projection's usual path: a replay or a report sees it like any other)."""
    rng = random.Random(5)
    history = History(district, township_points(district, assign, rng, POINTS), policy, rate_per_day)
    first = datetime.fromtimestamp(until, history.zone).date() - timedelta(days=days)
    # Said on the console like the first start's other lines: it takes a while (about a second a day), once.
    print(f"OneMap first start: writing the demo district's past, {days} days from {first} (--no-history skips it)")
    written, t0 = 0, time.monotonic()
    for i, batch in enumerate(history.days(first, until)):
        for start in range(0, len(batch), WRITE_BATCH):
            store.append(batch[start : start + WRITE_BATCH])
        written += len(batch)
        log.info("the demo district's past: %s, %d events", first + timedelta(days=i), written)
    print(f"OneMap first start: the past written, {written:,} events in {time.monotonic() - t0:.0f} s", flush=True)
    return written
