"""The application's commands: check the command id, decide, append, audit. Edges call only these."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from domain import dispatch
from domain.errors import Rejected
from domain.events import Event
from domain.model import Actor
from domain.projection import Projection
from domain.sla import SlaPolicy
from store.log import AuditRecord
from store.store import Store

COMMAND_ID = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")


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

    def issue_order(self, actor: Actor, incident_id: str, team_id: str, command_id: str = "",
                    remote: str = "") -> Outcome:
        """Order a team to handle an incident."""
        cid = _event_id(command_id)
        decide = lambda s: dispatch.issue_order(s, self.policy, actor, incident_id, team_id, cid, self.clock())
        return self._run(actor, "issue_order", incident_id, cid, remote, decide)

    def advance(self, actor: Actor, incident_id: str, step: str, command_id: str = "", note: str = "",
                remote: str = "") -> Outcome:
        """Take an order's next step."""
        cid = _event_id(command_id)
        decide = lambda s: dispatch.advance_order(s, actor, incident_id, step, cid, self.clock(), note)
        return self._run(actor, f"order_{step}"[:60], incident_id, cid, remote, decide)

    def sla_tick(self) -> int:
        """Append the breaches now due; return how many."""
        return len(self.store.execute(lambda s: dispatch.breaches(s, self.clock())).events)

    def suggest(self, incident_id: str) -> list[dispatch.Suggestion]:
        """Rank the free teams for an incident."""
        with self.store.lock:
            inc = self.store.state.incidents.get(incident_id)
            return dispatch.rank_teams(self.store.state, inc, self.speed_kmh) if inc else []

    def _run(self, actor: Actor, action: str, target: str, cid: str, remote: str,
             decide: Callable[[Projection], list[Event]]) -> Outcome:
        if self.store.log.has(cid):
            outcome = Outcome("duplicate")  # a double click or a retry: it was done once, and stays once
        else:
            try:
                outcome = Outcome("done", events=self.store.execute(decide).events)
            except Rejected as exc:
                outcome = Outcome("rejected", exc.code, exc.params)
        result = outcome.status if outcome.ok else f"rejected:{outcome.code}"
        self.store.log.audit(AuditRecord(self.clock(), actor.name, actor.role.value, action, result,
                                         actor.township, target[:200], cid, remote[:100] or None))
        return outcome


def _event_id(command_id: str) -> str:
    """Return the event id a command's event takes: its command id, or a fresh one if it brought none."""
    if command_id and COMMAND_ID.match(command_id):
        return f"cmd:{command_id}"
    return f"cmd:{uuid.uuid4().hex}"
