"""The demo's other rooms: works a share of orders as commanders and township rooms would, mostly on time."""

from __future__ import annotations

import hashlib

from application.commands import Commands
from domain.model import Actor, Incident, Order, Role, Stage
from domain.sla import SlaPolicy

# Share of incidents left to the person at the console (hash of the id below this many tenths).
LEFT_TO_HUMAN_TENTHS = 3
COMMANDER = Actor("autopilot", Role.COMMANDER)
CALL_BACK_AFTER_S = 120.0
ON_SITE_WORK_S = 300.0  # a typical job on site, before it is resolved
DUTY_LEADER_STEPS_IN_S = 120.0  # an incident left to the console this long past its dispatch target is ordered


def _fraction(key: str) -> float:
    return int(hashlib.blake2b(key.encode(), digest_size=4).hexdigest(), 16) / 2**32


class Autopilot:
    """Issues and advances orders after plausible delays; about one in twelve runs late."""

    def __init__(self, commands: Commands, policy: SlaPolicy) -> None:
        self.commands, self.policy = commands, policy

    def tick(self, now: float) -> None:
        """Take every step that is due now."""
        incidents = self.commands.store.read(lambda state: list(state.open_incidents()))
        for inc in incidents:
            if inc.township is None:
                continue
            if int(_fraction(inc.id) * 10) < LEFT_TO_HUMAN_TENTHS and not self._ours(inc):
                if inc.stage is Stage.NEW and now > inc.dispatch_due + DUTY_LEADER_STEPS_IN_S:
                    self._order(inc)
                continue
            if inc.stage is Stage.NEW and now >= self._order_at(inc):
                self._order(inc)
            elif inc.order and inc.stage is Stage.RESOLVED:
                self._call_back(inc, now)
            elif inc.order:
                self._advance(inc.id, inc.order, now)

    @staticmethod
    def _ours(inc: Incident) -> bool:
        """Tell whether the autopilot issued the current order: its rooms then work it, as for any other."""
        return inc.order is not None and inc.order.issued_by == COMMANDER.name

    @staticmethod
    def _order_at(inc: Incident) -> float:
        """Order within 30-90% of the dispatch target; about one in twelve rounds runs 20 s late."""
        window = inc.dispatch_due - inc.dispatch_since
        if _fraction(f"{inc.id}.{inc.reopened}.late") < 0.08:
            return inc.dispatch_due + 20
        return inc.dispatch_since + window * (0.3 + 0.6 * _fraction(f"{inc.id}.{inc.reopened}.w"))

    def _order(self, inc: Incident) -> None:
        teams = self.commands.suggest(inc.id)
        if teams:
            self.commands.issue_order(COMMANDER, inc.id, teams[0].team.id, f"{inc.id}.order.{inc.reopened}")

    def _call_back(self, inc: Incident, now: float) -> None:
        """Call the caller back a few minutes after the resolve, then close; about 2% are not satisfied."""
        order = inc.order
        if order is None or now - order.done.get("resolve", now) < CALL_BACK_AFTER_S:
            return
        if inc.feedback is None:
            roll = _fraction(order.id + "fb")
            result = "unsatisfied" if roll < 0.02 else "unreached" if roll < 0.03 else "satisfied"
            self.commands.feedback(COMMANDER, inc.id, result, "回访", f"{order.id}.feedback")
        else:
            self.commands.close(COMMANDER, inc.id, "", f"{order.id}.close")

    def _advance(self, incident_id: str, order: Order, now: float) -> None:
        step = order.next_step()
        if step is None:  # every step done: the order is resolved, which the caller handles before this
            return
        targets = self.policy.targets_for("")
        late = _fraction(order.id + "late") < 0.08
        due = order.deadlines.get(step, order.issued_at + targets["on_site"] + ON_SITE_WORK_S)
        planned = due + (30 if late else -(due - order.issued_at) * 0.3 * _fraction(order.id + step))
        if now >= planned:
            actor = Actor(f"autopilot:{order.township}", Role.TOWNSHIP, order.township)
            note = "已现场处置完毕" if step == "resolve" else ""
            self.commands.advance(actor, incident_id, step, f"{order.id}.{step}", note=note)
