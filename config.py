"""Settings: the one place that reads the environment and the command line."""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

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
    history_days: int = 35  # an empty demo district starts with this many days of past (application/history.py)
    autopilot: bool = True  # the simulator also works some orders, as other rooms would
    host: str = "127.0.0.1"
    async_mode: str = "threading"  # Socket.IO's concurrency; follows the server: gevent under `python serve.py`
    proxies: int = 0  # reverse proxies in front of serve.py (nginx: 1): the client's address is their X-Forwarded-For
    port: int = 8050
    api_tokens: Mapping[str, str] = field(default_factory=dict)  # token -> "role[:township]"
    utc_offset_h: float = 8.0  # the district's time zone (ONEMAP_TIMEZONE): the demo district's, China Standard Time
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
    metrics: str = (
        "open"  # /metrics: open to whoever reaches the port, "token" (an API token of a system or admin), "off"
    )
    webhook_url: str = ""  # empty: no notices; else each new order and breach is POSTed here (docs/notify.md)
    webhook_secret: str = ""  # signs each notice (HMAC-SHA256): required with a webhook URL
    public_url: str = ""  # the address people open (through nginx), for the notices' links; empty: http://host:port

    @property
    def db_url(self) -> str:
        """Return the SQLAlchemy URL of the store."""
        return self.database_url or f"sqlite:///{self.data_dir / 'onemap.sqlite3'}"

    def with_(self, **changes: Any) -> Settings:  # Any: each keyword takes its own field's type
        """Return a copy with some settings changed."""
        return replace(self, **changes)


def _policy(path: str) -> SlaPolicy:
    if not path:
        return SlaPolicy()
    try:
        return SlaPolicy.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"ONEMAP_SLA_POLICY={path}: {exc}") from exc


def _days(raw: str) -> int:
    if not raw.strip().isdigit() or int(raw) > 800:
        raise SystemExit(f"ONEMAP_HISTORY_DAYS={raw}: a number of days from 0 to 800")
    return int(raw)


def _tokens(raw: str) -> dict[str, str]:
    """Parse "token=role[:township],..." into a map."""
    pairs = (p.split("=", 1) for p in raw.split(",") if "=" in p)
    return {t.strip(): r.strip() for t, r in pairs}


