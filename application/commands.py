"""The application's commands: check the command id, decide, append, audit. Edges call only these."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain import broadcast, dispatch, lifecycle, positions, warnbook
from domain.access import authorize, authorize_incident
from domain.errors import Rejected
from domain.events import Event
from domain.model import Actor, Fix
from domain.projection import Projection
from domain.sla import SlaPolicy
from store.log import AuditRecord
from store.store import Store

COMMAND_ID = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")
# The warning tick judges the reports changed since its last check less this: an event another process stamped a
# moment before that check but appended after it is still judged (judging a pair twice raises nothing twice).
WARNING_OVERLAP_S = 60.0


@dataclass(frozen=True)
class Outcome:
    """What became of a command: done, duplicate (a retry of one done before) or rejected."""

    status: str
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether the command took effect (now or before)."""
        return self.status in ("done", "duplicate")


class Commands:
    """Every state-changing command of the consoles and the API."""

    def __init__(self, store: Store, policy: SlaPolicy, clock: Callable[[], float], speed_kmh: float) -> None:
        self.store, self.policy, self.clock, self.speed_kmh = store, policy, clock, speed_kmh
        self._warned_at: float | None = None  # the warning tick's last check (None: not yet; judge the last hour)

    def issue_order(
        self, actor: Actor, incident_id: str, team_id: str, command_id: str = "", remote: str = "", township: str = ""
    ) -> Outcome:
        """Order a team (or a township room, which picks its team) to handle an incident."""
        return self._run(
            actor,
            "issue_order",
            incident_id,
            command_id,
            remote,
            lambda s, cid, now: dispatch.issue_order(s, self.policy, actor, incident_id, team_id, cid, now, township),
            ("issue_order", incident_id),
        )

    def advance(
        self,
        actor: Actor,
        incident_id: str,
        step: str,
        command_id: str = "",
        note: str = "",
        remote: str = "",
        team_id: str = "",
        fix: Fix | None = None,
        device_at: float = 0.0,
        photos: tuple[str, ...] = (),
        outcome: str = "",
    ) -> Outcome:
        """Take an order's next step (route may name the room's team; resolve needs a result note and says how it
        ended); a team's phone adds its fix (proving on site), the time it was pressed and its evidence photos."""
        site = self.policy.site
        return self._run(
            actor,
            f"order_{step}"[:60],
            incident_id,
            command_id,
            remote,
            lambda s, cid, now: dispatch.advance_order(
                s, actor, incident_id, step, cid, now, note, team_id, site, fix, device_at, photos, outcome
            ),
            ("advance_order", incident_id),
        )

    def position(self, actor: Actor, fix: Fix, remote: str = "") -> Outcome:
        """Take a team phone's fix: kept in the log when it adds to the team's track (domain/positions.py)."""
        try:
            authorize(actor, "report_position", actor.township)
            checked = positions.check_fix(self.policy.site, fix.lon, fix.lat, fix.accuracy_m, fix.at, self.clock())
            # The fix's own id: a phone's retry of a fix is one event. The log dedupes it, so no write lock.
            eid = f"pos:{actor.team}:{checked.at:.3f}"
            done = self.store.execute(
                lambda s: positions.report_position(s, self.policy.site, actor, checked, eid, self.clock()),
                exclusive=False,
            )
        except Rejected as exc:
            # Refusals are audited; a kept fix is its own record (the TeamPositioned event names the team and
            # time), and a row per fix, 20 a second for 300 teams, would drown the audit trail.
            self.refused(actor, "report_position", actor.team or "-", exc.code, remote)
            return Outcome("rejected", exc.code, exc.params)
        return Outcome("done", events=done.events)

    def transfer(
        self,
        actor: Actor,
        incident_id: str,
        reason: str,
        to_township: str = "",
        to_department: str = "",
        command_id: str = "",
        remote: str = "",
    ) -> Outcome:
        """Transfer an order to another township or a department, with the reason."""
        return self._run(
            actor,
            "transfer",
            incident_id,
            command_id,
            remote,
            lambda s, cid, now: lifecycle.transfer_order(
                s, self.policy, actor, incident_id, cid, now, reason, to_township, to_department
            ),
            ("transfer_order", incident_id),
        )

    def feedback(
        self, actor: Actor, incident_id: str, result: str, note: str = "", command_id: str = "", remote: str = ""
    ) -> Outcome:
        """Record the call-back; unsatisfied reopens."""
        return self._run(
            actor,
            "feedback",
            incident_id,
            command_id,
            remote,
            lambda s, cid, now: lifecycle.record_feedback(s, actor, incident_id, result, cid, now, note),
            ("feedback", incident_id),
        )

    def close(self, actor: Actor, incident_id: str, note: str = "", command_id: str = "", remote: str = "") -> Outcome:
        """Close a resolved incident after its feedback."""
        return self._run(
            actor,
            "close",
            incident_id,
            command_id,
            remote,
            lambda s, cid, now: lifecycle.close_incident(s, actor, incident_id, cid, now, note),
            ("close", incident_id),
        )

    def cancel(self, actor: Actor, incident_id: str, reason: str, command_id: str = "", remote: str = "") -> Outcome:
        """Cancel an incident, with the reason."""
        return self._run(
            actor,
            "cancel",
            incident_id,
            command_id,
            remote,
            lambda s, cid, now: lifecycle.cancel_incident(s, actor, incident_id, cid, now, reason),
            ("cancel", incident_id),
        )

    def merge(
        self, actor: Actor, duplicate_id: str, into_id: str, reason: str, command_id: str = "", remote: str = ""
    ) -> Outcome:
        """Fold a duplicate incident into the one it repeats."""
        return self._run(
            actor,
            "merge",
            f"{duplicate_id}>{into_id}",
            command_id,
            remote,
            lambda s, cid, now: lifecycle.merge_incidents(s, actor, duplicate_id, into_id, cid, now, reason),
            ("merge", duplicate_id, into_id),
        )

    def broadcast(
        self,
        actor: Actor,
        kind: str,
        level: str,
        townships: list[str] | str,
        message: str,
        command_id: str = "",
        remote: str = "",
    ) -> Outcome:
        """Send one order to many townships."""
        return self._run(
            actor,
            "broadcast",
            f"{kind}:{level}",
            command_id,
            remote,
            lambda s, cid, now: broadcast.issue_broadcast(s, actor, kind, level, townships, message, cid, now),
            ("broadcast",),
        )

    def sign_broadcast(self, actor: Actor, broadcast_id: str, command_id: str = "", remote: str = "") -> Outcome:
        """A township room signs for a broadcast."""
        return self._run(
            actor,
            "sign_broadcast",
            broadcast_id,
            command_id,
            remote,
            lambda s, cid, now: broadcast.sign_broadcast(s, actor, broadcast_id, cid, now),
            ("sign_broadcast",),
        )

    def acknowledge_warning(
        self, actor: Actor, warning_id: str, note: str = "", command_id: str = "", remote: str = ""
    ) -> Outcome:
        """A commander acknowledges an early warning (domain/warnbook.py), with a note."""
        return self._run(
            actor,
            "acknowledge_warning",
            warning_id,
            command_id,
            remote,
            lambda s, cid, now: warnbook.acknowledge(s, actor, warning_id, cid, now, note),
            ("acknowledge_warning",),
        )

    def audited(self, actor: Actor, action: str, target: str, remote: str = "") -> None:
        """Audit an edge's own state change that is not an event (an evidence photo stored)."""
        self._audit(actor, action, target, "done", remote)

    def refused(self, actor: Actor, action: str, target: str, code: str, remote: str = "") -> None:
        """Audit a request an edge refused before it reached a command (role or scope)."""
        self._audit(actor, action, target, f"rejected:{code}", remote)

    def _audit(self, actor: Actor, action: str, target: str, result: str, remote: str) -> None:
        self.store.log.audit(
            AuditRecord(
                self.clock(),
                actor.name,
                actor.role.value,
                action[:60],
                result,
                actor.township,
                target[:200],
                None,
                remote[:100] or None,
            )
        )

    def sla_tick(self) -> int:
        """Append the breaches and escalations now due; return how many."""

        def decide(s: Projection) -> list[Event]:
            now = self.clock()
            return dispatch.breaches(s, now) + lifecycle.escalations(s, self.policy, now)

        return len(self.store.execute(decide).events)

    def warning_tick(self) -> int:
        """Append the early warnings now due; return how many. Judged first under the read lock, with only the reports
        changed since the last check: when nothing is due, no write lock is taken."""
        now, policy = self.clock(), self.policy.warning
        since = None if self._warned_at is None else self._warned_at - WARNING_OVERLAP_S
        due = self.store.read(lambda s: warnbook.due_warnings(s, now, policy, since))
        if due:  # decided again against the log's tail: a warning another process raised meanwhile is not raised twice
            due = self.store.execute(lambda s: warnbook.due_warnings(s, now, policy, since)).events
        self._warned_at = now  # only once stored: a store out of reach leaves these pairs to the next check
        return len(due)

    def merge_candidates(self, incident_id: str, within_m: float, within_s: float) -> list[str]:
        """Return the ids of open incidents that are probably the same event."""

        def candidates(state: Projection) -> list[str]:
            return [i.id for i in lifecycle.merge_candidates(state, incident_id, within_m, within_s)]

        return self.store.read(candidates)

    def suggest(self, incident_id: str) -> list[dispatch.Suggestion]:
        """Rank the free teams for an incident."""

        def rank(state: Projection) -> list[dispatch.Suggestion]:
            inc = state.incidents.get(incident_id)
            if inc is None:
                return []
            target = self.policy.targets_for(inc.category)["on_site"]
            return dispatch.rank_teams(state, inc, self.speed_kmh, target, self.clock())

        return self.store.read(rank)

    def _run(
        self,
        actor: Actor,
        action: str,
        target: str,
        command_id: str,
        remote: str,
        decide: Callable[[Projection, str, float], list[Event]],
        on: tuple[str, ...] = (),
    ) -> Outcome:
        """Check role and scope, then the repeat, then decide: the last three under the store's lock (Store.execute).

        on = (permission, incident ids...): the access check comes first, so a refusal never depends on
        state; the repeat check sits inside the locks, so of simultaneous repeats one acts and the rest
        are duplicates (outside them, a repeat could see the first one's order and answer already_ordered).
        """
        cid = _event_id(command_id)

        def check(state: Projection) -> None:
            # An incident another process took in an instant ago is in scope too: execute caught up first.
            for incident_id in on[1:]:
                authorize_incident(actor, on[0], state.incidents.get(incident_id))

        try:
            if on:
                authorize(actor, on[0], actor.township)  # the role; the scope per incident in check
            # The repeat check and the decision run under the log's write lock (Store.execute): of
            # simultaneous repeats, in this process or another, one acts and the rest are duplicates.
            done = self.store.execute(lambda s: decide(s, cid, self.clock()), once=cid, check=check)
            # A double click or a retry: it was done once, and stays once.
            outcome = Outcome("duplicate") if done.repeat else Outcome("done", events=done.events)
        except Rejected as exc:
            outcome = Outcome("rejected", exc.code, exc.params)
        result = outcome.status if outcome.ok else f"rejected:{outcome.code}"
        self.store.log.audit(
            AuditRecord(
                self.clock(),
                actor.name,
                actor.role.value,
                action,
                result,
                actor.township,
                target[:200],
                cid,
                remote[:100] or None,
            )
        )
        return outcome


def _event_id(command_id: str) -> str:
    """Return the event id a command's event takes: its command id, or a fresh one if it brought none."""
    if command_id and COMMAND_ID.fullmatch(command_id):
        return f"cmd:{command_id}"
    return f"cmd:{uuid.uuid4().hex}"
