"""The HTTP API under /api/v1: token-authenticated JSON; each handler parses, calls a service, answers."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

import i18n
import views
from commands import COMMAND_ID, Outcome
from domain.access import authorize, can_see
from domain.errors import Rejected
from domain.events import to_dict
from domain.kpi import day_figures
from security import static_token_actor
from services import Services
from streams.codec import MAX_RAW_CHARS, Undecodable

MAX_BATCH = 5000
api = Blueprint("api", __name__, url_prefix="/api/v1")


def _services() -> Services:
    return current_app.extensions["onemap"]


def _lang() -> str:
    lang = request.args.get("lang") or request.accept_languages.best_match(["zh", "en"])
    return lang if lang in i18n.LANGS else _services().settings.lang


def _error(status: int, code: str, **params: Any) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": i18n.error(code, _lang(), **params)}}), status


@api.before_request
def _authenticate() -> Any:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.args.get("token", "")
    s = _services()
    found = s.accounts.token_actor(token, "api")
    actor = found.actor if found else static_token_actor(token, s.settings.api_tokens)
    if actor is None:
        return _error(401, "unauthorized")
    g.actor = actor
    return None


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
        return jsonify(day_figures(s.store.state, start, end))


@api.get("/dead-letters")
def dead_letters() -> Any:
    """Return the newest rejected records with their reasons (commanders and admins)."""
    refused = _refused("read_dead_letters")
    if refused:
        return refused
    return jsonify({"dead_letters": _services().store.log.dead_letters(int(request.args.get("limit", 100)))})


def _refused(action: str) -> Any:
    """Answer 403 when the caller's role may not do the action (domain/access.py decides), else None."""
    try:
        authorize(g.actor, action)
    except Rejected as exc:
        return _error(403, exc.code, **exc.params)
    return None


def command_body() -> tuple[dict[str, Any], Any]:
    """Return the JSON body of a command, or an error answer when it is not an object with a command_id."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return {}, _error(400, "bad_request", reason="a JSON object is required")
    if not COMMAND_ID.match(str(body.get("command_id", ""))):
        return {}, _error(400, "bad_request", reason="command_id: 8-100 characters of A-Z a-z 0-9 _ . : -")
    return body, None


def answer(outcome: Outcome) -> Any:
    """Answer a command: its events when done or duplicate, else the refusal in the user's language."""
    if outcome.ok:
        return jsonify({"status": outcome.status, "events": [to_dict(e) for e in outcome.events]})
    status = {"forbidden": 403, "out_of_scope": 403, "unknown_incident": 404}.get(outcome.code, 409)
    return _error(status, outcome.code, **outcome.params)


import api_commands  # noqa: E402,F401  (registers the command routes on this blueprint)
