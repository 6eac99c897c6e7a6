"""The HTTP API: records answered one by one, orders issued and advanced, roles and scope enforced."""

from __future__ import annotations

import threading

import pytest

from domain.intake import Report, report_incident
from domain.model import Role
from domain.sla import SlaPolicy

TOKENS = {"sys-token": "system", "cmd-token": "commander", "t01-token": "township:T01", "wall-token": "wall"}


@pytest.fixture
def client(make_app):
    onemap = make_app(
        api_tokens=TOKENS,
        sla_policy=SlaPolicy.from_dict({"default": {"sign": 5, "respond": 10, "route": 15, "on_site": 60}}),
    )
    client = onemap.server.test_client()
    client.onemap = onemap
    return client


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def record(source_id: str, **over) -> dict:
    rec = {
        "source": "12345",
        "source_id": source_id,
        "category": "noise",
        "lon": 121.145,
        "lat": 31.075,
        "summary": "广场舞音响扰民",
        "address": "人民路100号",
    }
    return {**rec, **over}


def post(client, body, token="sys-token"):
    return client.post("/api/v1/records", json=body, headers=auth(token))


def test_a_batch_is_answered_record_by_record_and_one_bad_record_fails_nothing_else(client):
    body = {"records": [record("A1"), record("A2", lon="east"), record("A1"), record("A3", category="ufo")]}
    results = post(client, body).get_json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "duplicate", "rejected"]
    assert "lon" in results[1]["reason"] and "category" in results[3]["reason"]
    assert results[0]["incident_id"] == results[2]["incident_id"]


def test_rejected_records_are_kept_in_the_dead_letter_with_their_raw_payload(client):
    post(client, record("B1", lat=999))
    post(client, "{not json")  # a JSON string, not an object
    client.post("/api/v1/records", data="{broken", headers=auth("sys-token"), content_type="application/json")
    letters = client.get("/api/v1/dead-letters", headers=auth("cmd-token")).get_json()["dead_letters"]
    reasons = [d["reason"] for d in letters]
    assert any("lat" in r for r in reasons) and any("invalid JSON" in r for r in reasons)
    assert any('"B1"' in d["raw"] for d in letters) and any(d["raw"] == "{broken" for d in letters)


def test_an_order_goes_from_issue_to_resolve_over_the_api_and_the_timeline_shows_every_step(client, clock):
    iid = post(client, record("C1")).get_json()["results"][0]["incident_id"]
    listed = client.get("/api/v1/incidents", headers=auth("cmd-token")).get_json()
    assert listed["incidents"][0]["stage"] == "new" and listed["server_time"] == clock.now
    r = client.post(
        f"/api/v1/incidents/{iid}/order",
        json={"team_id": "T01-A", "command_id": "click-0001"},
        headers=auth("cmd-token"),
    )
    assert r.status_code == 200, r.get_json()
    for step in ("sign", "respond", "route", "on-site", "resolve"):
        clock.advance(1)
        r = client.post(
            f"/api/v1/orders/{iid}/{step}",
            json={"command_id": f"{iid}.{step}", "note": "已处理"},
            headers=auth("t01-token"),
        )
        assert r.status_code == 200, r.get_json()
    body = client.get(f"/api/v1/incidents/{iid}", headers=auth("cmd-token")).get_json()
    assert body["stage"] == "resolved"
    assert [e["type"] for e in body["timeline"]] == [
        "IncidentReported",
        "OrderIssued",
        "OrderSigned",
        "OrderResponded",
        "OrderRouted",
        "TeamOnSite",
        "OrderResolved",
    ]


def test_a_repeated_command_id_issues_one_order_only(client):
    iid = post(client, record("D1")).get_json()["results"][0]["incident_id"]
    body = {"team_id": "T01-A", "command_id": "double-click-1"}
    first = client.post(f"/api/v1/incidents/{iid}/order", json=body, headers=auth("cmd-token")).get_json()
    second = client.post(f"/api/v1/incidents/{iid}/order", json=body, headers=auth("cmd-token")).get_json()
    assert (first["status"], second["status"]) == ("done", "duplicate")
    timeline = client.get(f"/api/v1/incidents/{iid}", headers=auth("cmd-token")).get_json()["timeline"]
    assert [e["type"] for e in timeline].count("OrderIssued") == 1


@pytest.mark.parametrize("token,status", [("", 401), ("nope", 401), ("wall-token", 403), ("t01-token", 403)])
def test_issuing_an_order_needs_a_commanders_token(client, token, status):
    iid = post(client, record("E1")).get_json()["results"][0]["incident_id"]
    r = client.post(
        f"/api/v1/incidents/{iid}/order", json={"team_id": "T01-A", "command_id": "click-0002"}, headers=auth(token)
    )
    assert r.status_code == status and r.get_json()["error"]["code"]


