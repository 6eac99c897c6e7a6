"""Redis Streams bus: a stream per source, one consumer group, batch reads, ack after commit, reclaim of the stale.

Faults: an entry delivered max_deliveries times without an ack is answered as poison (dead-lettered, acked);
consumers idle past forget_idle_ms with nothing pending are removed from the group; a Redis restart that lost
the streams (NOGROUP) recreates the groups.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import redis

from config import Settings
from domain.catalog import SOURCES
from streams import codec
from streams.bus import Entry
from streams.sources.caller import masked_text

if TYPE_CHECKING:
    from redis.typing import KeyT, StreamIdT

log = logging.getLogger(__name__)
FIELD = b"record"
UNKNOWN = "unknown"  # records naming no known source: their own stream, where the consumer rejects them
BLOCK_MARGIN_MS = 1000  # BLOCK stays this far under the socket timeout, so a quiet stream never times the socket out
ZERO = b"0-0"
# Remove, in one step, the consumers of a group with nothing pending that have been idle past a threshold
# (never the caller): atomic, so a consumer that took entries meanwhile is never removed with them pending.
FORGET_CONSUMERS = """
local gone = {}
for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local f = {}
  for i = 1, #c, 2 do f[c[i]] = c[i + 1] end
  if f['pending'] == 0 and f['idle'] >= tonumber(ARGV[2]) and f['name'] ~= ARGV[3] then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], f['name'])
    table.insert(gone, f['name'])
  end
