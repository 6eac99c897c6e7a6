"""A small district every access and hostile-input test shares: two townships' incidents, orders, broadcasts, sessions."""

from __future__ import annotations

import io
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from app import create_app
from application.evidence import process
from config import Settings
from domain.model import Role
from tests.conftest import Clock

PASSWORD = "correct-horse-battery"
ORIGIN = {"Origin": "http://localhost"}
ROLES = ("anonymous", "wall", "township", "commander", "duty_leader", "admin", "system", "team")
TOKENS = {
    "sys-token-1": "system",
    "cmd-token-1": "commander",
    "dl-token-1": "duty_leader",
    "t01-token-1": "township:T01",
    "wall-token-1": "wall",
    "adm-token-1": "admin",
}
TOKEN_OF = {spec.split(":")[0]: token for token, spec in TOKENS.items()}
USERS = {
    "township": ("op-t01", Role.TOWNSHIP, "T01"),
    "commander": ("cmd", Role.COMMANDER, None),
    "duty_leader": ("lead", Role.DUTY_LEADER, None),
    "admin": ("boss", Role.ADMIN, None),
    "team": ("crew-t01", Role.TEAM, "T01"),  # a member of T01's team that holds T01's order (World.team)
}
REFUSAL_CODES = ("unauthorized", "forbidden", "out_of_scope", "csrf")
_REFUSED_MESSAGE = re.compile(r'"data-code":\s*"(forbidden|out_of_scope)"')
_ids = itertools.count()


def command_id() -> str:
    """Return a fresh command id."""
    return f"probe-{next(_ids):06d}"


def record(source_id: str, lon: float, lat: float, **over: Any) -> dict[str, Any]:
    """Return a valid 12345 record at a point."""
    return {
        "source": "12345",
        "source_id": source_id,
        "category": "noise",
        "lon": lon,
        "lat": lat,
        "summary": "广场舞音响扰民",
        "address": "人民路100号",
        **over,
    }


@dataclass
class World:
    """The app, and the ids of each township's incident, order, team and broadcast."""

    onemap: Any
    incident: dict[str, str] = field(default_factory=dict)  # township -> incident id
    twin: dict[str, str] = field(default_factory=dict)  # township -> a second incident there
    team: dict[str, str] = field(default_factory=dict)
    photo: dict[str, str] = field(default_factory=dict)  # township -> an evidence photo of its incident
    broadcast: dict[str, str] = field(default_factory=dict)

    @property
    def services(self) -> Any:
        return self.onemap.services

    def client(self, role: str) -> Any:
        """Return a test client signed in as a role the real way (sign-in form, kiosk URL, or only a token)."""
        client = self.onemap.server.test_client()
        if role == "wall":
            kiosk = self.services.accounts.create_token(f"wall-{next(_ids)}", "kiosk", Role.WALL)
            assert client.get(f"/wall?kiosk={kiosk}").status_code == 200
        elif role in USERS:
            client.get("/login")
            with client.session_transaction() as s:
                csrf = s["csrf"]
            r = client.post("/login", data={"username": USERS[role][0], "password": PASSWORD, "csrf": csrf})
            assert r.status_code == 302, r.data[:300]
        return client

    def headers(self, role: str) -> dict[str, str]:
        """Return the request headers of a role: its API token (if any) and our own origin."""
        token = TOKEN_OF.get(role)
        return {**ORIGIN, **({"Authorization": f"Bearer {token}"} if token else {})}


def build_world(tmp_path: Any) -> World:
    """Create the app with users, tokens, an incident with an order in T01 and T02, and a broadcast to each."""
    onemap = create_app(Settings(data_dir=tmp_path, simulator=False, api_tokens=TOKENS), clock=Clock())
    world = World(onemap)
    for name, role, township in USERS.values():
        if role is not Role.TEAM:
            onemap.services.accounts.create_user(name, PASSWORD, role, township)
    commander = world.headers("commander")
    client = onemap.server.test_client()
    for town in ("T01", "T02"):
        team = next(t for t in onemap.services.district.teams.values() if t.township == town)
        world.team[town] = team.id
        for n, slot in ((0, world.incident), (1, world.twin)):
            r = client.post(
                "/api/v1/records",
                json=record(f"{town}-{n}", team.lon + n * 1e-4, team.lat),
                headers=world.headers("system"),
            )
            slot[town] = r.get_json()["results"][0]["incident_id"]
        assert onemap.services.store.read(lambda state: state.incidents[world.incident[town]].township) == town
        r = client.post(
            f"/api/v1/incidents/{world.incident[town]}/order",
            json={"team_id": team.id, "command_id": command_id()},
            headers=commander,
        )
        assert r.status_code == 200, r.get_json()
        r = client.post(
            "/api/v1/broadcasts",
            json={
                "kind": "flood_response",
                "level": "IV",
                "townships": [town],
                "message": f"only {town}",
                "command_id": command_id(),
            },
            headers=commander,
        )
        world.broadcast[town] = r.get_json()["events"][0]["broadcast_id"]
        world.photo[town] = onemap.services.evidence.put(process(jpeg()), world.incident[town], "on_site", "crew")
    name, role, township = USERS["team"]
    onemap.services.accounts.create_user(name, PASSWORD, role, township, team=world.team["T01"])
    return world


def jpeg(width: int = 64, height: int = 48) -> bytes:
    """Return a small real JPEG, as a phone's camera would send (much smaller)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def refused(response: Any, path: str = "") -> bool:
    """Tell whether an answer is an access refusal: 401/403, a redirect to sign in or home, a refusal message."""
    if response.status_code == 403 or response.status_code == 401 and error_shape(response):
        return True  # (a sign-in form that failed is a 401 page: an answer, not a refusal)
    if response.status_code in (301, 302, 303) and not path.startswith("/logout"):  # signing out ends at /login
        location = response.headers.get("Location", "")
        home = location.split("?refused=")[0]  # an admin's home says why it was refused
        return location.startswith("/login") or home in ("/township/T01", "/wall", "/command", "/admin", "/team")
    return bool(_REFUSED_MESSAGE.search(response.get_data().decode("utf-8", "replace")))


def error_shape(response: Any) -> bool:
    """Tell whether a body is the stable error shape {"error": {"code", "message"}}."""
    try:
        body = json.loads(response.get_data().decode("utf-8", "replace"))
    except ValueError:
        return False
    err = body.get("error") if isinstance(body, dict) else None
    return isinstance(err, dict) and isinstance(err.get("code"), str) and isinstance(err.get("message"), str)
