"""The API's reads and record intake: records, incidents, KPIs, dead letters."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Any

from flask import g, jsonify, request

from domain.access import can_see
from domain.events import to_dict
from domain.kpi import day_figures
from domain.model import Incident
from domain.projection import Projection
from streams.codec import MAX_RAW_CHARS, Undecodable, too_deep
from web import timeparams, views
from web.api.base import _error, _services, json_body, mend, needs_mending, route

MAX_BATCH = 5000
MAX_DEAD_LETTERS = 1000


@route("/records", "report", methods=["POST"])
def post_records() -> Any:
    """Ingest one record or {"records": [...]}; each is answered accepted, duplicate or rejected."""
    s = _services()
    raw = request.get_data(as_text=True)
    body, why = json_body()
    if why:
        s.ingestor.ingest([Undecodable(why, "api", raw[:MAX_RAW_CHARS])])  # kept as a dead letter
        return _error(400, "bad_request", reason=why)
    records = body["records"] if isinstance(body, dict) and "records" in body else [body]
    if not isinstance(records, list) or len(records) > MAX_BATCH:
        s.ingestor.ingest([Undecodable(f"'records' must be a list of at most {MAX_BATCH}", "api", raw[:MAX_RAW_CHARS])])
        return _error(400, "bad_request", reason=f"'records' must be a list of at most {MAX_BATCH}")
    if needs_mending(raw):  # each record on its own: one too deep to mend is rejected by the ingestor
        records = [r if too_deep(r) else mend(r) for r in records]
    return jsonify({"results": [r.as_dict() for r in s.ingestor.ingest(records)]})


@route("/incidents", "read")
def list_incidents() -> Any:
    """List incidents (open by default) with their stage, order and deadlines."""
    s, status, township = _services(), request.args.get("status", "open"), request.args.get("township")
    if township and not can_see(g.actor, township):
        return _error(403, "out_of_scope", township=g.actor.township or "-")

    def listed(state: Projection) -> dict[str, Any]:
        # all: the incidents in memory (open, and closed within the retention); older ones by id
        now = s.clock()
        found = [
            views.incident_entity(state, i, now)
            for i in (state.incidents.values() if status == "all" else state.open_incidents())
            if (not township or i.township == township) and can_see(g.actor, i.township)
        ]
        return {"server_time": now, "seq": state.seq, "incidents": found}

    return jsonify(s.store.read(listed))


@route("/incidents/<incident_id>", "read", incident="incident_id")
def get_incident(incident_id: str) -> Any:
    """Read one incident with its timeline of events."""
    s = _services()

    def entity(state: Projection, inc: Incident | None) -> dict[str, Any] | None:
        return dict(views.incident_entity(state, inc, s.clock())) if inc else None

    body = s.store.read(lambda state: entity(state, state.incidents.get(incident_id)))
    if body is None:  # archived (closed past the retention): folded from its own stream
        archived = s.store.incident(incident_id)
        body = s.store.read(lambda state: entity(state, archived))
        body = {**body, "archived": True} if body else None
    if body is None:  # a township was refused before this: it never learns which ids exist
        return _error(404, "not_found")
    # A report's caller pseudonym stays in the log: counted (recurring problems), never handed out (docs/security.md).
    body["timeline"] = [{"seq": seq, **to_dict(e)} for seq, e in s.store.log.stream(incident_id)]
    for step in body["timeline"]:
        step.pop("caller", None)
    return jsonify(body)


@route("/kpi", "read")
def kpi() -> Any:
    """Return the day's figures (today by default; ?day=YYYY-MM-DD in district time)."""
    s = _services()
    offset = timezone(timedelta(hours=s.settings.utc_offset_h))
    day = request.args.get("day")
    at = datetime.combine(timeparams.day(day), time(), offset).timestamp() + 1 if day else s.clock()
    start, end = views.day_window(at, s.settings.utc_offset_h)

    def in_memory(state: Projection) -> dict[str, Any] | None:
        if start >= state.kept_since or s.replayer is None:  # all that can count for the day is in memory
            return day_figures(state, start, end, s.clock())
        return None

    figures = s.store.read(in_memory)
    if figures is not None:
        return jsonify(figures)
    # A day older than the retention: as the daily report reads it, from the log as of the day's end.
    as_of = min(s.clock(), end)
    return jsonify(day_figures(s.replayer.at(as_of), start, end, as_of))


@route("/dead-letters", "read_dead_letters")
def dead_letters() -> Any:
    """Return the newest rejected records with their reasons (commanders and admins); ?limit=1..1000."""
    limit = request.args.get("limit", "100")
    if not (limit.isascii() and limit.isdigit() and 1 <= int(limit) <= MAX_DEAD_LETTERS):
        return _error(400, "bad_request", reason=f"limit must be a whole number from 1 to {MAX_DEAD_LETTERS}")
    return jsonify({"dead_letters": _services().store.log.dead_letters(int(limit))})
