"""Server-rendered pages outside the dashboards: sign-in, sign-out, and the admin's users, tokens and audit."""
from __future__ import annotations

import csv
import io
import secrets
from datetime import datetime, timedelta, timezone
from html import escape
from typing import Any

from flask import Blueprint, Response, current_app, redirect, request, session

import i18n
from domain.model import Role
from web.security import home, request_actor
from application.services import Services
from store.log import AuditRecord

pages = Blueprint("pages", __name__)
STYLE = ("body{background:#071428;color:#dbe7ff;font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',"
         "sans-serif;margin:0;padding:3rem}form,table{background:#0d2244;padding:1.2rem;border:1px solid #1f4a8a;"
         "border-radius:6px}input,select,button{font-size:1rem;margin:.3rem;padding:.4rem}table{border-collapse:"
         "collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #1f4a8a}.err{color:#ff6b6b}a{color:#7cc4ff}")


def _s() -> Services:
    return current_app.extensions["onemap"]


def _lang() -> str:
    lang = request.args.get("lang") or _s().settings.lang
    return lang if lang in i18n.LANGS else "zh"


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang='{_lang()}'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>")


def _csrf() -> str:
    session.setdefault("csrf", secrets.token_urlsafe(16))
    return f"<input type='hidden' name='csrf' value='{session['csrf']}'>"


def _csrf_ok() -> bool:
    return bool(session.get("csrf")) and secrets.compare_digest(request.form.get("csrf", ""), session["csrf"])


