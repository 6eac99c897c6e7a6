"""The API's blueprint and what every handler shares: authentication, the error shape, role checks, command bodies."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

import i18n
from application.commands import COMMAND_ID, Outcome
from application.services import Services
from domain.access import authorize
from domain.errors import Rejected
from domain.events import to_dict
from web.security import static_token_actor

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

