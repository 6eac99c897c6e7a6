"""The event log through SQLAlchemy Core: SQLite by default, PostgreSQL by URL; appends are idempotent."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, event, func, make_url, select, text, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from domain import events as ev

try:
    import orjson
except ImportError:  # optional: the standard library is the fallback
    orjson = None  # type: ignore[assignment]
from store.tables import (
    NOT_OPENING,
    OPENING_PREFIX,
    audit,
    dead_letters,
    events,
    metadata,
)

READ_CHUNK = 5000
APPEND_LOCK_KEY = 0x0E3A9  # the PostgreSQL advisory lock that serializes appends across processes
SQLITE_CACHE_KIB = 2048  # SQLite's page cache per pooled connection: why this size in _sqlite_pragmas


@dataclass(frozen=True)
class AuditRecord:
    """One state-changing command: who, when, from where, and what came of it."""

    at: float
    actor: str
    role: str
    action: str
    result: str
    township: str | None = None
    target: str | None = None
    command_id: str | None = None
    remote: str | None = None


def shown(url: str) -> str:
    """Return a database URL fit for a log line: its password masked."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str, schema: str | None = None) -> Engine:
    """Create an engine; SQLite gets WAL, PostgreSQL an optional schema of its own (tests use one each)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if schema:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        engine = engine.execution_options(schema_translate_map={None: schema})
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe with WAL
    # About SQLite's default: a page it misses comes from the OS's file cache, so 64 MB ingested no
    # faster (bench/ingest.py's consumer, on a fresh and on a 1M-event log) but kept every page a
    # connection touched, up to 64 MB each, as the file grew: the soak's RSS rose ~2 MB a minute.
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")  # negative: KiB, not pages
    # Event ids are hashes, so each batch dirties index pages all over: rarer checkpoints write each page
    # once for many batches.
    cur.execute("PRAGMA wal_autocheckpoint=10000")  # pages
    cur.close()


class EventLog:
    """Append and read events, keep rejected input and the audit trail."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        metadata.create_all(engine)

    def append(self, batch: Sequence[ev.Event]) -> list[tuple[int, ev.Event]]:
        """Store the events not stored before; return (seq, event) for those, in seq order."""
        if not batch:
            return []
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "sqlite":
                return _append_sqlite(conn, list({e.event_id: e for e in batch}.values()))
            # One writer at a time, so seqs commit in order and a reader following the log never skips one.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})
            return self._append_pg(conn, batch)

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """Hold the log's write lock across processes: read the tail, decide, append, then commit at the end.

        PostgreSQL: the advisory lock every append takes; SQLite: BEGIN IMMEDIATE (the database's write
        lock). Taken before the tail is read, so no other process appends between the read and ours.
        """
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # pysqlite begins lazily: this one takes the lock now
            else:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK_KEY})
            yield Writer(self, conn)
            conn.commit()  # an exception skips this: leaving the block rolls back

    def _append_pg(self, conn: Connection, batch: Sequence[ev.Event]) -> list[tuple[int, ev.Event]]:
        """Insert under the advisory lock the caller holds; return (seq, event) of the rows added, in seq order."""
        by_id = {e.event_id: e for e in batch}
        rows = [_row(e) for e in by_id.values()]
        stmt = self._insert(events).on_conflict_do_nothing().returning(events.c.seq, events.c.event_id)
        stored = conn.execute(stmt, rows).all() if len(rows) > 1 else conn.execute(stmt, rows[0]).all()
        return sorted(((seq, by_id[eid]) for seq, eid in stored), key=lambda p: p[0])

    def read(self, after: int = 0) -> Iterator[tuple[int, ev.Event]]:
        """Yield (seq, event) after a seq, in order, in chunks (the log may be large)."""
        while True:
            with self.engine.connect() as conn:
                chunk = conn.execute(
                    select(events.c.seq, events.c.payload)
                    .where(events.c.seq > after)
                    .order_by(events.c.seq)
                    .limit(READ_CHUNK)
                ).all()
            for seq, payload in chunk:
                yield seq, ev.from_dict(json.loads(payload))
            if len(chunk) < READ_CHUNK:
                return
            after = chunk[-1][0]

    def stream(self, stream_id: str) -> list[tuple[int, ev.Event]]:
        """Return one incident's (or station's, hall's) events in order: its timeline."""
        # The event that opened the stream by its id, the others by the stream index (store/tables.py).
        opening = select(events.c.seq, events.c.payload).where(
            events.c.event_id == OPENING_PREFIX + stream_id, events.c.stream == stream_id
        )
        rest = select(events.c.seq, events.c.payload).where(events.c.stream == stream_id, text(NOT_OPENING))
        with self.engine.connect() as conn:
            rows = conn.execute(union_all(opening, rest).order_by(text("seq"))).all()
        return [(seq, ev.from_dict(json.loads(p))) for seq, p in rows]

    def between(self, start: float, end: float, types: Sequence[str]) -> list[tuple[int, ev.Event]]:
        """Return (seq, event) of some event types that happened in [start, end), in seq order."""
        query = (
            select(events.c.seq, events.c.payload)
            .where(events.c.type.in_(list(types)), events.c.at >= start, events.c.at < end)
            .order_by(events.c.seq)
        )
        with self.engine.connect() as conn:
            return [(seq, ev.from_dict(json.loads(p))) for seq, p in conn.execute(query).all()]

    def has(self, event_id: str) -> bool:
        """Tell whether an event id is already in the log."""
        with self.engine.connect() as conn:
            return conn.execute(select(events.c.seq).where(events.c.event_id == event_id)).first() is not None

    def last_seq(self) -> int:
        """Return the highest seq in the log (0 when empty)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(events.c.seq), 0))).scalar_one())

    def dead_letter(self, rows: Iterable[dict[str, Any]]) -> None:
        """Keep rejected input with its reason and raw payload: {at, source, source_id, reason, raw}."""
        rows = list(rows)
        if rows:
            with self.engine.begin() as conn:
                conn.execute(dead_letters.insert(), [{k: storable(v) for k, v in r.items()} for r in rows])

    def dead_letters(self, limit: int = 100) -> list[dict[str, Any]]:
        """Return the newest dead letters first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(dead_letters).order_by(dead_letters.c.id.desc()).limit(limit)).mappings()
            return [dict(r) for r in rows]

    def audit(self, record: AuditRecord) -> None:
        """Append one audit record."""
        with self.engine.begin() as conn:
            conn.execute(audit.insert(), [{k: storable(v) for k, v in record.__dict__.items()}])

    def audit_trail(self, limit: int = 1000) -> list[dict[str, Any]]:
        """Return the newest audit records first."""
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(audit).order_by(audit.c.id.desc()).limit(limit)).mappings()]

    def audit_query(self, where: AuditFilter, offset: int = 0, limit: int = 50) -> tuple[list[dict[str, Any]], int]:
        """Return one page of the audit records that match, newest first, and how many match in all."""
        conds = []
        if where.actor:
            conds.append(audit.c.actor.startswith(where.actor, autoescape=True))
        if where.action:
            conds.append(audit.c.action == where.action)
        if where.since is not None:
            conds.append(audit.c.at >= where.since)
        if where.until is not None:
            conds.append(audit.c.at < where.until)
        if where.hide_automatic:
            conds.extend(audit.c.actor.notlike(f"{p}%") for p in AUTOMATIC_ACTORS)
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(audit).where(*conds)).scalar_one()
            rows = conn.execute(select(audit).where(*conds).order_by(audit.c.id.desc()).offset(offset).limit(limit))
            return [dict(r) for r in rows.mappings()], int(total)

    def audit_actions(self) -> list[str]:
        """Return the actions the audit trail holds, for a filter's choices."""
        with self.engine.connect() as conn:
            return sorted(r[0] for r in conn.execute(select(audit.c.action).distinct()))


