"""What the stream processes (consume, simulate) build from settings: the store and the ingest path."""
from __future__ import annotations

from typing import Any, Callable

from config import Settings, secret_key
from application.district import build_district as make_district, load_fixtures
from domain.model import District
from store.log import EventLog, make_engine
from store.store import Store
from streams import redis_bus
from streams.bus import Bus, MemoryBus
from streams.ingest import Ingestor
from streams.sources import Adapters


def boundaries_of(settings: Settings) -> Any:
    """Load the district's township boundaries (the demo district by default)."""
    from geo.boundaries import demo_boundaries, load_boundaries

    return load_boundaries(settings.boundaries) if settings.boundaries else demo_boundaries()


def build_district(settings: Settings) -> tuple[District, Any]:
    """Return the district and its township locator."""
    from geo.locate import Locator

    boundaries = boundaries_of(settings)
    district = make_district(boundaries.townships, boundaries.neighbours(), load_fixtures())
    return district, Locator(boundaries)


def build_ingest(settings: Settings, clock: Callable[[], float]) -> tuple[Store, Ingestor]:
    """Return the store and the ingestor, as create_app wires them."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    district, locator = build_district(settings)
    store = Store(EventLog(make_engine(settings.db_url)), district, settings.sla_policy.dispatch_s,
                  snapshot_key=secret_key(settings).encode())
    return store, Ingestor(store, locator, clock, Adapters.from_file(settings.open311_codes))


def build_bus(settings: Settings) -> Bus:
    """Return the Redis bus when REDIS_URL is set, else an in-process one."""
    return redis_bus.from_settings(settings) if settings.redis_url else MemoryBus()
