"""The warning book: reports counted per hour and day, the early warnings due (domain/warning.py's rule), raised and
acknowledged.

The folds keep two flat books in State, reports per (local hour or day, township, category) for the last 10 days
(a baseline reaches back 9 days), in the order of their first report so the oldest leave from the front; and the
warnings raised. `due_warnings` judges the (township, category) pairs with a report since the last check: a check
costs what came since, nothing when nothing did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from domain import events as ev
from domain.access import authorize, can_see
from domain.errors import Rejected
from domain.model import Actor
from domain.state import State
from domain.warning import (
    DAY,
    DAY_S,
    FIRST_BACK,
    HOUR,
    HOUR_S,
    EarlyWarning,
    WarningPolicy,
    alarms,
    baseline,
    baseline_indexes,
    period_bounds,
    period_index,
    warning_id,
)

ACKED_KEPT_S = 2 * DAY_S  # an acknowledged warning stays in memory (and the API) this long after its period ended
Changed = set[str]
Book = dict[tuple[int, str, str], int]
Fold = Callable[[State, Any], Changed]


def counted(fold: Fold) -> Fold:
    """Return a report's fold that also counts the report in the books (a report of a known incident counts nothing)."""

    def run(s: State, e: ev.IncidentReported) -> Changed:
        changed = fold(s, e)
        if changed:
            count_report(s, e.township or "", e.category, e.at, changed)
        return changed

    return run


