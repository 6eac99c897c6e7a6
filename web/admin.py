"""The admin's page: users, API and kiosk tokens (re-issue a lost wall URL), the audit trail filtered and paged."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from html import escape
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, request

import i18n
from domain.model import Role
from store.log import AuditFilter
from web.pages import audit, csrf_field, csrf_ok, lang, page, services
from web.security import request_actor

admin_pages = Blueprint("admin", __name__)
PAGE_ROWS = 50
USER_ROLES = (Role.TOWNSHIP, Role.COMMANDER, Role.DUTY_LEADER, Role.ADMIN)  # the least privilege first: the default
TOKEN_ROLES = (Role.WALL, Role.SYSTEM, Role.TOWNSHIP, Role.COMMANDER)


def _zone() -> timezone:
    return timezone(timedelta(hours=services().settings.utc_offset_h))


def _local(at: float | None) -> str:
    return datetime.fromtimestamp(at, _zone()).strftime("%Y-%m-%d %H:%M:%S") if at else "—"


def _options(values: list[tuple[str, str]], selected: str = "") -> str:
    return "".join(f"<option value='{escape(v)}'{' selected' if v == selected else ''}>{escape(label)}</option>"
                   for v, label in values)


def _table(head: list[str], rows: list[list[str]], empty: str) -> str:
    """Return a table with a header row; cells are already escaped."""
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body or f'<tr><td colspan={len(head)}>{escape(empty)}</td></tr>'}</tbody></table>"


def _townships(lg: str) -> list[tuple[str, str]]:
    """Return the township menu's options, named from the district (the one source of township names)."""
    towns = services().district.townships.values()
    return [("", "—")] + [(t.id, f"{t.id} {t.name_en if lg == 'en' else t.name_zh}") for t in towns]


def _users(lg: str) -> str:
    tr = lambda k: i18n.t(k, lg)  # noqa: E731
    rows = [[escape(u["username"]), escape(tr("role." + u["role"])), escape(u["township"] or "—"),
             tr("admin.active") if u["active"] else tr("admin.disabled"), _local(u["created_at"])]
            for u in services().accounts.list_users()]
    table = _table([tr("admin.col_user"), tr("admin.col_role"), tr("admin.col_township"), tr("admin.col_state"),
                    tr("admin.col_created")], rows, tr("admin.none"))
    roles = _options([(r.value, tr("role." + r.value)) for r in USER_ROLES], Role.TOWNSHIP.value)
    form = (f"<form method='post' class='om-inline'>{csrf_field()}<input type='hidden' name='action' value='user'>"
            f"<label>{tr('login.username')}<input name='username' required></label>"
            f"<label>{tr('login.password')}<input name='password' type='password' required minlength='8'></label>"
            f"<label>{tr('admin.col_role')}<select name='role'>{roles}</select></label>"
            f"<label>{tr('admin.col_township')}<select name='township'>{_options(_townships(lg))}</select></label>"
            f"<button type='submit'>{tr('admin.add_user')}</button></form>")
    return f"<section><h2>{tr('admin.users')}</h2>{table}{form}</section>"


def _token_buttons(t: dict[str, Any], lg: str) -> str:
    if t["revoked_at"]:
        return ""
    def button(action: str, label: str) -> str:
        return (f"<form method='post'>{csrf_field()}<input type='hidden' name='action' value='{action}'>"
                f"<input type='hidden' name='token_id' value='{t['id']}'><button type='submit' data-action='{action}'>"
                f"{escape(label)}</button></form>")
    reissue = button("reissue", i18n.t("admin.reissue", lg)) if t["kind"] == "kiosk" else ""
    return f"<div class='om-actions'>{reissue}{button('revoke', i18n.t('admin.revoke', lg))}</div>"


def _state(t: dict[str, Any], lg: str) -> str:
    state = "revoked" if t["revoked_at"] else "live"
    return f"<span data-state='{state}'>{escape(i18n.t('admin.' + state, lg))}</span>"


