"""The recurring problems through the API: GET /api/v1/recurring (docs/api.md); a township reads its own."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from domain import recurring
from domain.access import can_see
from domain.model import Role
from domain.projection import Projection
from web.api.base import _error, _services, route
from web.kinds.recurring import shape


@route("/recurring", "read")
def list_recurring() -> Any:
    """List the recurring problems now, the most reported first (?township=ID: anchored there; a township: its own)."""
    s, asked = _services(), request.args.get("township") or None
    if asked and not can_see(g.actor, asked):
        return _error(403, "out_of_scope", township=g.actor.township or "-")
    township = asked or (g.actor.township if g.actor.role is Role.TOWNSHIP else None)

    def listed(state: Projection) -> dict[str, Any]:
        now, policy = s.clock(), state.district.recurring
        return {
            "server_time": now,
            "seq": state.seq,
            "policy": {"radius_m": policy.radius_m, "count": policy.count, "days": policy.days},
            "recurring": [shape(p) for p in recurring.problems(state, now, township)],
        }

    return jsonify(s.store.read(listed))
