"""Decide the rest of an incident's life: transfer, feedback, reopen, close, cancel, merge, escalate."""

from __future__ import annotations

from domain import events as ev
from domain.access import authorize, authorize_incident
from domain.dispatch import order_issued
from domain.errors import Rejected
from domain.model import FEEDBACK, Actor, Incident, Stage
from domain.positions import distance_m
from domain.sla import SlaPolicy
from domain.state import State

TRANSFERABLE = frozenset({Stage.ORDERED, Stage.SIGNED, Stage.RESPONDED})
MAX_REASON = 500


def transfer_order(
    state: State,
    policy: SlaPolicy,
    actor: Actor,
    incident_id: str,
    command_id: str,
    now: float,
    reason: str,
    to_township: str = "",
    to_department: str = "",
) -> list[ev.Event]:
    """Send the order on: to another township (a new order, a new clock) or to a department."""
    authorize_incident(actor, "transfer_order", state.incidents.get(incident_id))  # scope before state
    inc = _incident(state, incident_id)
    if inc.order is None or inc.stage not in TRANSFERABLE:
        raise Rejected("not_transferable", stage=inc.stage.value)
    authorize(actor, "transfer_order", inc.order.township)
    reason = _reason(reason)
    if bool(to_township) == bool(to_department):
        raise Rejected("transfer_target_required")
    if to_township and (to_township not in state.district.townships or to_township == inc.order.township):
        raise Rejected("unknown_township", township=to_township)
    out: list[ev.Event] = [
        ev.OrderTransferred(command_id, now, inc.id, inc.order.id, actor.name, to_township, to_department[:100], reason)
    ]
    if to_township:
        out.append(order_issued(inc, policy, actor, "", to_township, f"{command_id}:reissue", now))
    return out


def record_feedback(
    state: State, actor: Actor, incident_id: str, result: str, command_id: str, now: float, note: str = ""
) -> list[ev.Event]:
    """Record the call-back; an unsatisfied caller reopens the incident for a new order."""
    authorize(actor, "feedback")
    inc = _incident(state, incident_id)
    if inc.stage is not Stage.RESOLVED or inc.order is None:
        raise Rejected("not_resolved")
    if inc.feedback is not None:
        raise Rejected("feedback_already_recorded")
    if result not in FEEDBACK:
        raise Rejected("unknown_feedback", result=result[:40])
    out: list[ev.Event] = [
        ev.FeedbackRecorded(command_id, now, inc.id, inc.order.id, actor.name, result, note[:MAX_REASON])
    ]
    if result == "unsatisfied":
        out.append(
            ev.IncidentReopened(f"{command_id}:reopen", now, inc.id, inc.order.id, actor.name, note[:MAX_REASON])
        )
    return out


def close_incident(
    state: State, actor: Actor, incident_id: str, command_id: str, now: float, note: str = ""
) -> list[ev.Event]:
    """Close a resolved incident once its feedback is in (satisfied or unreached)."""
    authorize(actor, "close")
    inc = _incident(state, incident_id)
    if inc.stage is not Stage.RESOLVED or inc.order is None:
        raise Rejected("not_resolved")
    if inc.feedback is None:
        raise Rejected("feedback_required")
    return [ev.IncidentClosed(command_id, now, inc.id, inc.order.id, actor.name, note[:MAX_REASON])]


def cancel_incident(
    state: State, actor: Actor, incident_id: str, command_id: str, now: float, reason: str
) -> list[ev.Event]:
    """Cancel an open incident, with the reason (a hoax, a repeat call, not the district's)."""
    authorize(actor, "cancel")
    inc = _open(state, incident_id)
    return [
        ev.IncidentCancelled(command_id, now, inc.id, inc.order.id if inc.order else "", actor.name, _reason(reason))
    ]


def merge_incidents(
    state: State, actor: Actor, duplicate_id: str, into_id: str, command_id: str, now: float, reason: str
) -> list[ev.Event]:
    """Fold a duplicate into the incident it repeats; the duplicate's team, if any, is freed."""
    authorize(actor, "merge")
    dup, into = _open(state, duplicate_id), _open(state, into_id)
    if dup.id == into.id:
        raise Rejected("merge_into_itself")
    return [
        ev.IncidentMerged(
            command_id, now, dup.id, dup.order.id if dup.order else "", actor.name, into.id, _reason(reason)
        )
    ]


def escalations(state: State, policy: SlaPolicy, now: float) -> list[ev.Event]:
    """Return one escalation per breached stage still undone past the escalation interval; ids are stable."""
    out: list[ev.Event] = []
    for inc in state.open_incidents():
        order = inc.order
        if (
            order is None
            and inc.dispatch_breached
            and "dispatch" not in inc.escalated
            and now > inc.dispatch_due + policy.escalate_after_s
        ):
            out.append(
                ev.IncidentEscalated(f"esc:{inc.id}:dispatch:{inc.reopened}", now, inc.id, "", "sla", "dispatch")
            )
        if order is None or inc.stage is Stage.RESOLVED:
            continue
        for step in order.breached:
            if (
                step not in order.done
                and step not in inc.escalated
                and now > order.deadlines[step] + policy.escalate_after_s
            ):
                out.append(ev.IncidentEscalated(f"esc:{order.id}:{step}", now, inc.id, order.id, "sla", step))
    return out


def merge_candidates(state: State, incident_id: str, within_m: float, within_s: float) -> list[Incident]:
    """Return open incidents of the same category near in place and time: probably the same event."""
    inc = state.incidents.get(incident_id)
    if inc is None or not inc.is_open:
        return []
    near = [
        o
        for o in state.open_incidents()
        if o.id != inc.id
        and o.category == inc.category
        and abs(o.received_at - inc.received_at) <= within_s
        and distance_m(inc.lon, inc.lat, o.lon, o.lat) <= within_m
    ]
    return sorted(near, key=lambda o: (o.received_at, o.id))


def _incident(state: State, incident_id: str) -> Incident:
    inc = state.incidents.get(incident_id)
    if inc is None:
        raise Rejected("unknown_incident", incident=incident_id)
    return inc


def _open(state: State, incident_id: str) -> Incident:
    inc = _incident(state, incident_id)
    if not inc.is_open:
        raise Rejected("not_open", incident=incident_id)
    return inc


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Rejected("reason_required")
    return reason[:MAX_REASON]
