"""The admin's page: users, API and kiosk tokens (re-issue a lost wall URL), the audit trail filtered and paged."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple
from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, request

import i18n
from application.cells import neutralise
from domain.model import Role
from store.log import AuditFilter
from web.pages import audit, csrf_ok, csrf_refused, csrf_token, lang, render, services
from web.security import request_actor

admin_pages = Blueprint("admin", __name__)
PAGE_ROWS = 50
USER_ROLES = (Role.TOWNSHIP, Role.TEAM, Role.COMMANDER, Role.DUTY_LEADER, Role.ADMIN)  # the default first
TOKEN_ROLES = (Role.WALL, Role.SYSTEM, Role.TOWNSHIP, Role.COMMANDER)


def _zone() -> timezone:
    return timezone(timedelta(hours=services().settings.utc_offset_h))


def _local(at: float | None) -> str:
    return datetime.fromtimestamp(at, _zone()).strftime("%Y-%m-%d %H:%M:%S") if at else "—"


def _townships(lg: str) -> list[tuple[str, str]]:
    """Return the township menu's options, named from the district (the one source of township names)."""
    towns = services().district.townships.values()
    return [("", "—")] + [(t.id, f"{t.id} {t.name_en if lg == 'en' else t.name_zh}") for t in towns]


def _teams(lg: str) -> list[tuple[str, str]]:
    """Return the team menu's options (a team member's one team), named from the district."""
    teams = services().district.teams.values()
    return [("", "—")] + [(t.id, f"{t.township} {t.name_en if lg == 'en' else t.name_zh}") for t in teams]


def _users(lg: str) -> list[list[str]]:
    tr = lambda k: i18n.t(k, lg)  # noqa: E731
    return [
        [
            u["username"],
            tr("role." + u["role"]),
            " / ".join(x for x in (u["township"], u["team"]) if x) or "—",
            tr("admin.active") if u["active"] else tr("admin.disabled"),
            _local(u["created_at"]),
        ]
        for u in services().accounts.list_users()
    ]


def _tokens(lg: str) -> list[dict[str, Any]]:
    tr = lambda k: i18n.t(k, lg)  # noqa: E731
    rows = []
    for t in services().accounts.list_tokens():
        live = not t["revoked_at"]
        # A live token can be revoked; a live kiosk token re-issued too (a lost wall URL).
        actions = [
            (a, tr("admin." + a)) for a in ("reissue", "revoke") if live and (a == "revoke" or t["kind"] == "kiosk")
        ]
        rows.append(
            {
                "id": t["id"],
                "name": t["name"],
                "kind": tr("admin.kind_" + t["kind"]),
                "role": tr("role." + t["role"]),
                "township": t["township"] or "—",
                "created": _local(t["created_at"]),
                "state": "live" if live else "revoked",
                "state_label": tr("admin.live" if live else "admin.revoked"),
                "actions": actions,
            }
        )
    return rows


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

    return AuditFilter(
        actor=a.get("actor", "")[:120],
        action=a.get("action", "")[:60],
        since=at("since"),
        until=at("until"),
        hide_automatic=a.get("auto", "hide" if hide_automatic else "show") == "hide",
    )


