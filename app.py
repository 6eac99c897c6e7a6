"""The composition root: create_app(settings) wires every adapter; `python app.py` runs the product."""

from __future__ import annotations

if __name__ == "__main__":  # answer --help and bad flags at once, before Dash and geopandas load (seconds)
    from config import from_env as _check_flags

    _check_flags()

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from dash import Dash
from flask import Flask, Response, jsonify, session
from flask_socketio import SocketIO

import callbacks
import layouts
from application.assessments import Assessments
from application.autopilot import Autopilot
from application.bootstrap import bootstrap
from application.commands import Commands
from application.history import write_past
from application.notify import WebhookNotifier, from_settings
from application.services import Services
from application.warmup import WarmClock, play_recent_past
from config import ROOT, Settings, from_env
from domain.model import Role
from layouts import document
from store.accounts import Accounts
from store.evidence import EvidenceStore
from store.log import shown
from streams.bus import Bus
from streams.simulator import Simulator, warmup_span
from web import hardening, heap, push, runtime, security, timeparams
from web.admin import admin_pages
from web.api import api
from web.pages import pages
from web.security import LoginLimiter, WebAuth
from web.team import team

log = logging.getLogger("onemap")
WARMUP_REPORTS = 90  # a new user's first look at the demo is a working district, not a blank map
KIOSK_CHECK_S = 10.0  # a token revoked from another process darkens its walls within this


@dataclass
class OneMap:
    """A built application: its Dash app, Socket.IO server, services and background parts."""

    dash: Dash
    socketio: SocketIO
    services: Services
    bus: Bus
    simulator: Simulator | None
    autopilot: Autopilot | None
    kiosks: push.KioskSockets
    warmup: Callable[[], None] | None = None  # plays an empty demo district's recent past, once, at start
    notifier: WebhookNotifier | None = None  # ONEMAP_WEBHOOK_URL: new orders and breaches, to a work-messaging app
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def server(self) -> Flask:
        """Return the Flask server (for test clients)."""
        return self.dash.server

    def start(self) -> None:
        """Play the demo's recent past if it has one, then start the loops: feed, consumer, SLA ticker, push."""
        if self.warmup is not None:
            self.warmup()
            self.warmup = None
        if self.notifier is not None:  # after the warm-up: the demo's played past is no news; ends with self.stop
            self.notifier.start(self.stop)
        runtime.start(self.socketio, self.services, self.bus, self.simulator, self.autopilot, self.stop)
        self.socketio.start_background_task(
            runtime.every,
            KIOSK_CHECK_S,
            self.stop,
            lambda: self.kiosks.prune(self.services.accounts.token_live),
            "kiosks",
        )


def _in_turn(*steps: Callable[[], Any]) -> None:
    """Run steps one after the other."""
    for step in steps:
        step()


def _first_start(accounts: Accounts, settings: Settings) -> None:
    """On the first start: an admin with a one-time password and a wall kiosk URL, printed once, never stored."""
    if accounts.has_admin():
        return
    password = secrets.token_urlsafe(12)
    accounts.create_user("admin", password, Role.ADMIN)
    kiosk = accounts.create_token("wall-1", "kiosk", Role.WALL)
    print(
        f"OneMap first start: admin password {password}  (shown once; sign in at /login)\n"
        f"OneMap wall screen: http://{settings.host}:{settings.port}/wall?kiosk={kiosk}",
        flush=True,
    )


def create_app(settings: Settings, clock: Callable[[], float] = time.time) -> OneMap:
    """Build the whole product from settings (application.bootstrap, then the web's adapters); nothing connects
    before this is called."""
    core = bootstrap(settings)
    district, store, secret = core.district, core.store, core.secret
    # An empty demo district opens with its recent past (about WARMUP_REPORTS reports), played on this clock.
    warm = WarmClock(clock) if settings.simulator and store.read(lambda s: not s.incidents) else None
    clock = warm or clock
    accounts = Accounts(core.log.engine, clock)
    _first_start(accounts, settings)
    commands = Commands(store, settings.sla_policy, clock, settings.team_speed_kmh)
    ingestor = core.ingestor(clock)
    server = Flask(__name__)
    server.secret_key = secret
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
    )
    web_auth = WebAuth(accounts, settings.session_hours * 3600, clock)
    # No message queue between web processes: each follows the shared log and pushes to its own screens
    # (push.flush), so a queue would only deliver every delta once per process.
    socketio = SocketIO(server, async_mode=settings.async_mode)
    pusher = push.Pusher(store, clock, district.utc_offset_h)
    bus = core.bus

    def grant(requested: str) -> tuple[str, int | None] | None:
        scope = security.scope_for(web_auth.current(), requested, set(district.townships))
        return (scope, session.get("kiosk")) if scope else None

    kiosks = push.bind(socketio, pusher, grant)
    replayer = core.replayer()
    reports = core.reports(replayer, clock)
    services = Services(
        settings,
        district,
        core.boundaries.geojson(),
        store,
        commands,
        ingestor,
        pusher,
        clock,
        accounts,
        web_auth,
        LoginLimiter(),
        kiosks.revoked,
        replayer,
        reports,
        EvidenceStore(core.log.engine, clock),
        Assessments(store, settings.sla_policy.assessment, clock, district.utc_offset_h),
        bus.name,
    )
    csp: list[str] = []  # filled once Dash's inline scripts are known, before the first request
    hardening.install(server, lambda: csp[0], settings.secure_cookies)
    security.install(server, web_auth, accounts)
    timeparams.install(server, lambda: district.utc_offset_h, settings.lang)
    notifier = from_settings(settings, store, clock)
    _routes(server, services, bus, notifier)
    dash_app = _dash(server, services)
    csp.append(hardening.content_security_policy(list(dash_app.csp_hashes()), settings.tile_url))
    simulator = (
        Simulator(district, core.locator.assign, settings.simulator_rate_per_min, settings.simulator_seed)
        if settings.simulator
        else None
    )
    autopilot = Autopilot(commands, settings.sla_policy) if settings.simulator and settings.autopilot else None
    warmup = None
    if warm is not None and simulator is not None:
        span = warmup_span(
            warm.real(), max(settings.simulator_rate_per_min, 1e-3), WARMUP_REPORTS, district.utc_offset_h
        )
        warmup = partial(play_recent_past, warm, span, simulator, ingestor, commands, autopilot)
        if settings.history_days:  # before the recent past: months of it, written straight to the log
            rate = settings.simulator_rate_per_min * 1440
            past = partial(write_past, store, district, core.locator.assign, settings.sla_policy, rate)
            warmup = partial(_in_turn, lambda: past(settings.history_days, warm.real() - span), warmup)
    return OneMap(dash_app, socketio, services, bus, simulator, autopilot, kiosks, warmup, notifier)