def count_report(s: State, township: str, category: str, at: float, changed: Changed) -> None:
    """Count a report in its hour and day; a warning in force on them shows the new count (its key changes)."""
    hour = int((at + s.district.utc_offset_h * 3600.0) // HOUR_S)
    day, hours, days = hour // 24, s.report_hours, s.report_days
    key = (hour, township, category)
    n = hours.get(key)  # inlined, not a helper's call: every report ingested comes here, twice
    if n is None:
        _prune(hours, (day - FIRST_BACK) * 24)
    hours[key] = (n or 0) + 1
    key = (day, township, category)
    n = days.get(key)
    if n is None:
        _prune(days, day - FIRST_BACK)
    days[key] = (n or 0) + 1
    if at < s.reports_since:
        s.reports_since = at
    if s.warnings:  # most of the time there is none: no id is built
        for wid in (warning_id(HOUR, hour, township, category), warning_id(DAY, day, township, category)):
            if wid in s.warnings:
                changed.add(f"warning:{wid}")


def _prune(book: Book, floor: int) -> None:
    """Drop the periods before floor (at a new period's first report): the oldest, at the book's front."""
    old = []
    for k in book:
        if k[0] >= floor:
            break
        old.append(k)
    for k in old:
        del book[k]


def raised(s: State, e: ev.WarningRaised) -> Changed:
    """Fold a warning raised; the acknowledged ones whose period ended ACKED_KEPT_S ago leave memory."""
    if e.warning_id in s.warnings:
        return set()
    for old in [w.id for w in s.warnings.values() if w.acked_at is not None and w.end < e.at - ACKED_KEPT_S]:
        del s.warnings[old]
    end = e.period_start + (HOUR_S if e.kind == HOUR else DAY_S)
    s.warnings[e.warning_id] = EarlyWarning(
        e.warning_id, e.kind, e.period_start, end, e.township, e.category, e.count, e.mean, e.sd, e.threshold, e.at
    )
    return {f"warning:{e.warning_id}"}


def acknowledged(s: State, e: ev.WarningAcknowledged) -> Changed:
    """Fold an acknowledgement (the first one counts)."""
    w = s.warnings.get(e.warning_id)
    if w is None or w.acked_at is not None:
        return set()
    s.warnings[w.id] = replace(w, acked_at=e.at, acked_by=e.actor, note=e.note)
    return {f"warning:{w.id}"}


def count_now(s: State, w: EarlyWarning) -> int:
    """Return the reports of a warning's period as the books hold them now (at least those it was raised on)."""
    book = s.report_hours if w.kind == HOUR else s.report_days
    index = period_index(w.kind, w.start, s.district.utc_offset_h)
    return max(w.count, book.get((index, w.township, w.category), 0))


def due_warnings(s: State, now: float, policy: WarningPolicy, since: float | None = None) -> list[ev.Event]:
    """Return the warnings due and not yet raised, judged in the hour and day holding now and those holding since:
    of the pairs with a report changed since then, or (None) of every pair counted in the last hour or today."""
    off = s.district.utc_offset_h
    first = now - HOUR_S if since is None else min(since, now)
    pairs = _pairs_counted(s, period_index(DAY, first, off) * 24) if since is None else _pairs_touched(s, first)
    periods = sorted({(kind, period_index(kind, t, off)) for kind in (HOUR, DAY) for t in (first, now)})
    out: list[ev.Event] = []
    for township, category in sorted(pairs):
        for kind, index in periods:
            due = _judge(s, policy, kind, index, township, category, now)
            if due is not None:
                out.append(due)
    return out


def _pairs_counted(s: State, from_hour: int) -> set[tuple[str, str]]:
    return {(t, c) for h, t, c in s.report_hours if h >= from_hour and t}


def _pairs_touched(s: State, since: float) -> set[tuple[str, str]]:
    """Return the pairs of the incidents received since then: the newest changes are at the end of `touched`."""
    pairs, touched, get = set(), s.touched, s.incidents.get
    for iid in reversed(touched):
        if touched[iid] < since:
            break
        inc = get(iid)
        if inc is not None and inc.township and inc.received_at >= since:
            pairs.add((inc.township, inc.category))
    return pairs


def _judge(
    s: State, policy: WarningPolicy, kind: str, index: int, township: str, category: str, now: float
) -> ev.WarningRaised | None:
    """Return the warning of one period and pair when its count alarms against its baseline and none was raised."""
    rule, book, off = policy.rule(kind), (s.report_hours if kind == HOUR else s.report_days), s.district.utc_offset_h
    count = book.get((index, township, category), 0)
    if count < rule.min_count:  # most pairs, most of the time: nothing else is computed
        return None
    back = baseline_indexes(kind, index)
    if s.reports_since > period_bounds(DAY, back[0] // 24 if kind == HOUR else back[0], off)[0]:
        return None  # the log does not reach back over the whole baseline: no usual level is known yet
    base = baseline([book.get((i, township, category), 0) for i in back], rule)
    wid = warning_id(kind, index, township, category)
    if not alarms(count, base, rule) or wid in s.warnings:
        return None
    start = period_bounds(kind, index, off)[0]
    return ev.WarningRaised(wid, now, wid, kind, start, township, category, count, base.mean, base.sd, base.threshold)


def acknowledge(s: State, actor: Actor, ident: str, command_id: str, now: float, note: str = "") -> list[ev.Event]:
    """A commander acknowledges a warning in its scope; an unknown one, or one acknowledged before, is refused."""
    authorize(actor, "acknowledge_warning", actor.township)
    w = s.warnings.get(ident)
    if w is None or not can_see(actor, w.township):  # one answer: a room never learns of another's warnings
        raise Rejected("unknown_warning", warning=ident[:80])
    if w.acked_at is not None:
        raise Rejected("warning_acknowledged", by=w.acked_by)
    return [ev.WarningAcknowledged(command_id, now, w.id, actor.name, note.strip()[:500])]


def visible(s: State, actor: Actor, now: float, in_force: bool = True) -> Iterable[EarlyWarning]:
    """Return the warnings an actor may see, newest first: those in force, or every one kept."""
    shown = [w for w in s.warnings.values() if can_see(actor, w.township) and (w.in_force(now) or not in_force)]
    return sorted(shown, key=lambda w: (-w.raised_at, w.id))
