"""`python -m streams.consume`: a consumer process of the Redis consumer group; Ctrl-C stops it cleanly."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Sequence

from application.bootstrap import bootstrap
from config import from_env
from store.log import shown
from streams import consumer
from streams.consumer import default_name
from streams.redis_bus import RedisBus, RedisConfig

PROGRESS_S = 2.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the flags; the environment (config.py) gives the defaults."""
    s = from_env([])
    p = argparse.ArgumentParser(prog="python -m streams.consume", description="Consume the source streams.")
    p.add_argument("--redis-url", default=s.redis_url, help="default: REDIS_URL")
    p.add_argument("--db", default=s.db_url, help="SQLAlchemy URL of the store (default: DATABASE_URL or data/)")
    p.add_argument("--prefix", default=s.redis_prefix)
    p.add_argument("--group", default=s.redis_group)
    p.add_argument("--name", default=default_name(), help="consumer name (default: host-pid)")
    p.add_argument("--batch", type=int, default=s.redis_batch)
    p.add_argument("--block-ms", type=int, default=consumer.BLOCK_MS)
    p.add_argument("--claim-idle-ms", type=int, default=s.redis_claim_idle_ms)
    p.add_argument("--claim-every-s", type=float, default=RedisConfig.claim_every_s)
    p.add_argument("--maxlen", type=int, default=s.redis_maxlen)
    p.add_argument(
        "--max-deliveries",
        type=int,
        default=s.redis_max_deliveries,
        help="an entry delivered this often without an ack is dead-lettered (default %(default)s)",
    )
    p.add_argument(
        "--forget-idle-ms",
        type=int,
        default=s.redis_forget_idle_ms,
        help="consumers idle this long with nothing pending leave the group (default %(default)s)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run until SIGINT or SIGTERM; the batch in hand is finished and acked first."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    if not args.redis_url:
        raise SystemExit("streams.consume needs REDIS_URL (or --redis-url): the in-process bus has no other process")
    settings = from_env([]).with_(database_url=args.db)
    ingestor = bootstrap(settings).ingestor(time.time)
    bus = RedisBus(
        RedisConfig(
            args.redis_url,
            args.prefix,
            args.group,
            args.maxlen,
            args.claim_idle_ms,
            args.claim_every_s,
            max_deliveries=args.max_deliveries,
            forget_idle_ms=args.forget_idle_ms,
        )
    )
    stop, tally, started = threading.Event(), Counter[str](), time.monotonic()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    progress = _Progress(tally, args.quiet)
    print(f"consuming {args.prefix}:src:* as {args.group}/{args.name} into {shown(settings.db_url)}", flush=True)
    consumer.run(bus, ingestor, stop, args.name, args.batch, args.block_ms, tally, progress)
    bus.close()
    total = sum(tally.values())
    print(f"stopped: {total} records in {time.monotonic() - started:.1f} s {dict(tally)}", flush=True)
    return 0


class _Progress:
    """Print a progress line every PROGRESS_S: records taken, rate, and how they were answered."""

    def __init__(self, tally: Counter[str], quiet: bool) -> None:
        self.tally, self.quiet = tally, quiet
        self.last, self.last_total = time.monotonic(), 0

    def __call__(self, _n: int) -> None:
        now = time.monotonic()
        if self.quiet or now - self.last < PROGRESS_S:
            return
        total = sum(self.tally.values())
        rate = (total - self.last_total) / (now - self.last)
        print(f"{total} records ({rate:.0f}/s) {dict(self.tally)}", flush=True)
        self.last, self.last_total = now, total


if __name__ == "__main__":
    raise SystemExit(main())
