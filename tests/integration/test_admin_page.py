"""The admin page as an admin uses it: labelled tables, least-privilege defaults, wall URLs re-issued, the audit filtered."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from domain.model import Role
from store.log import AuditRecord
from tests.integration.test_access import ORIGIN, PASSWORD, login


def admin_client(onemap):
    client, _ = login(onemap, "boss")
    with client.session_transaction() as s:
        return client, s["csrf"]


def test_every_table_has_its_headers_and_the_chinese_page_has_no_english_placeholders(onemap):
    client, _ = admin_client(onemap)
    html = client.get("/admin").data.decode()
    for header in ("用户", "角色", "镇街", "创建时间", "名称", "类型", "时间", "动作", "结果"):
        assert f"<th>{header}</th>" in html, header
    assert "placeholder='username'" not in html and "placeholder='T01'" not in html and ">+<" not in html
    assert "<th>Role</th>" in client.get("/admin?lang=en").data.decode()


def test_a_new_user_or_token_defaults_to_the_least_privilege(onemap):
    client, _ = admin_client(onemap)
    html = client.get("/admin").data.decode()
    assert "<option value='township' selected>" in html  # a township operator, not an admin
    assert "<option value='wall' selected>" in html and "<option value='kiosk' selected>" in html


def test_reissuing_a_lost_wall_url_revokes_the_old_token_and_shows_a_new_working_one(onemap):
    old = onemap.services.accounts.create_token("wall-2", "kiosk", Role.WALL)
    token_id = next(t["id"] for t in onemap.services.accounts.list_tokens() if t["name"] == "wall-2")
    client, csrf = admin_client(onemap)
    html = client.post("/admin", data={"action": "reissue", "token_id": token_id, "csrf": csrf}, headers=ORIGIN)
    new = re.search(r"/wall\?kiosk=([A-Za-z0-9_-]+)", html.data.decode()).group(1)
    assert onemap.services.accounts.token_actor(old, "kiosk") is None
    assert onemap.services.accounts.token_actor(new, "kiosk").actor.role is Role.WALL
    assert [t["name"] for t in onemap.services.accounts.list_tokens() if not t["revoked_at"]].count("wall-2") == 1
    assert onemap.services.store.log.audit_trail()[0]["action"] == "admin_reissue"


def _audit(onemap, who: str, action: str, at: float) -> None:
    onemap.services.store.log.audit(AuditRecord(at, who, "commander", action, "done"))


def test_the_audit_trail_is_filtered_by_actor_action_and_time_and_paged(onemap, clock):
    for i in range(120):
        _audit(onemap, "autopilot", "issue_order", clock.now + i)
    for i in range(60):
        _audit(onemap, f"cmd{i % 2}", "cancel" if i % 3 else "issue_order", clock.now + i)
    client, _ = admin_client(onemap)
    first = client.get("/admin").data.decode()
    assert "autopilot" not in first  # the simulator's rooms are hidden unless asked for
    assert "共 61 条 · 第 1/2 页" in first  # 60 people's records and the admin's own sign-in
    assert "共 181 条" in client.get("/admin?auto=show").data.decode()
    only = client.get("/admin?actor=cmd1&action=cancel").data.decode()
    assert "共 20 条" in only and "cmd0" not in only
    # "until" the 20th second, in the district's time (UTC+8), leaves 20 of the 60.
    local = datetime.fromtimestamp(clock.now + 20, timezone(timedelta(hours=8))).strftime("%Y-%m-%dT%H:%M:%S")
    assert "共 20 条" in client.get(f"/admin?until={local}&actor=cmd").data.decode()
    assert "第 2/2 页" in client.get("/admin?page=2").data.decode()


def test_the_csv_exports_the_whole_trail_unless_filtered(onemap, clock):
    _audit(onemap, "autopilot", "issue_order", clock.now)
    _audit(onemap, "cmd0", "cancel", clock.now)
    client, _ = admin_client(onemap)
    whole = client.get("/admin/audit.csv").data.decode()
    assert "autopilot" in whole and "cmd0" in whole
    assert "autopilot" not in client.get("/admin/audit.csv?auto=hide&action=cancel").data.decode()


def test_a_page_parameter_the_admin_did_not_write_is_escaped(onemap):
    client, _ = admin_client(onemap)
    html = client.get("/admin?refused=/x<script>alert(1)</script>").data.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_the_township_menus_name_each_township_as_the_district_does_in_the_page_language(onemap):
    client, _ = admin_client(onemap)
    t01 = onemap.services.district.townships["T01"]
    zh, en = client.get("/admin").data.decode(), client.get("/admin?lang=en").data.decode()
    assert f"<option value='T01'>T01 {t01.name_zh}</option>" in zh
    assert f"<option value='T01'>T01 {t01.name_en}</option>" in en
    assert "township.T01" not in zh + en


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_an_admin_form_with_a_missing_or_forged_csrf_token_is_refused_403_with_a_note_and_audited(onemap, token):
    client, _ = admin_client(onemap)
    form = {
        "action": "user",
        "username": "sneaky",
        "password": PASSWORD,
        "role": "admin",
        **({"csrf": token} if token else {}),
    }
    r = client.post("/admin", data=form, headers=ORIGIN)
    assert r.status_code == 403 and "<p class='om-note'>表单已过期，请重试</p>" in r.data.decode()
    assert onemap.services.accounts.verify("sneaky", PASSWORD) is None
    last = onemap.services.store.log.audit_trail()[0]
    assert (last["actor"], last["action"], last["result"], last["target"]) == (
        "boss",
        "csrf_refused",
        "refused",
        "/admin",
    )


def test_a_user_name_and_an_audit_text_holding_a_script_tag_come_out_escaped(onemap, clock):
    onemap.services.accounts.create_user("<script>alert('u')</script>", PASSWORD, Role.TOWNSHIP, "T01")
    onemap.services.store.log.audit(
        AuditRecord(
            clock.now,
            "<img src=x onerror=alert(1)>",
            "commander",
            "cancel",
            "done",
            target="<script>alert('t')</script>",
        )
    )
    client, _ = admin_client(onemap)
    html = client.get("/admin").data.decode()
    assert "<script>" not in html and "<img" not in html
    assert html.count("&lt;script&gt;alert(") == 2 and "&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