def _audit(lg: str) -> dict[str, Any]:
    tr, f, log = (lambda k: i18n.t(k, lg)), audit_filter(), services().store.log  # noqa: E731
    page_no = max(1, int(request.args.get("page", "1")) if request.args.get("page", "1").isdigit() else 1)
    rows, total = log.audit_query(f, (page_no - 1) * PAGE_ROWS, PAGE_ROWS)
    cols = ("actor", "role", "township", "action", "target", "result", "remote")
    query = {k: v for k, v in request.args.items() if k != "page"}
    pages = max(1, -(-total // PAGE_ROWS))
    nav = [
        (f"?{urlencode({**query, 'page': n})}", label)
        for n, label in ((page_no - 1, tr("admin.prev")), (page_no + 1, tr("admin.next")))
        if 1 <= n <= pages
    ]
    return {
        "rows": [[_local(r["at"])] + [str(r[c] or "—") for c in cols] for r in rows],
        "actions": [("", tr("admin.all_actions"))] + [(x, x) for x in log.audit_actions()],
        "action": f.action,
        "actor": f.actor,
        "since": request.args.get("since", ""),
        "until": request.args.get("until", ""),
        "show_automatic": not f.hide_automatic,
        "nav": nav,
        "csv": f"/admin/audit.csv?{urlencode({**query, 'auto': 'show' if not f.hide_automatic else 'hide'})}",
        "summary": i18n.t("admin.audit_count", lg, total=total, page=page_no, pages=pages),
    }


class Note(NamedTuple):
    """A line over the page: what came of an action, and the token to copy when one was made."""

    text: str
    code: str = ""


@admin_pages.route("/admin", methods=["GET", "POST"])
def admin() -> Any:
    """Manage users and tokens and read the audit trail (admins only, checked here as well as by the guard)."""
    actor, lg, notes = request_actor(), lang(), []
    if actor is None or actor.role is not Role.ADMIN:
        return redirect("/login")
    refused = request.args.get("refused", "")
    if refused.startswith("/"):
        notes.append(Note(i18n.t("admin.refused", lg, page=refused[:60])))
    status = 200
    if request.method == "POST" and not csrf_ok():
        csrf_refused(actor.name, actor.role.value)
        notes, status = notes + [Note(i18n.t("login.csrf", lg))], 403
    elif request.method == "POST":
        notes.append(_act(actor.name, lg))
    roles = lambda rs: [(r.value, i18n.t("role." + r.value, lg)) for r in rs]  # noqa: E731
    kinds = [(k, i18n.t("admin.kind_" + k, lg)) for k in ("kiosk", "api")]
    return render(
        "admin.html",
        i18n.t("admin.title", lg),
        notes=notes,
        csrf=csrf_token(),
        users=_users(lg),
        tokens=_tokens(lg),
        townships=_townships(lg),
        teams=_teams(lg),
        user_roles=roles(USER_ROLES),
        default_user_role=Role.TOWNSHIP.value,
        token_roles=roles(TOKEN_ROLES),
        token_kinds=kinds,
        default_token_role=Role.WALL.value,
        audit=_audit(lg),
    ), status


def _act(who: str, lg: str) -> Note:
    """Do the posted action; answer its result, auditing it either way."""
    f, action, s = request.form, request.form.get("action", ""), services()
    try:
        if action == "user":
            if f.get("township") and f["township"] not in s.district.townships:
                raise ValueError(f"unknown township {f['township'][:30]!r}")
            team = s.district.teams.get(f.get("team", "")) if f.get("team") else None
            if f.get("team") and team is None:
                raise ValueError(f"unknown team {f['team'][:30]!r}")
            # A team member's township is its team's, whatever the township menu says.
            township = team.township if team else f.get("township") or None
            s.accounts.create_user(f["username"], f["password"], Role(f["role"]), township, team.id if team else None)
            result = Note(i18n.t("admin.done", lg))
        elif action == "token":
            result = _shown_once(
                s.accounts.create_token(f["name"], f["kind"], Role(f["role"]), f.get("township") or None), f["kind"], lg
            )
        elif action in ("revoke", "reissue"):
            result = _revoke(int(f["token_id"]), action == "reissue", lg)
        else:
            return Note(i18n.t("error.bad_request", lg, reason=action[:20]))
    except Exception as exc:  # a bad form (missing field, taken name, bad role) is answered, never a 500
        audit(who, "admin", f"admin_{action}"[:60], f"rejected:{type(exc).__name__}")
        return Note(i18n.t("error.bad_request", lg, reason=str(exc)[:200]))
    audit(who, "admin", f"admin_{action}"[:60], "done")
    return result


def _revoke(token_id: int, reissue: bool, lg: str) -> Note:
    """Revoke a token (its walls go dark); a re-issue makes a new kiosk token of the same name, role and township."""
    s = services()
    old = next((t for t in s.accounts.list_tokens() if t["id"] == token_id), None)
    s.accounts.revoke_token(token_id)
    s.kiosk_revoked(token_id)
    if not (reissue and old and old["kind"] == "kiosk"):
        return Note(i18n.t("admin.done", lg))
    return _shown_once(s.accounts.create_token(old["name"], "kiosk", Role(old["role"]), old["township"]), "kiosk", lg)


def _shown_once(token: str, kind: str, lg: str) -> Note:
    """Return the note that shows a new token (a kiosk token as the wall's URL), this once."""
    url = f"{request.host_url.rstrip('/')}/wall?kiosk={token}" if kind == "kiosk" else ""
    return Note(i18n.t("admin.token_once", lg), url or token)


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
        w.writerow(
            {
                **{k: neutralise(v) for k, v in row.items()},  # a sign-in's name is the caller's text
                "at": datetime.fromtimestamp(row["at"], _zone()).isoformat(timespec="seconds"),
            }
        )
    return Response(
        out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=onemap-audit.csv"}
    )
