"""Service halls: office hours (open or closed at a local time) and the queue folded from ticket events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from domain import events as ev
from domain.model import Hall, HallState, OfficeHours
from domain.state import State

DAY_S = 86400
QUARTER_S = 900  # served tickets are counted per quarter hour: every real time zone's midnight falls on one
SERVED_KEPT = DAY_S // QUARTER_S + 1  # a day of quarters and the one in progress: enough for "today" anywhere
CHANGES_AHEAD_DAYS = 8  # the open/closed changes sent to the screens cover a long weekend and a holiday


class Waiting(NamedTuple):
    """A hall's waiting figures for its day (等候人数, 最长等候): see `waiting`."""

    count: int  # type: ignore[assignment]  # the field shadows tuple.count, as a NamedTuple's may
    oldest_since: float | None  # when the oldest waiting ticket was issued; None: nobody waits

    def longest_s(self, now: float) -> float:
        """Return the longest wait at now, in seconds (0 when nobody waits)."""
        return max(0.0, now - self.oldest_since) if self.oldest_since is not None else 0.0


def parse_hours(spec: dict[str, str] | None) -> OfficeHours:
    """Return office hours from a fixture {"1-5": "09:00-17:00", "6": "09:00-12:00"} (ISO weekdays); {} or None: none."""
    out: list[tuple[int, int, int]] = []
    for days, span in (spec or {}).items():
        first, _, last = days.partition("-")
        opens, _, closes = span.partition("-")
        start, end = _minutes(opens), _minutes(closes)
        if not (1 <= int(first) <= int(last or first) <= 7 and 0 <= start < end <= 1440):
            raise ValueError(f"bad office hours {days!r}: {span!r}")
        out += [(day, start, end) for day in range(int(first), int(last or first) + 1)]
    return tuple(sorted(out))


def _minutes(hhmm: str) -> int:
    h, _, m = hhmm.strip().partition(":")
    return int(h) * 60 + int(m or 0)


def hall_open(hall: Hall, local_time: datetime) -> bool:
    """Tell whether a hall is open at a time of the district's day (a hall without hours is always open)."""
    if not hall.hours:
        return True
    day, minute = local_time.isoweekday(), local_time.hour * 60 + local_time.minute
    return any(d == day and start <= minute < end for d, start, end in hall.hours)


def open_changes(hall: Hall, now: float, utc_offset_h: float) -> list[float]:
    """Return the moments after now at which the hall opens or closes, over the next CHANGES_AHEAD_DAYS days."""
    if not hall.hours:
        return []
    day0 = local_midnight(now, utc_offset_h)
    weekday0 = datetime.fromtimestamp(day0 + utc_offset_h * 3600, UTC).isoweekday()
    spans: list[list[float]] = []
    for n in range(CHANGES_AHEAD_DAYS + 1):
        weekday = (weekday0 - 1 + n) % 7 + 1
        for d, start, end in hall.hours:
            if d != weekday:
                continue
            s, e = day0 + n * DAY_S + start * 60, day0 + n * DAY_S + end * 60
            if spans and s <= spans[-1][1]:  # touching or overlapping: one opening (e.g. open across midnight)
                spans[-1][1] = max(spans[-1][1], e)
            else:
                spans.append([s, e])
    return [b for s, e in spans for b in (s, e) if b > now]


def local_midnight(now: float, utc_offset_h: float) -> float:
    """Return the district's midnight that began the local day holding now (web.views.day_window's start)."""
    offset = utc_offset_h * 3600
    return (now + offset) // DAY_S * DAY_S - offset


def waiting(q: HallState | None, day_start: float) -> Waiting:
    """Return who waits in a hall: the tickets issued since day_start (the district's local midnight) and not yet
    called or served. A ticket left from an earlier day (its call lost, or the hall closed on it) is not waiting."""
    issued = [at for _, at in q.waiting if at >= day_start] if q else []
    return Waiting(len(issued), min(issued) if issued else None)


def waiting_at(q: HallState, at: float, utc_offset_h: float) -> int:
    """Return a hall's waiting count at an event's time, in the district's day (the queue chart's sample)."""
    return waiting(q, local_midnight(at, utc_offset_h)).count


def served_since(q: HallState, start: float) -> int:
    """Return the tickets a hall served from start on (start: a local midnight within the last day)."""
    first = int(start // QUARTER_S)
    return sum(n for quarter, n in q.served_recent if quarter >= first)


def apply_ticket(state: State, e: ev.HallTicketRecorded) -> set[str]:
    """Fold a queue event: a ticket issued, called or served, a window opened or closed."""
    h = state.halls.get(e.hall_id) or HallState()
    # Bounded: a ticket whose call was lost leaves a day after its issue (event time, so every replay agrees);
    # it stopped counting as waiting at the district's midnight already (`waiting`).
    queue = tuple(w for w in h.waiting if w[1] >= e.at - DAY_S)
    windows, served, recent = h.open_windows, h.served_today, h.served_recent
    if e.action == "issued":
        queue = queue + ((e.ticket, e.at),)
    elif e.action in ("called", "served"):
        queue = tuple(w for w in queue if w[0] != e.ticket)
        if e.action == "served":
            served += 1
            recent = _count(recent, int(e.at // QUARTER_S))
    elif e.action == "window_opened":
        windows += 1
    elif e.action == "window_closed":
        windows = max(0, windows - 1)
    state.halls[e.hall_id] = HallState(queue, windows, served, e.at, recent)
    return {f"hall:{e.hall_id}"}


def _count(recent: tuple[tuple[int, int], ...], quarter: int) -> tuple[tuple[int, int], ...]:
    """Add one to a quarter's count; quarters older than a day are dropped (bounded: SERVED_KEPT at most)."""
    if recent and recent[-1][0] == quarter:
        return recent[:-1] + ((quarter, recent[-1][1] + 1),)
    if recent and recent[-1][0] > quarter:  # an out-of-order event: count it in its own quarter
        kept = dict(recent)
        kept[quarter] = kept.get(quarter, 0) + 1
        return tuple(sorted(kept.items()))[-SERVED_KEPT:]
    return tuple(r for r in recent if r[0] > quarter - SERVED_KEPT) + ((quarter, 1),)
