"""`python -m streams.simulate`: the demo district's feed, to Redis (REDIS_URL) or the embedded bus and store."""

from __future__ import annotations

import argparse
import signal
import threading
import time
from collections import Counter
from collections.abc import Sequence

from application.bootstrap import bootstrap
from config import from_env
from streams import consumer
from streams.bus import Bus
from streams.simulator import Simulator

TICK_S = 0.2
PROGRESS_S = 2.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the flags; the environment (config.py) gives the defaults."""
    s = from_env([])
    p = argparse.ArgumentParser(prog="python -m streams.simulate", description="Feed the demo district.")
    p.add_argument(
        "--rate",
        type=float,
        default=600.0,
        help="incident reports per minute, as `python app.py --rate` (readings and tickets come on top; "
        "default %(default)s)",
    )
    p.add_argument("--duration", type=float, default=0.0, help="seconds to run (default 0: until Ctrl-C)")
    p.add_argument("--seed", type=int, default=s.simulator_seed, help="random seed (default %(default)s)")
    p.add_argument(
        "--redis-url",
        default=s.redis_url,
        help="Redis to publish to (env REDIS_URL; empty: the embedded bus into the local store)",
    )
    p.add_argument(
        "--prefix", default=s.redis_prefix, help="stream key prefix (env ONEMAP_REDIS_PREFIX; default %(default)s)"
    )
    p.add_argument(
        "--malformed",
        type=float,
        default=0.005,
        help="share of records damaged on purpose, to exercise the dead letters (default %(default)s)",
    )
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Publish until the duration ends or SIGINT/SIGTERM; print progress."""
    args = parse_args(argv)
    settings = from_env([]).with_(redis_url=args.redis_url, redis_prefix=args.prefix)
    core = bootstrap(settings)
    bus = core.bus
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    embedded = None
    if not settings.redis_url:  # nobody else reads an in-process bus: consume it here, into the local store
        embedded = threading.Thread(
            target=consumer.run, args=(bus, core.ingestor(time.time), stop, "simulate"), daemon=True
        )
        embedded.start()
    sim = Simulator(core.district, core.locator.assign, args.rate, args.seed, args.malformed)
    where = f"Redis {args.prefix}:src:*" if settings.redis_url else f"the embedded bus into {settings.db_url}"
    print(f"simulating {args.rate:g} reports/min to {where}", flush=True)
    sent = _feed(sim, bus, stop, args.duration)
    stop.set()
    if embedded is not None:
        embedded.join(timeout=5)
    print(f"stopped: published {sum(sent.values())} {dict(sent)}", flush=True)
    return 0


def _feed(sim: Simulator, bus: Bus, stop: threading.Event, duration: float) -> Counter[str]:
    sent: Counter[str] = Counter()
    start = last_print = time.monotonic()
    sim.tick(time.time())
    while not stop.wait(TICK_S) and not (duration and time.monotonic() - start >= duration):
        records = sim.tick(time.time())
        if records:
            bus.publish(records)
            sent.update(r.get("source", "?") if isinstance(r, dict) else "?" for r in records)
        if time.monotonic() - last_print >= PROGRESS_S:
            last_print = time.monotonic()
            print(f"published {sum(sent.values())} {dict(sent)}", flush=True)
    return sent


if __name__ == "__main__":
    raise SystemExit(main())
