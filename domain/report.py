"""The after-action report's data for a window (a local day or a week) as of a moment: pure, figures from kpi."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from domain import events as ev
from domain.halls import DAY_S, served_since
from domain.halls import waiting as hall_waiting
from domain.kpi import VOID_STAGES, day_figures
from domain.model import Incident, Order
from domain.sla import dispatch_verdict, stage_lateness
from domain.state import State

FLOOD_CATEGORIES = frozenset({"flood_risk", "waterlogging"})
SECURITY_SOURCES = frozenset({"security"})
SECURITY_CATEGORIES = frozenset({"public_safety"})
Row = dict[str, Any]


def report(
    state: State,
    start: float,
    end: float,
    now: float,
    stage_changes: Iterable[ev.FloodStageChanged] = (),
    township: str | None = None,
    bucket_s: float = 3600.0,
) -> dict[str, Any]:
    """Return the report of [start, end) as of now; a township sees only its own rows (district = its row)."""
    figures = day_figures(state, start, end, now)
    towns = [r for r in figures["townships"] if township is None or r["id"] == township]
    mine = [i for i in state.incidents.values() if township is None or township in _townships(i)]
    received = sorted((i for i in mine if start <= i.received_at < end), key=lambda i: i.received_at)
    return {
        "start": start,
        "end": end,
        "as_of": now,
        "township": township,
        "district": figures["district"] if township is None else {k: v for k, v in towns[0].items() if k != "id"},
        "townships": towns,
        "breaches": breaches(mine, start, end, now, township),
        "reopened": [_incident_row(i) for i in received_or_worked(mine, start, end) if i.reopened],
        "flood": [_incident_row(i) for i in received if i.category in FLOOD_CATEGORIES or i.source == "hydrology"],
        "flood_stages": [
            _stage_row(e)
            for e in stage_changes
            if township is None or _station_township(state, e.station_id) == township
        ],
        "security": [
            _incident_row(i) for i in received if i.source in SECURITY_SOURCES or i.category in SECURITY_CATEGORIES
        ],
        "halls": halls(state, last_day(start, end, now), now, township),
        "by_source": dict(Counter(i.source for i in received).most_common()),
        "by_category": dict(Counter(i.category for i in received).most_common()),
        "received_series": series(received, start, end, bucket_s),
    }


def last_day(start: float, end: float, now: float) -> float:
    """Return the start of the window's local day that holds its moment; read as of its end, its last day.
    A window runs from a local midnight over whole days (a day or a week)."""
    days = min((now - start) // DAY_S, (end - start) // DAY_S - 1)
    return start + max(0.0, days) * DAY_S


def _townships(inc: Incident) -> set[str | None]:
    """Return every township that answers for a part of the incident: where it happened and each order's."""
    return {inc.township} | {o.township for o in _orders(inc)}


def _orders(inc: Incident) -> tuple[Order, ...]:
    return inc.history + ((inc.order,) if inc.order else ())


def received_or_worked(incidents: Iterable[Incident], start: float, end: float) -> list[Incident]:
    """Return the incidents received in the window or with an order or dispatch round started in it."""
    return [
        i
        for i in incidents
        if start <= i.received_at < end
        or start <= i.dispatch_since < end
        or any(start <= o.issued_at < end for o in _orders(i))
    ]


def breaches(
    incidents: Iterable[Incident], start: float, end: float, now: float, township: str | None = None
) -> list[Row]:
    """Every late clock of the window (the figures' `late`): each stage of an order, each dispatch round."""
    rows: list[Row] = []
    for inc in incidents:
        if inc.stage in VOID_STAGES:
            continue  # cancelled and merged incidents count as received and nowhere else
        for order in _orders(inc):
            if start <= order.issued_at < end and township in (None, order.township):
                rows += [
                    _breach(inc, order.township, step, order.deadlines[step], order.done.get(step), late, order)
                    for step, late in stage_lateness(order, now).items()
                ]
            rows += _dispatch_breach(inc, order, start, end, now, township)
        rows += _dispatch_breach(inc, None, start, end, now, township)
    return sorted(rows, key=lambda r: (r["deadline"], r["incident"], r["stage"]))


def _dispatch_breach(
    inc: Incident, order: Order | None, start: float, end: float, now: float, township: str | None
) -> list[Row]:
    since, due = (order.dispatch_since, order.dispatch_due) if order else (inc.dispatch_since, inc.dispatch_due)
    if since is None or due is None or not start <= since < end or township not in (None, inc.township):
        return []  # due is None: a round without a target, which dispatch_verdict does not judge either
    if (order is None and inc.order is not None) or dispatch_verdict(inc, order, now) is not False:
        return []
    done = order.issued_at if order else None
    return [_breach(inc, inc.township, "dispatch", due, done, (done if done is not None else now) - due)]


def _breach(
    inc: Incident,
    township: str | None,
    stage: str,
    deadline: float,
    done: float | None,
    late: float,
    order: Order | None = None,
) -> Row:
    """A late clock, with the note due on it and what its team showed: how on site was proven, its photos."""
    return {
        "incident": inc.id,
        "township": township,
        "category": inc.category,
        "stage": stage,
        "deadline": deadline,
        "done_at": done,
        "lateness_s": round(late, 1),
        "note": inc.note,
        "status": inc.stage.value,
        "proof": order.proof if order else "",
        "photos": list(order.photos) if order else [],
    }


def _incident_row(inc: Incident) -> Row:
    return {
        "incident": inc.id,
        "received_at": inc.received_at,
        "township": inc.township,
        "source": inc.source,
        "category": inc.category,
        "priority": inc.priority,
        "summary": inc.summary,
        "address": inc.address,
        "status": inc.stage.value,
        "reopened": inc.reopened,
        "note": inc.note,
    }


def _stage_row(e: ev.FloodStageChanged) -> Row:
    return {"at": e.at, "station": e.station_id, "stage": e.stage, "level": e.level, "incident": e.incident_id}


def halls(state: State, day_start: float, now: float, township: str | None = None) -> list[Row]:
    """Each service hall's queue as it stood at now, in the local day from day_start (the wall's `hall.waiting`):
    waiting, longest wait, open windows, served."""
    rows = []
    for h in state.district.halls.values():
        if township is not None and h.township != township:
            continue
        q = state.halls.get(h.id)
        waiting = hall_waiting(q, day_start)
        rows.append(
            {
                "hall": h.id,
                "township": h.township,
                "waiting": waiting.count,
                "longest_wait_s": round(waiting.longest_s(now), 1),
                "open_windows": q.open_windows if q else 0,
                "windows": h.windows,
                "served": served_since(q, day_start) if q else 0,
            }
        )
    return rows


def series(incidents: Iterable[Incident], start: float, end: float, bucket_s: float) -> list[Row]:
    """Return incidents received per bucket (an hour of a day, a day of a week) from start to end."""
    counts = Counter(int((i.received_at - start) // bucket_s) for i in incidents)
    return [
        {"start": start + b * bucket_s, "received": counts.get(b, 0)} for b in range(int((end - start) // bucket_s))
    ]


def _station_township(state: State, station_id: str) -> str | None:
    station = state.district.stations.get(station_id)
    return station.township if station else None
