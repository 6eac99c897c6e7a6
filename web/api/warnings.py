"""The API's early warnings: list them (in force, or every one kept), acknowledge one."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request

from domain import warnbook
from domain.projection import Projection
from web.api.base import _services, answer, command_body, route
from web.kinds.warning import entity


@route("/warnings", "read")
def list_warnings() -> Any:
    """List the early warnings the caller may see, newest first: in force (default), or ?state=all, every one kept."""
    s, in_force = _services(), request.args.get("state") != "all"

    def listed(state: Projection) -> dict[str, Any]:
        now = s.clock()
        found = [entity(state, w) for w in warnbook.visible(state, g.actor, now, in_force)]
        return {"server_time": now, "seq": state.seq, "warnings": found}

    return jsonify(s.store.read(listed))


@route("/warnings/<warning_id>/ack", "acknowledge_warning", methods=["POST"])
def acknowledge(warning_id: str) -> Any:
    """Acknowledge a warning: {"note", "command_id"}."""
    body, bad = command_body()
    if bad:
        return bad
    note, remote = str(body.get("note") or "")[:500], request.remote_addr or ""
    return answer(_services().commands.acknowledge_warning(g.actor, warning_id, note, body["command_id"], remote))
