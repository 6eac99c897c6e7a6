"""The demo's other rooms: works a share of orders as commanders and township rooms would, mostly on time."""

from __future__ import annotations

import hashlib

from application.commands import Commands
from application.history import ended_as
from domain.model import Actor, Fix, Incident, Order, Role, Stage
from domain.sla import SlaPolicy

# Share of incidents left to the person at the console (hash of the id below this many tenths).
LEFT_TO_HUMAN_TENTHS = 3
COMMANDER = Actor("autopilot", Role.COMMANDER)
CALL_BACK_AFTER_S = 120.0
ON_SITE_WORK_S = 300.0  # a typical job on site, before it is resolved
DUTY_LEADER_STEPS_IN_S = 120.0  # an incident left to the console this long past its dispatch target is ordered
FIX_EVERY_S = 15.0  # a routed team's phone sends its fix this often on its way (as /team does)
FIX_ACCURACY_M = 12.0
ACK_AFTER_S = 300.0  # the demo's duty commander acknowledges an early warning this long after it was raised
BY_RADIO = 0.08  # share of on-site steps the room marks for its team (by radio): "by the room"
SHORT, SHORT_M = 0.05, 600.0  # share a team presses on its way, this far short of the site: "not verified"


def _fraction(key: str) -> float:
    return int(hashlib.blake2b(key.encode(), digest_size=4).hexdigest(), 16) / 2**32


class Autopilot:
    """Issues and advances orders after plausible delays; about one in twelve runs late."""

    def __init__(self, commands: Commands, policy: SlaPolicy) -> None:
        self.commands, self.policy = commands, policy
        self._fixed: dict[str, float] = {}  # team -> when its phone last sent a fix

    def tick(self, now: float) -> None:
        """Take every step that is due now."""
        self._acknowledge(now)
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
                self._advance(inc, inc.order, now)

    def _acknowledge(self, now: float) -> None:
        """Acknowledge the early warnings raised a few minutes ago, as the demo's duty commander would: an
        unattended demo's list of warnings would otherwise only grow."""
        due = self.commands.store.read(
            lambda s: [w.id for w in s.warnings.values() if w.acked_at is None and now - w.raised_at >= ACK_AFTER_S]
        )
        for wid in due:
            self.commands.acknowledge_warning(COMMANDER, wid, "值班长已知悉", f"{wid}.ack")

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

    def _advance(self, inc: Incident, order: Order, now: float) -> None:
        step = order.next_step()
        if step is None:  # every step done: the order is resolved, which the caller handles before this
            return
        planned = self._planned(order, step)
        roll = _fraction(order.id + "proof")
        if step == "on_site" and order.team_id and roll >= BY_RADIO:  # the team drives there, says so on its phone
            member = Actor(f"autopilot:{order.team_id}", Role.TEAM, order.township, order.team_id)
            at_site = now >= planned
            self._drive(member, inc, order, planned, now, at_site)
            if at_site:
                short = SHORT_M / 111_320 if roll < BY_RADIO + SHORT else 0.0  # pressed too early, short of the site
                fix = Fix(inc.lon, inc.lat - short, FIX_ACCURACY_M, now)
                self.commands.advance(member, inc.id, step, f"{order.id}.{step}", fix=fix, device_at=now)
            return
        if now >= planned:
            actor = Actor(f"autopilot:{order.township}", Role.TOWNSHIP, order.township)
            note = "已现场处置完毕" if step == "resolve" else ""
            ended = ended_as(inc.source, _fraction(order.id + "ended")) if step == "resolve" else ""
            self.commands.advance(actor, inc.id, step, f"{order.id}.{step}", note=note, outcome=ended)

    def _planned(self, order: Order, step: str) -> float:
        """Return when the demo's room or team takes a step: mostly within its window, one in twelve 30 s late."""
        targets = self.policy.targets_for("")
        late = _fraction(order.id + "late") < 0.08
        due = order.deadlines.get(step, order.issued_at + targets["on_site"] + ON_SITE_WORK_S)
        return due + (30 if late else -(due - order.issued_at) * 0.3 * _fraction(order.id + step))

    def _drive(self, member: Actor, inc: Incident, order: Order, arrive: float, now: float, at_site: bool) -> None:
        """Send the routed team's fix every FIX_EVERY_S, on a straight line from its base to the site by arrival."""
        team = self.commands.store.read(lambda state: state.district.teams.get(order.team_id))
        left = order.done.get("route")
        if team is None or left is None or (not at_site and now - self._fixed.get(team.id, -1e18) < FIX_EVERY_S):
            return
        share = 1.0 if at_site else min(1.0, max(0.0, (now - left) / max(arrive - left, 1.0)))
        lon, lat = team.lon + (inc.lon - team.lon) * share, team.lat + (inc.lat - team.lat) * share
        self.commands.position(member, Fix(lon, lat, FIX_ACCURACY_M, now))
        self._fixed[team.id] = now
