"""Arbitrary JSON to every JSON endpoint and callback: never a 5xx, always the error shape, batches record by record."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.world import World, build_world, command_id, error_shape, record

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\t",
        "\xa0",
        "\u200b",
        "\u202e",
        "\ud800",
        "\x00",
        "\x1b[31m",
        "𝕏",
        "x" * 70_000,
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "'; drop table events;--",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([10**30, -(10**30), 2**63, 10**4000 // 10**3990])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | ODD_TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | ODD_TEXT, inner, max_size=4),
    max_leaves=12,
)


def nested(depth: int, opener: str = "[") -> str:
    """Return JSON text nested depth deep."""
    closer = {"[": "]", '{"a":': "}"}[opener]
    return opener * depth + "1" + closer * depth


BODIES = (
    VALUES.map(lambda v: json.dumps(v, allow_nan=True))
    | st.builds(nested, st.integers(30, 100_000), st.sampled_from(["[", '{"a":']))
    | st.text(max_size=200)
    | st.just('{"command_id": "abcdefgh1", "x": 1e999999}')
)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return build_world(tmp_path_factory.mktemp("hostile"))


def json_endpoints(world: World) -> list[tuple[str, str]]:
    """Return (path, role) of every JSON POST endpoint of the API, about the caller's own ids."""
    iid, own = world.incident["T01"], world.twin["T01"]
    return [
        ("/api/v1/records", "system"),
        (f"/api/v1/incidents/{own}/order", "commander"),
        (f"/api/v1/orders/{iid}/sign", "township"),
        (f"/api/v1/orders/{iid}/route", "township"),
        (f"/api/v1/orders/{iid}/feedback", "commander"),
        (f"/api/v1/orders/{iid}/close", "commander"),
        (f"/api/v1/incidents/{own}/cancel", "commander"),
        (f"/api/v1/incidents/{own}/merge", "commander"),
        ("/api/v1/broadcasts", "commander"),
        (f"/api/v1/broadcasts/{world.broadcast['T01']}/sign", "township"),
        ("/api/v1/warnings/warn:hour:0:T01:noise/ack", "commander"),  # none raised: refused as unknown, never a 500
    ]


def test_every_json_post_endpoint_of_the_api_is_probed(world):
    rules = [
        r.rule for r in world.onemap.server.url_map.iter_rules() if r.rule.startswith("/api/v1") and "POST" in r.methods
    ]
    probed = [path for path, _ in json_endpoints(world)]
    for rule in rules:
        pattern = re.compile("^" + re.sub(r"<[^>]+>", "[^/]+", rule) + "$")
        assert any(pattern.match(p) for p in probed), f"probe {rule} in json_endpoints()"


def answered(response: Any) -> None:
    assert response.status_code < 500, response.get_data()[:300]
    if response.status_code >= 400:
        assert error_shape(response), response.get_data()[:300]


@SETTINGS
@given(body=BODIES, which=st.integers(0, 9))
def test_any_body_to_any_json_endpoint_is_answered_without_a_5xx_and_errors_have_the_error_shape(world, body, which):
    path, role = json_endpoints(world)[which]
    seq = world.services.store.read(lambda state: state.seq)
    r = world.onemap.server.test_client().post(
        path, data=body, content_type="application/json", headers=world.headers(role)
    )
    answered(r)
    if r.status_code >= 400:
        assert world.services.store.read(lambda state: state.seq) == seq  # a refused request stored nothing


@SETTINGS
@given(
    hostile=st.lists(VALUES | st.builds(lambda d: json.loads(nested(d, '{"a":')), st.integers(30, 900)), max_size=4),
    fields=st.dictionaries(
        st.sampled_from(["source_id", "lon", "lat", "category", "summary", "address", "source", "reported_at", "crs"]),
        VALUES,
        max_size=3,
    ),
)
def test_a_batch_is_answered_record_by_record_and_a_rejected_record_is_dead_lettered_never_half_stored(
    world, hostile, fields
):
    log = world.services.store.log
    good = record(command_id(), 121.142, 31.07)
    records = [good, {**record(command_id(), 121.142, 31.07), **fields}, *hostile]
    letters = len(log.dead_letters(1000))
    r = world.onemap.server.test_client().post(
        "/api/v1/records", json={"records": records}, headers=world.headers("system")
    )
    answered(r)
    results = r.get_json()["results"]
    assert len(results) == len(records) and results[0]["status"] == "accepted"
    for result in results:
        assert result["status"] in ("accepted", "duplicate", "rejected")
        if result["status"] == "accepted":
            assert result["incident_id"] in world.services.store.read(lambda state: state.incidents)
    rejected = sum(x["status"] == "rejected" for x in results)
    assert len(log.dead_letters(1000)) == letters + rejected


def server_callbacks(world: World) -> list[str]:
    return sorted(k for k, cb in world.onemap.dash.callback_map.items() if "callback" in cb)


@SETTINGS
@given(data=st.data())
def test_any_value_in_any_callbacks_inputs_or_any_body_is_answered_without_a_5xx(world, data):
    from tests.integration.test_access_table import callback_payload

    role = data.draw(st.sampled_from(["commander", "township"]))
    client = _sessions(world)[role]
    if data.draw(st.booleans()):
        body = data.draw(BODIES)
    else:
        key = data.draw(st.sampled_from(server_callbacks(world)))
        payload = callback_payload(world, key, role, "T01")
        for dep in payload["inputs"] + payload["state"]:
            for item in dep if isinstance(dep, list) else [dep]:
                if data.draw(st.booleans()):
                    item["value"] = data.draw(VALUES)
                if data.draw(st.integers(0, 5)) == 0:
                    item["id"] = data.draw(VALUES)
        if data.draw(st.integers(0, 3)) == 0:
            payload[data.draw(st.sampled_from(["output", "outputs", "inputs", "state", "changedPropIds"]))] = data.draw(
                VALUES
            )
        body = json.dumps(payload, allow_nan=True)
    r = client.post(
        "/_dash-update-component", data=body, content_type="application/json", headers={"Origin": "http://localhost"}
    )
    answered(r)


_CLIENTS: dict[int, dict[str, Any]] = {}


def _sessions(world: World) -> dict[str, Any]:
    """Return one signed-in client per role for the module's world (signing in is slow: once)."""
    if id(world) not in _CLIENTS:
        _CLIENTS[id(world)] = {role: world.client(role) for role in ("commander", "township")}
    return _CLIENTS[id(world)]
