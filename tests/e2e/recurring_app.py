"""A running app whose log holds constructed recurring problems of the last weeks, appended before it starts."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from pathlib import Path

import config
from domain import events as ev
from domain.catalog import CATEGORIES
from domain.dispatch import incident_id_for
from domain.recurgrid import M_PER_DEGREE
from domain.sla import SlaPolicy
from store.log import EventLog, make_engine
from streams.sources.caller import caller_key, pseudonym

from .conftest import SLA_POLICY, quiet_env, running_app

DAY = 86400.0
TOKEN = "sys-recurring"
CALLER = "138 0013 8000"  # the repeated caller's phone: it must never appear anywhere but in what was posted
# (township, category, metres east of the township's centre, address, [(days ago, source, what happened)...]);
# what happened: "" waiting, "ordered", "resolved", "closed" (resolved and called back), "reopened".
PROBLEMS = (
    (
        "T03",
        "manhole_cover",
        0,
        "城北街道新华路88号",
        [
            (24, "12345", "closed"),
            (17, "grid", "closed"),
            (9, "12345", "closed"),
            (3, "110", "ordered"),
            (0.1, "12345", ""),
        ],
    ),
    (
        "T05",
        "noise",
        400,
        "城西街道滨河路12号酒吧",
        [(20, "110", "closed"), (12, "12345", "reopened"), (6, "110", "ordered"), (1, "12345", "")],
    ),
    (
        "T01",
        "waterlogging",
        -500,
        "云湖街道人民路下立交",
        [(15, "grid", "closed"), (14.997, "12345", "closed"), (14.994, "12345", "closed")],
    ),
    ("T07", "streetlight", 300, "滨江街道江堤路", [(5, "12345", ""), (4, "grid", ""), (2, "12345", "")]),
    ("T08", "garbage", 0, "青溪镇老街菜场", [(8, "12345", "closed"), (2, "grid", "")]),  # two: not yet recurring
)


def _spot(township: str, east_m: float, jitter_m: float, district) -> tuple[float, float]:
    t = district.townships[township]
    return t.lon + (east_m + jitter_m) / (M_PER_DEGREE * math.cos(math.radians(t.lat))), t.lat + jitter_m / M_PER_DEGREE


def _life(inc: str, at: float, category: str, township: str, team: str, how: str, now: float) -> list[ev.Event]:
    """Return what happened to a report after it came: an order, its steps, a call-back, a close or a reopening."""
    if not how:
        return []
    order, first = f"{inc}-1", dict(incident_id=inc, actor="e2e")
    out: list[ev.Event] = [
        ev.OrderIssued(
            f"o:{inc}",
            at + 300,
            order_id=order,
            team_id=team,
            township=township,
            deadlines=SlaPolicy().deadlines(category, at + 300),
            **first,
        )
    ]
    if how == "ordered":
        return out
    steps = [(cls, n) for n, cls in enumerate(ev.STEP_EVENTS.values(), 1)]
    out += [cls(f"{cls.__name__}:{inc}", at + 300 + 60 * n, order_id=order, **first) for cls, n in steps]
    done = at + 3600
    if how == "reopened":
        out += [
            ev.FeedbackRecorded(f"fb:{inc}", done, order_id=order, result="unsatisfied", **first),
            ev.IncidentReopened(f"re:{inc}", done + 10, order_id=order, reason="仍未解决", **first),
        ]
    elif how == "closed":
        out += [
            ev.FeedbackRecorded(f"fb:{inc}", done, order_id=order, result="satisfied", **first),
            ev.IncidentClosed(f"cl:{inc}", done + 10, order_id=order, **first),
        ]
    return [e for e in out if e.at < now]


def events(district, secret: str, now: float) -> list[ev.Event]:
    """Return the constructed reports and their lives, in time order: PROBLEMS, and one caller's parking thrice."""
    out: list[ev.Event] = []
    for n_problem, (town, category, east, address, reports) in enumerate(PROBLEMS):
        team = next(t.id for t in district.teams.values() if t.township == town)
        for n, (ago, source, how) in enumerate(reports):
            sid, at = f"seed-{n_problem}-{n}", now - ago * DAY
            inc = incident_id_for(source, sid)
            lon, lat = _spot(town, east, (n % 3 - 1) * 25.0, district)
            out.append(_report(inc, at, source, sid, category, town, lon, lat, address, ""))
            out += _life(inc, at, category, town, team, how, now)
    hashed = pseudonym(caller_key(secret), CALLER)
    for n, ago in enumerate((10, 6, 2)):  # the same caller on the same matter at three places a kilometre apart
        sid, at = f"seed-caller-{n}", now - ago * DAY
        lon, lat = _spot("T02", n * 1000.0 - 1000, 0.0, district)
        out.append(
            _report(
                incident_id_for("12345", sid),
                at,
                "12345",
                sid,
                "illegal_parking",
                "T02",
                lon,
                lat,
                f"城东街道{n + 1}号门前",
                hashed,
            )
        )
    return sorted(out, key=lambda e: e.at)


def _report(
    inc: str,
    at: float,
    source: str,
    sid: str,
    category: str,
    town: str,
    lon: float,
    lat: float,
    address: str,
    caller: str,
) -> ev.IncidentReported:
    return ev.IncidentReported(
        f"rep:{inc}", at, inc, source, sid, category, town, lon, lat, CATEGORIES[category].priority,
        summary=CATEGORIES[category].name_zh, address=address, reported_at=at, caller=caller,
    )  # fmt: skip


def seed(env: dict[str, str], now: float) -> None:
    """Append the constructed weeks to the app's own log (the store's API), before the app folds them at start."""
    from application.bootstrap import boundaries_of, district_of

    settings = config.from_env([], env)
    district = district_of(settings, boundaries_of(settings))
    log = EventLog(make_engine(settings.db_url))
    try:
        made = events(district, config.secret_key(settings), now)
        assert len(log.append(made)) == len(made)
    finally:
        log.engine.dispose()


@contextlib.contextmanager
def running_recurring_app(tmp: Path, rate: int = 0, simulator: bool = False) -> Iterator[str]:
    """Run the app on a log holding the constructed weeks (a system token TOKEN), users seeded; yield its URL."""
    env = quiet_env(tmp, SLA_POLICY, {TOKEN: "system"})
    if simulator:
        env = {**env, "ONEMAP_SIMULATOR": "on"}
    seed(env, time.time())
    with running_app(env, rate) as url:
        yield url
