"""The service team's phone page (/team) and its calls: its orders, its steps, its position, its photos."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

import i18n
from application import evidence
from application.commands import Outcome
from application.services import Services
from domain.access import authorize, authorize_incident
from domain.errors import Rejected
from domain.model import OUTCOMES, Actor, Fix
from web.api.base import _error, answer, command_body, object_body
from web.pages import lang, render, services
from web.security import request_actor
from web.teamview import team_view

team = Blueprint("team", __name__, template_folder="templates", static_folder="static", static_url_path="/team/static")
PAGE_KEYS = ("team.", "proof.", "step.", "stage.", "error.", "priority.", "outcome.")
STEP_NAMES = {"on_site": "on_site", "on-site": "on_site", "resolve": "resolve"}


def _member() -> tuple[Actor | None, Any]:
    """Return the signed-in team member, or the refusal: every call here checks it before reading anything."""
    actor = request_actor()
    if actor is None:
        return None, _error(401, "unauthorized")
    try:
        authorize(actor, "team_orders", actor.township)
        if not actor.team:
            raise Rejected("forbidden", action="team_orders", role=actor.role.value)
    except Rejected as exc:
        services().commands.refused(actor, "team_orders", request.path[:200], exc.code, request.remote_addr or "")
        return None, _error(403, exc.code, **exc.params)
    return actor, None


def member_only(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run a handler with the signed-in team member, or answer the refusal before it reads anything."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        actor, refusal = _member()
        return refusal if actor is None else fn(actor, *args, **kwargs)

    return run


@team.route("/team")
@member_only
def page(actor: Actor) -> Any:
    """The phone page: the team's orders, its steps and its position (assets/team.js draws it from /team/state)."""
    s = services()
    t = s.district.teams.get(actor.team or "")
    lg = lang()
    name = (t.name_zh if lg == "zh" else t.name_en) if t else actor.team
    # The page's strings, from the one catalog in its language; team.js reads them (no text is built in JS).
    strings = {k: v[1] if lg == "en" else v[0] for k, v in i18n.STRINGS.items() if k.startswith(PAGE_KEYS)}
    # The photo limit, so the page refuses a larger file before sending it over a phone's mobile data.
    config = {
        "lang": lg,
        "team": actor.team,
        "strings": strings,
        "max_photo_bytes": s.evidence_limits.max_bytes,
        "outcomes": list(OUTCOMES),
    }
    return render("team.html", name or "", team_name=name, config=config)


@team.route("/team/state")
@member_only
def state(actor: Actor) -> Any:
    """The team's open orders with their running clocks, and the server's time (the page polls it)."""
    s = services()
    now = s.clock()
    return jsonify(s.store.read(lambda st: team_view(st, actor, s.settings.sla_policy.site, now)))


@team.route("/team/orders/<incident_id>/<step>", methods=["POST"])
@member_only
def step(actor: Actor, incident_id: str, step: str) -> Any:
    """Take a team step: {"command_id", "device_at", "fix": {lon, lat, accuracy_m, at} | null, "note", "photos",
    "outcome" (resolve: how it ended)}."""
    body, bad = command_body()
    if bad:
        return bad
    try:
        fix = _fix(body.get("fix"))
        device_at = _seconds(body.get("device_at"))
    except ValueError as exc:
        return _error(400, "bad_request", reason=str(exc))
    photos = body.get("photos") or []
    if not isinstance(photos, list) or not all(isinstance(p, str) and len(p) <= 40 for p in photos):
        return _error(400, "bad_request", reason="photos: a list of photo ids")
    return answer(
        services().commands.advance(
            actor,
            incident_id,
            STEP_NAMES.get(step, step),
            body["command_id"],
            str(body.get("note") or "")[:500],
            request.remote_addr or "",
            fix=fix,
            device_at=device_at,
            photos=tuple(photos),
            outcome=str(body.get("outcome") or "")[:40],
        )
    )


