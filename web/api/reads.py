"""The API's reads and record intake: records, incidents, KPIs, dead letters."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from flask import g, jsonify, request

from domain.access import can_see
from domain.events import to_dict
from domain.kpi import day_figures
from streams.codec import MAX_RAW_CHARS, Undecodable
from web import views
from web.api.base import _error, _refused, _services, api

MAX_BATCH = 5000


@api.post("/records")
def post_records() -> Any:
    """Ingest one record or {"records": [...]}; each is answered accepted, duplicate or rejected."""
    s = _services()
    refused = _refused("report")
    if refused:
        return refused
    raw = request.get_data(as_text=True)
    try:
        body = json.loads(raw)
    except ValueError as exc:
        s.ingestor.ingest([Undecodable(f"invalid JSON: {exc}", "api", raw[:MAX_RAW_CHARS])])  # kept as a dead letter
        return _error(400, "bad_request", reason=f"invalid JSON: {exc}")
    records = body["records"] if isinstance(body, dict) and "records" in body else [body]
    if not isinstance(records, list) or len(records) > MAX_BATCH:
        return _error(400, "bad_request", reason=f"'records' must be a list of at most {MAX_BATCH}")
    return jsonify({"results": [r.as_dict() for r in s.ingestor.ingest(records)]})


@api.get("/incidents")
def list_incidents() -> Any:
    """List incidents (open by default) with their stage, order and deadlines."""
    s, status, township = _services(), request.args.get("status", "open"), request.args.get("township")
    with s.store.lock:
        state, now = s.store.state, s.clock()
        found = [views.incident_entity(state, i, now) for i in state.incidents.values()
                 if (status == "all" or i.is_open) and (not township or i.township == township)
                 and can_see(g.actor, i.township)]
        seq = state.seq
    return jsonify({"server_time": now, "seq": seq, "incidents": found})


@api.get("/incidents/<incident_id>")
def get_incident(incident_id: str) -> Any:
    """Read one incident with its timeline of events."""
    s = _services()
    with s.store.lock:
        inc = s.store.state.incidents.get(incident_id)
        body = views.incident_entity(s.store.state, inc, s.clock()) if inc else None
    if body is None or not can_see(g.actor, body["township"]):
        return _error(404, "not_found")
    body["timeline"] = [{"seq": seq, **to_dict(e)} for seq, e in s.store.log.stream(incident_id)]
    return jsonify(body)


@api.get("/kpi")
def kpi() -> Any:
    """Return the day's figures (today by default; ?day=YYYY-MM-DD in district time)."""
    s = _services()
    offset = timezone(timedelta(hours=s.settings.utc_offset_h))
    day = request.args.get("day")
    try:
        at = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=offset).timestamp() + 1 if day else s.clock()
    except ValueError:
        return _error(400, "bad_request", reason="day must be YYYY-MM-DD")
    start, end = views.day_window(at, s.settings.utc_offset_h)
    with s.store.lock:
        return jsonify(day_figures(s.store.state, start, end, s.clock()))


@api.get("/dead-letters")
def dead_letters() -> Any:
    """Return the newest rejected records with their reasons (commanders and admins)."""
    refused = _refused("read_dead_letters")
    if refused:
        return refused
    return jsonify({"dead_letters": _services().store.log.dead_letters(int(request.args.get("limit", 100)))})


