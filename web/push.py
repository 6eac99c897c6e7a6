"""Socket.IO push: a snapshot on connect and on resync, then numbered deltas of what changed."""

from __future__ import annotations

import logging
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import orjson
from flask import request
from flask_socketio import SocketIO, emit, join_room

from domain.projection import Projection
from domain.replay import checkpoint
from store.store import Store
from web import views

log = logging.getLogger(__name__)
Message = dict[str, Any]
RESUME_DELTAS = 1200  # per scope: a screen back within minutes catches up from these instead of a snapshot
FIGURES_EVERY_S = 1.0  # the day's figures and charts count the whole day: a stream of changes recounts them this often
SATURATED = 0.8  # cores: a process's Python runs on one at a time (the GIL); above this, deltas are coalesced more
LIGHT = 0.25  # cores: under this a stream of changes still goes out at the minimum gap, its deltas costing little
# (50 screens x 10 records/s, 0.12 cores with 300 teams' fixes: a record waited for the busy gap, p50 67 ms, 9 without)
LOAD_WINDOW_S = 1.0  # the process's CPU use is averaged over about this long
LATE_S = 0.02  # its gaps ending this much later than asked, on average, is saturation too: a process short of CPU
# (the machine's other work, or its hub busy) uses less of it and would read as having some to spare
DEFLATE_FROM = 32 * 1024  # bytes of JSON: a larger delta (a burst of records) goes deflated; the rest stays JSON,
# as a deflated one is two frames per socket and an inflate: a stream of 6-20 KB deltas to 500 screens came later
# deflated (bench/fanout.py 500x100 on dev: p99 1.38 of the baseline's, against 0.66-0.75 as JSON)
SNAPSHOT_REUSE_S = 1.0  # walls connecting together share one snapshot; its clock and SLA states are at most this old
# requested scope -> (granted scope, kiosk token id or None), or None to refuse the socket
ScopeResolver = Callable[[str], "tuple[str, int | None] | None"]
Joined = Callable[[bytes | None, list[Message]], None]  # (a snapshot or None, the deltas after it): sent to a screen
Kinds = frozenset[str] | None  # the kinds a screen's snapshot holds (views.view_kinds); None: every kind


class Ranked:
    """A lock that a thread may take only while it holds none of a higher or equal rank: a lock order, checked.

    The push's order: PUBLISH, then BUILD, then the store's lock (Store.read), which is the innermost; the store
    calls the push's listener inside its lock, so that listener takes none of these.
    """

    _held = threading.local()  # per thread: the ranks it holds, in the order taken

    def __init__(self, rank: int) -> None:
        self.rank = rank
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        held: list[int] = self._held.__dict__.setdefault("ranks", [])
        if held and held[-1] >= self.rank:
            raise RuntimeError(f"lock of rank {self.rank} taken while holding rank {held[-1]}: out of order")
        self._lock.acquire()
        held.append(self.rank)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._held.ranks.pop()
        self._lock.release()


PUBLISH, BUILD = 1, 2  # the push's locks in the order taken; each before the store's lock


@dataclass
class _Cached:
    """A scope's snapshot as built at a seq, and its bytes on the wire once encoded."""

    seq: int
    at: float
    msg: Message
    wire: bytes | None = None


