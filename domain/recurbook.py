"""The recurring problems' book (domain/recurring.py): the folds that put each report in its groups and follow it.

A report's fold looks up the anchors of its category in the grid cells around it (never every group), joins or
starts its place group, and its caller group when it has a caller. The folds of its incident's later events keep
what the views need (open, resolved, reopened, orders, cancelled or merged), so a group outlives its incidents'
archiving (8 days) for its D days. Bounded in the log's time: once a day, reports older than D days and groups whose
last report is older leave the book. Flat dicts of immutable values: a checkpoint's dict copies are whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from domain import events as ev
from domain.model import OPEN_STAGES, Incident, Stage
from domain.recurgrid import cell_of, cells_near, distance_m
from domain.recurring import CALLER, PLACE, Group, RecurringPolicy, Report
from domain.state import State

Changed = set[str]
Fold = Callable[[State, Any], Changed]
VOID = frozenset({Stage.CANCELLED, Stage.MERGED})
PRUNE_S = 86400.0  # the book drops what left its window once a day of the log's time
STANDING = Report._fields.index("counted")  # a report's standing: its fields from here on (see standing)
WRAPPED: dict[Fold, Fold] = {}  # each fold this module wrapped -> the fold inside (bench/recurring.py takes them off)


def key(group_id: str) -> str:
    """Return the entity key of a group (web/kinds/recurring.py)."""
    return f"recurring:{group_id}"


def placing(fold: Fold) -> Fold:
    """Return the report fold that also puts a new report in its groups."""

    def run(s: State, e: ev.IncidentReported) -> Changed:
        fresh = e.incident_id not in s.incidents
        changed = fold(s, e)
        if fresh and e.incident_id in s.incidents:  # a repeated report changes nothing
            shown = place(s, e)
            return changed | shown if shown else changed
        return changed

    WRAPPED[run] = fold
    return run


def following(fold: Fold) -> Fold:
    """Return an incident fold that also keeps its report's standing in the book (when it is in the book)."""

    def run(s: State, e: ev.IncidentEvent) -> Changed:
        changed = fold(s, e)
        report = s.recur_reports.get(e.incident_id)
        if report is None or (inc := s.incidents.get(e.incident_id)) is None:
            return changed  # out of the book (older than D), or archived
        shown = restand(s, report, inc)
        return changed | shown if shown else changed  # a new set only when a shown problem changed

    WRAPPED[run] = fold
    return run


def place(s: State, e: ev.IncidentReported) -> Changed:
    """Put a report in its place group (and its caller's), starting either when none is near enough in time."""
    policy = s.district.recurring
    changed = prune(s, e.at, policy) if e.at >= s.recur_prune_at else set()
    gid = _place_group(s, e, policy)
    gids = (gid, _caller_group(s, e, policy)) if e.caller else (gid,)
    s.recur_reports[e.incident_id] = Report(e.incident_id, e.at, e.lon, e.lat, e.township or "", e.source, gids)
    for gid in gids:
        if shown := _join(s, gid, e.incident_id, e.at, policy):
            changed.add(shown)
    return changed


def _place_group(s: State, e: ev.IncidentReported, policy: RecurringPolicy) -> str:
    """Return the group whose anchor is nearest within R and whose last report came within D; else a new one's."""
    since, best = e.at - policy.window_s, (policy.radius_m, "")
    groups, cells = s.recur_groups, s.recur_cells
    for cell in cells_near(e.category, e.lon, e.lat, policy.radius_m):
        for gid in cells.get(cell, ()):
            g = groups[gid]
            if g.last_at >= since and (d := distance_m(g.lon, g.lat, e.lon, e.lat)) <= policy.radius_m:
                best = min(best, (d, gid)) if best[1] else (d, gid)
    if best[1]:
        return best[1]
    gid = f"P-{e.incident_id}"
    groups[gid] = Group(gid, PLACE, e.category, e.lon, e.lat, e.township or "", e.address, e.at)
    cell = cell_of(e.category, e.lon, e.lat, policy.radius_m)
    cells[cell] = cells.get(cell, ()) + (gid,)
    return gid