_OFFSET = re.compile(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?")


def parse_offset(raw: str) -> float:
    """Parse a fixed UTC offset ("+08:00", "-05:30", "UTC+1") into hours; a zone with summer time is refused."""
    match = _OFFSET.fullmatch(raw.strip().upper())
    minutes = int(match[3] or 0) if match else 60
    hours = (int(match[2]) + minutes / 60) * (-1 if match[1] == "-" else 1) if match else 99.0
    if minutes >= 60 or not -12 <= hours <= 14:
        raise SystemExit(
            f"ONEMAP_TIMEZONE={raw}: give the district's fixed UTC offset, e.g. +08:00 or -05:30 "
            "(the district's day, its halls' hours and every screen's clock keep one offset)"
        )
    return hours


def offset_text(hours: float) -> str:
    """Return an offset in hours as "+08:00"."""
    minutes = round(abs(hours) * 60)
    return f"{'-' if hours < 0 else '+'}{minutes // 60:02d}:{minutes % 60:02d}"


def _metrics(raw: str) -> str:
    if raw not in METRICS_MODES:
        raise SystemExit(f"ONEMAP_METRICS={raw}: one of {', '.join(METRICS_MODES)}")
    return raw


METRICS_MODES = ("open", "token", "off")


def _webhook_url(raw: str) -> str:
    if raw and not raw.startswith(("http://", "https://")):
        raise SystemExit(f"ONEMAP_WEBHOOK_URL={raw}: an http:// or https:// URL")
    return raw


def _on_unless_off(raw: str) -> bool:
    return raw != "off"


def _on(raw: str) -> bool:
    return raw.lower() in ("on", "1", "true", "yes")


def _onoff(value: bool) -> str:
    return "on" if value else "off"


def _targets(policy: SlaPolicy) -> str:
    stages = "/".join(f"{s:g}" for s in policy.targets_s.values())
    return f"{stages} s; dispatch {'/'.join(f'{s:g}' for _, s in sorted(policy.dispatch_s.items()))} s"


@dataclass(frozen=True)
class Env:
    """An environment variable: the setting it gives, how its text reads, and its --help line (none: README only)."""

    name: str
    setting: str
    parse: Callable[[str], Any] = str
    help: str = ""  # "{default}" is the setting's default, shown by `show`
    show: Callable[[Any], str] = str


ENVIRONMENT: tuple[Env, ...] = (
    Env("ONEMAP_DATA_DIR", "data_dir", Path, "the SQLite file and the session key (default: data/ beside app.py)"),
    Env(
        "DATABASE_URL",
        "database_url",
        help="the store, e.g. postgresql+psycopg://user@host/db (default: SQLite in the data dir)",
    ),
    Env("REDIS_URL", "redis_url", help="Redis Streams bus (default: the in-process bus)"),
    Env("ONEMAP_REDIS_PREFIX", "redis_prefix"),
    Env("ONEMAP_REDIS_GROUP", "redis_group"),
    Env("ONEMAP_REDIS_BATCH", "redis_batch", int),
    Env("ONEMAP_REDIS_CLAIM_IDLE_MS", "redis_claim_idle_ms", int),
    Env("ONEMAP_REDIS_MAXLEN", "redis_maxlen", int),
    Env("ONEMAP_REDIS_MAX_DELIVERIES", "redis_max_deliveries", int),
    Env("ONEMAP_REDIS_FORGET_IDLE_MS", "redis_forget_idle_ms", int),
    Env("ONEMAP_OPEN311_CODES", "open311_codes"),
    Env(
        "ONEMAP_SLA_POLICY",
        "sla_policy",
        _policy,
        "a JSON file of stage and dispatch targets (default: {default})",
        _targets,
    ),
    Env("ONEMAP_BOUNDARIES", "boundaries", help="the district's township file (default: the demo district)"),
    Env(
        "ONEMAP_TIMEZONE",
        "utc_offset_h",
        parse_offset,
        "the district's UTC offset: its midnight, its halls' hours, every clock (default: {default})",
        offset_text,
    ),
    Env(
        "ONEMAP_TILE_URL",
        "tile_url",
        help="an XYZ tile URL (default: no tiles); ONEMAP_TILE_CRS=gcj02 for AMap-style tiles",
    ),
    Env("ONEMAP_TILE_CRS", "tile_crs"),
    Env(
        "ONEMAP_AUTOPILOT",
        "autopilot",
        _on_unless_off,
        "off: the simulator works no orders itself (default: {default})",
        _onoff,
    ),
    Env("ONEMAP_API_TOKENS", "api_tokens", _tokens, "static API tokens token=role[:township],... (default: none)"),
    Env("ONEMAP_SECRET_KEY", "secret_key"),
    Env("ONEMAP_SECURE_COOKIES", "secure_cookies", _on),
    Env(
        "ONEMAP_PROXIES",
        "proxies",
        int,
        "serve.py behind this many reverse proxies (nginx: 1): trust their X-Forwarded-For (default: {default})",
    ),
    Env(
        "ONEMAP_METRICS",
        "metrics",
        _metrics,
        "/metrics: open, token (Authorization: Bearer, a system or admin API token) or off (default: {default})",
    ),
    Env(
        "ONEMAP_WEBHOOK_URL",
        "webhook_url",
        _webhook_url,
        "POST a signed notice of each new order and breach here (docs/notify.md; default: off)",
    ),
    Env("ONEMAP_WEBHOOK_SECRET", "webhook_secret"),
    Env(
        "ONEMAP_HISTORY_DAYS",
        "history_days",
        _days,
        "days of past an empty demo district starts with; --no-history: none (default: {default})",
    ),
    Env("ONEMAP_PUBLIC_URL", "public_url"),
)
FLAG_SETTINGS = {"host": "host", "port": "port", "rate": "simulator_rate_per_min", "lang": "lang"}  # flag -> setting


def default(setting: str) -> Any:
    """Return a setting's default, as the Settings dataclass declares it (the one place defaults are written)."""
    return getattr(Settings(), setting)


def _environment_help() -> str:
    lines = ["other settings (environment only; docs: README.md):"]
    lines += [f"  {e.name:<20} {e.help.format(default=e.show(default(e.setting)))}" for e in ENVIRONMENT if e.help]
    return "\n".join(lines)


def _given(env: Mapping[str, str], name: str, setting: str, parse: Callable[[str], Any] = str) -> Any:
    """Return the environment's value of a setting, else its default."""
    return parse(env[name]) if name in env else default(setting)


def parser(env: Mapping[str, str], prog: str = "python app.py") -> argparse.ArgumentParser:
    """Return the command line of `python app.py` (and serve.py): each flag with its default and environment name."""
    p = argparse.ArgumentParser(
        prog=prog,
        description="OneMap 一图指挥: the district's one-map command center.",
        epilog=_environment_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--host",
        default=_given(env, "ONEMAP_HOST", "host"),
        help="address to serve on (env ONEMAP_HOST; default %(default)s)",
    )
    p.add_argument(
        "--port",
        type=int,
        default=_given(env, "ONEMAP_PORT", "port", int),
        help="port to serve on (env ONEMAP_PORT; default %(default)s)",
    )
    p.add_argument(
        "--no-simulator",
        action="store_true",
        default=not _given(env, "ONEMAP_SIMULATOR", "simulator", _on_unless_off),
        help="an empty district, driven through the API alone (env ONEMAP_SIMULATOR=off; default: "
        f"simulator {_onoff(default('simulator'))})",
    )
    p.add_argument(
        "--no-history",
        action="store_true",
        help="start an empty demo district without its months of past (env ONEMAP_HISTORY_DAYS=0)",
    )
    p.add_argument(
        "--rate",
        type=float,
        default=_given(env, "ONEMAP_SIM_RATE", "simulator_rate_per_min", float),
        help="simulated incident reports per minute, at the daily average (env ONEMAP_SIM_RATE; default %(default)s)",
    )
    p.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=_given(env, "ONEMAP_LANG", "lang"),
        help="UI language; ?lang= on a page overrides it (env ONEMAP_LANG; default %(default)s)",
    )
    return p


