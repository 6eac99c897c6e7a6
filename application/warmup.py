"""A demo district opens with its recent past: the simulator's last hours played on a clock that then runs on."""

from __future__ import annotations

from collections.abc import Callable

from application.autopilot import Autopilot
from application.commands import Commands
from streams.ingest import Ingestor
from streams.simulator import Simulator

STEP_S = 10.0  # the past is played in steps this long: receipts, orders and steps land spread as they would


class WarmClock:
    """The clock every part reads: the played moment while the past is played, then the real one."""

    def __init__(self, real: Callable[[], float]) -> None:
        self.real, self.at = real, None  # type: Callable[[], float], float | None

    def __call__(self) -> float:
        return self.real() if self.at is None else self.at


def play_recent_past(
    clock: WarmClock,
    span_s: float,
    simulator: Simulator,
    ingestor: Ingestor,
    commands: Commands,
    autopilot: Autopilot | None,
) -> None:
    """Feed, work and tick the last span_s seconds as they would have gone, then hand the clock back."""
    end = clock.real()
    t = end - span_s
    try:
        while t < end:
            clock.at = t
            ingestor.ingest(simulator.tick(t))
            if autopilot is not None:
                autopilot.tick(t)
            commands.sla_tick()
            t += STEP_S
    finally:
        clock.at = None
