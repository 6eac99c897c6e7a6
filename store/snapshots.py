"""Projection snapshots: the state after a seq, kept in the database, so a start folds only the log after it.

A snapshot is read back only by the same fold: its format names FORMAT and a fingerprint of the domain's code,
the district's fixtures, the dispatch targets and the retention. Any other, or one that does not unpickle, is
skipped, and the start falls back to the next one or to a full replay: a snapshot saves time, never decides.
It is a pickle, and unpickling runs code: each is signed (HMAC-SHA256) with the installation's secret, and one
whose signature does not match (written by anyone who could write to the database without the secret) is
skipped unread.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import pickle
import zlib
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from domain.model import District
from domain.projection import Projection
from store.tables import snapshots

log = logging.getLogger(__name__)
FORMAT = "2"  # bump when the stored layout changes (the fingerprint already follows the domain's code)
KEEP = 3  # the newest few: one unreadable still leaves another to start from
MAC_BYTES = 32  # HMAC-SHA256
TRIED = 3  # at most this many are tried, newest first, before a full replay
_DOMAIN = Path(__file__).resolve().parents[1] / "domain"


@functools.cache
def _code_digest() -> bytes:
    """Return a digest of the domain's source: a state folded by other code is not this code's state."""
    h = hashlib.sha256()
    for path in sorted(_DOMAIN.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.digest()


def format_of(district: District, dispatch_s: Mapping[int, float], retention_s: float) -> str:
    """Return the format a snapshot of this fold carries: FORMAT and a fingerprint of what the fold depends on."""
    h = hashlib.sha256(_code_digest())
    h.update(_canonical((district, dict(dispatch_s), retention_s)).encode())
    return f"v{FORMAT}:{h.hexdigest()[:64]}"


def _canonical(value: Any) -> str:
    """Return a text of a value that is the same in every process: sets and mappings sorted (a frozenset's repr
    follows the process's string hashing, so a plain repr would differ between two starts)."""
    if is_dataclass(value) and not isinstance(value, type):
        return f"{type(value).__name__}({','.join(_canonical(getattr(value, f.name)) for f in fields(value))})"
    if isinstance(value, Mapping):
        return "{" + ",".join(sorted(f"{_canonical(k)}:{_canonical(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (set, frozenset)):
        return "<" + ",".join(sorted(_canonical(v) for v in value)) + ">"
    if isinstance(value, (list, tuple)):
        return "(" + ",".join(_canonical(v) for v in value) + ")"
    return repr(value)


def _mac(key: bytes, blob: bytes) -> bytes:
    """Return a blob's signature under the installation's secret."""
    return hmac.new(key, blob, hashlib.sha256).digest()


class Snapshots:
    """Save a state, read back the newest compatible one, keep only the last few."""

    def __init__(self, engine: Engine, key: bytes, keep: int = KEEP) -> None:
        self.engine, self.key, self.keep = engine, key, keep
        snapshots.create(engine, checkfirst=True)

    def save(self, state: Projection, taken_at: float) -> int:
        """Store a state (nothing folds into it any more: a checkpoint copy); return the blob's size in bytes."""
        data = {f.name: getattr(state, f.name) for f in fields(state) if f.name != "district"}
        body = zlib.compress(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), 1)
        blob = _mac(self.key, body) + body  # the signature first: checked before anything is unpickled
        fmt = format_of(state.district, state.dispatch_s, state.retention_s)
        with self.engine.begin() as conn:
            conn.execute(snapshots.insert(), [{"seq": state.seq, "taken_at": taken_at, "format": fmt, "blob": blob}])
            oldest_kept = conn.execute(
                select(snapshots.c.id).order_by(snapshots.c.id.desc()).offset(self.keep - 1).limit(1)
            ).scalar()
            if oldest_kept is not None:
                conn.execute(delete(snapshots).where(snapshots.c.id < oldest_kept))
        return len(blob)

    def load(
        self, district: District, dispatch_s: Mapping[int, float] | None, retention_s: float, last_seq: int
    ) -> Projection | None:
        """Return the newest compatible snapshot at or before the log's last seq as a state, or None."""
        empty = Projection(district, dict(dispatch_s)) if dispatch_s else Projection(district)
        empty.retention_s = retention_s
        fmt = format_of(district, empty.dispatch_s, retention_s)
        query = (
            select(snapshots.c.id, snapshots.c.seq, snapshots.c.blob)
            .where(snapshots.c.format == fmt, snapshots.c.seq <= last_seq)
            .order_by(snapshots.c.seq.desc())
            .limit(TRIED)
        )
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
        except Exception:  # noqa: BLE001 - a start must never fail on a snapshot
            log.warning("snapshots unreadable; full replay", exc_info=True)
            return None
        for row_id, seq, blob in rows:
            mac, body = blob[:MAC_BYTES], blob[MAC_BYTES:]
            if not hmac.compare_digest(mac, _mac(self.key, body)):
                log.warning(
                    "snapshot %s (seq %s) not signed with this installation's secret "
                    "(ONEMAP_SECRET_KEY); skipped unread",
                    row_id,
                    seq,
                )
                continue
            try:
                return _restore(empty, pickle.loads(zlib.decompress(body)), seq)
            except Exception:  # noqa: BLE001 - corrupt or from another layout: try the next, then replay
                log.warning("snapshot %s (seq %s) unreadable; skipped", row_id, seq, exc_info=True)
        return None

    def newest(self) -> tuple[int, float] | None:
        """Return (seq, taken_at) of the newest snapshot, of any format, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(snapshots.c.seq, snapshots.c.taken_at).order_by(snapshots.c.id.desc()).limit(1)
            ).first()
        return (int(row[0]), float(row[1])) if row else None


def _restore(state: Projection, data: dict[str, Any], seq: int) -> Projection:
    """Fill an empty state with a snapshot's fields; refuse one whose fields are not this State's."""
    names = {f.name for f in fields(state)} - {"district"}
    if set(data) != names or data["seq"] != seq:
        raise ValueError(f"fields differ: {sorted(set(data) ^ names)}")
    for name, value in data.items():
        setattr(state, name, value)
    return state
