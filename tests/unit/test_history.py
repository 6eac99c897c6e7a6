"""The demo district's past: the same seed gives the same past, with a district's rhythms, its spots and its storm."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from application.history import STORM_DAYS_AGO, STORM_REPORTS, History
from domain import events as ev
from domain.assessment import Books, assess
from domain.periods import period
from domain.projection import Projection
from domain.scoring import AssessmentPolicy
from domain.sla import SlaPolicy
from geo.distance import haversine_m
from tests.unit.helpers import fold

FIRST, DAYS = date(2026, 10, 1), 40


def points(district) -> dict[str, list[tuple[float, float]]]:
    """A point near each township's centre (the locator's sampling is not this test's matter)."""
    rng = random.Random(1)
    return {
        t.id: [(t.lon + rng.uniform(-0.004, 0.004), t.lat + rng.uniform(-0.004, 0.004)) for _ in range(50)]
        for t in district.townships.values()
    }


@pytest.fixture(scope="module")
def past(district) -> tuple[History, list[list[ev.Event]]]:
    history = History(district, points(district), SlaPolicy(), 300)
    until = datetime(2026, 11, 10, tzinfo=history.zone).timestamp()
    return history, list(history.days(FIRST, until))


def test_the_same_seed_gives_the_same_past_event_for_event(district, past):
    again = History(district, points(district), SlaPolicy(), 300)
    until = datetime(2026, 11, 10, tzinfo=again.zone).timestamp()
    assert [e for day in again.days(FIRST, until) for e in day] == [e for day in past[1] for e in day]


def test_the_past_comes_day_by_day_in_time_order_and_ends_before_the_live_feed(past):
    history, days = past
    times = [e.at for day in days for e in day]
    assert times == sorted(times) and len(days) == DAYS + 1
    assert max(times) < datetime(2026, 11, 10, tzinfo=history.zone).timestamp()


def test_weekends_are_quieter_than_weekdays(past):
    history, days = past
    reports = Counter(
        datetime.fromtimestamp(e.at, history.zone).weekday() >= 5
        for day in days
        for e in day
        if isinstance(e, ev.IncidentReported)
    )
    assert reports[True] / 2 < reports[False] / 5  # per day


def test_one_township_floods_one_afternoon(past):
    history, days = past
    storm_day = date(2026, 11, 10) - timedelta(days=STORM_DAYS_AGO)
    flooded = Counter(
        e.township
        for day in days
        for e in day
        if isinstance(e, ev.IncidentReported)
        and e.category == "waterlogging"
        and datetime.fromtimestamp(e.at, history.zone).date() == storm_day
    )
    assert (
        flooded.most_common(1)[0] == (history.storm, flooded[history.storm]) and flooded[history.storm] >= STORM_REPORTS
    )


def test_the_spots_are_reported_again_and_again_at_the_same_place(past):
    history, days = past
    for spot in history.spots:
        near = [
            e
            for day in days
            for e in day
            if isinstance(e, ev.IncidentReported)
            and e.category == spot.category
            and haversine_m(e.lon, e.lat, spot.lon, spot.lat) < 100
        ]
        assert len(near) >= DAYS / spot.every_days / 2


def test_the_townships_differ_in_how_they_score(district, past):
    state = Projection(district)
    fold(state, [e for day in past[1] for e in day])
    scores = [
        r["score"] for r in assess(Books.of(state), period("month", date(2026, 10, 1)), AssessmentPolicy())["townships"]
    ]
    assert all(s is not None for s in scores) and max(scores) - min(scores) > 3
