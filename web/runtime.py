"""The background loops of a web process (started by app.py): feed, consume, SLA and warning tick, push; each
survives its own errors."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask_socketio import SocketIO

from application.autopilot import Autopilot
from application.services import Services
from streams import consumer
from streams.bus import Bus
from streams.simulator import Simulator
from web import push

log = logging.getLogger(__name__)
SLA_TICK_S = 1.0
FEED_TICK_S = 1.0
REPORT_TICK_S = 60.0  # the day's files appear within a minute of local midnight


def every(period_s: float, stop: threading.Event, work: Callable[[], None], name: str) -> None:
    """Run work every period until stop; an error is logged and the loop goes on."""
    while not stop.wait(period_s):
        try:
            work()
        except Exception:
            log.exception("%s failed; continuing", name)


def start(
    socketio: SocketIO,
    services: Services,
    bus: Bus,
    simulator: Simulator | None,
    autopilot: Autopilot | None,
    stop: threading.Event,
) -> None:
    """Start the loops as Socket.IO background tasks."""
    s, clock = services.settings, services.clock
    if simulator is not None:
        socketio.start_background_task(every, FEED_TICK_S, stop, lambda: bus.publish(simulator.tick(clock())), "feed")
    socketio.start_background_task(consumer.run, bus, services.ingestor, stop)

    def sla() -> None:
        services.store.catch_up()  # events other processes appended (scaled mode: separate consumers)
        services.commands.sla_tick()
        services.commands.warning_tick()  # early warnings: judges only the reports since its last check
        if autopilot is not None:
            autopilot.tick(clock())

    socketio.start_background_task(every, SLA_TICK_S, stop, sla, "sla")

    def after_action() -> None:
        services.replayer.extend()  # checkpoints follow the log, so a replay never folds from the start
        services.store.snapshot_due(clock())  # every 20,000 events or 10 minutes: the next start folds only the tail
        services.reports.make_due(s.lang)  # yesterday's files, once
        services.assessments.write_due(s.data_dir, services.district, s.lang)  # last month's assessment, once

    socketio.start_background_task(every, REPORT_TICK_S, stop, after_action, "reports")
    pacing = push.Pacing(s.push_min_gap_s, s.push_interval_s, s.push_busy_gap_s)
    socketio.start_background_task(push.run, socketio, services.pusher, pacing, s.heartbeat_s, stop)