def test_a_township_token_cannot_advance_another_townships_order_and_the_refusal_is_audited(client):
    iid = post(client, record("F1", lon=121.23, lat=31.14)).get_json()["results"][0]["incident_id"]
    township = client.get(f"/api/v1/incidents/{iid}", headers=auth("cmd-token")).get_json()["township"]
    team = next(t for t in client.onemap.services.district.teams.values() if t.township == township)
    assert township != "T01"
    client.post(
        f"/api/v1/incidents/{iid}/order",
        json={"team_id": team.id, "command_id": "click-0003"},
        headers=auth("cmd-token"),
    )
    r = client.post(f"/api/v1/orders/{iid}/sign", json={"command_id": "sign-0003"}, headers=auth("t01-token"))
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "out_of_scope"
    audit = client.onemap.services.store.log.audit_trail()
    assert audit[0]["result"] == "rejected:out_of_scope" and audit[0]["township"] == "T01"


def test_an_illegal_step_is_refused_with_a_message_in_the_users_language(client):
    iid = post(client, record("G1")).get_json()["results"][0]["incident_id"]
    client.post(
        f"/api/v1/incidents/{iid}/order",
        json={"team_id": "T01-A", "command_id": "click-0004"},
        headers=auth("cmd-token"),
    )
    r = client.post(f"/api/v1/orders/{iid}/resolve?lang=en", json={"command_id": "res-0004"}, headers=auth("t01-token"))
    assert r.status_code == 409 and r.get_json()["error"]["message"] == "Do “Sign for” first"
    r = client.post(f"/api/v1/orders/{iid}/resolve?lang=zh", json={"command_id": "res-0005"}, headers=auth("t01-token"))
    assert r.get_json()["error"]["message"] == "请先完成“签收”"


def test_health_names_the_store_the_bus_and_the_last_events_age(client, clock):
    post(client, record("H1"))
    clock.advance(12)
    body = client.get("/healthz").get_json()
    assert body == {"status": "ok", "store": "sqlite", "bus": "memory", "seq": 1, "last_event_age_s": 12.0}
    assert "onemap_open_incidents 1" in client.get("/metrics").get_data(as_text=True)


@pytest.mark.parametrize("token", ["wall-token", "t01-token"])
def test_only_systems_commanders_and_admins_post_records(client, token):
    r = post(client, record("P1"), token)
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/incidents", headers=auth("cmd-token")).get_json()["incidents"] == []


def test_a_token_in_the_url_opens_nothing_and_the_same_token_in_the_header_does(client):
    assert client.get("/api/v1/incidents?token=cmd-token").status_code == 401
    assert client.get("/api/v1/kpi", query_string={"token": "cmd-token"}).status_code == 401
    assert client.get("/api/v1/incidents", headers=auth("cmd-token")).status_code == 200


@pytest.mark.parametrize(
    "mode,token,status",
    [
        ("open", None, 200),
        ("off", None, 404),
        ("off", "sys-token", 404),
        ("token", None, 401),
        ("token", "nope", 401),
        ("token", "cmd-token", 403),
        ("token", "wall-token", 403),
        ("token", "sys-token", 200),
        ("token", "made-admin", 200),
    ],
)
def test_metrics_are_open_behind_a_system_or_admin_token_or_off_as_onemap_metrics_says(make_app, mode, token, status):
    onemap = make_app(api_tokens=TOKENS, metrics=mode)
    if token == "made-admin":
        token = onemap.services.accounts.create_token("prometheus", "api", Role.ADMIN)
    r = onemap.server.test_client().get("/metrics", headers=auth(token) if token else {})
    assert r.status_code == status
    assert ("onemap_event_seq" in r.get_data(as_text=True)) == (status == 200)
    assert client_refused_query_token(onemap) == (mode != "open")


def client_refused_query_token(onemap) -> bool:
    """Tell whether /metrics refuses a token given in the URL (it is read from the header only)."""
    return onemap.server.test_client().get("/metrics?token=sys-token").status_code != 200


class _WalkedWithAWriter(dict):
    """The open incidents' ids, which let a writer in another thread fold in while they are walked, if it can."""

    def __init__(self, ids: dict, write) -> None:
        super().__init__(ids)
        self.write = write

    def __iter__(self):
        for n, key in enumerate(super().__iter__()):
            if n == 0:
                writer = threading.Thread(target=self.write)
                writer.start()
                writer.join()
            yield key


def test_metrics_read_the_projection_under_the_stores_lock_so_a_fold_meanwhile_waits(client, clock):
    post(client, record("M1"))
    store, waited = client.onemap.services.store, []
    t = store.read(lambda state: state.district.townships["T01"])
    more = store.read(
        lambda state: [
            e
            for n in (2, 3)
            for e in report_incident(
                state, Report("12345", f"M{n}", "noise", t.lon, t.lat + n * 1e-3, clock.now), "T01", clock.now
            )
        ]
    )

    def fold() -> None:
        # A fold arriving while /metrics walks the open incidents: it goes in at once if the store's lock is free
        # (it would not wait: a wait here would hang the test); held by /metrics, it waits its turn.
        if not store._lock.acquire(blocking=False):
            waited.append(True)
            return
        try:
            store.append(more)
        finally:
            store._lock.release()

    store.read(lambda state: setattr(state, "open_ids", _WalkedWithAWriter(state.open_ids, fold)))
    metrics = client.get("/metrics")
    assert metrics.status_code == 200 and "onemap_open_incidents 1" in metrics.get_data(as_text=True)
    assert waited == [True]
