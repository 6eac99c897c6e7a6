"""Recurring problems (高频、重复诉求): the definition, pure and clock-free, and what the views read of it.

A report joins the group of its category whose first report (its anchor) is within R metres and whose last report
came within D days: the nearest such anchor, ties to the smaller group id; else it starts a group anchored at itself.
A report that carries a caller (a keyed hash, never the number: streams/sources/caller.py) also joins the group of
that caller and category whose last report came within D days, else starts one, wherever the reports are. A group
is a recurring problem at a moment while it holds N or more counted reports (not cancelled, not merged into another)
received in the D days up to that moment. The folds keep the groups (domain/recurbook.py); docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.recurvalues import CALLER, DAY_S, PLACE, Group, RecurringPolicy, Report
from domain.state import State

__all__ = ["CALLER", "DAY_S", "PLACE", "Group", "RecurringPolicy", "Report"]  # its values live in recurvalues


@dataclass(frozen=True)
class Problem:
    """A group that is a recurring problem at a moment: its counted reports within D days, oldest first."""

    group: Group
    reports: tuple[Report, ...]

    @property
    def open(self) -> int:
        """Return how many of its reports are still open (not yet closed: glossary's "open")."""
        return sum(r.open for r in self.reports)

    @property
    def resolved(self) -> int:
        """Return how many times one of its reports was resolved."""
        return sum(r.resolved for r in self.reports)

    @property
    def relapses(self) -> int:
        """Return how many times the fix did not hold: reported again after a resolve, or reopened."""
        again = set(self.group.again)
        return sum((r.id in again) + r.reopened for r in self.reports)

    @property
    def held(self) -> bool | None:
        """Tell whether the fix held: None while nothing was resolved, else no relapse."""
        return None if not self.resolved else not self.relapses


def status(r: Report) -> str:
    """Return where a report stands: closed; handling (an order not yet resolved); resolved (its call-back due);
    waiting (for its first order, or a new one after a reopening)."""
    if not r.open:
        return "closed"
    if r.orders > r.resolved:
        return "handling"
    return "resolved" if r.resolved > r.reopened else "waiting"


def problem(s: State, group_id: str, now: float) -> Problem | None:
    """Return a group as a recurring problem at now, or None when it is not one (or is another's: see below)."""
    g, policy = s.recur_groups.get(group_id), s.district.recurring
    if g is None:
        return None
    since, kept = now - policy.window_s, s.recur_reports
    reports = tuple(r for i in g.members if (r := kept.get(i)) is not None and r.counted and r.at >= since)
    if len(reports) < policy.count:
        return None
    # A caller's reports all in one place group are that place's problem (then one too): it is not counted twice.
    if g.basis == CALLER and len({r.groups[0] for r in reports}) == 1:
        return None
    return Problem(g, reports)


def problems(s: State, now: float, township: str | None = None) -> list[Problem]:
    """Return the recurring problems at now (of one township's anchors, when given), the most reported first."""
    found = [
        p
        for gid in s.recur_shown
        if (p := problem(s, gid, now)) is not None and (township is None or p.group.township == township)
    ]
    found.sort(key=lambda p: (-len(p.reports), -p.reports[-1].at, p.group.id))
    return found


def open_by_township(s: State, now: float) -> dict[str, int]:
    """Return {township: recurring problems at now with a report still open} (the assessment's "left open")."""
    out: dict[str, int] = {}
    for p in problems(s, now):
        if p.open:
            out[p.group.township] = out.get(p.group.township, 0) + 1
    return out