def _tokens(lg: str) -> str:
    tr = lambda k: i18n.t(k, lg)  # noqa: E731
    rows = [[str(t["id"]), escape(t["name"]), escape(tr("admin.kind_" + t["kind"])), escape(tr("role." + t["role"])),
             escape(t["township"] or "—"), _local(t["created_at"]),
             _state(t, lg), _token_buttons(t, lg)]
            for t in services().accounts.list_tokens()]
    table = _table(["#", tr("admin.col_name"), tr("admin.col_kind"), tr("admin.col_role"), tr("admin.col_township"),
                    tr("admin.col_created"), tr("admin.col_state"), tr("admin.col_action")], rows, tr("admin.none"))
    kinds = _options([("kiosk", tr("admin.kind_kiosk")), ("api", tr("admin.kind_api"))], "kiosk")
    roles = _options([(r.value, tr("role." + r.value)) for r in TOKEN_ROLES], Role.WALL.value)
    form = (f"<form method='post' class='om-inline'>{csrf_field()}<input type='hidden' name='action' value='token'>"
            f"<label>{tr('admin.col_name')}<input name='name' required placeholder='{tr('admin.name_hint')}'></label>"
            f"<label>{tr('admin.col_kind')}<select name='kind'>{kinds}</select></label>"
            f"<label>{tr('admin.col_role')}<select name='role'>{roles}</select></label>"
            f"<label>{tr('admin.col_township')}<select name='township'>{_options(_townships(lg))}</select></label>"
            f"<button type='submit'>{tr('admin.add_token')}</button></form>")
    return f"<section><h2>{tr('admin.tokens')}</h2><p class='om-hint'>{tr('admin.tokens_hint')}</p>{table}{form}</section>"


def audit_filter(hide_automatic: bool = True) -> AuditFilter:
    """Return the audit filter of the request's query (times in the district's local time).

    The page hides the simulator's and the SLA ticker's records unless asked (auto=show); the CSV keeps
    everything unless asked (auto=hide): an export is the whole trail by default.
    """
    a = request.args

    def at(key: str) -> float | None:
        try:
            return datetime.fromisoformat(a[key]).replace(tzinfo=_zone()).timestamp() if a.get(key) else None
        except ValueError:
            return None
    return AuditFilter(actor=a.get("actor", "")[:120], action=a.get("action", "")[:60], since=at("since"),
                       until=at("until"), hide_automatic=a.get("auto", "hide" if hide_automatic else "show") == "hide")


