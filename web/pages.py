"""Server-rendered pages outside the dashboards: sign-in and sign-out, and what the admin page shares with them."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, session

import i18n
from application.services import Services
from web.security import audit, home

__all__ = ["audit"]  # the admin page's import of it from here keeps working
# The pages' templates (web/templates) escape every value they are given: no HTML is built by hand.
pages = Blueprint("pages", __name__, template_folder="templates")


def services() -> Services:
    """Return the services of the running app."""
    return current_app.extensions["onemap"]


def lang() -> str:
    """Return the page's language: ?lang=, else the setting."""
    chosen = request.args.get("lang") or services().settings.lang
    return chosen if chosen in i18n.LANGS else "zh"


def render(template: str, title: str, **context: Any) -> str:
    """Render a page of web/templates in the request's language; `t` there is the catalog in that language."""
    lg = lang()
    return render_template(template, lang=lg, title=title, t=lambda key, **params: i18n.t(key, lg, **params), **context)


def csrf_token() -> str:
    """Return this session's CSRF token for a form, made on first use."""
    return session.setdefault("csrf", secrets.token_urlsafe(16))


def csrf_ok() -> bool:
    """Tell whether the posted form carries this session's CSRF token."""
    return bool(session.get("csrf")) and secrets.compare_digest(request.form.get("csrf", ""), session["csrf"])


def csrf_refused(who: str, role: str) -> None:
    """Audit a form posted without this session's CSRF token (a forged request, or a stale page)."""
    audit(who[:60], role, "csrf_refused", "refused", target=request.path[:200])


@pages.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in with a username and password; too many failures from one place are refused for a while."""
    s, lg, error = services(), lang(), ""
    target = request.args.get("next", "")
    if request.method == "POST":
        user, key = request.form.get("username", ""), f"{request.remote_addr}|{request.form.get('username', '')}"
        if not csrf_ok():
            csrf_refused(user or "-", "-")
            return _login_page(i18n.t("login.csrf", lg)), 403
        if s.login_limiter.blocked(key):
            return render("login.html", i18n.t("login.title", lg), card=True, blocked=True), 429
        actor = s.accounts.verify(user, request.form.get("password", ""))
        audit(
            actor.name if actor else user[:60],
            actor.role.value if actor else "-",
            "login",
            "ok" if actor else "rejected:bad_credentials",
        )
        if actor:
            s.login_limiter.succeeded(key)
            s.web_auth.sign_in(actor)
            return redirect(target if target.startswith("/") and not target.startswith("//") else home(actor))
        s.login_limiter.failed(key)
        error = i18n.t("login.failed", lg)
    return _login_page(error), (401 if error else 200)


def _login_page(error: str) -> str:
    """Return the sign-in card, with an error line under the form when there is one."""
    return render("login.html", i18n.t("login.title", lang()), card=True, blocked=False, error=error, csrf=csrf_token())


@pages.route("/logout", methods=["GET", "POST"])
def logout() -> Any:
    """End the session."""
    session.clear()
    return redirect("/login")
