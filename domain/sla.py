"""The 1/2/3/10 promise and the center's own dispatch clock: deadlines, lateness and SLA states."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.model import TIMED_STEPS, Incident, Order, Stage
from domain.positions import SITE, SitePolicy
from domain.recurring import RecurringPolicy
from domain.scoring import AssessmentPolicy
from domain.warning import WarningPolicy

DEFAULT_TARGETS_S: dict[str, float] = {"sign": 60, "respond": 120, "route": 180, "on_site": 600}
# The center's own clock (派单时限): receipt or reopening to order, by priority (1 特急, 2 紧急, 3 一般).
DEFAULT_DISPATCH_S: dict[int, float] = {1: 60, 2: 180, 3: 600}
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
    dispatch_s: Mapping[int, float] = field(default_factory=lambda: dict(DEFAULT_DISPATCH_S))
    site: SitePolicy = SITE  # on site proven, team positions (the policy file's "teams")
    assessment: AssessmentPolicy = field(default_factory=AssessmentPolicy)  # the townships' scores' weights
    warning: WarningPolicy = field(default_factory=WarningPolicy)  # the early warning's guards (domain/warning.py)
    recurring: RecurringPolicy = field(default_factory=RecurringPolicy)  # R, N, D of a recurring problem

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SlaPolicy:
        """Build a policy from {"default": {step: s}, "categories": {code: {step: s}}, "dispatch": {prio: s},
        "teams": {radius_m, accuracy_m, stale_s, ...}} (domain/positions.py SitePolicy),
        "assessment": {"weights": {indicator: weight}, "board": n}} (domain/scoring.py),
        "warning": {"hour": {"sd_floor", "min_count"}, "day": {...}} (domain/warning.py),
        "recurring": {"radius_m", "count", "days"} (domain/recurring.py)."""
        targets = {**DEFAULT_TARGETS_S, **_steps(data.get("default", {}), "default")}
        overrides = {c: _steps(v, c) for c, v in data.get("categories", {}).items()}
        escalate = float(data.get("escalate_after", DEFAULT_ESCALATE_AFTER_S))
        if escalate <= 0:
            raise ValueError("SLA policy: escalate_after must be positive seconds")
        dispatch = {**DEFAULT_DISPATCH_S, **_dispatch(data.get("dispatch", {}))}
        site, assessment = (
            SitePolicy.from_dict(data.get("teams", {})),
            AssessmentPolicy.from_dict(data.get("assessment", {})),
        )
        warning = WarningPolicy.from_dict(data.get("warning", {}))
        recurring = RecurringPolicy.from_dict(data.get("recurring", {}))
        return cls(targets, overrides, escalate, dispatch, site, assessment, warning, recurring=recurring)

    def dispatch_target(self, priority: int) -> float:
        """Return the seconds the center has to order an incident of a priority (the routine one when unknown)."""
        return self.dispatch_s.get(priority, max(self.dispatch_s.values()))

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


def _dispatch(raw: Any) -> dict[int, float]:
    if not isinstance(raw, Mapping):
        raise ValueError("SLA policy dispatch: {priority (1-3): seconds}")
    try:
        out = {int(k): float(v) for k, v in raw.items()}
    except (TypeError, ValueError):
        raise ValueError("SLA policy dispatch: {priority (1-3): seconds}") from None
    if any(k not in DEFAULT_DISPATCH_S for k in out) or any(v <= 0 for v in out.values()):
        raise ValueError(f"SLA policy dispatch: priorities are {sorted(DEFAULT_DISPATCH_S)}, targets positive seconds")
    return out


def stage_lateness(order: Order, now: float) -> dict[str, float]:
    """Return {stage: seconds late} for each timed stage done after its deadline or undone past it.

    An undone stage is judged at the order's end (transferred, reopened, closed...) or, while it is
    still worked, at now; a stage done exactly at its deadline is on time.
    """
    until = order.ended_at if order.ended_at is not None else now
    out: dict[str, float] = {}
    for step in TIMED_STEPS:
        deadline = order.deadlines.get(step)
        if deadline is None:
            continue
        at = order.done.get(step, until)
        if at > deadline:
            out[step] = max(0.0, at - deadline)
    return out


def stage_verdict(order: Order, step: str, now: float) -> bool | None:
    """Return True on time, False late, None undecided (undone, not yet past its deadline, or no deadline)."""
    deadline = order.deadlines.get(step)
    if deadline is None:
        return None
    if step in order.done:
        return order.done[step] <= deadline
    until = order.ended_at if order.ended_at is not None else now
    return False if until > deadline else None


def dispatch_verdict(inc: Incident, order: Order | None, now: float) -> bool | None:
    """Judge one dispatch round: True ordered in time, False ordered late or still waiting past the target."""
    if order is not None:
        return None if order.dispatch_due is None else order.issued_at <= order.dispatch_due
    if inc.stage is not Stage.NEW or not inc.is_open:
        return None
    return False if now > inc.dispatch_due else None


def current_step(incident: Incident) -> str | None:
    """Return the timed stage the order is working on now, or None."""
    order = incident.order
    if order is None or not incident.is_open or incident.stage is Stage.RESOLVED:
        return None
    return next((s for s in TIMED_STEPS if s not in order.done), None)


def status(incident: Incident, now: float) -> str:
    """Classify an incident: waiting, waiting_warning, waiting_late, ok, warning, breached, handling, resolved, closed.

    An order with any late stage stays "breached" until it is resolved, whatever its current step's clock says.
    """
    if not incident.is_open:
        return "closed"
    if incident.stage is Stage.RESOLVED:
        return "resolved"
    order = incident.order
    if order is None:
        clock = _clock(incident.dispatch_since, incident.dispatch_due, now)
        return "waiting" if clock == "ok" else f"waiting_{'late' if clock == 'breached' else clock}"
    if stage_lateness(order, now):
        return "breached"
    step = current_step(incident)
    return "handling" if step is None else _clock(order.issued_at, order.deadlines[step], now)


def warning_at(started: float, deadline: float) -> float:
    """Return when a clock turns "warning": the last quarter of its window, at least 15 s before its deadline."""
    return deadline - max(WARNING_MIN_S, (deadline - started) * WARNING_SHARE)


def _clock(started: float, deadline: float, now: float) -> str:
    """Return ok, warning or breached for one clock."""
    if now > deadline:
        return "breached"
    return "warning" if now >= warning_at(started, deadline) else "ok"


@dataclass(frozen=True)
class Clock:
    """The clock running now, as times: the browser compares them to its clock and applies no rule of its own."""

    name: str  # "dispatch", or the order's current timed step
    since: float
    warn_at: float  # from then on "warning" (status waiting_warning or warning)
    due: float  # past it, this clock is late
    late_at: float  # past it, the incident is late: the earliest deadline of any undone timed step (or due)


def running_clock(incident: Incident) -> Clock | None:
    """Return the dispatch clock while the incident waits for its order, else its current step's; None if none runs."""
    if not incident.is_open or incident.stage is Stage.RESOLVED:
        return None
    order = incident.order
    if order is None:
        since, due = incident.dispatch_since, incident.dispatch_due
        return Clock("dispatch", since, warning_at(since, due), due, due)
    step = current_step(incident)
    if step is None:
        return None
    due = order.deadlines[step]
    undone = [d for s, d in order.deadlines.items() if s in TIMED_STEPS and s not in order.done]
    return Clock(step, order.issued_at, warning_at(order.issued_at, due), due, min(undone, default=due))


def due_dispatch_breaches(incidents: Iterable[Incident], now: float) -> list[Incident]:
    """Return the incidents waiting for an order past the dispatch target, not yet marked so."""
    return [
        i for i in incidents if i.stage is Stage.NEW and i.is_open and now > i.dispatch_due and not i.dispatch_breached
    ]


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
