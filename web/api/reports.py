"""After action through the API: the daily and weekly report (JSON, PDF, XLSX, CSV) and the entities at a moment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Response, g, jsonify, request

from application.report_files import MEDIA_TYPES, render
from domain.access import authorize, authorize_incident
from domain.errors import Rejected
from domain.model import Role
from domain.periods import KINDS
from web import timeparams, views
from web.api.base import _error, _lang, _services, route

FORMATS = ("json", *MEDIA_TYPES)
MAX_TREND = 36  # periods: three years of months


def _scope(action: str) -> tuple[str | None, Any]:
    """Return the township the caller may read (None: the district) or a refusal; checked before any read.

    The role was checked before the handler (web/api/base.py); this checks the township asked for.
    """
    asked = request.args.get("township") or None
    target = asked or (g.actor.township if g.actor.role is Role.TOWNSHIP else None)
    try:
        authorize(g.actor, action, target)
    except Rejected as exc:
        return None, _error(403, exc.code, **exc.params)
    if target is not None and target not in _services().district.townships:
        return None, _error(404, "unknown_township", township=target)
    return target, None


def _day(name: str, default: date) -> date:
    raw = request.args.get(name)
    return timeparams.day(raw, name) if raw else default


def _answer(report: dict[str, Any], stem: str) -> Any:
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        return _error(400, "bad_request", reason=f"format must be one of {', '.join(FORMATS)}")
    if fmt == "json":
        return jsonify(report)
    body = render(report, _services().district, fmt, _lang())
    return Response(
        body, mimetype=MEDIA_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'}
    )


@route("/reports/daily", "read_report")
def daily_report() -> Any:
    """Return a local day's report (?day=YYYY-MM-DD, today by default) as of its end, or now while it lasts."""
    township, refused = _scope("read_report")
    if refused:
        return refused
    reports = _services().reports
    day = _day("day", reports.today())
    return _answer(reports.daily(day, township), f"daily-{day.isoformat()}" + (f"-{township}" if township else ""))


@route("/reports/weekly", "read_report")
def weekly_report() -> Any:
    """Return the report of seven local days from ?start=YYYY-MM-DD (or ?week=YYYY-Www; this week's Monday by default)."""
    township, refused = _scope("read_report")
    if refused:
        return refused
    reports = _services().reports
    today = reports.today()
    week = request.args.get("week")
    first = timeparams.week(week) if week else _day("start", today - timedelta(days=today.weekday()))
    return _answer(
        reports.weekly(first, township), f"weekly-{first.isoformat()}" + (f"-{township}" if township else "")
    )


def _incident_timeline(incident_id: str, at: float) -> Any:
    """Answer ?incident=: the incident's own timeline as of at; a township only its own incident (checked first)."""
    s = _services()
    incident = s.store.read(lambda state: state.incidents.get(incident_id))
    try:
        authorize_incident(g.actor, "replay", incident)
    except Rejected as exc:
        return _error(403, exc.code, **exc.params)
    timeline = s.replayer.timeline(incident_id, at, s.settings.utc_offset_h) if incident else None
    return jsonify(timeline) if timeline else _error(404, "not_found")


@route("/replay", "replay")
def replay() -> Any:
    """Return the entities at a past moment (?at=unix or ISO; now by default), shaped as the live snapshot.

    With ?incident=ID: that incident's own timeline as of the moment instead (application/replay.py).
    """
    township, refused = (None, None) if request.args.get("incident") else _scope("replay")
    if refused:
        return refused
    s = _services()
    at = timeparams.moment(request.args["at"], s.settings.utc_offset_h) if request.args.get("at") else s.clock()
    at = min(at, s.clock())  # the future is not replayed: it is the live state
    if request.args.get("incident"):
        return _incident_timeline(request.args["incident"][:100], at)
    state = s.replayer.at(at)
    return jsonify({**views.snapshot(state, at, s.settings.utc_offset_h, township or "all"), "replay": True, "at": at})


@route("/assessment", "read_assessment")
def assessment() -> Any:
    """Return the townships' assessment of ?period=week|month|quarter|year holding ?day= (today by default);
    with ?township= (a township's own, always) that township's card with the incidents that lost it points."""
    township, refused = _scope("read_assessment")
    if refused:
        return refused
    books = _services().assessments
    kind = request.args.get("period", "month")
    if kind not in KINDS:
        return _error(400, "bad_request", reason=f"period must be one of {', '.join(KINDS)}")
    which = books.period(kind, _day("day", books.today()))
    if request.args.get("format", "json") != "json":  # the report's files, from the same figures
        return _answer(
            books.report(which, township), f"assessment-{which.label}" + (f"-{township}" if township else "")
        )
    return jsonify(books.district(which) if township is None else books.township(which, township))


@route("/assessment/trend", "read_assessment")
def assessment_trend() -> Any:
    """Return the scores over ?count= (1-36, 12 by default) periods of ?period= ending with the one holding ?day=;
    a township's operator gets its own township's and the district's figures only."""
    township, refused = _scope("read_assessment")
    if refused:
        return refused
    books = _services().assessments
    kind, count = request.args.get("period", "month"), request.args.get("count", "12")
    if kind not in KINDS or not count.isdigit() or not 1 <= int(count) <= MAX_TREND:
        return _error(400, "bad_request", reason=f"period one of {', '.join(KINDS)}; count 1 to {MAX_TREND}")
    rows = books.trend(books.period(kind, _day("day", books.today())), int(count))
    if township is not None:  # its own line, and the district's: never another township's score
        rows = [{**r, "townships": {township: r["townships"].get(township)}} for r in rows]
    return jsonify({"period": kind, "trend": rows})
