"""Every Flask route and every Dash server callback, for every role, in and out of scope, against docs/api.md."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.integration.world import ROLES, World, build_world, command_id, jpeg, record, refused

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
HOME_PAGE = {
    "township": "township/T01",
    "wall": "wall",
    "admin": "nope",
    "commander": "command",
    "duty_leader": "command",
    "anonymous": "wall",
    "system": "wall",
    "team": "team",
}
LAST = ("/logout", "/login")  # these end or replace the session: run after the rest


def role_table() -> dict[str, dict[str, str]]:
    """Parse the entry-point table of docs/api.md: entry ("GET /path" or "callback name") -> role -> cell."""
    table: dict[str, dict[str, str]] = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 1 + len(ROLES) or "`" not in cells[0]:
            continue
        prefix = "callback " if cells[0].startswith("callback") else ""
        every = "every other method" in cells[0]
        for name in re.findall(r"`([^`]+)`", cells[0]):
            entries = [f"{m} {name.split(' ', 1)[1]}" for m in METHODS] if every else [prefix + name]
            for entry in entries:
                table[entry] = dict(zip(ROLES, cells[1:]))
    return table


def callback_name(cb: dict[str, Any]) -> str:
    """Name a server callback by its first input (a pattern input by its type), as the docs table does."""
    first = cb["inputs"][0]
    ident = json.loads(first["id"])["type"] if first["id"].startswith("{") else first["id"]
    return f"{ident}.{first['property']}"


def entry_points(world: World) -> list[tuple[str, str, str]]:
    """Return (entry, method, rule) for every route of the Flask app and every server callback of the Dash app."""
    out = [
        (f"{m} {r.rule}", m, r.rule)
        for r in world.onemap.server.url_map.iter_rules()
        for m in sorted(r.methods - {"HEAD", "OPTIONS"})
    ]
    out += [
        (f"callback {callback_name(cb)}", "POST", key)
        for key, cb in world.onemap.dash.callback_map.items()
        if "callback" in cb
    ]
    return sorted(out, key=lambda e: any(e[2].startswith(p) for p in LAST))


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return build_world(tmp_path_factory.mktemp("access-table"))


def _url(world: World, rule: str, role: str, town: str) -> str:
    """Fill a rule's variables with ids of a township (T01: in the township operator's scope; T02: out)."""
    values = {
        "incident_id": world.incident[town],
        "order_id": f"{world.incident[town]}-1",
        "step": "sign",
        "broadcast_id": world.broadcast[town],
        "warning_id": f"warn:hour:1:{town}:noise",  # none raised: the district roles get 404 unknown_warning
        "rest": "v1/nope",
        "photo_id": world.photo[town],
        "filename": "onemap.css",
        "package_name": "dash",
        "fingerprinted_path": "nope.js",
        "path": HOME_PAGE[role] if town == "T01" else "township/T02",
    }
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], rule)


def _body(world: World, town: str, other: str) -> dict[str, Any]:
    return {
        "command_id": command_id(),
        "team_id": world.team[town],
        "note": "done",
        "reason": "duplicate",
        "into": other,
        "kind": "flood_response",
        "level": "IV",
        "townships": [town],
        "message": "m",
        **record(f"tbl-{command_id()}", 121.14, 31.07),
    }


def _dep(spec: dict[str, Any], fill: dict[str, Any], values: dict[str, Any]) -> Any:
    """Build one input/state of a callback request as the Dash renderer sends it (a pattern as a list)."""
    if spec["id"].startswith("{"):
        pattern = json.loads(spec["id"])
        ident = {k: (fill[k] if v == ["ALL"] else v) for k, v in pattern.items()}
        value = ident if spec["property"] == "id" else values.get(pattern["type"] + "." + spec["property"], 1)
        return [{"id": ident, "property": spec["property"], "value": value}]
    return {"id": spec["id"], "property": spec["property"], "value": values.get(f"{spec['id']}.{spec['property']}")}


def callback_payload(world: World, key: str, role: str, town: str) -> dict[str, Any]:
    """Return the /_dash-update-component body for a server callback about a township's ids."""
    cb = world.onemap.dash.callback_map[key]
    iid = world.incident[town]
    fill = {
        "incident": iid,
        "team": world.team[town],
        "township": town,
        "k": 0,
        "result": "satisfied",
        "dup": world.twin[town],
        "into": iid,
        "step": "sign",
        "broadcast": world.broadcast[town],
    }
    values = {
        "om-url.pathname": "/" + _url(world, "<path>", role, town),
        "om-url.search": "",
        "om-i18n.data": {"lang": "zh"},
        "cmd-sig.data": 1,
        "cmd-done.data": 0,
        "cmd-selected.data": iid,
        "town-confirm-route.n_clicks": 1,
        "town-confirm-resolve.n_clicks": 1,
        "town-action.data": {"incident": iid},
        "town-mode.value": "route",
        "town-team-pick.value": world.team[town],
        "town-note.value": "done",
        "bcast-send.n_clicks": 1,
        "bcast-cmd.data": command_id(),
        "bcast-kind.value": "flood_response",
        "bcast-level.value": "IV",
        "bcast-scope.value": "all",
        "bcast-msg.value": "m",
        "cancel-reason.value": "dup",
        "merge-reason.value": "dup",
        "replay-incident.data": iid,
        # a keyed row's button relays its click to a store (assets/keyed.js)
        "town-step.data": {"incident": iid, "step": "sign", "n": 1},
        "town-sign.data": {**fill, "n": 1},
        "cmd-feedback.data": {"incident": iid, "result": "satisfied", "n": 1},
        "cmd-close.data": {"incident": iid, "n": 1},
        "cmd-warn-ack.data": {"warning": f"warn:hour:1:{town}:noise", "n": 1},
    }
    inputs = [_dep(s, fill, values) for s in cb["inputs"]]
    first = inputs[0][0] if isinstance(inputs[0], list) else inputs[0]
    first_id = (
        first["id"] if isinstance(first["id"], str) else json.dumps(first["id"], sort_keys=True, separators=(",", ":"))
    )
    outputs = [dict(zip(("id", "property"), o.split(".", 1))) for o in key.strip(".").split("...")]
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": inputs,
        "state": [_dep(s, fill, values) for s in cb["state"]],
        "changedPropIds": [f"{first_id}.{first['property']}"],
    }


