"""The services an edge (API handler, Dash callback, Socket.IO handler) may use, built by app.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from application.assessments import Assessments
from application.commands import Commands
from application.evidence import EvidenceLimits
from application.replay import Replayer
from application.reports import Reports
from config import Settings
from domain.model import District
from store.accounts import Accounts
from store.evidence import EvidenceStore
from store.store import Store
from streams.ingest import Ingestor

if TYPE_CHECKING:  # the web edge's parts, carried here for the edges; the application never calls them
    from web.push import Pusher
    from web.security import LoginLimiter, WebAuth


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
    accounts: Accounts
    web_auth: WebAuth
    login_limiter: LoginLimiter
    kiosk_revoked: Callable[[int], None]  # disconnects the sockets a revoked kiosk token opened
    replayer: Replayer  # any past moment, from the log
    reports: Reports  # the daily and weekly after-action report and its files
    evidence: EvidenceStore  # the teams' photos: in the log's database, so every web process reads them
    assessments: Assessments  # the townships' assessment over a period, from the ledger
    bus_name: str = "memory"
    evidence_limits: EvidenceLimits = EvidenceLimits()
