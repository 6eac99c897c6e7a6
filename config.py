"""Settings: the one place that reads the environment and the command line."""
from __future__ import annotations

import argparse
import json
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Sequence

from domain.sla import SlaPolicy

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Settings:
    """Everything that differs between installations; tests build their own."""

    data_dir: Path = ROOT / "data"
    database_url: str = ""  # empty: a SQLite file in data_dir
    redis_url: str = ""  # empty: the in-process bus
    redis_prefix: str = "onemap"
    redis_group: str = "onemap"  # the consumer group every consumer process joins
    redis_batch: int = 500  # XREADGROUP COUNT
    redis_claim_idle_ms: int = 60_000  # a pending entry idle this long is reclaimed (XAUTOCLAIM)
    redis_maxlen: int = 1_000_000  # each stream trimmed to about this many entries (MAXLEN ~)
    redis_max_deliveries: int = 5  # an entry delivered this often without an ack is poison: dead-lettered
    redis_forget_idle_ms: int = 3_600_000  # a consumer idle this long with nothing pending leaves the group
    open311_codes: str = ""  # a JSON file {service_code: category}; empty: the built-in table
    sla_policy: SlaPolicy = field(default_factory=SlaPolicy)
    boundaries: str = ""  # empty: the demo district
    tile_url: str = ""  # empty: no tiles; boundaries drawn as the base layer
    tile_crs: str = "wgs84"  # gcj02 for AMap-style tiles: markers are shifted to match
    lang: str = "zh"
    simulator: bool = True
    simulator_rate_per_min: float = 1.5  # about 2,000 a day: a busy district of 11 townships
    simulator_seed: int = 7
    autopilot: bool = True  # the simulator also works some orders, as other rooms would
    host: str = "127.0.0.1"
    async_mode: str = "threading"  # Socket.IO's concurrency; follows the server: gevent under `python serve.py`
    proxies: int = 0  # reverse proxies in front of serve.py (nginx: 1): the client's address is their X-Forwarded-For
    port: int = 8050
    api_tokens: Mapping[str, str] = field(default_factory=dict)  # token -> "role[:township]"
    utc_offset_h: float = 8.0  # the district's day starts at local midnight (China Standard Time)
    team_speed_kmh: float = 25.0
    push_interval_s: float = 0.2  # a saturated process coalesces deltas over at most this window...
    push_busy_gap_s: float = 0.1  # ...one with CPU to spare sends a stream of changes this often...
    push_min_gap_s: float = 0.03  # ...and at least this one after a delta; an idle system sends at once
    heartbeat_s: float = 0.75  # assets/live.js marks a screen stale after 2 s of silence (shown within 3 s)
    secret_key: str = ""
    session_hours: float = 12.0  # a duty shift; then sign in again
    secure_cookies: bool = False  # served over TLS (directly or behind a proxy): cookies Secure, HSTS sent
    merge_within_m: float = 300.0  # the same event from 110, 12345 and the grid: this near...
    merge_within_s: float = 1800.0  # ...and this close in time

    @property
    def db_url(self) -> str:
        """Return the SQLAlchemy URL of the store."""
        return self.database_url or f"sqlite:///{self.data_dir / 'onemap.sqlite3'}"

    def with_(self, **changes: object) -> "Settings":
        """Return a copy with some settings changed."""
        return replace(self, **changes)


def _policy(path: str) -> SlaPolicy:
    if not path:
        return SlaPolicy()
    try:
        return SlaPolicy.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"ONEMAP_SLA_POLICY={path}: {exc}") from exc


def _tokens(raw: str) -> dict[str, str]:
    """Parse "token=role[:township],..." into a map."""
    pairs = (p.split("=", 1) for p in raw.split(",") if "=" in p)
    return {t.strip(): r.strip() for t, r in pairs}


ENVIRONMENT_HELP = """other settings (environment only; docs: README.md):
  ONEMAP_DATA_DIR      the SQLite file and the session key (default: data/ beside app.py)
  DATABASE_URL         the store, e.g. postgresql+psycopg://user@host/db (default: SQLite in the data dir)
  REDIS_URL            Redis Streams bus (default: the in-process bus)
  ONEMAP_SLA_POLICY    a JSON file of stage and dispatch targets (default: 60/120/180/600 s; dispatch 60/180/600 s)
  ONEMAP_BOUNDARIES    the district's township file (default: the demo district)
  ONEMAP_TILE_URL      an XYZ tile URL (default: no tiles); ONEMAP_TILE_CRS=gcj02 for AMap-style tiles
  ONEMAP_AUTOPILOT     off: the simulator works no orders itself (default: on)
  ONEMAP_API_TOKENS    static API tokens token=role[:township],... (default: none)
  ONEMAP_PROXIES       serve.py behind this many reverse proxies (nginx: 1): trust their X-Forwarded-For (default: 0)"""


