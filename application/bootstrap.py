"""The one bootstrap: the district, the event log, the store and the bus every process builds from Settings.

`app.py` (and so `serve.py`/`wsgi.py`), `python -m streams.consume`, `python -m streams.simulate` and `manage.py`
start here, so a store is opened with the same district, snapshot key, dispatch targets and retention everywhere:
a snapshot one process takes is one the others can start from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from application.district import build_district, load_fixtures
from application.replay import Replayer
from application.reports import Reports
from config import Settings, secret_key
from domain.model import District
from domain.state import RETENTION_S
from store.log import EventLog, make_engine
from store.store import Store
from streams import redis_bus
from streams.bus import Bus, MemoryBus
from streams.ingest import Ingestor
from streams.sources import Adapters
from streams.sources.caller import caller_key

if TYPE_CHECKING:  # geopandas loads in seconds: imported when a district is built, never for --help
    from geo.boundaries import Boundaries
    from geo.locate import Locator


def boundaries_of(settings: Settings) -> Boundaries:
    """Load the district's township boundaries (ONEMAP_BOUNDARIES; the demo district by default)."""
    from geo.boundaries import demo_boundaries, load_boundaries

    return load_boundaries(settings.boundaries) if settings.boundaries else demo_boundaries()


def district_of(settings: Settings, boundaries: Boundaries) -> District:
    """Return the district: its townships, fixtures, time zone (ONEMAP_TIMEZONE) and what groups as recurring."""
    district = build_district(boundaries.townships, boundaries.neighbours(), load_fixtures(), settings.utc_offset_h)
    return replace(district, recurring=settings.sla_policy.recurring)


class Core:
    """What every process shares, built once from settings; the store, bus and locator are made on first use."""

    def __init__(self, settings: Settings) -> None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings = settings
        self.boundaries = boundaries_of(settings)
        self.district = district_of(settings, self.boundaries)
        self.log = EventLog(make_engine(settings.db_url))
        self.secret = secret_key(settings)  # signs the snapshots (and the web's sessions)
        self.retention_s = RETENTION_S

    @cached_property
    def store(self) -> Store:
        """Return the store: started from the newest snapshot this district, its targets and retention can read."""
        return Store(
            self.log,
            self.district,
            self.settings.sla_policy.dispatch_s,
            retention_s=self.retention_s,
            snapshot_key=self.secret.encode(),
        )

    @cached_property
    def bus(self) -> Bus:
        """Return the Redis bus when REDIS_URL is set, else an in-process one."""
        return redis_bus.from_settings(self.settings) if self.settings.redis_url else MemoryBus()

    @cached_property
    def locator(self) -> Locator:
        """Return the township locator of the district's boundaries."""
        from geo.locate import Locator

        return Locator(self.boundaries)

    def ingestor(self, clock: Callable[[], float]) -> Ingestor:
        """Return the one ingest path of every record into the store."""
        # The one place the callers' key is wired: every process's ingest hashes a caller alike (same secret).
        adapters = Adapters.from_file(self.settings.open311_codes, caller_key(self.secret))
        return Ingestor(self.store, self.locator, clock, adapters)

    def replayer(self) -> Replayer:
        """Return a replayer of the log, seeded with the store's signed snapshots."""
        return Replayer(self.log, self.district, self.settings.sla_policy.dispatch_s, snapshot_key=self.secret.encode())

    def reports(self, replayer: Replayer, clock: Callable[[], float]) -> Reports:
        """Return the after-action reports, in the district's day, filed in the data dir."""
        return Reports(replayer, clock, self.district.utc_offset_h, self.settings.data_dir)


def bootstrap(settings: Settings) -> Core:
    """Build the district and open the log (the store and the bus follow on first use)."""
    return Core(settings)
