"""A caller's phone number reaches no further than the ingest edge: only its keyed hash is kept, and it still counts."""

from __future__ import annotations

import logging
import pickle
from dataclasses import fields
from pathlib import Path

import pytest

from domain.model import Role
from tests.integration.world import PASSWORD
from web import views

TOKENS = {"sys-token": "system", "cmd-token": "commander", "t02-token": "township:T02", "t03-token": "township:T03"}
PHONE = "13912345678"
# The same caller three ways, as three hotline operators typed it: one caller, one pseudonym.
SPELLINGS = ("139 1234 5678", "+86 139-1234-5678", 13912345678)
TRACES = (PHONE, "139 1234 5678", "139-1234-5678", "1234 5678", "12345678")
T02 = (121.1916, 31.0940)


@pytest.fixture
def client(make_app, caplog):
    caplog.set_level(logging.DEBUG)
    onemap = make_app(api_tokens=TOKENS)
    client = onemap.server.test_client()
    client.onemap = onemap
    return client


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _parking(n: int, caller, east: float) -> dict:
    """A 12345 work order of illegal parking by a caller, `east` degrees east of a spot in T02."""
    return {
        "source": "12345",
        "order_no": f"WO-{n}",
        "matter_code": "0201",
        "location": {"lng": T02[0] + east, "lat": T02[1]},
        "content": "门口长期违停",
        "address": f"城东街道{n}号",
        "caller": caller,
    }


def _signed_in(onemap):
    """Return a test client signed in as a commander the real way (the sign-in form)."""
    onemap.services.accounts.create_user("cmd", PASSWORD, Role.COMMANDER)
    client = onemap.server.test_client()
    client.get("/login")
    with client.session_transaction() as s:
        csrf = s["csrf"]
    assert client.post("/login", data={"username": "cmd", "password": PASSWORD, "csrf": csrf}).status_code == 302
    return client


def _ingest_a_callers_three_reports_and_two_rejections(client, clock) -> None:
    for n, spelling in enumerate(SPELLINGS):
        answer = client.post("/api/v1/records", json=_parking(n, spelling, n * 0.012), headers=_auth("sys-token"))
        assert answer.get_json()["results"][0]["status"] == "accepted"
        clock.advance(3600)
    bad = {"source": "110", "alarm_no": "X1", "case_type": "FJ05", "lon": T02[0], "lat": 999, "caller": PHONE}
    client.post("/api/v1/records", json=bad, headers=_auth("sys-token"))  # rejected: its raw payload is kept
    broken = '{"records": [{"source": "12345", "caller": "' + PHONE + '", "order_no": '
    client.post("/api/v1/records", data=broken, headers=_auth("sys-token"), content_type="application/json")


def test_the_same_caller_on_the_same_matter_three_times_is_one_recurring_problem(client, clock):
    _ingest_a_callers_three_reports_and_two_rejections(client, clock)
    (problem,) = client.get("/api/v1/recurring", headers=_auth("cmd-token")).get_json()["recurring"]
    assert (problem["basis"], problem["category"], problem["count"]) == ("caller", "illegal_parking", 3)
    assert [r["status"] for r in problem["reports"]] == ["waiting"] * 3


def test_a_township_reads_the_recurring_problems_of_its_own_township_only(client, clock):
    _ingest_a_callers_three_reports_and_two_rejections(client, clock)
    own = client.get("/api/v1/recurring", headers=_auth("t02-token")).get_json()["recurring"]
    other = client.get("/api/v1/recurring", headers=_auth("t03-token")).get_json()["recurring"]
    refused = client.get("/api/v1/recurring?township=T02", headers=_auth("t03-token"))
    assert [p["township"] for p in own] == ["T02"] and other == []
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "out_of_scope"


def test_the_raw_phone_number_is_nowhere_in_the_log_the_state_the_api_the_pages_or_the_log_lines(
    client, clock, tmp_path: Path, caplog
):
    _ingest_a_callers_three_reports_and_two_rejections(client, clock)
    onemap, store = client.onemap, client.onemap.services.store
    store.take_snapshot(clock())
    seen = {"files": b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.name != "secret_key")}
    seen["state"] = store.read(lambda s: pickle.dumps({f.name: getattr(s, f.name) for f in fields(s)}))
    seen["snapshot"] = store.read(lambda s: repr(views.snapshot(s, clock(), 8, "all")).encode())
    incident = store.read(lambda s: next(iter(s.incidents)))
    for path in ("/incidents?status=all", f"/incidents/{incident}", "/recurring", "/dead-letters", "/kpi"):
        seen[path] = client.get(f"/api/v1{path}", headers=_auth("cmd-token")).data
    pages = _signed_in(onemap)
    for path in ("/command", "/wall", "/wall/analytics", "/_dash-layout"):
        seen[path] = pages.get(path).data
    seen["log lines"] = "\n".join(r.getMessage() for r in caplog.records).encode()
    leaks = {where: t for where, text in seen.items() for t in TRACES if t.encode() in text}
    assert not leaks
    letters = client.get("/api/v1/dead-letters", headers=_auth("cmd-token")).get_json()["dead_letters"]
    assert len(letters) == 2 and all('"caller": "<masked>"' in d["raw"] for d in letters)


def test_an_incidents_timeline_through_the_api_carries_no_caller_pseudonym(client, clock):
    _ingest_a_callers_three_reports_and_two_rejections(client, clock)
    store = client.onemap.services.store
    incident, pseudonym = store.read(
        lambda s: next((r.id, g.caller) for r in s.recur_reports.values() for g in [s.recur_groups[r.groups[-1]]])
    )
    assert len(pseudonym) == 16
    body = client.get(f"/api/v1/incidents/{incident}", headers=_auth("cmd-token"))
    assert "caller" not in body.get_json()["timeline"][0] and pseudonym not in body.get_data(as_text=True)