def parser(env: Mapping[str, str], prog: str = "python app.py") -> argparse.ArgumentParser:
    """Return the command line of `python app.py` (and serve.py): each flag with its default and environment name."""
    p = argparse.ArgumentParser(prog=prog, description="OneMap 一图指挥: the district's one-map command center.",
                                epilog=ENVIRONMENT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default=env.get("ONEMAP_HOST", "127.0.0.1"),
                   help="address to serve on (env ONEMAP_HOST; default %(default)s)")
    p.add_argument("--port", type=int, default=int(env.get("ONEMAP_PORT", "8050")),
                   help="port to serve on (env ONEMAP_PORT; default %(default)s)")
    p.add_argument("--no-simulator", action="store_true", default=env.get("ONEMAP_SIMULATOR", "on") == "off",
                   help="an empty district, driven through the API alone (env ONEMAP_SIMULATOR=off; default: simulator on)")
    p.add_argument("--rate", type=float, default=float(env.get("ONEMAP_SIM_RATE", "1.5")),
                   help="simulated incident reports per minute, at the daily average (env ONEMAP_SIM_RATE; "
                        "default %(default)s)")
    p.add_argument("--lang", choices=("zh", "en"), default=env.get("ONEMAP_LANG", "zh"),
                   help="UI language; ?lang= on a page overrides it (env ONEMAP_LANG; default %(default)s)")
    return p


def from_env(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from the environment, then the command line."""
    env = os.environ if env is None else env
    return settings_from(parser(env).parse_args(argv), env)


SERVE_WORKERS = ("gevent", "gthread")  # gunicorn worker classes serve.py runs; gevent is the measured choice


def serve_from_env(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> tuple[Settings, str]:
    """Read the settings and the gunicorn worker class of `python serve.py` (app.py's flags and --worker)."""
    env = os.environ if env is None else env
    p = parser(env, prog="python serve.py")
    p.add_argument("--worker", choices=SERVE_WORKERS, default=env.get("ONEMAP_WORKER", "gevent"),
                   help="gunicorn worker class (env ONEMAP_WORKER; default %(default)s; gthread: one OS thread "
                        "per socket, for comparison)")
    args = p.parse_args(argv)
    return settings_from(args, env), args.worker


def settings_from(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    """Build settings from parsed flags (parser's) and the environment."""
    data_dir = Path(env.get("ONEMAP_DATA_DIR", str(ROOT / "data")))
    return Settings(
        data_dir=data_dir,
        database_url=env.get("DATABASE_URL", ""),
        redis_url=env.get("REDIS_URL", ""),
        redis_prefix=env.get("ONEMAP_REDIS_PREFIX", "onemap"),
        redis_group=env.get("ONEMAP_REDIS_GROUP", "onemap"),
        redis_batch=int(env.get("ONEMAP_REDIS_BATCH", "500")),
        redis_claim_idle_ms=int(env.get("ONEMAP_REDIS_CLAIM_IDLE_MS", "60000")),
        redis_maxlen=int(env.get("ONEMAP_REDIS_MAXLEN", "1000000")),
        redis_max_deliveries=int(env.get("ONEMAP_REDIS_MAX_DELIVERIES", "5")),
        redis_forget_idle_ms=int(env.get("ONEMAP_REDIS_FORGET_IDLE_MS", "3600000")),
        open311_codes=env.get("ONEMAP_OPEN311_CODES", ""),
        sla_policy=_policy(env.get("ONEMAP_SLA_POLICY", "")),
        boundaries=env.get("ONEMAP_BOUNDARIES", ""),
        tile_url=env.get("ONEMAP_TILE_URL", ""),
        tile_crs=env.get("ONEMAP_TILE_CRS", "wgs84"),
        lang=args.lang,
        simulator=not args.no_simulator,
        simulator_rate_per_min=args.rate,
        autopilot=env.get("ONEMAP_AUTOPILOT", "on") != "off",
        host=args.host,
        port=args.port,
        api_tokens=_tokens(env.get("ONEMAP_API_TOKENS", "")),
        secret_key=env.get("ONEMAP_SECRET_KEY", ""),
        secure_cookies=env.get("ONEMAP_SECURE_COOKIES", "off").lower() in ("on", "1", "true", "yes"),
        proxies=int(env.get("ONEMAP_PROXIES", "0")),
    )


def secret_key(settings: Settings) -> str:
    """Return the installation's secret: ONEMAP_SECRET_KEY, else one kept in the data dir (0600, made on first use)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    path.write_text(value, encoding="utf-8")
    path.chmod(0o600)
    return value
