"""The holes of issue 10, each probed: scope before state, hostile bodies, limits, repeats, unknown paths, headers."""

from __future__ import annotations

import json
import threading

import pytest

from app import create_app
from config import Settings
from tests.integration.world import ORIGIN, World, build_world, command_id, error_shape, record


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return build_world(tmp_path_factory.mktemp("probes"))  # shared: every probe below is about its own ids


def api(world: World, method: str, path: str, role: str = "township", **kw):
    return world.onemap.server.test_client().open(path, method=method, headers=world.headers(role), **kw)


def letters(world: World) -> list[dict]:
    return world.services.store.log.dead_letters(1000)


def test_a_township_session_cannot_read_another_townships_incident_through_the_console_callback(world):
    from tests.integration.test_access_table import callback_payload

    key = next(k for k, cb in world.onemap.dash.callback_map.items() if k == "cmd-detail.children")
    r = world.client("township").post(
        "/_dash-update-component", json=callback_payload(world, key, "township", "T02"), headers=ORIGIN
    )
    incident = world.services.store.read(lambda state: state.incidents[world.incident["T02"]])
    assert r.status_code == 403 and error_shape(r)
    assert incident.summary not in r.get_data(as_text=True)


@pytest.mark.parametrize("callback", ["town-step.data", "town-confirm-route.n_clicks", "town-confirm-resolve.n_clicks"])
def test_a_township_rooms_dialogs_refuse_another_townships_incident_with_a_message_and_leak_nothing(world, callback):
    from tests.integration.test_access_table import callback_name, callback_payload

    key = next(
        k for k, cb in world.onemap.dash.callback_map.items() if "callback" in cb and callback_name(cb) == callback
    )
    payload = callback_payload(world, key, "township", "T02")
    if callback == "town-step.data":  # the route step opens the dialog with the incident's teams and address
        payload["inputs"][0]["value"]["step"] = "route"
    r = world.client("township").post("/_dash-update-component", json=payload, headers=ORIGIN)
    body = r.get_data(as_text=True)
    incident = world.services.store.read(lambda state: state.incidents[world.incident["T02"]])
    assert r.status_code == 200 and '"data-code":"out_of_scope"' in body.replace(" ", "")
    assert incident.summary not in body and incident.address not in body and world.team["T02"] not in body


def test_a_township_lists_only_the_broadcasts_sent_to_it(world):
    listed = api(world, "GET", "/api/v1/broadcasts").get_json()["broadcasts"]
    assert [b["id"] for b in listed] == [world.broadcast["T01"]] and "only T02" not in json.dumps(listed)


def test_merge_candidates_of_another_townships_incident_are_refused(world):
    r = api(world, "GET", f"/api/v1/incidents/{world.incident['T02']}/merge-candidates")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "out_of_scope"
    own = api(world, "GET", f"/api/v1/incidents/{world.incident['T01']}/merge-candidates").get_json()
    assert own["candidates"] == [world.twin["T01"]]


@pytest.mark.parametrize(
    "step,body", [("sign", {}), ("route", {"to_township": "T03", "reason": "not ours"}), ("resolve", {"note": "x"})]
)
def test_another_townships_order_and_an_unknown_one_are_refused_alike_before_any_state_check(world, step, body):
    answers = [
        api(world, "POST", f"/api/v1/orders/{ident}/{step}", json={"command_id": command_id(), **body})
        for ident in (world.incident["T02"], "I000000000000", f"{world.incident['T02']}-1")
    ]
    assert {(r.status_code, r.get_json()["error"]["code"], r.get_json()["error"]["message"]) for r in answers} == {
        (403, "out_of_scope", answers[0].get_json()["error"]["message"])
    }
    assert "T02" not in answers[0].get_data(as_text=True)
    assert world.services.store.log.audit_trail()[0]["result"] == "rejected:out_of_scope"


def test_a_township_reading_another_townships_or_an_unknown_incident_gets_the_same_403(world):
    a = api(world, "GET", f"/api/v1/incidents/{world.incident['T02']}")
    b = api(world, "GET", "/api/v1/incidents/I000000000000")
    assert a.status_code == b.status_code == 403 and a.get_json() == b.get_json()
    assert api(world, "GET", "/api/v1/incidents/I000000000000", role="commander").status_code == 404


@pytest.mark.parametrize("path,depth", [("/api/v1/records", 100_000), ("/api/v1/broadcasts", 50_000)])
def test_json_nested_tens_of_thousands_deep_is_a_400_in_the_error_shape(world, path, depth):
    before = len(letters(world))
    r = api(world, "POST", path, role="commander", data="[" * depth, content_type="application/json")
    assert r.status_code == 400 and error_shape(r)
    if path.endswith("records"):
        assert len(letters(world)) == before + 1 and "nested" in letters(world)[0]["reason"]
    assert (
        api(world, "POST", "/api/v1/records", role="system", json=record(command_id(), 121.142, 31.07)).status_code
        == 200
    )


