"""The 1/2/3/10 promise: deadlines per stage, counted from the order's issue, and SLA states."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from domain.model import TIMED_STEPS, Incident, Stage

DEFAULT_TARGETS_S: dict[str, float] = {"sign": 60, "respond": 120, "route": 180, "on_site": 600}
DEFAULT_ESCALATE_AFTER_S = 120.0
# A stage turns "warning" when less than this share of its window is left (at least 15 s).
WARNING_SHARE = 0.25
WARNING_MIN_S = 15.0


@dataclass(frozen=True)
class SlaPolicy:
    """Stage targets in seconds from issue, with per-category overrides."""

    targets_s: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_TARGETS_S))
    overrides_s: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    escalate_after_s: float = DEFAULT_ESCALATE_AFTER_S  # a breach still undone this long goes to the duty leader

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SlaPolicy":
        """Build a policy from {"default": {step: s}, "categories": {code: {step: s}}}."""
        targets = {**DEFAULT_TARGETS_S, **_steps(data.get("default", {}), "default")}
        overrides = {c: _steps(v, c) for c, v in data.get("categories", {}).items()}
        escalate = float(data.get("escalate_after", DEFAULT_ESCALATE_AFTER_S))
        if escalate <= 0:
            raise ValueError("SLA policy: escalate_after must be positive seconds")
        return cls(targets, overrides, escalate)

    def targets_for(self, category: str) -> dict[str, float]:
        """Return the stage targets in seconds that apply to a category."""
        return {**self.targets_s, **self.overrides_s.get(category, {})}

    def deadlines(self, category: str, issued_at: float) -> dict[str, float]:
        """Return each timed stage's deadline for an order issued at issued_at."""
        return {s: issued_at + t for s, t in self.targets_for(category).items()}


def _steps(raw: Mapping[str, Any], where: str) -> dict[str, float]:
    bad = [k for k in raw if k not in TIMED_STEPS]
    if bad:
        raise ValueError(f"SLA policy {where}: unknown stage(s) {bad}; stages are {list(TIMED_STEPS)}")
    out = {k: float(v) for k, v in raw.items()}
    if any(v <= 0 for v in out.values()):
        raise ValueError(f"SLA policy {where}: targets must be positive seconds")
    return out


def current_step(incident: Incident) -> str | None:
    """Return the timed stage the order is working on now, or None."""
    order = incident.order
    if order is None or not incident.is_open or incident.stage is Stage.RESOLVED:
        return None
    return next((s for s in TIMED_STEPS if s not in order.done), None)


def status(incident: Incident, now: float) -> str:
    """Classify an incident for the map: waiting, ok, warning, breached, handling, resolved, closed."""
    if not incident.is_open:
        return "closed"
    if incident.stage is Stage.RESOLVED:
        return "resolved"
    if incident.order is None:
        return "waiting"
    step = current_step(incident)
    if step is None:
        return "handling"
    deadline = incident.order.deadlines[step]
    if now > deadline:
        return "breached"
    window = deadline - incident.order.issued_at
    margin = max(WARNING_MIN_S, window * WARNING_SHARE)
    return "warning" if deadline - now <= margin else "ok"


def due_breaches(incidents: Iterable[Incident], now: float) -> list[tuple[Incident, str, float]]:
    """Return (incident, stage, deadline) for every undone stage past its deadline, not yet breached."""
    due = []
    for inc in incidents:
        order = inc.order
        if order is None or not inc.is_open or inc.stage is Stage.RESOLVED:
            continue
        for step in TIMED_STEPS:
            deadline = order.deadlines.get(step)
            if deadline is None or step in order.done or step in order.breached:
                continue
            if now > deadline:  # done exactly at the deadline is on time
                due.append((inc, step, deadline))
    return due