@team.route("/team/position", methods=["POST"])
@member_only
def position(actor: Actor) -> Any:
    """Take the phone's fix: {lon, lat, accuracy_m, at}; kept when it adds to the team's track."""
    body, bad = object_body()  # a fix needs no command id: its team and time are its identity
    if bad:
        return bad
    try:
        fix = _fix(body)
    except ValueError as exc:
        return _error(400, "bad_request", reason=str(exc))
    if fix is None:
        return _error(400, "bad_request", reason="lon, lat, accuracy_m and at are required")
    outcome = services().commands.position(actor, fix, request.remote_addr or "")
    if not outcome.ok:
        return answer(outcome)
    return jsonify({"status": "done", "kept": bool(outcome.events)})


def _number(value: Any) -> bool:
    """Tell whether a JSON value is a finite number (not a bool, not NaN or infinity)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _seconds(value: Any) -> float:
    """Return a phone's time in Unix seconds (0 when absent), refusing what is not a finite number."""
    if value in (None, "", 0):
        return 0.0
    if not _number(value) or abs(value) > 1e11:
        raise ValueError("device_at: Unix seconds")
    return float(value)


def _fix(raw: Any) -> Fix | None:
    """Return a fix from {lon, lat, accuracy_m, at}, or None when none was sent; the domain checks its values."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValueError("fix: {lon, lat, accuracy_m, at}")
    values = [raw.get(k) for k in ("lon", "lat", "accuracy_m", "at")]
    if not all(_number(v) for v in values):
        raise ValueError("fix: lon, lat, accuracy_m and at are finite numbers")
    lon, lat, acc, at = (float(v) for v in values)  # type: ignore[arg-type]
    return Fix(lon, lat, acc, at)


@team.route("/team/evidence", methods=["POST"])
@member_only
def add_evidence(actor: Actor) -> Any:
    """Take a photo of the team's order (multipart: photo, incident_id, step, note); answer its id for the step."""
    s = services()
    incident_id, step = request.form.get("incident_id", "")[:60], request.form.get("step", "")[:20]
    upload = request.files.get("photo")
    try:
        _evidence_scope(s, actor, incident_id, "add_evidence")
        if step not in STEP_NAMES.values():
            raise Rejected("unknown_step", step=step or "-")
        if upload is None:
            raise Rejected("photo_not_image")
        photo = evidence.process(upload.read(s.evidence_limits.max_bytes + 1), s.evidence_limits)
    except Rejected as exc:
        s.commands.refused(actor, "add_evidence", incident_id or "-", exc.code, request.remote_addr or "")
        return answer(Outcome("rejected", exc.code, exc.params))
    photo_id = s.evidence.put(photo, incident_id, step, actor.name, request.form.get("note", "")[:500])
    s.commands.audited(actor, "add_evidence", f"{incident_id}/{photo_id}", request.remote_addr or "")
    return jsonify({"status": "done", "id": photo_id, "width": photo.width, "height": photo.height})


@team.route("/evidence/<photo_id>")
def photo(photo_id: str) -> Any:
    """Serve a photo (?size=thumb for the small one) to whoever may read its incident."""
    actor = request_actor()
    if actor is None:
        return _error(401, "unauthorized")
    s = services()
    meta = s.evidence.meta(photo_id[:40])
    try:  # to a room or a team, another's photo and no photo look the same: out of scope
        _evidence_scope(s, actor, meta["incident_id"] if meta else "", "read_evidence")
    except Rejected as exc:
        return _error(403, exc.code, **exc.params)
    data = s.evidence.get(photo_id[:40], thumb=request.args.get("size") == "thumb")
    if data is None:
        return _error(404, "not_found")
    return Response(data, mimetype="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})


def _evidence_scope(s: Services, actor: Actor, incident_id: str, action: str) -> None:
    """Raise Rejected unless the actor may do the action on the incident's evidence (archived ones included)."""
    inc = s.store.read(lambda st: st.incidents.get(incident_id)) if incident_id else None
    if inc is None and incident_id:
        inc = s.store.incident(incident_id)
    authorize_incident(actor, action, inc)


def no_store(resp: Response) -> Response:
    """Keep a team's answers out of shared caches (they name its orders)."""
    resp.headers.setdefault("Cache-Control", "private, no-store")
    return resp


team.after_request(no_store)