def _caller_group(s: State, e: ev.IncidentReported, policy: RecurringPolicy) -> str:
    """Return the caller's group of the category when its last report came within D; else a new one's."""
    gid = s.recur_callers.get((e.caller, e.category), "")
    g = s.recur_groups.get(gid)
    if g is not None and g.last_at >= e.at - policy.window_s:
        return gid
    gid = f"C-{e.incident_id}"
    s.recur_groups[gid] = Group(
        gid, CALLER, e.category, e.lon, e.lat, e.township or "", e.address, e.at, caller=e.caller
    )
    s.recur_callers[(e.caller, e.category)] = gid
    return gid


def _join(s: State, gid: str, report_id: str, at: float, policy: RecurringPolicy) -> str:
    """Add a report to a group (its members older than D before it leave); return its key when the screens care."""
    g = s.recur_groups.pop(gid)  # put back at the end: the book stays in the order of the groups' last reports
    since, kept, members = at - policy.window_s, s.recur_reports, g.members
    first = 0
    for i in members:  # oldest first: usually the first is within D, and the loop stops at once
        if (r := kept.get(i)) is not None and r.at >= since:
            break
        first += 1
    members = members[first:] + (report_id,)
    again = tuple(i for i in g.again if i in members) if first else g.again
    again += (report_id,) if g.fixed else ()
    # Group._make of a tuple: a third of _replace's cost, and this runs for every report
    s.recur_groups[gid] = Group._make(g[:7] + (max(g.last_at, at), members, again, False, g.caller))
    if len(members) >= policy.count:
        s.recur_shown[gid] = None
    elif gid in s.recur_shown:
        del s.recur_shown[gid]  # its older reports left it: the screens drop it
    else:
        return ""
    return f"recurring:{gid}"  # key(gid), inlined: this runs for every report


def standing(inc: Incident) -> tuple[bool, bool, int, int, int]:
    """Return a report's standing from its incident: counted, open, orders resolved, reopened, orders."""
    resolved, order = 0, inc.order
    for o in inc.history:
        resolved += "resolve" in o.done
    if order is not None:
        resolved += "resolve" in order.done
    return (
        inc.stage not in VOID,
        inc.stage in OPEN_STAGES,
        resolved,
        inc.reopened,
        len(inc.history) + (order is not None),
    )


def restand(s: State, report: Report, inc: Incident) -> Changed:
    """Keep a report's standing; a new resolve marks its groups fixed (a later report then came again)."""
    now = standing(inc)
    if now == report[STANDING:]:
        return set()
    s.recur_reports[report.id] = Report._make(report[:STANDING] + now)
    groups, shown = s.recur_groups, s.recur_shown
    if now[2] > report.resolved:
        for gid in report.groups:
            if (g := groups.get(gid)) is not None and not g.fixed:
                groups[gid] = g._replace(fixed=True)  # in place: a value replaced keeps its order
    return {f"recurring:{gid}" for gid in report.groups if gid in shown}  # key(gid), inlined


def prune(s: State, at: float, policy: RecurringPolicy) -> Changed:
    """Drop the reports older than D and the groups whose last report is (once a day); return the shown ones' keys."""
    s.recur_prune_at = (at // PRUNE_S + 1) * PRUNE_S
    cutoff, reports, groups = at - policy.window_s, s.recur_reports, s.recur_groups
    # Both books are in the order of arrival (a group moves to the end with each report): stop at the first kept.
    old = list(_until(((i, r.at) for i, r in reports.items()), cutoff))
    for i in old:
        del reports[i]
    gone = [groups[i] for i in _until(((i, g.last_at) for i, g in groups.items()), cutoff)]
    return {_forget(s, g, policy) for g in gone} - {""}


def _until(times: Iterator[tuple[str, float]], cutoff: float) -> Iterator[str]:
    """Yield the ids before the first whose time is at or after the cutoff."""
    for ident, at in times:
        if at >= cutoff:
            return
        yield ident


def _forget(s: State, g: Group, policy: RecurringPolicy) -> str:
    """Take a group out of the book and its index; return its key when the screens may still hold it."""
    del s.recur_groups[g.id]
    if g.basis == PLACE:
        cell = cell_of(g.category, g.lon, g.lat, policy.radius_m)
        rest = tuple(i for i in s.recur_cells.get(cell, ()) if i != g.id)
        if rest:
            s.recur_cells[cell] = rest
        else:
            s.recur_cells.pop(cell, None)
    elif s.recur_callers.get((g.caller, g.category)) == g.id:
        del s.recur_callers[(g.caller, g.category)]
    if g.id not in s.recur_shown:
        return ""
    del s.recur_shown[g.id]
    return key(g.id)
