"""Time and date parameters: what is not a moment the product can hold is a 400 with its reason, never a 500."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.world import World, build_world
from web.api.base import RULES

TIME_PARAMS = ("day", "start", "week", "at")
EDGES = [
    "0001-01-01",
    "9999-12-31",
    "1969-12-31",
    "2100-01-01",
    "0000-00-00",
    "2026-02-30",
    "nan",
    "inf",
    "-inf",
    "1e400",
    "-1e400",
    "1e308",
    "-9223372036854775809",
    "18446744073709551616",
    "9999-W52",
    "0001-W01",
    "2026-W00",
    "2026-W54",
    "0001-01-01T00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "2026-11-18T24:00",
    "٢٠٢٦-١١-١٨",
    "2026-11-18\x00",
    " ",
    "0x10",
    "1_000_000",
    "-0",
    "1.7e9",
    "NaN",
    "Infinity",
]
VALUES = st.one_of(
    st.sampled_from(EDGES),
    st.text(max_size=30),
    st.floats().map(repr),
    st.integers().map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.builds(lambda y, w: f"{y:04d}-W{w:02d}", st.integers(0, 9999), st.integers(0, 60)),
)
PAGES = ("/wall", "/replay", "/wall/analytics", "/command", "/township/T01")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return build_world(tmp_path_factory.mktemp("times"))


def get_routes(world: World) -> list[str]:
    """Return every GET route of the API, its incident or order argument filled with a real one."""
    iid = world.incident["T01"]
    return sorted(
        re.sub(r"<[^>]+>", iid, rule.rule)
        for rule in world.onemap.server.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and "GET" in (rule.methods or ())
    )


def test_every_get_route_of_the_api_is_probed_and_each_has_its_rule(world):
    routes = get_routes(world)
    assert {"/api/v1/reports/daily", "/api/v1/reports/weekly", "/api/v1/replay", "/api/v1/kpi"} <= set(routes)
    assert len(routes) >= 8 and all(e in RULES for e in RULES)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    params=st.dictionaries(st.sampled_from(TIME_PARAMS), VALUES, min_size=1),
    fmt=st.sampled_from(["json", "csv", "xlsx"]),
    lang=st.sampled_from(["zh", "en"]),
)
def test_no_time_parameter_of_any_api_route_makes_a_5xx(world, data, params, fmt, lang):
    path = data.draw(st.sampled_from(get_routes(world)))
    r = world.onemap.server.test_client().get(
        path, query_string={**params, "format": fmt, "lang": lang}, headers=world.headers("commander")
    )
    assert r.status_code < 500, (path, params, r.data[:300])
    if r.status_code == 400:
        assert r.get_json()["error"]["message"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PAGES), at=VALUES)
def test_no_moment_in_a_page_address_makes_a_5xx(world, path, at):
    client = world.client("commander")
    assert client.get(path, query_string={"at": at}).status_code < 500


@pytest.mark.parametrize(
    "query,code",
    [
        ("/api/v1/reports/daily?day=0001-01-01", "time_out_of_range"),
        ("/api/v1/reports/daily?day=2026-02-30", "bad_day"),
        ("/api/v1/reports/weekly?start=9999-12-31", "time_out_of_range"),
        ("/api/v1/reports/weekly?week=9999-W52", "time_out_of_range"),
        ("/api/v1/reports/weekly?week=2026-W54", "bad_week"),
        ("/api/v1/replay?at=nan", "bad_moment"),
        ("/api/v1/replay?at=1e400", "bad_moment"),
        ("/api/v1/replay?at=99999999999", "time_out_of_range"),
        ("/api/v1/replay?at=-5", "time_out_of_range"),
        ("/api/v1/kpi?day=٢٠٢٦-١١-١٨", "bad_day"),
    ],
)
def test_a_time_that_is_not_one_is_refused_with_its_reason_in_the_callers_language(world, query, code):
    client = world.onemap.server.test_client()
    zh = client.get(query, headers=world.headers("commander")).get_json()["error"]
    en = client.get(query + "&lang=en", headers=world.headers("commander"))
    assert en.status_code == 400 and en.get_json()["error"]["code"] == zh["code"] == code
    name = query.split("?")[1].split("=")[0]
    assert (
        name in en.get_json()["error"]["message"]
        and name in zh["message"]
        and zh["message"] != en.get_json()["error"]["message"]
    )


def test_a_replay_page_whose_moment_is_not_one_answers_400_in_the_readers_language(world):
    client = world.client("commander")
    r = client.get("/replay?at=inf&lang=en")
    assert r.status_code == 400 and "at must be Unix seconds" in r.get_data(as_text=True)
    assert client.get("/replay?at=2026-11-18T14:07").status_code == 200


@pytest.mark.parametrize("at", [-1e308, 1e308, 4102444800 * 2, -1, 0])
def test_the_replay_bars_callback_leaves_its_moment_when_sent_one_out_of_range(world, at):
    client = world.client("commander")
    body = {
        "output": "replay-snap.data",
        "outputs": {"id": "replay-snap", "property": "data"},
        "inputs": [{"id": "replay-at", "property": "data", "value": at}],
        "state": [],
        "changedPropIds": ["replay-at.data"],
    }
    r = client.post("/_dash-update-component", json=body, headers=world.headers("commander"))
    assert r.status_code == 200 and r.get_json()["response"] == {}, r.data[:300]  # no_update: the bar keeps its moment