def _dash(server: Flask, services: Services) -> Dash:
    """Create the Dash app on the server with the layouts and callbacks."""
    # Dash's annotations omit what its documentation allows: a Flask server, update_title=None (no "Updating...").
    app = document.OneMapDash(
        __name__,
        server=server,  # type: ignore[arg-type]
        assets_folder=str(ROOT / "assets"),
        assets_ignore=document.ON_DEMAND,
        serve_locally=True,
        suppress_callback_exceptions=True,
        title="OneMap 一图指挥",
        update_title=None,  # type: ignore[arg-type]
    )
    app.layout = layouts.root(services)
    callbacks.register(app, services)
    return app


def _routes(server: Flask, services: Services, bus: Bus, notifier: WebhookNotifier | None) -> None:
    """Mount the API, the health check and the metrics."""
    server.extensions["onemap"] = services
    server.register_blueprint(api)
    server.register_blueprint(pages)
    server.register_blueprint(admin_pages)
    server.register_blueprint(team)

    @server.get("/healthz")
    def healthz() -> Any:
        seq, last_at = services.store.read(lambda state: (state.seq, state.last_event_at))
        age = round(services.clock() - last_at, 1) if last_at else None
        return jsonify(
            {
                "status": "ok",
                "store": services.store.log.engine.dialect.name,
                "bus": services.bus_name,
                "seq": seq,
                "last_event_age_s": age,
            }
        )

    @server.get("/metrics")
    def metrics() -> Response:
        refused = security.metrics_refusal(services.settings.metrics, services.accounts, services.settings.api_tokens)
        if refused:  # ONEMAP_METRICS: open (the default), token or off
            return Response(status=refused, headers={"WWW-Authenticate": "Bearer"} if refused == 401 else {})
        # Read under the store's lock: open_incidents() iterates the projection, which a fold may change meanwhile.
        seq, open_, last_at = services.store.read(lambda s: (s.seq, len(s.open_incidents()), s.last_event_at))
        now = services.clock()
        lines = [
            "# TYPE onemap_event_seq counter",
            f"onemap_event_seq {seq}",
            "# TYPE onemap_open_incidents gauge",
            f"onemap_open_incidents {open_}",
            "# TYPE onemap_last_event_age_seconds gauge",
            f"onemap_last_event_age_seconds {now - last_at if last_at else 0:.1f}",
            "# TYPE onemap_bus_backlog gauge",
            f"onemap_bus_backlog {getattr(bus, 'backlog', lambda: 0)()}",
        ]
        if notifier is not None:  # the webhook's notices (docs/notify.md)
            for name in ("sent", "failed", "dropped"):
                lines += [
                    f"# TYPE onemap_webhook_{name}_total counter",
                    f"onemap_webhook_{name}_total {getattr(notifier, name)}",
                ]
            lines += ["# TYPE onemap_webhook_queued gauge", f"onemap_webhook_queued {notifier.queued}"]
        return Response("\n".join(lines) + "\n", mimetype="text/plain; version=0.0.4")


def main() -> None:
    """Run the product: `python app.py [--host H] [--port P] [--no-simulator] [--rate R] [--lang en]`."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = from_env()
    onemap = create_app(settings)
    onemap.start()
    heap.settle()  # after start-up: the collector's full collections walk only what came later (web/heap.py)
    log.info("OneMap on http://%s:%s/wall (store %s)", settings.host, settings.port, shown(settings.db_url))
    onemap.socketio.run(
        onemap.server,
        host=settings.host,
        port=settings.port,
        allow_unsafe_werkzeug=True,
        use_reloader=False,
        log_output=False,
    )


if __name__ == "__main__":
    main()
