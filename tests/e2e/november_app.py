"""A running app whose log holds the constructed November 2026 (tests/month.py), appended before it starts."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import config
from store.log import EventLog, make_engine
from tests import month

from .conftest import SLA_POLICY, quiet_env, running_app

NOVEMBER = "period=month&day=2026-11-15"  # the page's address names the period: the app reads the real clock


def seed(env: dict[str, str]) -> None:
    """Append the constructed month to the app's own log (the store's API), before the app folds it at start."""
    log = EventLog(make_engine(config.from_env([], env).db_url))
    try:
        assert len(log.append(month.events())) == len(month.events())
    finally:
        log.engine.dispose()


@contextlib.contextmanager
def running_november_app(tmp: Path) -> Iterator[str]:
    """Run the app with no simulator on a log holding the constructed month, users seeded; yield its URL."""
    env = quiet_env(tmp, SLA_POLICY, {})
    seed(env)
    with running_app(env, 0) as url:
        yield url
