"""Constructed series of reports for the early warning's tests: counts per day and hour, with known baselines."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from domain import events as ev
from domain.model import District
from domain.projection import Projection
from tests.unit.helpers import fold

TZ = timezone(timedelta(hours=8))
DAY0 = datetime(2026, 11, 18, tzinfo=TZ).timestamp()  # the local day judged (d), its midnight
HOUR_S, DAY_S = 3600.0, 86400.0
_ids = itertools.count()


def at(day_back: int, hour: int, minute: float = 0.0) -> float:
    """Return a local moment of day d - day_back."""
    return DAY0 - day_back * DAY_S + hour * HOUR_S + minute * 60.0


def reports(n: int, when: float, township: str = "T03", category: str = "waterlogging") -> list[ev.Event]:
    """Return n reports of a township's category, a second apart from `when`."""
    out: list[ev.Event] = []
    for i in range(n):
        iid = f"W{next(_ids):06d}"
        out.append(ev.IncidentReported(f"r-{iid}", when + i, iid, "12345", iid, category, township, 121.1, 31.1, 1))
    return out


def series(per_day: dict[int, int], hour: int = 10, township: str = "T03", category: str = "waterlogging") -> list:
    """Return reports on the days back given (day_back -> count), all in the same local hour."""
    return [
        e for back, n in sorted(per_day.items(), reverse=True) for e in reports(n, at(back, hour), township, category)
    ]


def anchor() -> list[ev.Event]:
    """Return a report 10 days back, elsewhere: the log reaches back over every baseline judged on day d."""
    return reports(1, at(10, 0), "T11", "noise")


def state_of(district: District, *logs: list[ev.Event]) -> Projection:
    """Return a projection folded from the events of the logs, in time order."""
    state = Projection(district)
    fold(state, sorted((e for log in logs for e in log), key=lambda e: e.at))
    return state