class Pusher:
    """Collects changed keys from the store and sends each scope room what it may see."""

    def __init__(
        self, store: Store, clock: Callable[[], float], utc_offset_h: float, tick: Callable[[], float] = time.monotonic
    ) -> None:
        self.store, self.clock, self.utc_offset_h = store, clock, utc_offset_h
        self.tick = tick  # paces the figures: a steady clock, not the district's (which a test or replay may hold)
        self._dirty: set[str] = set()  # under the store's lock: _changed runs in it, the rest reads it via store.read
        # The chain of deltas (published_seq, the kept deltas, the scopes) and a screen joining its room: no delta
        # slips between a screen's snapshot or missed deltas and its joining.
        self._publish = Ranked(PUBLISH)
        self.wake = threading.Event()  # set on every change: the push loop sends without waiting for a tick
        self.published_seq = store.read(lambda state: state.seq)
        self._slot = clock() // views.TIMED_EVERY_S  # a new slot re-sends what turns with the clock alone
        self.scopes: set[str] = {"all"}
        self._snapshots: dict[tuple[str, Kinds], _Cached] = {}  # by scope and the kinds a view asked for
        self._figures_at = float("-inf")  # monotonic time the day's figures were last built for a delta
        self._build = Ranked(BUILD)  # the snapshot cache: one build at a time, shared by the walls waiting for it
        self._recent: dict[str, deque[Message]] = {}  # scope -> its last deltas that carried a change of seq
        store.subscribe(self._changed)

    def _changed(self, keys: set[str], _seq: int) -> None:
        self._dirty |= keys  # the store calls this inside its lock, which guards _dirty
        self.wake.set()

    def _cached(self, scope: str, fresh: bool = True, kinds: Kinds = None) -> _Cached:
        """Return the scope's snapshot: the one built under SNAPSHOT_REUSE_S ago (at this seq when fresh), or a new one.

        A new one is built from a copy of the state taken under the store's lock and then outside it, so
        a storm of connecting walls holds back neither the ingest nor the deltas for the build's length.
        """

        def copy(state: Projection) -> tuple[_Cached | None, Projection | None, float]:
            now = self.clock()
            cached = self._snapshots.get((scope, kinds))
            if cached is not None and now - cached.at < SNAPSHOT_REUSE_S and (cached.seq == state.seq or not fresh):
                return cached, None, now
            return None, checkpoint(state), now

        with self._build:  # one build at a time: walls connecting together wait for it and share it
            cached, state, now = self.store.read(copy)
            if cached is not None:
                return cached
            assert state is not None
            cached = _Cached(state.seq, now, views.snapshot(state, now, self.utc_offset_h, scope, kinds))
            self._snapshots[(scope, kinds)] = cached
            return cached

    def snapshot(self, scope: str) -> Message:
        """Return the full state a scope may see, with the seq it reflects; built once for many connecting together."""
        return self._cached(scope).msg

    def snapshot_wire(self, scope: str, fresh: bool = True, kinds: Kinds = None) -> tuple[int, bytes]:
        """Return the snapshot's seq and its bytes as sent: JSON deflated (zlib), encoded once for every socket."""
        cached = self._cached(scope, fresh, kinds)
        with self._build:
            if cached.wire is None:
                cached.wire = zlib.compress(orjson.dumps(cached.msg), 6)  # about 1/16 of the JSON
        return cached.seq, cached.wire

    def deltas(self, figures_every_s: float = 0.0) -> dict[str, Message]:
        """Build one delta per scope for the keys changed since the last one (empty: a heartbeat).

        figures_every_s > 0: the day's figures and charts, which count the whole day, are built at most
        that often; changed in between, they wait (see figures_due) while the rest goes out at once.
        """

        def build(state: Projection) -> tuple[dict[str, Any], int, float, float]:
            now = self.clock()
            keys, self._dirty = self._dirty, set()
            if now // views.TIMED_EVERY_S != self._slot:
                self._slot, keys = now // views.TIMED_EVERY_S, keys | views.timed_keys(state)
            if figures_every_s and self.tick() - self._figures_at < figures_every_s:
                self._dirty = {k for k in keys if views.figured(k)}
                keys -= self._dirty
            if any(views.figured(k) for k in keys):
                self._figures_at = self.tick()
            return views.entities(state, sorted(keys), now, self.utc_offset_h), state.seq, state.last_event_at, now

        with self._publish:  # the kept deltas change under it too: a connecting screen reads them under it
            built, seq, last_at, now = self.store.read(build)
            from_seq, self.published_seq = self.published_seq, seq
            out = {}
            for scope in self.scopes:
                upsert = [e for e in built.values() if e is not None and views.visible(e, scope)]
                remove = [_ref(k) for k, e in built.items() if e is None or not views.visible(e, scope)]
                out[scope] = {
                    "from_seq": from_seq,
                    "seq": seq,
                    "server_time": now,
                    "last_event_at": last_at,
                    "upsert": upsert,
                    "remove": remove,
                }
                if seq != from_seq or upsert or remove:  # heartbeats change nothing: the chain stays whole without them
                    self._recent.setdefault(scope, deque(maxlen=RESUME_DELTAS)).append(out[scope])
        return out

    def figures_due(self, figures_every_s: float) -> float | None:
        """Return how long until the held figures may be built (0: now), or None when none wait."""
        if not self.store.read(lambda _: any(views.figured(k) for k in self._dirty)):
            return None
        return max(0.0, self._figures_at + figures_every_s - self.tick())

    def join(self, scope: str, since: int | None, send: Joined, kinds: Kinds = None) -> None:
        """Bring a screen to now: send(None, the deltas it missed since its seq), or send(a snapshot, the deltas after it).

        kinds: the kinds its view reads (the analytics view: its charts), so its snapshot is small and quick to build.

        send runs under the publish lock, so it can join the scope's room with nothing published in between.
        """
        with self._publish:
            self.scopes.add(scope)  # from here on its deltas are kept, so a snapshot built next can be caught up
            missed = self.missed(scope, since) if since is not None else None
            if missed is not None:  # a screen back after a short outage: what it missed, not everything
                send(None, missed)
                return
        # Built outside the publish lock, shared by the walls connecting within SNAPSHOT_REUSE_S, then caught up.
        seq, wire = self.snapshot_wire(scope, fresh=False, kinds=kinds)
        with self._publish:
            after = [] if seq >= self.published_seq else self.missed(scope, seq)
            if after is None:  # no longer all kept (a long build): a fresh one, with no delta built meanwhile
                seq, wire = self.snapshot_wire(scope, kinds=kinds)
                after = []
            send(wire, after)

    def missed(self, scope: str, since: int) -> list[Message] | None:
        """Return the deltas after seq `since` in order, or None when they are no longer all kept (send a snapshot).

        The caller holds the publish lock (join), so no delta is added meanwhile.
        """
        if since > self.published_seq:
            return None  # a seq we never published: another process's, or a log rebuilt since
        recent = self._recent.get(scope, ())
        if since == self.published_seq:
            return []
        if not recent or recent[0]["from_seq"] > since:
            return None
        return [m for m in recent if m["seq"] > since]