end
return gone
"""


@dataclass(frozen=True)
class RedisConfig:
    """Where and how: server URL, key prefix, group, trim length, reclaim threshold and cadence."""

    url: str
    prefix: str = Settings.redis_prefix  # the settings' defaults, written once in config.py
    group: str = Settings.redis_group
    maxlen: int = Settings.redis_maxlen
    claim_idle_ms: int = Settings.redis_claim_idle_ms
    claim_every_s: float = 30.0
    socket_timeout_s: float = 10.0
    max_deliveries: int = Settings.redis_max_deliveries  # delivered this often without an ack: poison, dead-lettered
    forget_idle_ms: int = Settings.redis_forget_idle_ms  # idle this long with nothing pending: removed from the group


class RedisBus:
    """At-least-once: an entry stays pending until acked, and a dead consumer's entries are claimed by another."""

    name = "redis"
    redelivers = True  # an entry left unacked comes back (claimed), counted: the poison cutoff needs no help

    def __init__(
        self, config: RedisConfig, sources: Iterable[str] = tuple(SOURCES), clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.config, self._clock = config, clock
        self._known = frozenset(sources)
        self.streams = [self.stream_key(s) for s in (*sorted(self._known), UNKNOWN)]
        self.dead_key = f"{config.prefix}:dead"
        self._pub, self._sub = self._client(), self._client()  # publishing never waits behind a blocked read
        self._ready = False
        self._history: dict[str, bytes] = {s: b"0" for s in self.streams}  # own pending, reread first
        self._cursors: dict[str, bytes] = {}
        self._next_claim = 0.0  # reclaim at start, then every claim_every_s
        self._forget = self._sub.register_script(FORGET_CONSUMERS)

    def _client(self) -> redis.Redis:
        timeout = self.config.socket_timeout_s
        client = redis.Redis.from_url(self.config.url, socket_timeout=timeout, socket_connect_timeout=timeout)
        # The reply as parsed off the wire: redis-py's own callback rebuilds it (RESP3 into the RESP2
        # shape, fields into dicts) only for _entries to take it apart again; it takes either shape.
        client.set_response_callback("XREADGROUP", _as_sent)
        return client

    def stream_key(self, source: str) -> str:
        """Return the stream of a source."""
        return f"{self.config.prefix}:src:{source}"

    def _source_of(self, record: Any) -> str:
        source = record.get("source") if isinstance(record, Mapping) else None
        return source if isinstance(source, str) and source in self._known else UNKNOWN

    def publish(self, records: Sequence[Any]) -> list[str]:
        """XADD each record to its source's stream, trimmed with MAXLEN ~; return the entry ids."""
        pipe = self._pub.pipeline(transaction=False)
        for record in records:
            pipe.xadd(
                self.stream_key(self._source_of(record)),
                {FIELD: codec.dumps(record)},
                maxlen=self.config.maxlen,
                approximate=True,
            )
        return [i.decode() for i in pipe.execute()]

    def read(self, consumer: str, count: int, block_ms: int) -> list[Entry]:
        """Return this consumer's own pending first, then stale entries claimed, then new ones."""
        try:
            return self._read(consumer, count, block_ms)
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
        # A stream or its group is gone: Redis restarted without its data, or a stream was deleted. What
        # was pending went with it; recreate the groups and read again.
        log.warning("consumer group %s missing (Redis restarted without its data?): recreating it", self.config.group)
        self._lost()
        return self._read(consumer, count, block_ms)

    def _lost(self) -> None:
        self._ready, self._history, self._cursors = False, {}, {}

    def _read(self, consumer: str, count: int, block_ms: int) -> list[Entry]:
        self._ensure_groups()
        if self._history:
            own = self._read_history(consumer, count)
            if own or self._history:
                return own
        if self._clock() >= self._next_claim:
            claimed = self._claim(consumer, count)
            if claimed:
                return claimed
        block = max(1, min(block_ms, int(self.config.socket_timeout_s * 1000) - BLOCK_MARGIN_MS))
        reply = self._sub.xreadgroup(
            self.config.group, consumer, {s: ">" for s in self.streams}, count=count, block=block
        )
        return self._entries(reply)

    def _ensure_groups(self) -> None:
        if self._ready:
            return
        for stream in self.streams:
            try:
                self._sub.xgroup_create(stream, self.config.group, id="0", mkstream=True)
            except redis.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):  # the group exists already: that is the usual case
                    raise
        self._ready = True

    def _read_history(self, consumer: str, count: int) -> list[Entry]:
        """Reread what this consumer name took and never acked (it was restarted mid-batch)."""
        since: dict[KeyT, StreamIdT] = {s: last for s, last in self._history.items()}  # redis-py's key types
        reply = self._sub.xreadgroup(self.config.group, consumer, since, count=count)
        got = {_text(s): msgs for s, msgs in _pairs(reply)}
        for stream in list(self._history):
            msgs = got.get(stream) or []
            if msgs:
                self._history[stream] = msgs[-1][0]
            else:
                del self._history[stream]
        return self._cut_poison(consumer, self._entries(reply))

    def _claim(self, consumer: str, count: int) -> list[Entry]:
        """XAUTOCLAIM entries idle past the threshold, looping on each stream's cursor across calls."""
        if not self._cursors:
            self._cursors = {s: ZERO for s in self.streams}
        out: list[Entry] = []
        while self._cursors and len(out) < count:
            stream, cursor = next(iter(self._cursors.items()))
            reply = self._sub.xautoclaim(
                stream, self.config.group, consumer, self.config.claim_idle_ms, start_id=cursor, count=count
            )
            # Redis 7 answers [next cursor, entries, deleted ids]; 6.2 only the first two. Deleted
            # ids are already out of the pending list, so there is nothing to do for them.
            nxt, claimed = reply[0], reply[1]
            out += self._entries([(stream, claimed)])
            if nxt in (ZERO, "0-0"):
                del self._cursors[stream]
            else:
                self._cursors[stream] = nxt
        if not self._cursors:
            self._next_claim = self._clock() + self.config.claim_every_s
            self.forget_consumers(consumer)
        if out:
            log.info("claimed %d stale entries", len(out))
        return self._cut_poison(consumer, out)

    def _cut_poison(self, consumer: str, entries: list[Entry]) -> list[Entry]:
        """Turn entries delivered more than max_deliveries times into rejections: processed no more, dead-lettered."""
        if not entries:
            return entries
        pipe = self._sub.pipeline(transaction=False)
        for e in entries:
            pipe.xpending_range(e.stream, self.config.group, min=e.id, max=e.id, count=1, consumername=consumer)
        out = []
        for e, rows in zip(entries, pipe.execute()):
            times = int(rows[0]["times_delivered"]) if rows else 1
            if times <= self.config.max_deliveries:
                out.append(e)
                continue
            # This delivery is not processed: the ones before it all ended without an ack.
            reason = f"poison: delivered {times - 1} times without an ack"
            log.error("entry %s of %s %s: dead-lettered", e.id, e.stream, reason)
            raw = e.record.raw if isinstance(e.record, codec.Undecodable) else codec.dumps(e.record).decode()
            out.append(Entry(e.id, codec.Undecodable(reason, e.stream.rsplit(":", 1)[-1], raw), e.stream))
        return out

    def forget_consumers(self, consumer: str) -> list[str]:
        """Remove the group's consumers idle past forget_idle_ms with nothing pending (not this one); return them."""
        gone: set[str] = set()
        for stream in self.streams:
            try:
                names = self._forget(keys=[stream], args=[self.config.group, self.config.forget_idle_ms, consumer])
            except redis.ResponseError as exc:  # the stream or group is gone (a restart): the next round sees it
                log.warning("consumer cleanup skipped %s: %s", stream, exc)
                continue
            gone.update(_text(n) for n in names)
        if gone:
            log.info("removed %d idle consumers with nothing pending: %s", len(gone), ", ".join(sorted(gone)))
        return sorted(gone)

    def _entries(self, reply: Any) -> list[Entry]:
        out, gone = [], []
        decode_pairs, decode_fields = codec.decode_pairs, codec.decode_fields
        for stream, msgs in _pairs(reply):
            name = _text(stream)
            source = name.rsplit(":", 1)[-1]
            for mid, fields in msgs:
                if not fields:  # trimmed away while pending: nothing left to process
                    gone.append(Entry(_text(mid), None, name))
                    continue
                # XREADGROUP's fields come as a flat list, XAUTOCLAIM's as a dict
                record = decode_pairs(fields, source) if type(fields) is list else decode_fields(fields, source)
                out.append(Entry(mid.decode() if type(mid) is bytes else _text(mid), record, name))
        if gone:
            self.ack(gone)
        return out

    def ack(self, entries: Sequence[Entry]) -> None:
        """XACK entries whose effect is committed."""
        by_stream: dict[str, list[str]] = {}
        for e in entries:
            by_stream.setdefault(e.stream, []).append(e.id)
        if not by_stream:
            return
        pipe = self._sub.pipeline(transaction=False)
        for stream, ids in by_stream.items():
            pipe.xack(stream, self.config.group, *ids)
        for reply in pipe.execute(raise_on_error=False):
            if isinstance(reply, redis.ResponseError) and "NOGROUP" in str(reply):
                self._lost()  # Redis restarted without its data: nothing is pending any more, so nothing to ack
            elif isinstance(reply, Exception):
                raise reply

    def dead(self, rejected: Sequence[tuple[Entry, str]]) -> None:
        """Add rejected entries to the dead-letter stream with their reasons and raw fields."""
        if not rejected:
            return
        pipe = self._sub.pipeline(transaction=False)
        for e, reason in rejected:
            raw = e.record.raw if isinstance(e.record, codec.Undecodable) else codec.dumps(e.record).decode()
            raw = masked_text(raw)  # as the dead-letter table: a caller's id never stays in a dead letter
            pipe.xadd(
                self.dead_key,
                {"stream": e.stream, "id": e.id, "reason": reason[:2000], "raw": raw},
                maxlen=self.config.maxlen,
                approximate=True,
            )
        pipe.execute()

    def backlog(self) -> int:
        """Return how many entries wait: unread (lag) plus read and not yet acked (pending); -1: Redis unreachable."""
        pipe = self._pub.pipeline(transaction=False)
        for stream in self.streams:
            pipe.xinfo_groups(stream)
        total = 0
        try:
            replies = pipe.execute(raise_on_error=False)
        except (redis.ConnectionError, redis.TimeoutError):
            return -1  # /metrics keeps answering through a Redis outage
        for groups in replies:
            for g in groups if isinstance(groups, list) else []:
                if _text(g.get("name", b"")) == self.config.group:
                    total += int(g.get("lag") or 0) + int(g.get("pending") or 0)
        return total

    def purge(self) -> None:
        """Delete every key under the prefix (tests and demos start clean)."""
        keys = list(self._pub.scan_iter(match=f"{self.config.prefix}:*", count=1000))
        if keys:
            self._pub.delete(*keys)
        self._ready, self._history, self._cursors = False, {s: b"0" for s in self.streams}, {}

    def close(self) -> None:
        """Close both connections."""
        self._pub.close()
        self._sub.close()


def _as_sent(response: Any, **_options: Any) -> Any:
    """Response callback that keeps a reply as the parser read it."""
    return response


def _pairs(reply: Any) -> list[tuple[Any, list[Any]]]:
    """XREADGROUP answers a list of [stream, entries] (RESP2) or a map (RESP3)."""
    if not reply:
        return []
    return list(reply.items()) if isinstance(reply, dict) else [(s, m) for s, m in reply]


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def from_settings(settings: Any) -> RedisBus:
    """Build the bus from Settings (config.py)."""
    return RedisBus(
        RedisConfig(
            settings.redis_url,
            settings.redis_prefix,
            settings.redis_group,
            settings.redis_maxlen,
            settings.redis_claim_idle_ms,
            max_deliveries=settings.redis_max_deliveries,
            forget_idle_ms=settings.redis_forget_idle_ms,
        )
    )