class Writer:
    """The log as its one writer sees it, inside EventLog.writing: reads and appends on the locked connection."""

    def __init__(self, log: EventLog, conn: Connection) -> None:
        self.log, self.conn = log, conn

    def read(self, after: int) -> list[tuple[int, ev.Event]]:
        """Return (seq, event) after a seq, in order: the tail other processes committed before the lock."""
        rows = self.conn.execute(
            select(events.c.seq, events.c.payload).where(events.c.seq > after).order_by(events.c.seq)
        ).all()
        return [(seq, ev.from_dict(json.loads(payload))) for seq, payload in rows]

    def has(self, event_id: str) -> bool:
        """Tell whether an event id is in the log (a command done before, by any process)."""
        return self.conn.execute(select(events.c.seq).where(events.c.event_id == event_id)).first() is not None

    def append(self, batch: Sequence[ev.Event]) -> list[tuple[int, ev.Event]]:
        """Store the events not stored before; committed when the writing block ends."""
        if not batch:
            return []
        if self.log.engine.dialect.name == "sqlite":
            return _append_sqlite(self.conn, list({e.event_id: e for e in batch}.values()))
        return self.log._append_pg(self.conn, batch)


AUTOMATIC_ACTORS = ("autopilot", "sla")  # the demo's other rooms and the SLA ticker: hidden on request


