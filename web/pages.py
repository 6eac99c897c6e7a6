"""Server-rendered pages outside the dashboards: sign-in and sign-out, and what the admin page shares with them."""
from __future__ import annotations

import secrets
from html import escape
from typing import Any

from flask import Blueprint, current_app, redirect, request, session

import i18n
from application.services import Services
from store.log import AuditRecord
from web.security import home

pages = Blueprint("pages", __name__)
# The product's look without Dash: the root font grows with the screen (as on the wall), so 4K is legible.
STYLE = """
html{font-size:clamp(15px,1.5vh,34px)}
body{background:#071428;color:#dbe7ff;margin:0;padding:2rem 3rem;line-height:1.5;
 font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif}
h1{font-size:1.6rem;color:#7cc4ff;margin:0 0 1.2rem;letter-spacing:.05em}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem;color:#bcd7ff}section>h2:first-child{margin-top:0}
section,.om-card{background:#0d2244;padding:1rem 1.4rem;border:1px solid #1f4a8a;border-radius:.4rem;margin-bottom:1.2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th{text-align:left;color:#8fb3e8;font-weight:600;border-bottom:2px solid #1f4a8a;padding:.35rem .6rem}
td{padding:.3rem .6rem;border-bottom:1px solid #17345f;vertical-align:middle}
label{display:inline-flex;flex-direction:column;font-size:.8rem;color:#8fb3e8;margin:.3rem .8rem .3rem 0}
input,select,button{font:inherit;font-size:.95rem;margin-top:.2rem;padding:.35rem .6rem;border-radius:.25rem;
 border:1px solid #2a5ca8;background:#081a36;color:#dbe7ff}
button{background:#1f6feb;border-color:#1f6feb;color:#fff;cursor:pointer;align-self:flex-end}
form.om-inline{display:flex;flex-wrap:wrap;align-items:flex-end;margin-top:.8rem}
.om-actions{display:flex;gap:.4rem}.om-actions form{margin:0}.om-actions button{font-size:.8rem;padding:.2rem .5rem}
.om-hint{color:#8fb3e8;font-size:.85rem}.om-note{background:#12345f;border-left:.3rem solid #7cc4ff;padding:.5rem .8rem}
.err{color:#ff6b6b}a{color:#7cc4ff}code{word-break:break-all;color:#ffd479}
body.om-login{display:flex;min-height:100vh;align-items:center;justify-content:center;padding:0}
.om-login .om-card{min-width:22rem;padding:2rem 2.4rem}.om-login label{display:flex;margin:.6rem 0}
.om-login input{width:100%;box-sizing:border-box}.om-login button{width:100%;margin-top:1rem;padding:.6rem}
"""


def services() -> Services:
    """Return the services of the running app."""
    return current_app.extensions["onemap"]


def lang() -> str:
    """Return the page's language: ?lang=, else the setting."""
    chosen = request.args.get("lang") or services().settings.lang
    return chosen if chosen in i18n.LANGS else "zh"


def page(title: str, body: str, card: bool = False) -> str:
    """Return a whole server-rendered page in the product's style (card: one card mid-screen, as sign-in)."""
    heading = "" if card else f"<h1>{escape(title)}</h1>"
    return (f"<!doctype html><html lang='{lang()}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width,initial-scale=1'><title>{escape(title)} · OneMap</title>"
            f"<style>{STYLE}</style></head><body class='{'om-login' if card else ''}'>{heading}{body}</body></html>")


def csrf_field() -> str:
    """Return the form's hidden CSRF token field."""
    session.setdefault("csrf", secrets.token_urlsafe(16))
    return f"<input type='hidden' name='csrf' value='{session['csrf']}'>"


def csrf_ok() -> bool:
    """Tell whether the posted form carries this session's CSRF token."""
    return bool(session.get("csrf")) and secrets.compare_digest(request.form.get("csrf", ""), session["csrf"])


@pages.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with a username and password; too many failures from one place are refused for a while."""
    s, lg, error = services(), lang(), ""
    target = request.args.get("next", "")
    if request.method == "POST":
        user, key = request.form.get("username", ""), f"{request.remote_addr}|{request.form.get('username', '')}"
        if not csrf_ok():
            error = i18n.t("login.csrf", lg)
        elif s.login_limiter.blocked(key):
            return page(i18n.t("login.title", lg), f"<div class='om-card err'>{i18n.t('login.too_many', lg)}</div>",
                        card=True), 429
        else:
            actor = s.accounts.verify(user, request.form.get("password", ""))
            audit(actor.name if actor else user[:60], actor.role.value if actor else "-", "login", "ok" if actor else "rejected:bad_credentials")
            if actor:
                s.login_limiter.succeeded(key)
                s.web_auth.sign_in(actor)
                return redirect(target if target.startswith("/") and not target.startswith("//") else home(actor))
            s.login_limiter.failed(key)
            error = i18n.t("login.failed", lg)
    tr = lambda k: i18n.t(k, lg)  # noqa: E731
    form = (f"<div class='om-card'><h1>{tr('app.title')}</h1><form method='post'>{csrf_field()}"
            f"<label>{tr('login.username')}<input name='username' autocomplete='username' autofocus required></label>"
            f"<label>{tr('login.password')}<input name='password' type='password' autocomplete='current-password' "
            f"required></label><button type='submit'>{tr('login.submit')}</button>"
            f"<p class='err'>{escape(error)}</p></form></div>")
    return page(tr("login.title"), form, card=True), (401 if error else 200)


@pages.route("/logout", methods=["GET", "POST"])
def logout() -> Any:
    """End the session."""
    session.clear()
    return redirect("/login")


def audit(who: str, role: str, action: str, result: str) -> None:
    """Write a sign-in or admin action to the audit trail."""
    s = services()
    s.store.log.audit(AuditRecord(s.clock(), who, role, action, result, remote=(request.remote_addr or "")[:100]))