def _audit(lg: str) -> str:
    tr, f, log = (lambda k: i18n.t(k, lg)), audit_filter(), services().store.log  # noqa: E731
    page_no = max(1, int(request.args.get("page", "1")) if request.args.get("page", "1").isdigit() else 1)
    rows, total = log.audit_query(f, (page_no - 1) * PAGE_ROWS, PAGE_ROWS)
    cols = ("actor", "role", "township", "action", "target", "result", "remote")
    table = _table([tr("admin.col_time"), tr("admin.col_user"), tr("admin.col_role"), tr("admin.col_township"),
                    tr("admin.col_action_done"), tr("admin.col_target"), tr("admin.col_result"), tr("admin.col_remote")],
                   [[_local(r["at"])] + [escape(str(r[c] or "—")) for c in cols] for r in rows], tr("admin.none"))
    actions = _options([("", tr("admin.all_actions"))] + [(x, x) for x in log.audit_actions()], f.action)
    query = {k: v for k, v in request.args.items() if k != "page"}
    pages = max(1, -(-total // PAGE_ROWS))
    nav = " ".join(f"<a href='?{escape(urlencode({**query, 'page': n}))}'>{escape(label)}</a>"
                   for n, label in ((page_no - 1, tr("admin.prev")), (page_no + 1, tr("admin.next"))) if 1 <= n <= pages)
    form = (f"<form method='get' class='om-inline'><label>{tr('admin.col_user')}<input name='actor' value='{escape(f.actor)}'></label>"
            f"<label>{tr('admin.col_action_done')}<select name='action'>{actions}</select></label>"
            f"<label>{tr('admin.since')}<input type='datetime-local' name='since' value='{escape(request.args.get('since', ''))}'></label>"
            f"<label>{tr('admin.until')}<input type='datetime-local' name='until' value='{escape(request.args.get('until', ''))}'></label>"
            f"<label><input type='checkbox' name='auto' value='show'{' checked' if not f.hide_automatic else ''}>"
            f"{tr('admin.show_automatic')}</label><button type='submit'>{tr('admin.filter')}</button></form>")
    csv_link = f"/admin/audit.csv?{escape(urlencode({**query, 'auto': 'show' if not f.hide_automatic else 'hide'}))}"
    summary = i18n.t("admin.audit_count", lg, total=total, page=page_no, pages=pages)
    return (f"<section id='audit'><h2>{tr('admin.audit')}</h2>{form}<p class='om-hint'>{summary} {nav} · "
            f"<a href='{csv_link}'>{tr('admin.audit_csv')}</a></p>{table}</section>")


@admin_pages.route("/admin", methods=["GET", "POST"])
def admin() -> Any:
    """Manage users and tokens and read the audit trail (admins only, checked here as well as by the guard)."""
    actor, lg, note = request_actor(), lang(), ""
    if actor is None or actor.role is not Role.ADMIN:
        return redirect("/login")
    if request.method == "POST":
        note = _act(actor.name, lg) if csrf_ok() else i18n.t("login.csrf", lg)
    refused = request.args.get("refused", "")
    notes = [escape(i18n.t("admin.refused", lg, page=refused[:60]))] if refused.startswith("/") else []
    notes += [note] if note else []  # already escaped by _act
    head = "".join(f"<p class='om-note'>{n}</p>" for n in notes)
    nav = f"<p class='om-hint'><a href='/logout'>{i18n.t('login.logout', lg)}</a></p>"
    return page(i18n.t("admin.title", lg), head + _users(lg) + _tokens(lg) + _audit(lg) + nav)


def _act(who: str, lg: str) -> str:
    """Do the posted action; answer its result (escaped), auditing it either way."""
    f, action, s = request.form, request.form.get("action", ""), services()
    try:
        if action == "user":
            if f.get("township") and f["township"] not in s.district.townships:
                raise ValueError(f"unknown township {f['township'][:30]!r}")
            s.accounts.create_user(f["username"], f["password"], Role(f["role"]), f.get("township") or None)
            result = escape(i18n.t("admin.done", lg))
        elif action == "token":
            result = _shown_once(s.accounts.create_token(f["name"], f["kind"], Role(f["role"]), f.get("township") or None),
                                 f["kind"], lg)
        elif action in ("revoke", "reissue"):
            result = _revoke(int(f["token_id"]), action == "reissue", lg)
        else:
            return escape(i18n.t("error.bad_request", lg, reason=action[:20]))
    except Exception as exc:  # a bad form (missing field, taken name, bad role) is answered, never a 500
        audit(who, "admin", f"admin_{action}"[:60], f"rejected:{type(exc).__name__}")
        return escape(i18n.t("error.bad_request", lg, reason=str(exc)[:200]))
    audit(who, "admin", f"admin_{action}"[:60], "done")
    return result


def _revoke(token_id: int, reissue: bool, lg: str) -> str:
    """Revoke a token (its walls go dark); a re-issue makes a new kiosk token of the same name, role and township."""
    s = services()
    old = next((t for t in s.accounts.list_tokens() if t["id"] == token_id), None)
    s.accounts.revoke_token(token_id)
    s.kiosk_revoked(token_id)
    if not (reissue and old and old["kind"] == "kiosk"):
        return escape(i18n.t("admin.done", lg))
    return _shown_once(s.accounts.create_token(old["name"], "kiosk", Role(old["role"]), old["township"]), "kiosk", lg)


def _shown_once(token: str, kind: str, lg: str) -> str:
    url = f"{request.host_url.rstrip('/')}/wall?kiosk={token}" if kind == "kiosk" else ""
    shown = f"<code>{escape(url or token)}</code>"
    return f"{escape(i18n.t('admin.token_once', lg))} {shown}"


def _cell(value: Any) -> Any:
    """Defuse a cell a spreadsheet would run as a formula (a sign-in attempt's name is the caller's text)."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@admin_pages.get("/admin/audit.csv")
def audit_csv() -> Response:
    """Export the audit trail as CSV, with the page's filter (admins only); times in the district's time."""
    actor = request_actor()
    if actor is None or actor.role is not Role.ADMIN:
        return Response("forbidden", status=403)
    out = io.StringIO()
    cols = ["id", "at", "actor", "role", "township", "action", "target", "command_id", "result", "remote"]
    w = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore")
    w.writeheader()
    rows, _total = services().store.log.audit_query(audit_filter(hide_automatic=False), 0, 100_000)
    for row in rows:
        w.writerow({**{k: _cell(v) for k, v in row.items()},
                    "at": datetime.fromtimestamp(row["at"], _zone()).isoformat(timespec="seconds")})
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=onemap-audit.csv"})