def _csrf(client: Any) -> str:
    """Return the session's CSRF token, made by opening the sign-in page when the session has none."""
    with client.session_transaction() as s:
        token = s.get("csrf")
    if token is None:
        client.get("/login")
        with client.session_transaction() as s:
            token = s.get("csrf", "")
    return token


def ask(world: World, client: Any, role: str, entry: str, method: str, rule: str, town: str) -> Any:
    """Send one entry point's request as a role, about a township's ids."""
    if entry.startswith("callback "):
        return client.post(
            "/_dash-update-component", json=callback_payload(world, rule, role, town), headers=world.headers(role)
        )
    url = _url(world, rule, role, town)
    if method == "GET":
        return client.get(url, headers=world.headers(role))
    if rule == "/team/evidence":  # a photo, as the phone page uploads it
        form = {"incident_id": world.incident[town], "step": "on_site", "photo": (io.BytesIO(jpeg()), "site.jpg")}
        return client.post(url, data=form, headers=world.headers(role))
    if rule in ("/login", "/logout", "/admin"):  # forms: with the session's CSRF token, as the page posts them
        return client.open(
            url, method=method, data={"action": "none", "csrf": _csrf(client)}, headers=world.headers(role)
        )
    return client.open(url, method=method, json=_body(world, town, world.twin[town]), headers=world.headers(role))


def test_every_route_and_server_callback_is_in_the_documented_role_table(world):
    table = role_table()
    missing = [entry for entry, _, _ in entry_points(world) if entry not in table]
    assert not missing, f"add these to the role table in docs/api.md: {missing}"
    assert len([e for e in entry_points(world) if e[0].startswith("callback ")]) >= 13


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_allowed_or_refused_at_every_entry_point_as_documented_in_and_out_of_scope(world, role):
    table, client, wrong = role_table(), world.client(role), []
    for entry, method, rule in entry_points(world):
        cell = table[entry][role]
        for town in ("T01", "T02"):
            r = ask(world, client, role, entry, method, rule, town)
            assert r.status_code < 500, (entry, town, r.status_code, r.get_data().decode("utf-8", "replace")[:300])
            expected = {"yes": False, "no": True, "own": town == "T02", "404": False}[cell]
            got = refused(r, _url(world, rule, role, town) if not entry.startswith("callback") else "")
            if cell == "404" and r.status_code != 404 or got != expected:
                wrong.append((entry, town, cell, r.status_code, r.get_data().decode("utf-8", "replace")[:160]))
    assert not wrong, "\n".join(map(str, wrong))