def delta_wire(msg: Message) -> Message | bytes:
    """Return a delta as sent: as JSON, or from DEFLATE_FROM bytes on as deflated JSON bytes (zlib, like a snapshot).

    Encoded once per scope: each socket of the room is sent the same bytes, a large delta about a fifth of its JSON.
    """
    raw = orjson.dumps(msg)
    return zlib.compress(raw, 6) if len(raw) >= DEFLATE_FROM else msg


def decoded(data: Message | bytes) -> Message:
    """Return a delta or snapshot as received by a Python client: inflated and parsed when it came as bytes."""
    return orjson.loads(zlib.decompress(data)) if isinstance(data, (bytes, bytearray)) else data


def _since(raw: str | None) -> int | None:
    """Return the seq a reconnecting screen holds (the query's `since`), or None."""
    return int(raw) if raw is not None and raw.isdigit() and len(raw) < 19 else None


def _ref(key: str) -> dict[str, str]:
    kind, _, ident = key.partition(":")
    return {"kind": kind, "id": ident}


def room(scope: str) -> str:
    """Return the Socket.IO room of a scope."""
    return f"scope:{scope}"


class KioskSockets:
    """The sockets each kiosk token opened, so a revoked token's walls go dark at once."""

    def __init__(self, socketio: SocketIO) -> None:
        self.socketio = socketio
        self.sids: dict[int, set[str]] = {}

    def revoked(self, kiosk_id: int) -> None:
        """Disconnect every socket a revoked token opened."""
        for sid in self.sids.pop(kiosk_id, set()):
            self.socketio.server.disconnect(sid)

    def prune(self, is_live: Callable[[int], bool]) -> None:
        """Disconnect the sockets of tokens revoked elsewhere (another process, the command line)."""
        for kiosk_id in [k for k in list(self.sids) if not is_live(k)]:
            self.revoked(kiosk_id)


def bind(socketio: SocketIO, pusher: Pusher, resolve_scope: ScopeResolver) -> KioskSockets:
    """Register the Socket.IO handlers; return the registry of kiosk sockets."""
    kiosks = KioskSockets(socketio)

    def send_state(scope: str, since: int | None) -> None:
        """Bring this socket's screen to now and join it to its scope's room."""
        kinds = views.view_kinds(request.args.get("kinds"))  # the connect's query: a resync keeps the view

        def joined(wire: bytes | None, deltas: list[Message]) -> None:
            # Under the publish lock (Pusher.join): nothing is published between these and joining the room.
            if wire is not None:
                emit("snapshot", wire)
            for msg in deltas:
                emit("delta", delta_wire(msg))
            join_room(room(scope))

        pusher.join(scope, since, joined, kinds)

    @socketio.on("connect")
    def _connect(auth: Any = None) -> bool | None:
        grant = resolve_scope(request.args.get("scope", "all"))
        if grant is None:
            return False  # refused: the client sees connect_error
        scope, kiosk_id = grant
        if kiosk_id is not None:
            kiosks.sids.setdefault(kiosk_id, set()).add(request.sid)  # type: ignore[attr-defined]
        send_state(scope, _since(request.args.get("since")))
        return None

    @socketio.on("resync")
    def _resync(data: Any = None) -> None:
        grant = resolve_scope(request.args.get("scope", "all"))
        if grant is None:
            socketio.server.disconnect(request.sid)  # type: ignore[attr-defined]  # Flask-SocketIO's, at run time
            return
        send_state(grant[0], None)

    return kiosks


