"""The scripted day (scenario_day) with what its charts need around it, and every chart's series worked out by hand.

Times are seconds after S (09:00 local, as in scenario_day); the charts are read at S+1000 (09:16:40).
Before S: yesterday's four reports, one per source, each cancelled 30 s later (so today's figures are
scenario_day's exactly); station S01's readings; hall H01's tickets. After the day: S01 and H01 once more at S+1000.

hourly   today 09:00 hour: the 11 reports of scenario_day (12345); yesterday: 110 at 08h, grid and 12345 at
         09h, open311 at 23h. Today shows hours 00..09 (10 hours), yesterday 24.
gauges   S01: yesterday 08:00 3.10 (more than 24 h before the read: out), yesterday 10:00 3.20, today 08:00 3.30,
         08:51 3.40 and 08:58 3.45 (one 10-minute slot: its last reading stays), 09:16:40 3.50. More than 30 min
         between readings is a gap (None): 3.20 | 3.30 | 3.45, 3.50.
halls    H01: issued 08:30 and 08:35 (2 waiting), served 08:52 (1), issued 09:16:40 (2). Slots of 10 minutes from
         00:00 to 09:16:40 (56): unknown before 08:30, then 2, 2, 1, 1, 2 (the queue at each slot's end, now for the last).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from streams.feeds import native
from tests.integration import scenario_day as day

DAY_S = 86400
# (seconds after S, source, category, township) of yesterday's reports
YESTERDAY = [
    (-DAY_S - 3000, "110", "noise", "T01"),
    (-DAY_S + 300, "grid", "garbage", "T02"),
    (-DAY_S + 1800, "12345", "noise", "T03"),
    (-DAY_S + 14 * 3600 + 3000, "open311", "streetlight", "T04"),
]
READINGS = [(-DAY_S - 3600, 3.10), (-DAY_S + 3600, 3.20), (-3600, 3.30), (-540, 3.40), (-120, 3.45)]
LAST_READING = (day.READ_AT, 3.50)
TICKETS = [(-1800, "issued", "A001"), (-1500, "issued", "A002"), (-480, "served", "A001")]
LAST_TICKET = (day.READ_AT, "issued", "A003")
STATION, HALL = "S01", "H01"

SOURCES = ["110", "12345", "grid", "open311", "other"]
TODAY_HOURS = 10  # 00h..09h at 09:16:40
EXPECTED_TODAY = {s: [0] * TODAY_HOURS for s in SOURCES} | {"12345": [0] * 9 + [11]}
EXPECTED_YESTERDAY = {s: [0] * 24 for s in SOURCES}
for _h, _s in ((8, "110"), (9, "grid"), (9, "12345"), (23, "open311")):
    EXPECTED_YESTERDAY[_s][_h] = 1
EXPECTED_HALL_SLOTS = [None] * 51 + [2, 2, 1, 1, 2]


def expected_gauge(start: float) -> dict[str, list[Any]]:
    """Return S01's line at S+1000: times and levels, None where the station was silent for over 30 minutes."""
    t = [start - DAY_S + 3600, None, start - 3600, None, start - 120, start + day.READ_AT]
    return {"t": t, "level": [3.20, None, 3.30, None, 3.45, 3.50]}


# The categories chart: noise 9 received (A, B, D, E, F, G, H, J, K), 6 ordered (A, B, D's T10 order, G, J, K), of
# them A, J, K all on time and B, D, G late; elderly help 2 received (C, I), C ordered, its reopened order undecided.
EXPECTED_CATEGORIES = [
    {"code": "noise", "received": 9, "ordered": 6, "on_time": 3, "late": 3, "on_time_rate": 0.5},
    {"code": "elderly_help", "received": 2, "ordered": 1, "on_time": 0, "late": 0, "on_time_rate": None},
]


def _local(at: float) -> str:
    return datetime.fromtimestamp(at, timezone(timedelta(hours=8))).isoformat(timespec="seconds")


def before_the_day(
    call: Callable[[str, str, dict[str, Any]], dict[str, Any]],
    set_clock: Callable[[float], None],
    start: float,
    place: Callable[[str], tuple[float, float]],
) -> None:
    """Post, in time order, everything before S: yesterday's reports (each cancelled), S01's readings, H01's tickets."""
    rng, steps = random.Random(7), []
    for n, (at, source, category, town) in enumerate(YESTERDAY):
        lon, lat = place(town)
        steps.append(
            (
                at,
                lambda n=n, s=source, c=category, lon=lon, lat=lat, at=at: _report_and_cancel(
                    call,
                    set_clock,
                    start + at,
                    native(s, f"yday-{n}", c, lon, lat, _local(start + at), "昨日事件", "昨日路1号", rng),
                ),
            )
        )
    steps += [(at, lambda n=n, level=level: reading(call, f"r-{n}", level)) for n, (at, level) in enumerate(READINGS)]
    steps += [(at, lambda n=n, a=a, tk=tk: ticket(call, f"k-{n}", a, tk)) for n, (at, a, tk) in enumerate(TICKETS)]
    for at, post in sorted(steps, key=lambda s: s[0]):
        set_clock(start + at)
        post()


def after_the_day(call: Callable[[str, str, dict[str, Any]], dict[str, Any]]) -> None:
    """Post S01's and H01's last records at the moment the day is read."""
    reading(call, "r-last", LAST_READING[1])
    ticket(call, "k-last", LAST_TICKET[1], LAST_TICKET[2])


def _report_and_cancel(call: Callable, set_clock: Callable[[float], None], at: float, record: dict[str, Any]) -> None:
    result = call("sys", "records", record)["results"][0]
    assert result["status"] == "accepted", result
    set_clock(at + 30)
    call(
        "cmd",
        f"incidents/{result['incident_id']}/cancel",
        {"reason": "测试", "command_id": f"yc-{result['incident_id']}"},
    )


def reading(call: Callable, source_id: str, level: float) -> None:
    """Post one S01 reading, received now."""
    r = call("sys", "records", {"source": "hydrology", "source_id": source_id, "station_id": STATION, "level": level})
    assert r["results"][0]["status"] == "accepted", r


def ticket(call: Callable, source_id: str, action: str, number: str) -> None:
    """Post one H01 ticket event, received now."""
    r = call(
        "sys",
        "records",
        {"source": "hall", "source_id": source_id, "hall_id": HALL, "action": action, "ticket": number},
    )
    assert r["results"][0]["status"] == "accepted", r


def play(
    call: Callable,
    set_clock: Callable[[float], None],
    tick: Callable[[int], None],
    place: Callable[[str], tuple[float, float]],
    start: float,
) -> dict[str, str]:
    """Play the whole charts day: before it, scenario_day itself (its clock from S), and the records at the read."""
    before_the_day(call, set_clock, start, place)
    set_clock(start)
    ids = day.play(call, tick, place)
    after_the_day(call)
    return ids