def test_a_batch_with_one_record_nested_970_deep_answers_each_record_and_dead_letters_the_deep_one(world):
    # Written as text: json.dumps would recurse 970 deep on top of the test's own stack, whose depth depends on the
    # pytest version (pytest 9.2 hit Python's recursion limit before the request was made).
    deep = '{"a":' * 970 + '{"x":1}' + "}" * 970
    body = '{"records":[%s,{"source":"12345","source_id":"DEEP-1","x":%s}]}' % (
        json.dumps(record("GOOD-1", 121.142, 31.07)),
        deep,
    )
    r = api(world, "POST", "/api/v1/records", role="system", data=body, content_type="application/json")
    assert r.status_code == 200
    assert [x["status"] for x in r.get_json()["results"]] == ["accepted", "rejected"]
    assert letters(world)[0]["source_id"] == "DEEP-1" and "nested" in letters(world)[0]["reason"]


@pytest.mark.parametrize("limit", ["abc", "-1", "0", "1e3", "99999", "", "٣"])
def test_a_dead_letter_limit_that_is_not_1_to_1000_is_a_400(world, limit):
    r = api(world, "GET", f"/api/v1/dead-letters?limit={limit}", role="commander")
    assert r.status_code == 400 and error_shape(r)
    assert api(world, "GET", "/api/v1/dead-letters?limit=2", role="commander").status_code == 200


@pytest.mark.parametrize("blank", [" ", "\t", "\xa0", "\u200b", "\u202e", "\u2066\u2069", "\ufeff", "a\u200bb", "\x00"])
def test_ids_blank_after_stripping_or_of_invisible_characters_are_rejected_and_dead_lettered(world, blank):
    before = len(letters(world))
    r = api(world, "POST", "/api/v1/records", role="system", json={"records": [record(blank, 121.142, 31.07)] * 2})
    assert [x["status"] for x in r.get_json()["results"]] == ["rejected", "rejected"]
    assert len(letters(world)) == before + 2


@pytest.mark.parametrize(
    "path,size",
    [
        ("/api/v1/records", 8 * 1024 * 1024 + 1),
        ("/api/v1/broadcasts", 64 * 1024 + 1),
        ("/_dash-update-component", 1024 * 1024 + 1),
        ("/login", 64 * 1024 + 1),
    ],
)
def test_a_body_over_its_endpoints_limit_is_a_413_in_the_error_shape(world, path, size):
    r = api(world, "POST", path, role="commander", data=b"x" * size, content_type="application/json")
    assert r.status_code == 413 and error_shape(r)


def test_ten_simultaneous_repeats_of_one_command_all_answer_duplicate_but_the_one_that_acted(world):
    iid, barrier, answers = world.twin["T01"], threading.Barrier(10), []
    free = next(
        t.id for t in world.services.district.teams.values() if t.township == "T01" and t.id != world.team["T01"]
    )
    body = {"team_id": free, "command_id": command_id()}

    def send() -> None:
        client = world.onemap.server.test_client()
        barrier.wait()
        answers.append(client.post(f"/api/v1/incidents/{iid}/order", json=body, headers=world.headers("commander")))

    threads = [threading.Thread(target=send) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (
        sorted(r.get_json().get("status", r.get_json().get("error", {}).get("code")) for r in answers)
        == ["done"] + ["duplicate"] * 9
    )


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/incidents/x/y/z", "/api/v2/incidents", "/api/", "/api/v1/"])
def test_unknown_api_paths_answer_a_json_404_even_without_a_token(world, path):
    r = world.onemap.server.test_client().get(path)
    assert r.status_code == 404 and error_shape(r) and "text/html" not in r.content_type


def test_pages_and_the_api_carry_the_security_headers(world):
    client = world.client("commander")
    for path in ("/command", "/login", "/api/v1/kpi"):
        h = client.get(path, headers=world.headers("commander")).headers
        assert (
            "frame-ancestors 'none'" in h["Content-Security-Policy"]
            and "'unsafe-eval'" not in h["Content-Security-Policy"]
        )
        assert h["X-Content-Type-Options"] == "nosniff" and h["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("tls", [False, True])
def test_the_session_cookie_is_httponly_and_secure_when_the_setting_says_tls(tmp_path, tls):
    onemap = create_app(Settings(data_dir=tmp_path, simulator=False, secure_cookies=tls))
    cookie = onemap.server.test_client().get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and ("Secure" in cookie) == tls