def flush(socketio: SocketIO, pusher: Pusher, figures_every_s: float = 0.0) -> int:
    """Send each scope room its delta; return the seq published."""
    for scope, msg in pusher.deltas(figures_every_s).items():
        # This process's screens only: every web process builds its deltas from the shared log (no message queue).
        socketio.emit("delta", delta_wire(msg), to=room(scope), ignore_queue=True)
    return pusher.published_seq


class Pacing:
    """When the next delta may go: at once after a quiet spell; under a stream of changes after min_gap_s while the
    process uses little CPU, every busy_gap_s while it has CPU to spare, coalesced over a window widening to max_gap_s
    once it has not (it uses SATURATED cores, or its gaps end LATE_S late)."""

    def __init__(
        self,
        min_gap_s: float,
        max_gap_s: float,
        busy_gap_s: float | None = None,
        cpu: Callable[[], float] = time.process_time,
        tick: Callable[[], float] = time.monotonic,
    ) -> None:
        self.min_gap_s, self.max_gap_s = min_gap_s, max_gap_s
        self.busy_gap_s = max_gap_s if busy_gap_s is None else min(busy_gap_s, max_gap_s)
        self.gap_s = min_gap_s
        self.cpu, self.tick = cpu, tick
        self._at, self._cpu, self.load, self.late = tick(), cpu(), 0.0, 0.0

    def _measure(self, late_s: float) -> bool:
        """Update the process's CPU use (cores) and its gaps' lateness (s), each averaged over about LOAD_WINDOW_S;
        return whether it is saturated."""
        at, cpu = self.tick(), self.cpu()
        elapsed = at - self._at
        if elapsed > 0:
            weight = min(1.0, elapsed / LOAD_WINDOW_S)
            self.load += weight * ((cpu - self._cpu) / elapsed - self.load)
            self.late += weight * (late_s - self.late)
        self._at, self._cpu = at, cpu
        return self.load >= SATURATED or self.late >= LATE_S

    def after(self, busy: bool, late_s: float = 0.0) -> float:
        """Return the gap before the next delta; busy: a change was already waiting when the last gap ended, late_s
        that long after it was due."""
        # A process with CPU to spare sends every busy_gap_s; a saturated one coalesces more, each delta costing
        # the same encode and writes to every socket whatever it carries; one using little sends as if idle (a stream
        # of small changes, such as teams' fixes, must not hold a record back). Quiet again: back to the minimum.
        saturated = self._measure(late_s)
        cap = self.max_gap_s if saturated else self.busy_gap_s if self.load >= LIGHT else self.min_gap_s
        self.gap_s = min(cap, self.gap_s * 1.5) if busy else self.min_gap_s
        return self.gap_s


def run(socketio: SocketIO, pusher: Pusher, pacing: Pacing, heartbeat_s: float, stop: threading.Event) -> None:
    """Send deltas until stop: a change at once when idle; an empty delta every heartbeat keeps screens live."""
    busy, late = False, 0.0
    while True:
        due = pusher.figures_due(FIGURES_EVERY_S)  # figures held back wake us when they may go
        changed = pusher.wake.wait(heartbeat_s if due is None else min(heartbeat_s, due))  # idle: at once
        if stop.is_set():
            return
        pusher.wake.clear()  # before building: a change during the build wakes the next round
        try:
            flush(socketio, pusher, FIGURES_EVERY_S)
        except Exception:
            log.exception("push failed; continuing")
        if changed:  # hold the next delta for the gap, so a stream of changes is coalesced
            gap, start = pacing.after(busy, late), pacing.tick()
            if stop.wait(gap):
                return
            busy, late = pusher.wake.is_set(), max(0.0, pacing.tick() - start - gap)
        else:
            busy, late = False, 0.0
