"""Sign-in, sessions, page rules, CSRF, kiosk tokens and Socket.IO rooms, each refused where it must be."""

from __future__ import annotations

import pytest

from domain.model import Role
from tests.integration.world import ORIGIN, PASSWORD


def csrf_of(client) -> str:
    client.get("/login")
    with client.session_transaction() as s:
        return s["csrf"]


def login(app, user: str, password: str = PASSWORD):
    client = app.server.test_client()
    r = client.post("/login", data={"username": user, "password": password, "csrf": csrf_of(client)})
    return client, r


def test_the_first_start_prints_a_one_time_admin_password_and_a_wall_kiosk_url(onemap):
    out = onemap.first_start_output
    password = out.split("admin password ")[1].split()[0]
    assert onemap.services.accounts.verify("admin", password).role is Role.ADMIN
    assert "/wall?kiosk=" in out


def test_pages_need_a_sign_in(onemap):
    r = onemap.server.test_client().get("/wall")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")


def test_a_wrong_password_is_refused_and_too_many_failures_are_rate_limited(onemap):
    codes = [login(onemap, "cmd", "wrong-password")[1].status_code for _ in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    assert login(onemap, "t01")[1].status_code == 302  # another user is not locked out


def _refusals(onemap) -> list[tuple[str, str, str]]:
    return [
        (r["actor"], r["action"], r["target"])
        for r in onemap.services.store.log.audit_trail()
        if r["action"] == "csrf_refused"
    ]


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_login_form_without_its_csrf_token_is_refused_403_with_a_note_and_audited(onemap, token):
    client = onemap.server.test_client()
    client.get("/login")
    form = {"username": "cmd", "password": PASSWORD, **({"csrf": token} if token else {})}
    r = client.post("/login", data=form)
    assert r.status_code == 403 and "表单已过期，请重试" in r.data.decode()
    assert _refusals(onemap) == [("cmd", "csrf_refused", "/login")]
    assert client.get("/command").status_code == 302  # not signed in


@pytest.mark.parametrize(
    "user,path,lands",
    [
        ("cmd", "/command", None),
        ("cmd", "/admin", "/command"),
        ("t01", "/township/T01", None),
        ("t01", "/township/T02", "/township/T01"),
        ("t01", "/command", "/township/T01"),
        ("boss", "/command", "/admin?refused=/command"),
    ],
)
def test_each_role_opens_only_its_own_pages(onemap, user, path, lands):
    client, _ = login(onemap, user)
    r = client.get(path)
    assert (r.status_code, r.headers.get("Location")) == ((200, None) if lands is None else (302, lands))


def test_a_callback_post_from_another_site_is_refused_as_csrf(onemap):
    client, _ = login(onemap, "cmd")
    assert client.post("/_dash-update-component", json={}).status_code == 403
    assert client.post("/_dash-update-component", json={}, headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post("/_dash-update-component", json={}, headers=ORIGIN).status_code != 403
    assert _refusals(onemap) == [("cmd", "csrf_refused", "/_dash-update-component")] * 2


def test_a_session_expires_after_the_shift_and_a_disabled_user_is_out_at_once(onemap, clock):
    client, _ = login(onemap, "cmd")
    assert client.get("/command").status_code == 200
    onemap.services.accounts.set_active("cmd", False)
    assert client.get("/command").status_code == 302
    onemap.services.accounts.set_active("cmd", True)
    client, _ = login(onemap, "cmd")
    clock.advance(12 * 3600 + 1)
    assert client.get("/command").status_code == 302


def test_a_kiosk_token_opens_the_wall_until_it_is_revoked(onemap):
    token = onemap.services.accounts.create_token("hall-screen", "kiosk", Role.WALL)
    client = onemap.server.test_client()
    assert client.get(f"/wall?kiosk={token}").status_code == 200
    assert client.get("/wall").status_code == 200  # the session remembers the kiosk
    assert client.get("/command").status_code == 302  # a wall is read-only
    token_id = onemap.services.accounts.list_tokens()[-1]["id"]
    onemap.services.accounts.revoke_token(token_id)
    assert client.get("/wall").status_code == 302
    assert onemap.server.test_client().get(f"/wall?kiosk={token}").status_code == 403


def sio(onemap, client, scope):
    return onemap.socketio.test_client(onemap.server, query_string=f"scope={scope}", flask_test_client=client)


def test_socketio_refuses_strangers_and_another_townships_room(onemap):
    assert not sio(onemap, onemap.server.test_client(), "all").is_connected()
    client, _ = login(onemap, "t01")
    assert not sio(onemap, client, "T02").is_connected()
    assert not sio(onemap, client, "all").is_connected()
    own = sio(onemap, client, "T01")
    assert own.is_connected() and own.get_received()[0]["name"] == "snapshot"


def test_a_revoked_kiosk_socket_is_disconnected(onemap):
    token = onemap.services.accounts.create_token("wall-2", "kiosk", Role.WALL)
    client = onemap.server.test_client()
    client.get(f"/wall?kiosk={token}")
    sock = sio(onemap, client, "all")
    assert sock.is_connected()
    token_id = onemap.services.accounts.list_tokens()[-1]["id"]
    onemap.services.accounts.revoke_token(token_id)
    onemap.services.kiosk_revoked(token_id)
    assert not sock.is_connected()


def test_only_an_admin_exports_the_audit_trail_as_csv(onemap):
    admin, _ = login(onemap, "boss")
    r = admin.get("/admin/audit.csv")
    assert r.status_code == 200 and r.data.decode().splitlines()[0].startswith("id,at,actor,role")
    assert "login" in r.data.decode()  # sign-ins are audited
    cmd, _ = login(onemap, "cmd")
    assert cmd.get("/admin/audit.csv").status_code == 302


def test_an_admin_makes_a_user_and_a_token_through_the_admin_page_and_it_is_audited(onemap):
    admin, _ = login(onemap, "boss")
    with admin.session_transaction() as s:
        csrf = s["csrf"]
    admin.post(
        "/admin",
        data={
            "action": "user",
            "username": "t02",
            "password": PASSWORD,
            "role": "township",
            "township": "T02",
            "csrf": csrf,
        },
        headers=ORIGIN,
    )
    assert onemap.services.accounts.verify("t02", PASSWORD).township == "T02"
    assert onemap.services.store.log.audit_trail()[0]["action"] == "admin_user"
    assert "admin_user" in admin.get("/admin").data.decode()  # viewable on the page, not only as CSV


def test_the_audit_csv_defuses_formulas_typed_as_a_username(onemap):
    login(onemap, '=HYPERLINK("http://evil")', "whatever-password")
    admin, _ = login(onemap, "boss")
    body = admin.get("/admin/audit.csv").data.decode()
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