@dataclass(frozen=True)
class AuditFilter:
    """Which audit records to show: an actor (prefix), an action, a time range [since, until)."""

    actor: str = ""
    action: str = ""
    since: float | None = None
    until: float | None = None
    hide_automatic: bool = False


_SQLITE_APPEND = (
    "INSERT OR IGNORE INTO events (event_id, dedupe_key, type, stream, at, payload) VALUES (?, ?, ?, ?, ?, ?)"
)
_SQLITE_NEWEST = "SELECT seq, event_id FROM events ORDER BY seq DESC LIMIT ?"
_SQLITE_SPAN = "SELECT min(seq), max(seq) FROM (SELECT seq FROM events ORDER BY seq DESC LIMIT ?)"


def _append_sqlite(conn: Any, batch: list[ev.Event]) -> list[tuple[int, ev.Event]]:
    """Insert with the driver's executemany; return (seq, event) for the rows it added, in seq order.

    The rows it added hold the newest seqs: AUTOINCREMENT only grows, and this transaction keeps
    SQLite's write lock from its first insert to its commit, so no other writer can interleave.
    """
    # The driver's own cursor: SQLAlchemy's result rows cost about a microsecond each here.
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(_SQLITE_APPEND, [_values(e) for e in batch])
        added = cursor.rowcount
        if added <= 0:
            return []
        if added == len(batch):  # the usual case: every row went in, in order, so row i has the i-th seq
            low, high = cursor.execute(_SQLITE_SPAN, (added,)).fetchone()
            if high - low + 1 == added:  # no gap: the seqs need not be read one by one
                return list(zip(range(low, high + 1), batch))
        by_id = {e.event_id: e for e in batch}
        return [(seq, by_id[eid]) for seq, eid in reversed(cursor.execute(_SQLITE_NEWEST, (added,)).fetchall())]
    finally:
        cursor.close()


def _values(e: ev.Event) -> tuple[Any, ...]:
    """Return an event's row as the positional values of _SQLITE_APPEND (sqlite3 binds them faster than names)."""
    return e.event_id, e.dedupe_key(), type(e).__name__, e.stream(), e.at, _payload(e)


def _row(e: ev.Event) -> dict[str, Any]:
    return {
        "event_id": e.event_id,
        "dedupe_key": e.dedupe_key(),
        "type": type(e).__name__,
        "stream": e.stream(),
        "at": e.at,
        "payload": _payload(e),
    }


def _payload(e: ev.Event) -> str:
    """Encode an event as to_dict's JSON; orjson reads the dataclass itself when it can, with no dict in between."""
    if orjson is not None:
        try:
            return (orjson.dumps(e)[:-1] + _type_suffix(type(e))).decode()
        except TypeError:  # a field orjson cannot take as it is (a non-dict Mapping, an int beyond 64 bits)
            pass
    return _json(ev.to_dict(e))


def _suffix_of(cls: type) -> bytes:
    """Return what closes an event's JSON object: to_dict puts the type name after the fields (cached below)."""
    return b',"type":' + orjson.dumps(cls.__name__) + b"}"


# Typed as a plain function: mypy takes an event class for an unhashable instance when it checks the cache's key.
_type_suffix: Callable[[type], bytes] = functools.cache(_suffix_of)


def _json(data: dict[str, Any]) -> str:
    """Encode a payload compactly; orjson when installed (5x faster on the ingest path), same JSON either way."""
    if orjson is not None:
        try:
            return orjson.dumps(data).decode()
        except TypeError:  # e.g. an int beyond 64 bits: the standard library takes it
            pass
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def storable(value: Any) -> Any:
    """Return text every database takes: a caller's NUL or lone surrogate is escaped, not a failed insert."""
    if not isinstance(value, str) or (value.isprintable() and value.isascii()):
        return value
    value = value.replace("\x00", "\\u0000")  # PostgreSQL text holds no NUL
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (JSON "\ud800") is not UTF-8
        value = value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value