def from_env(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read settings from the environment, then the command line."""
    env = os.environ if env is None else env
    return settings_from(parser(env).parse_args(argv), env)


SERVE_WORKERS = ("gevent", "gthread")  # gunicorn worker classes serve.py runs; gevent (the first) is the measured one


def serve_from_env(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> tuple[Settings, str]:
    """Read the settings and the gunicorn worker class of `python serve.py` (app.py's flags and --worker)."""
    env = os.environ if env is None else env
    p = parser(env, prog="python serve.py")
    p.add_argument(
        "--worker",
        choices=SERVE_WORKERS,
        default=env.get("ONEMAP_WORKER", SERVE_WORKERS[0]),
        help="gunicorn worker class (env ONEMAP_WORKER; default %(default)s; gthread: one OS thread "
        "per socket, for comparison)",
    )
    args = p.parse_args(argv)
    return settings_from(args, env), args.worker


def settings_from(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    """Build settings from parsed flags (parser's) and the environment; what neither gives keeps its default."""
    given = {e.setting: e.parse(env[e.name]) for e in ENVIRONMENT if e.name in env}
    flags = {setting: getattr(args, flag) for flag, setting in FLAG_SETTINGS.items()}
    if given.get("webhook_url") and not given.get("webhook_secret"):  # an unsigned notice could be forged by anyone
        raise SystemExit("ONEMAP_WEBHOOK_URL is set without ONEMAP_WEBHOOK_SECRET: notices are sent signed only")
    if args.no_history:
        given["history_days"] = 0
    return Settings(**given, **flags, simulator=not args.no_simulator)


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
