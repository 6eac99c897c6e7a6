"""The API's blueprint and what every handler shares: who asks, what each route may do and where, bodies, answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

import i18n
from application.commands import COMMAND_ID, Outcome
from application.services import Services
from domain.access import authorize, authorize_incident
from domain.errors import Rejected
from domain.events import to_dict
from streams.codec import MAX_DEPTH, parse_text, too_deep
from web.security import api_actor
from web.timeparams import BadTime

api = Blueprint("api", __name__, url_prefix="/api/v1")
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


@dataclass(frozen=True)
class Rule:
    """What a route does (an action of domain/access.PERMISSIONS) and which view argument names an incident."""

    action: str
    incident: str | None = None


RULES: dict[str, Rule] = {}  # endpoint -> its rule; a route without one is refused (fail closed)


def route(rule: str, action: str, incident: str | None = None, **options: Any) -> Callable[[Any], Any]:
    """Declare an API route with its action and scope; the before_request checks both before the handler runs."""

    def register(fn: Any) -> Any:
        RULES[f"{api.name}.{fn.__name__}"] = Rule(action, incident)
        return api.route(rule, **options)(fn)

    return register


def _services() -> Services:
    return current_app.extensions["onemap"]


def _lang() -> str:
    lang = request.args.get("lang") or request.accept_languages.best_match(["zh", "en"])
    return lang if lang in i18n.LANGS else _services().settings.lang


def _error(status: int, code: str, **params: Any) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": i18n.error(code, _lang(), **params)}}), status


@api.errorhandler(BadTime)
def _bad_time(exc: BadTime) -> tuple[Response, int]:
    """Refuse a time or date parameter that is not a moment the product can hold, in the caller's language."""
    return _error(400, exc.code, **exc.params)


def incident_id_of(ident: str) -> str:
    """Return the incident an id names: an incident id, or an order id (I…-n) of one."""
    known = _services().store.read(lambda state: ident in state.incidents)
    return ident if known else ident.rsplit("-", 1)[0]


@api.before_request
def _authenticate() -> Any:
    """Resolve the caller, then check the route's role and the incident's township scope, before anything is read."""
    rule = RULES.get(request.endpoint or "")
    if rule is None:
        return _error(404, "not_found")
    s = _services()
    actor = api_actor(s.accounts, s.settings.api_tokens)
    if actor is None:
        return _error(401, "unauthorized")
    g.actor = actor
    try:
        authorize(actor, rule.action, actor.township)  # the role (scope: below, or in the handler's filter)
        if rule.incident:
            ident = str((request.view_args or {}).get(rule.incident, ""))
            authorize_incident(actor, rule.action, s.store.incident(incident_id_of(ident)))  # archived too
    except Rejected as exc:
        if request.method != "GET":  # a refused command is audited like one that ran
            args = request.view_args or {}
            action = f"order_{args['step']}".replace("-", "_") if "step" in args else rule.action
            s.commands.refused(
                actor, action, str(args.get(rule.incident or "", ""))[:200], exc.code, request.remote_addr or ""
            )
        return _error(403, exc.code, **exc.params)
    return None


def json_body() -> tuple[Any, str]:
    """Return the parsed JSON body and "" , or (None, why not): invalid, nested too deep; lone surrogates mended."""
    raw = request.get_data(as_text=True)
    try:
        value = parse_text(raw)  # the same answer from any stack depth: a deep record is cut, not the batch
    except ValueError as exc:  # includes integers of more than 4300 digits
        return None, f"invalid JSON: {str(exc)[:200]}"
    return value, ""


def mend(value: Any) -> Any:
    """Replace lone surrogates ("\\ud800") in strings, which no database or encoder takes (value is not too deep)."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8") if not value.isascii() else value
    if isinstance(value, list):
        return [mend(v) for v in value]
    if isinstance(value, dict):
        return {mend(k): mend(v) for k, v in value.items()}
    return value


def needs_mending(raw: str) -> bool:
    """Tell whether a body escapes a surrogate (cheap: most bodies do not)."""
    return bool(_SURROGATE.search(raw))


def object_body() -> tuple[dict[str, Any], Any]:
    """Return the JSON object of a body, mended, or an error answer when it is not one (or is nested too deep)."""
    body, why = json_body()
    if why:
        return {}, _error(400, "bad_request", reason=why)
    if not isinstance(body, dict) or too_deep(body):
        return {}, _error(400, "bad_request", reason=f"a JSON object nested at most {MAX_DEPTH} deep is required")
    return mend(body), None


def command_body() -> tuple[dict[str, Any], Any]:
    """Return the JSON body of a command, or an error answer when it is not an object with a command_id."""
    body, bad = object_body()
    if bad:
        return {}, bad
    if not isinstance(body.get("command_id"), str) or not COMMAND_ID.fullmatch(body["command_id"]):
        return {}, _error(400, "bad_request", reason="command_id: 8-100 characters of A-Z a-z 0-9 _ . : -")
    return body, None


def answer(outcome: Outcome) -> Any:
    """Answer a command: its events when done or duplicate, else the refusal in the user's language."""
    if outcome.ok:
        return jsonify({"status": outcome.status, "events": [to_dict(e) for e in outcome.events]})
    status = {"forbidden": 403, "out_of_scope": 403, "unknown_incident": 404, "unknown_warning": 404}.get(
        outcome.code, 409
    )
    return _error(status, outcome.code, **outcome.params)
