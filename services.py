"""The services an edge (API handler, Dash callback, Socket.IO handler) may use, built by app.py."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from commands import Commands
from config import Settings
from domain.model import District
from push import Pusher
from store.store import Store
from streams.ingest import Ingestor


@dataclass(frozen=True)
class Services:
    """Wired once in create_app; edges receive this and nothing else."""

    settings: Settings
    district: District
    boundaries_geojson: dict[str, Any]
    store: Store
    commands: Commands
    ingestor: Ingestor
    pusher: Pusher
    clock: Callable[[], float]
    bus_name: str = "memory"
