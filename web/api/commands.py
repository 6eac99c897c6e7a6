"""The API's commands: orders, their steps, cancel, merge, broadcasts; each parses, calls Commands, answers."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from domain.access import authorize_incident
from domain.broadcast import board
from domain.errors import Rejected
from domain.model import Role
from web.api.base import _services, answer, command_body, incident_id_of, route

# The URL's step names (dash-separated) and what each needs from the body.
STEP_NAMES = {
    "sign": "sign",
    "respond": "respond",
    "route": "route",
    "on-site": "on_site",
    "on_site": "on_site",
    "resolve": "resolve",
}


def _remote() -> str:
    return request.remote_addr or ""


def _visible(incident: Any) -> bool:
    try:
        authorize_incident(g.actor, "read", incident)
    except Rejected:
        return False
    return incident is not None


def _text(body: dict[str, Any], key: str, limit: int = 500) -> str:
    return str(body.get(key) or "")[:limit]


@route("/incidents/<incident_id>/order", "issue_order", incident="incident_id", methods=["POST"])
def issue_order(incident_id: str) -> Any:
    """Issue the order: {"team_id"} (a team) or {"township"} (its room picks the team), and "command_id"."""
    body, bad = command_body()
    if bad:
        return bad
    return answer(
        _services().commands.issue_order(
            g.actor, incident_id, _text(body, "team_id", 60), body["command_id"], _remote(), _text(body, "township", 30)
        )
    )


@route("/orders/<order_id>/<step>", "advance_order", incident="order_id", methods=["POST"])
def advance_order(order_id: str, step: str) -> Any:
    """Advance an order (by order id or incident id): sign, respond, route, on-site, resolve, feedback, close."""
    body, bad = command_body()
    if bad:
        return bad
    c, cid = _services().commands, body["command_id"]
    iid = incident_id_of(order_id)
    if step == "route" and (body.get("to_township") or body.get("to_department")):
        return answer(
            c.transfer(
                g.actor,
                iid,
                _text(body, "reason"),
                _text(body, "to_township", 30),
                _text(body, "to_department", 100),
                cid,
                _remote(),
            )
        )
    if step == "feedback":
        return answer(c.feedback(g.actor, iid, _text(body, "result", 20), _text(body, "note"), cid, _remote()))
    if step == "close":
        return answer(c.close(g.actor, iid, _text(body, "note"), cid, _remote()))
    return answer(
        c.advance(
            g.actor,
            iid,
            STEP_NAMES.get(step, step),
            cid,
            _text(body, "note"),
            _remote(),
            _text(body, "team_id", 60),
            outcome=_text(body, "outcome", 40),
        )
    )


@route("/incidents/<incident_id>/cancel", "cancel", incident="incident_id", methods=["POST"])
def cancel(incident_id: str) -> Any:
    """Cancel an incident: {"reason", "command_id"}."""
    body, bad = command_body()
    return bad or answer(
        _services().commands.cancel(g.actor, incident_id, _text(body, "reason"), body["command_id"], _remote())
    )


@route("/incidents/<incident_id>/merge", "merge", incident="incident_id", methods=["POST"])
def merge(incident_id: str) -> Any:
    """Fold this incident into another: {"into", "reason", "command_id"}."""
    body, bad = command_body()
    return bad or answer(
        _services().commands.merge(
            g.actor, incident_id, _text(body, "into", 60), _text(body, "reason"), body["command_id"], _remote()
        )
    )


@route("/incidents/<incident_id>/merge-candidates", "read", incident="incident_id")
def merge_candidates(incident_id: str) -> Any:
    """List open incidents that are probably the same event."""
    s = _services()
    ids = s.commands.merge_candidates(incident_id, s.settings.merge_within_m, s.settings.merge_within_s)
    # A township sees only the candidates of its own township.
    ids = s.store.read(lambda state: [i for i in ids if _visible(state.incidents.get(i))])
    return jsonify({"incident_id": incident_id, "candidates": ids})


@route("/broadcasts", "broadcast", methods=["POST"])
def broadcast() -> Any:
    """Send one order to many townships: {"kind", "level", "townships": [...] | "all", "message", "command_id"}."""
    body, bad = command_body()
    if bad:
        return bad
    towns = body.get("townships", "all")
    towns = towns if towns == "all" else [str(t)[:30] for t in towns] if isinstance(towns, list) else []
    return answer(
        _services().commands.broadcast(
            g.actor,
            _text(body, "kind", 40),
            _text(body, "level", 20),
            towns,
            _text(body, "message"),
            body["command_id"],
            _remote(),
        )
    )


@route("/broadcasts/<broadcast_id>/sign", "sign_broadcast", methods=["POST"])
def sign_broadcast(broadcast_id: str) -> Any:
    """A township room signs for a broadcast: {"command_id"}."""
    body, bad = command_body()
    return bad or answer(_services().commands.sign_broadcast(g.actor, broadcast_id, body["command_id"], _remote()))


@route("/broadcasts", "read")
def list_broadcasts() -> Any:
    """List broadcasts with their sign board."""
    s = _services()
    now = s.clock()
    found = s.store.read(
        lambda state: [  # a township sees only the broadcasts sent to it
            b for b in state.broadcasts.values() if g.actor.role is not Role.TOWNSHIP or g.actor.township in b.townships
        ]
    )
    return jsonify(
        {
            "server_time": now,
            "broadcasts": [
                {
                    "id": b.id,
                    "kind": b.kind,
                    "level": b.level,
                    "message": b.message,
                    "townships": list(b.townships),
                    "issued_at": b.issued_at,
                    "deadline": b.deadline,
                    "signed": dict(b.signed),
                    "board": board(b, now),
                }
                for b in sorted(found, key=lambda b: -b.issued_at)
            ],
        }
    )
