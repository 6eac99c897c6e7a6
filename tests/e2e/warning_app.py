"""A running app whose log holds ten days of reports before today, appended before it starts: the early warning's
baseline (domain/warning.py), so a burst of reports posted through the API today raises a warning."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import config
from domain import events as ev
from store.log import EventLog, make_engine

from .conftest import SLA_POLICY, T03_SPOT, quiet_env, running_app

TOKENS = {"sys-warn": "system", "cmd-warn": "commander", "t03-warn": "township:T03"}
UTC_OFFSET_S = 8 * 3600  # the demo district's time zone
# (township, category, reports a day, local hour): the usual days. T03's waterlogging is rare, T05's garbage steady.
USUAL = (("T03", "waterlogging", 1, 10), ("T05", "garbage", 3, 9), ("T01", "noise", 2, 20))
_ids = itertools.count()


def local_midnight(now: float) -> float:
    """Return the Unix time of the district's midnight that began today."""
    return (now + UTC_OFFSET_S) // 86400 * 86400 - UTC_OFFSET_S


def history(now: float) -> list[ev.Event]:
    """Return the usual reports of the ten days before today, each cancelled a minute later (none is left open)."""
    out: list[ev.Event] = []
    today = local_midnight(now)
    for back in range(10, 0, -1):
        for township, category, per_day, hour in USUAL:
            for n in range(per_day):
                at = today - back * 86400 + hour * 3600 + n * 600
                iid = f"H{next(_ids):05d}"
                out += [
                    ev.IncidentReported(f"h-{iid}", at, iid, "12345", iid, category, township, 121.15, 31.11, 3),
                    ev.IncidentCancelled(f"hc-{iid}", at + 60, iid, "", "seed", reason="history"),
                ]
    return out


def seed(env: dict[str, str], now: float) -> None:
    """Append the history to the app's own log (the store's API), before the app folds it at start."""
    log = EventLog(make_engine(config.from_env([], env).db_url))
    try:
        log.append(history(now))
    finally:
        log.engine.dispose()


def waterlogging(tag: str, n: int) -> list[dict[str, Any]]:
    """Return n waterlogging records in T03 (a township that sees one a day), for POST /api/v1/records."""
    return [
        {
            "source": "12345",
            "source_id": f"{tag}-{i}",
            "category": "waterlogging",
            "summary": "道路积水",
            "address": f"新华路{i + 1}号",
            "lon": T03_SPOT["lon"] + i * 0.0005,
            "lat": T03_SPOT["lat"],
        }
        for i in range(n)
    ]


@contextlib.contextmanager
def running_warning_app(tmp: Path, now: float, rate: int = 0) -> Iterator[str]:
    """Run the app on a log holding the history, with API tokens and users; yield its URL."""
    env = quiet_env(tmp, SLA_POLICY, TOKENS)
    if rate:
        env["ONEMAP_SIMULATOR"] = "on"
    seed(env, now)
    with running_app(env, rate) as url:
        yield url