@pages.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with a username and password; too many failures from one place are refused for a while."""
    s, lang, error = _s(), _lang(), ""
    target = request.args.get("next", "")
    if request.method == "POST":
        user, key = request.form.get("username", ""), f"{request.remote_addr}|{request.form.get('username', '')}"
        if not _csrf_ok():
            error = i18n.t("login.csrf", lang)
        elif s.login_limiter.blocked(key):
            return _page(i18n.t("login.title", lang), f"<p class='err'>{i18n.t('login.too_many', lang)}</p>"), 429
        else:
            actor = s.accounts.verify(user, request.form.get("password", ""))
            _audit(actor.name if actor else user[:60], actor.role.value if actor else "-", "login", "ok" if actor else "rejected:bad_credentials")
            if actor:
                s.login_limiter.succeeded(key)
                s.web_auth.sign_in(actor)
                return redirect(target if target.startswith("/") and not target.startswith("//") else home(actor))
            s.login_limiter.failed(key)
            error = i18n.t("login.failed", lang)
    form = (f"<form method='post'>{_csrf()}<label>{i18n.t('login.username', lang)}<input name='username' autofocus>"
            f"</label><br><label>{i18n.t('login.password', lang)}<input name='password' type='password'></label><br>"
            f"<button type='submit'>{i18n.t('login.submit', lang)}</button><p class='err'>{escape(error)}</p></form>")
    return _page(i18n.t("login.title", lang), form), (401 if error else 200)


@pages.route("/logout", methods=["GET", "POST"])
def logout() -> Any:
    """End the session."""
    session.clear()
    return redirect("/login")


@pages.route("/admin", methods=["GET", "POST"])
def admin() -> Any:
    """Manage users and tokens (admins only; the guard already checked the page)."""
    s, lang, actor, note = _s(), _lang(), request_actor(), ""
    if actor is None or actor.role is not Role.ADMIN:
        return redirect("/login")
    if request.method == "POST":
        note = _admin_action(s, actor.name, lang) if _csrf_ok() else i18n.t("login.csrf", lang)
    users = "".join(f"<tr><td>{escape(u['username'])}</td><td>{escape(u['role'])}</td><td>{escape(u['township'] or '')}</td>"
                    f"<td>{'✔' if u['active'] else '✘'}</td></tr>" for u in s.accounts.list_users())
    toks = "".join(f"<tr><td>{t['id']}</td><td>{escape(t['name'])}</td><td>{escape(t['kind'])}</td><td>{escape(t['role'])}</td>"
                   f"<td>{escape(t['township'] or '')}</td><td>{'revoked' if t['revoked_at'] else 'live'}</td>"
                   f"<td><form method='post'>{_csrf()}<input type='hidden' name='action' value='revoke'>"
                   f"<input type='hidden' name='token_id' value='{t['id']}'><button>{i18n.t('admin.revoke', lang)}"
                   f"</button></form></td></tr>" for t in s.accounts.list_tokens())
    roles = "".join(f"<option>{r.value}</option>" for r in Role if r not in (Role.SYSTEM, Role.WALL))
    body = (f"<p>{escape(note)}</p><h2>{i18n.t('admin.users', lang)}</h2><table>{users}</table>"
            f"<form method='post'>{_csrf()}<input type='hidden' name='action' value='user'>"
            f"<input name='username' placeholder='username'><input name='password' type='password' placeholder='password'>"
            f"<select name='role'>{roles}</select><input name='township' placeholder='T01'><button>+</button></form>"
            f"<h2>{i18n.t('admin.tokens', lang)}</h2><table>{toks}</table>"
            f"<form method='post'>{_csrf()}<input type='hidden' name='action' value='token'><input name='name' placeholder='name'>"
            f"<select name='kind'><option>kiosk</option><option>api</option></select><select name='role'>"
            f"<option>wall</option><option>system</option><option>commander</option><option>township</option></select>"
            f"<input name='township' placeholder='T01'><button>+</button></form>"
            f"<h2>{i18n.t('admin.audit', lang)}</h2><table>{_audit_rows(s)}</table>"
            f"<p><a href='/admin/audit.csv'>{i18n.t('admin.audit_csv', lang)}</a> · <a href='/logout'>{i18n.t('login.logout', lang)}</a></p>")
    return _page(i18n.t("admin.title", lang), body)


def _audit_rows(s: Services, limit: int = 100) -> str:
    """Return the newest audit records as table rows, every cell escaped."""
    tz = timezone(timedelta(hours=s.settings.utc_offset_h))
    cols = ("actor", "role", "township", "action", "target", "result", "remote")
    return "".join(
        f"<tr><td>{datetime.fromtimestamp(r['at'], tz):%m-%d %H:%M:%S}</td>"
        + "".join(f"<td>{escape(str(r[c] or ''))}</td>" for c in cols) + "</tr>"
        for r in s.store.log.audit_trail(limit=limit))


def _admin_action(s: Services, who: str, lang: str) -> str:
    f, action = request.form, request.form.get("action", "")
    try:
        if action == "user":
            if f.get("township") and f["township"] not in s.district.townships:
                raise ValueError(f"unknown township {f['township'][:30]!r}")
            s.accounts.create_user(f["username"], f["password"], Role(f["role"]), f.get("township") or None)
            result = i18n.t("admin.done", lang)
        elif action == "token":
            token = s.accounts.create_token(f["name"], f["kind"], Role(f["role"]), f.get("township") or None)
            result = f"{i18n.t('admin.token_once', lang)} {token}" + (f"  →  /wall?kiosk={token}" if f["kind"] == "kiosk" else "")
        elif action == "revoke":
            s.accounts.revoke_token(int(f["token_id"]))
            s.kiosk_revoked(int(f["token_id"]))
            result = i18n.t("admin.done", lang)
        else:
            return i18n.t("error.bad_request", lang, reason=action[:20])
    except Exception as exc:  # a bad form (missing field, taken name, bad role) is answered, never a 500
        _audit(who, "admin", f"admin_{action}"[:60], f"rejected:{type(exc).__name__}")
        return i18n.t("error.bad_request", lang, reason=str(exc)[:200])
    _audit(who, "admin", f"admin_{action}"[:60], "done")
    return result


def _audit(who: str, role: str, action: str, result: str) -> None:
    s = _s()
    s.store.log.audit(AuditRecord(s.clock(), who, role, action, result, remote=(request.remote_addr or "")[:100]))


def _cell(value: Any) -> Any:
    """Defuse a cell a spreadsheet would run as a formula (a sign-in attempt's name is the caller's text)."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@pages.get("/admin/audit.csv")
def audit_csv() -> Response:
    """Export the audit trail as CSV (admins only)."""
    actor = request_actor()
    if actor is None or actor.role is not Role.ADMIN:
        return Response("forbidden", status=403)
    s, tz = _s(), timezone(timedelta(hours=_s().settings.utc_offset_h))
    out = io.StringIO()
    cols = ["id", "at", "actor", "role", "township", "action", "target", "command_id", "result", "remote"]
    w = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore")
    w.writeheader()
    for row in s.store.log.audit_trail(limit=100_000):
        w.writerow({**{k: _cell(v) for k, v in row.items()},
                    "at": datetime.fromtimestamp(row["at"], tz).isoformat(timespec="seconds")})
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=onemap-audit.csv"})
