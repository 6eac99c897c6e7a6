"""How each incident and broadcast event changes the projection: one apply per event type (see projection.FOLDS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

from domain import events as ev
from domain import ledger, series
from domain.fastinit import quick_new, quick_replace
from domain.model import BY_ROOM, OPEN_STAGES, STEP_STAGE, Broadcast, Incident, Order, Stage
from domain.state import SWEEP_S, State

Changed = set[str]
_new_incident = quick_new(Incident)  # one for every record ingested: over twice as fast as Incident()


def _keys(incident_id: str) -> Changed:
    return {f"incident:{incident_id}", "kpi:today", *series.FIGURE_CHARTS}


def _take(s: State, team_id: str, incident_id: str, changed: Changed) -> None:
    if team_id:
        s.team_busy[team_id] = incident_id
        changed.add(f"team:{team_id}")


def _free(s: State, order: Order | None, incident_id: str, changed: Changed) -> None:
    if order and order.team_id and s.team_busy.get(order.team_id) == incident_id:
        del s.team_busy[order.team_id]
        changed.add(f"team:{order.team_id}")


@overload
def _ended(order: Order, at: float) -> Order: ...
@overload
def _ended(order: None, at: float) -> None: ...
def _ended(order: Order | None, at: float) -> Order | None:
    """Return the order marked as no longer worked from then on (its first end counts)."""
    return quick_replace(order, ended_at=at) if order is not None and order.ended_at is None else order


def _end(s: State, e: ev.IncidentEvent, stage: Stage, **fields: Any) -> Changed:
    """Leave the incident in a stage that needs no team any more (cancelled, merged, closed...)."""
    inc = s.incidents[e.incident_id]
    changed = _keys(e.incident_id)
    _free(s, inc.order, inc.id, changed)
    s.incidents[inc.id] = quick_replace(inc, stage=stage, order=_ended(inc.order, e.at), **fields)
    return changed


def reported(s: State, e: ev.IncidentReported) -> Changed:
    if e.incident_id in s.incidents:
        return set()
    s.incidents[e.incident_id] = _new_incident(
        id=e.incident_id,
        source=e.source,
        source_id=e.source_id,
        category=e.category,
        township=e.township,
        lon=e.lon,
        lat=e.lat,
        priority=e.priority,
        summary=e.summary,
        address=e.address,
        reported_at=e.reported_at or e.at,
        received_at=e.at,
        dispatch_since=e.at,
        dispatch_due=s.dispatch_due(e.priority, e.at),
    )
    return _keys(e.incident_id) | series.count_report(s, e.source, e.at)


def issued(s: State, e: ev.OrderIssued) -> Changed:
    inc = s.incidents[e.incident_id]
    # An order the center issued ends a dispatch round; one the township's transfer made does not.
    round_ = (inc.dispatch_since, inc.dispatch_due) if inc.stage is Stage.NEW else (None, None)
    order = Order(
        e.order_id,
        e.incident_id,
        e.team_id,
        e.township,
        e.at,
        e.actor,
        dict(e.deadlines),
        dispatch_since=round_[0],
        dispatch_due=round_[1],
    )
    history = inc.history + ((_ended(inc.order, e.at),) if inc.order is not None else ())
    s.incidents[e.incident_id] = quick_replace(inc, stage=Stage.ORDERED, order=order, history=history)
    changed = _keys(e.incident_id)
    _take(s, e.team_id, e.incident_id, changed)
    return changed


def step(s: State, e: ev.StepDone) -> Changed:
    name = next(k for k, cls in ev.STEP_EVENTS.items() if isinstance(e, cls))
    inc = s.incidents[e.incident_id]
    order = inc.order
    assert order is not None and order.id == e.order_id, "event for an order that is not current"
    changed = _keys(e.incident_id)
    team_id = getattr(e, "team_id", "") or order.team_id
    if team_id != order.team_id:  # the room picked (or changed) its team when routing
        _free(s, order, inc.id, changed)
        _take(s, team_id, inc.id, changed)
    order = quick_replace(
        order,
        team_id=team_id,
        done={**order.done, name: e.at},
        late=order.late + ((name,) if e.late else ()),
        photos=order.photos + tuple(e.photos),
    )
    if isinstance(e, ev.TeamOnSite):  # a log from before proofs holds none: the room marked it
        order = quick_replace(order, proof=e.proof or BY_ROOM, proof_m=e.distance_m)
    elif isinstance(e, ev.OrderResolved):
        order = quick_replace(order, outcome=e.outcome)
    s.incidents[e.incident_id] = quick_replace(inc, stage=STEP_STAGE[name], order=order, note=e.note or inc.note)
    if name == "resolve":
        _free(s, order, inc.id, changed)
    return changed


def breached(s: State, e: ev.SlaBreached) -> Changed:
    inc = s.incidents[e.incident_id]
    if inc.order is None or inc.order.id != e.order_id or e.step in inc.order.breached:
        return set()
    s.incidents[e.incident_id] = quick_replace(
        inc, order=quick_replace(inc.order, breached=inc.order.breached + (e.step,))
    )
    return _keys(e.incident_id)


def transferred(s: State, e: ev.OrderTransferred) -> Changed:
    inc = s.incidents[e.incident_id]
    if e.to_department:
        return _end(s, e, Stage.TRANSFERRED, note=f"{e.to_department}: {e.reason}")
    changed = _keys(e.incident_id)
    _free(s, inc.order, inc.id, changed)  # an OrderIssued to the other township follows in the same append
    s.incidents[inc.id] = quick_replace(inc, order=_ended(inc.order, e.at))
    return changed


def feedback(s: State, e: ev.FeedbackRecorded) -> Changed:
    inc = s.incidents[e.incident_id]
    s.incidents[inc.id] = quick_replace(inc, feedback=e.result)
    return _keys(inc.id)


def reopened(s: State, e: ev.IncidentReopened) -> Changed:
    inc = s.incidents[e.incident_id]
    changed = _keys(inc.id)
    _free(s, inc.order, inc.id, changed)
    history = inc.history + ((_ended(inc.order, e.at),) if inc.order is not None else ())
    s.incidents[inc.id] = quick_replace(
        inc,
        stage=Stage.NEW,
        order=None,
        history=history,
        feedback=None,
        reopened=inc.reopened + 1,
        escalated=(),
        note=e.reason,
        dispatch_since=e.at,
        dispatch_due=s.dispatch_due(inc.priority, e.at),
        dispatch_breached=False,
    )
    return changed


def dispatch_breached(s: State, e: ev.DispatchBreached) -> Changed:
    inc = s.incidents[e.incident_id]
    if inc.stage is not Stage.NEW or inc.dispatch_breached:
        return set()
    s.incidents[inc.id] = quick_replace(inc, dispatch_breached=True)
    return _keys(inc.id)


def closed(s: State, e: ev.IncidentClosed) -> Changed:
    return _end(s, e, Stage.CLOSED, note=e.note or s.incidents[e.incident_id].note)


def cancelled(s: State, e: ev.IncidentCancelled) -> Changed:
    return _end(s, e, Stage.CANCELLED, note=e.reason)


def merged(s: State, e: ev.IncidentMerged) -> Changed:
    changed = _end(s, e, Stage.MERGED, merged_into=e.into, note=e.reason)
    into = s.incidents.get(e.into)
    if into is None:  # folding the duplicate's own stream (an archived read): the other one is not here
        return changed
    s.incidents[into.id] = quick_replace(into, merged=into.merged + (e.incident_id,))
    return changed | _keys(into.id)


def escalated(s: State, e: ev.IncidentEscalated) -> Changed:
    inc = s.incidents[e.incident_id]
    if e.step in inc.escalated:
        return set()
    s.incidents[inc.id] = quick_replace(inc, escalated=inc.escalated + (e.step,))
    return _keys(inc.id)


def broadcast_issued(s: State, e: ev.BroadcastIssued) -> Changed:
    s.broadcasts[e.broadcast_id] = Broadcast(
        e.broadcast_id, e.kind, e.level, e.message, tuple(e.townships), e.at, e.actor, e.deadline
    )
    return {f"broadcast:{e.broadcast_id}"}


def broadcast_signed(s: State, e: ev.BroadcastSigned) -> Changed:
    b = s.broadcasts[e.broadcast_id]
    if e.township in b.signed:
        return set()
    s.broadcasts[b.id] = quick_replace(b, signed={**b.signed, e.township: e.at})
    return {f"broadcast:{b.id}"}


def track(s: State, incident_id: str) -> None:
    """Keep the indexes of an incident that just changed: open or not, and when (the log's time) it last changed."""
    inc = s.incidents.get(incident_id)
    if inc is None:
        return
    touched = s.touched
    touched.pop(incident_id, None)  # to the end: the dict stays ordered by the time of the last change
    touched[incident_id] = s.last_event_at
    if inc.stage in OPEN_STAGES:
        s.open_ids[incident_id] = None
    else:
        s.open_ids.pop(incident_id, None)


def tracked(fold: Callable[[State, Any], Changed]) -> Callable[[State, Any], Changed]:
    """Return an incident fold that keeps the indexes, and that ignores a later event of an archived incident."""

    def run(s: State, e: ev.IncidentEvent) -> Changed:
        iid = e.incident_id
        if iid not in s.incidents:
            # Archived (closed for longer than the retention, see sweep) or never reported: no decision
            # adds an event to a closed incident, so this is a stray one; its stream keeps it all the same.
            return set()
        changed = fold(s, e)
        touched = s.touched  # track(s, iid), inlined: this runs for most events of the log
        touched.pop(iid, None)
        touched[iid] = s.last_event_at
        if s.incidents[iid].stage in OPEN_STAGES:
            s.open_ids[iid] = None
        else:
            s.open_ids.pop(iid, None)
        s.ledger_dirty[iid] = None  # ledger.changed(s, iid), inlined: its part is replaced when the ledger settles
        return changed

    return run


def reported_tracked(s: State, e: ev.IncidentReported) -> Changed:
    """Fold a report and index the incident (not through `tracked`: the incident does not exist before)."""
    changed = reported(s, e)
    track(s, e.incident_id)
    ledger.changed(s, e.incident_id)
    return changed


def merged_tracked(s: State, e: ev.IncidentMerged) -> Changed:
    """Fold a merge and index the incident it went into as well (`tracked` indexes the merged one)."""
    changed = merged(s, e)
    track(s, e.into)
    return changed


def sweep(s: State) -> None:
    """Archive out of memory the incidents closed more than the retention ago (in the log's time), at each UTC day
    the log's time enters: a function of the events alone, so a replay, a snapshot start and the live fold agree.
    An archived incident is read from its own stream (Store.incident)."""
    period = s.last_event_at // SWEEP_S * SWEEP_S
    s.sweep_at = period + SWEEP_S
    ledger.settle(s)  # before anything leaves memory: an archived incident's last change is counted
    ledger.prune(s, ledger.day_of(s.last_event_at, s.district.utc_offset_h))
    cutoff = period - s.retention_s
    if cutoff <= s.kept_since:
        return
    s.kept_since = cutoff
    old = []
    for iid, t in s.touched.items():  # oldest change first: stop at the first one inside the retention
        if t >= cutoff:
            break
        old.append(iid)
    incidents, open_ids = s.incidents, s.open_ids
    for iid in old:
        if iid not in open_ids:  # an incident open for longer than the retention stays, of course
            del s.touched[iid]
            incidents.pop(iid, None)
            s.tracks.pop(iid, None)
            s.ledger_of.pop(iid, None)  # its counts stay in the ledger: an archived incident changes no more
