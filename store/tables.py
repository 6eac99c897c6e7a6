"""The tables: an append-only event log, the dead-letter of rejected input, the audit trail, projection snapshots."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, Index, Integer, LargeBinary, MetaData, String, Table, Text, text

metadata = MetaData()

# BigInteger on PostgreSQL, but SQLite's rowid alias must be INTEGER to autoincrement.
SeqType = BigInteger().with_variant(Integer(), "sqlite")

events = Table(
    "events",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("event_id", String(200), nullable=False, unique=True),
    Column("dedupe_key", String(300), unique=True),  # source:source_id for reports; NULL otherwise
    Column("type", String(60), nullable=False),
    Column("stream", String(200), nullable=False),
    Column("at", Float, nullable=False),
    Column("payload", Text, nullable=False),
)
# A report's event id is its stream (incident) id behind "rep:" (domain/intake.py), so the unique
# event_id index finds it already. Leaving such rows out of the stream index saves a random B-tree
# insert per report, most of the log; EventLog.stream reads both indexes. NOT_OPENING must be the
# same text in the index and the query: SQLite uses a partial index only for a query that repeats it.
OPENING_PREFIX = "rep:"
NOT_OPENING = f"NOT (event_id = ('{OPENING_PREFIX}' || stream))"
Index("ix_events_stream", events.c.stream, sqlite_where=text(NOT_OPENING), postgresql_where=text(NOT_OPENING))

dead_letters = Table(
    "dead_letters",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("source", String(60), nullable=False),
    Column("source_id", String(300)),
    Column("reason", Text, nullable=False),
    Column("raw", Text, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("role", String(30), nullable=False),
    Column("township", String(30)),
    Column("action", String(60), nullable=False),
    Column("target", String(200)),
    Column("command_id", String(200)),
    Column("result", String(200), nullable=False),
    Column("remote", String(100)),
)

users = Table(
    "users",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column("username", String(60), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),
    Column("role", String(30), nullable=False),
    Column("township", String(30)),
    Column("active", Integer, nullable=False, default=1),
    Column("created_at", Float, nullable=False),
)

# A team member's one team: a table of its own, so a database from before team members gains it by create_all.
team_members = Table(
    "team_members",
    metadata,
    Column("username", String(60), primary_key=True),
    Column("team", String(30), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256: the token itself is never stored
    Column("kind", String(10), nullable=False),  # api | kiosk
    Column("role", String(30), nullable=False),
    Column("township", String(30)),
    Column("created_at", Float, nullable=False),
    Column("revoked_at", Float),
)

# The projection as it stood after a seq (store/snapshots.py): start-up folds only the log after the newest one.
snapshots = Table(
    "snapshots",
    metadata,
    Column("id", SeqType, primary_key=True, autoincrement=True),
    Column("seq", SeqType, nullable=False),
    Column("taken_at", Float, nullable=False),
    Column("format", String(80), nullable=False),  # FORMAT and the fold's fingerprint: another one is never read
    Column("blob", LargeBinary, nullable=False),  # zlib'd pickle of the state's fields but the district
)

# Evidence photos of an order's steps (store/evidence.py), re-encoded without metadata (application/evidence.py).
# In the database, next to the log, not in files: in the scaled mode every web process reads every photo.
evidence = Table(
    "evidence",
    metadata,
    Column("id", String(40), primary_key=True),  # uuid4 hex
    Column("incident_id", String(60), nullable=False),
    Column("step", String(20), nullable=False),
    Column("uploaded_by", String(120), nullable=False),
    Column("at", Float, nullable=False),
    Column("note", Text, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),  # of jpeg
    Column("jpeg", LargeBinary, nullable=False),
    Column("thumb", LargeBinary, nullable=False),
)
# An incident's photos in the order they were taken: one range of this index, no sort.
Index("ix_evidence_incident", evidence.c.incident_id, evidence.c.at)
