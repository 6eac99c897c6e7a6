"""Socket.IO push: a snapshot on connect and on resync, then numbered deltas of what changed."""
from __future__ import annotations

import threading
from typing import Any, Callable

from flask import request
from flask_socketio import SocketIO, emit, join_room

from web import views
from store.store import Store

Message = dict[str, Any]
# requested scope -> (granted scope, kiosk token id or None), or None to refuse the socket
ScopeResolver = Callable[[str], "tuple[str, int | None] | None"]


class Pusher:
    """Collects changed keys from the store and sends each scope room what it may see."""

    def __init__(self, store: Store, clock: Callable[[], float], utc_offset_h: float) -> None:
        self.store, self.clock, self.utc_offset_h = store, clock, utc_offset_h
        self._dirty: set[str] = set()
        self._dirty_lock = threading.Lock()  # a leaf lock: taken inside the store's lock by _changed
        self._lock = threading.Lock()  # one flush or snapshot at a time: no delta slips between
        self.published_seq = store.state.seq
        self._slot = clock() // views.TIMED_EVERY_S  # a new slot re-sends what turns with the clock alone
        self.scopes: set[str] = {"all"}
        store.subscribe(self._changed)

    def _changed(self, keys: set[str], _seq: int) -> None:
        with self._dirty_lock:
            self._dirty |= keys

    def snapshot(self, scope: str) -> Message:
        """Return the full state a scope may see, with the seq it reflects."""
        with self.store.lock:
            return views.snapshot(self.store.state, self.clock(), self.utc_offset_h, scope)

    def deltas(self) -> dict[str, Message]:
        """Build one delta per scope for the keys changed since the last one (empty: a heartbeat)."""
        with self._lock, self.store.lock:
            with self._dirty_lock:
                keys, self._dirty = self._dirty, set()
            state, now = self.store.state, self.clock()
            if now // views.TIMED_EVERY_S != self._slot:
                self._slot, keys = now // views.TIMED_EVERY_S, keys | views.TIMED_KEYS
            built = views.entities(state, sorted(keys), now, self.utc_offset_h)
            seq, last_at = state.seq, state.last_event_at
            from_seq, self.published_seq = self.published_seq, seq
        out = {}
        for scope in self.scopes:
            upsert = [e for e in built.values() if e is not None and views.visible(e, scope)]
            remove = [_ref(k) for k, e in built.items() if e is None or not views.visible(e, scope)]
            out[scope] = {"from_seq": from_seq, "seq": seq, "server_time": now, "last_event_at": last_at,
                          "upsert": upsert, "remove": remove}
        return out


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

    @socketio.on("connect")
    def _connect(auth: Any = None) -> bool | None:
        grant = resolve_scope(request.args.get("scope", "all"))
        if grant is None:
            return False  # refused: the client sees connect_error
        scope, kiosk_id = grant
        if kiosk_id is not None:
            kiosks.sids.setdefault(kiosk_id, set()).add(request.sid)
        with pusher._lock:
            pusher.scopes.add(scope)
            join_room(room(scope))
            emit("snapshot", pusher.snapshot(scope))
        return None

    @socketio.on("resync")
    def _resync(data: Any = None) -> None:
        grant = resolve_scope(request.args.get("scope", "all"))
        if grant is None:
            socketio.server.disconnect(request.sid)
            return
        emit("snapshot", pusher.snapshot(grant[0]))

    return kiosks


def has_changes(pusher: Pusher) -> bool:
    """Tell whether anything changed since the last delta."""
    return bool(pusher._dirty)


def flush(socketio: SocketIO, pusher: Pusher) -> int:
    """Send each scope room its delta; return the seq published."""
    for scope, msg in pusher.deltas().items():
        socketio.emit("delta", msg, to=room(scope))
    return pusher.published_seq
