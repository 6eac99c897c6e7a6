"""A constructed November 2026 (and a bit of October) whose assessment is computed by hand in the docstrings below.

Times are the district's local time (UTC+8). Every order's deadlines are 60/120/180/600 s from its issue.

November, T01 (received 5: A1-A4 and D1, cancelled):
  A1, A2 every stage on time, resolved, satisfied; A2 is ordered at 23:55 on 30 November (a November order).
  A3 signed late (+90 s), the rest on time, resolved, satisfied.
  A4 on time and resolved, unsatisfied: reopened, ordered again, on time, resolved, satisfied.
  orders 5; sign 4 on time 1 late; respond, route, on site 5 on time; ordered 4, resolved 4; rated 5 (A4's
  reopening and its satisfied call-back), satisfied 4; reopened 1.
  response (4+5)/10 = 0.9, resolution (4+5)/(4+5) = 1, satisfaction 4/5 = 0.8: 27 + 35 + 28 = 90.
  Points lost: A3 sign 30/10 = 3; A4 unsatisfied 35/5 = 7 (and reopened, weighed 0): 10.
November, T02 (received 3):
  B1 on time, resolved, satisfied. B2 signed on time, then handed to T03 at +100 s (before respond's deadline:
  nothing else judged); T03 works it on time, resolved, satisfied. B3 on site late (+700 s), resolved, unsatisfied.
  orders 3; sign 3; respond 2, route 2 on time; on site 1 on time 1 late; ordered 2, resolved 2, rated 2,
  satisfied 1; returned 1.
  response 5/5 = 1, resolution (2+1)/(2+2) = 0.75, satisfaction 1/2: 30 + 26.25 + 17.5 = 73.75.
  Points lost: B3 on site 35/4 = 8.75 and unsatisfied 35/2 = 17.5: 26.25 (B2 returned, weighed 0).
November, T03 (received 1: C1): B2's second order, and C1 signed on time, responded late (+150 s), routed on time,
  breached on site (the ticker's SlaBreached at +601 s), still open at the month's end.
  orders 2; sign 2; respond 1 on time 1 late; route 2; on site 1 on time 1 late; ordered 2, resolved 1, rated 1.
  response 3/4 = 0.75, resolution (1+1)/(2+2) = 0.5, satisfaction 1: 22.5 + 17.5 + 35 = 75.
  Points lost: C1 respond 30/4 = 7.5, on site 35/4 = 8.75, unresolved 8.75: 25.
Ranks: T01 90 (1), T03 75 (2), T02 73.75 (3); the eight other townships have no order: no score, no rank.
October: T01 one order on time, satisfied: 100 (rank 1); T02 one signed late, satisfied: 15 + 35 + 35 = 85 (2).
  So T01 changes by -10 (rank 0), T02 by -11.25 (rank -1: third from second), T03 has nothing to compare.
December: E1, received at 00:05 on 1 December in T01, counts in no November figure.
Where they ended (三源, by the last order's township; every report from 12345 unless said):
  T01: A1, A2, A4 settled on the spot, A3 to the courts or mediation: 3 of 4 on the spot (12345: 3 settled, 1 out).
  T02: B1 (from 110) to petitions, B3 (from the grid) on the spot: 1 of 2. T03: B2 to law enforcement: 0 of 1.
  District: 4 of 7 on the spot (0.5714), 3 flows out; 12345 3 settled 2 out (0.6), 110 0 of 1, grid 1 of 1.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from domain import events as ev

TZ = timezone(timedelta(hours=8))
DEADLINES_S = {"sign": 60.0, "respond": 120.0, "route": 180.0, "on_site": 600.0}
ON_TIME = {"sign": 30.0, "respond": 60.0, "route": 90.0, "on_site": 300.0, "resolve": 900.0}
STEP_EVENT = {
    "sign": ev.OrderSigned,
    "respond": ev.OrderResponded,
    "route": ev.OrderRouted,
    "on_site": ev.TeamOnSite,
    "resolve": ev.OrderResolved,
}
EXPECTED_SCORES = {"T01": 90.0, "T02": 73.75, "T03": 75.0}
EXPECTED_RANKS = {"T01": 1, "T03": 2, "T02": 3}
EXPECTED_LOST = {"T01": {"A3": 3.0, "A4": 7.0}, "T02": {"B2": 0.0, "B3": 26.25}, "T03": {"C1": 25.0}}
_ids = itertools.count()


def local(month: int, day: int, hour: int, minute: int = 0) -> float:
    """Return the Unix time of a local moment in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ).timestamp()


def _eid() -> str:
    return f"m{next(_ids):06d}"


def report(iid: str, township: str, at: float, source: str = "12345") -> ev.Event:
    """Return an incident's report at the given moment."""
    return ev.IncidentReported(_eid(), at, iid, source, iid, "manhole_cover", township, 120.0, 30.0, 3)


def order(iid: str, n: int, township: str, at: float) -> ev.Event:
    """Return an incident's n-th order, to a team of the township, issued at the given moment."""
    deadlines = {s: at + d for s, d in DEADLINES_S.items()}
    return ev.OrderIssued(_eid(), at, iid, f"{iid}-{n}", "cmd", f"{township}-team", township, deadlines)


def steps(iid: str, n: int, at: float, outcome: str = "on_spot", **when: float | None) -> list[ev.Event]:
    """Return an order's steps at their on-time offsets from its issue, unless given (None: not taken); its resolve
    says how it ended."""
    out: list[ev.Event] = []
    for step, cls in STEP_EVENT.items():
        offset = when.get(step, ON_TIME[step])
        if offset is None:
            continue
        late = step in DEADLINES_S and offset > DEADLINES_S[step]
        ended = {"outcome": outcome} if step == "resolve" else {}
        out.append(cls(_eid(), at + offset, iid, f"{iid}-{n}", "room", late=late, **ended))
    return out


def feedback(iid: str, n: int, at: float, result: str) -> ev.Event:
    """Return the call-back's result for an order."""
    return ev.FeedbackRecorded(_eid(), at, iid, f"{iid}-{n}", "cmd", result=result)


def worked(
    iid: str, township: str, at: float, result: str = "satisfied", source: str = "12345", outcome: str = "on_spot",
    **when: float | None,
) -> list[ev.Event]:  # fmt: skip
    """Return an incident reported at a moment, ordered a minute later, worked through, called back (and closed
    when satisfied)."""
    issued = at + 60
    out = [report(iid, township, at, source), order(iid, 1, township, issued), *steps(iid, 1, issued, outcome, **when)]
    out.append(feedback(iid, 1, issued + 1800, result))
    if result == "satisfied":
        out.append(ev.IncidentClosed(_eid(), issued + 1900, iid, f"{iid}-1", "cmd"))
    return out


def events() -> list[ev.Event]:
    """Return the whole constructed log, in time order."""
    out: list[ev.Event] = []
    out += worked("O1", "T01", local(10, 12, 9))
    out += worked("O2", "T02", local(10, 20, 15), sign=90.0)
    out += worked("A1", "T01", local(11, 3, 10))
    out += worked("A3", "T01", local(11, 5, 14), outcome="court_mediation", sign=90.0)
    out += _a4(local(11, 9, 8))
    out += worked("B1", "T02", local(11, 10, 9), source="110", outcome="petition")
    out += _b2(local(11, 12, 11))
    out += worked("B3", "T02", local(11, 14, 16), "unsatisfied", source="grid", on_site=700.0)
    out += _c1(local(11, 20, 13))
    out += [report("D1", "T01", local(11, 22, 7)), ev.IncidentCancelled(_eid(), local(11, 22, 8), "D1", "", "cmd")]
    out += worked("A2", "T01", local(11, 30, 23, 54))
    out += [report("E1", "T01", local(12, 1, 0, 5))]
    return sorted(out, key=lambda e: e.at)


def _a4(at: float) -> list[ev.Event]:
    first = worked("A4", "T01", at, "unsatisfied")
    again = at + 3600
    reopened = ev.IncidentReopened(_eid(), again, "A4", "A4-1", "cmd", reason="unsatisfied")
    return (
        first
        + [reopened, order("A4", 2, "T01", again + 60), *steps("A4", 2, again + 60)]
        + [feedback("A4", 2, again + 1860, "satisfied")]
    )


def _b2(at: float) -> list[ev.Event]:
    issued = at + 60
    handed = ev.OrderTransferred(_eid(), issued + 100, "B2", "B2-1", "room", to_township="T03", reason="not ours")
    return [report("B2", "T02", at), order("B2", 1, "T02", issued), *steps("B2", 1, issued, respond=None, route=None,
        on_site=None, resolve=None), handed, order("B2", 2, "T03", issued + 100),
        *steps("B2", 2, issued + 100, "law_enforcement"),
        feedback("B2", 2, issued + 1900, "satisfied")]  # fmt: skip


def _c1(at: float) -> list[ev.Event]:
    issued = at + 60
    breach = ev.SlaBreached(_eid(), issued + 601, "C1", "C1-1", "ticker", step="on_site", deadline=issued + 600)
    return [
        report("C1", "T03", at),
        order("C1", 1, "T03", issued),
        *steps("C1", 1, issued, respond=150.0, route=170.0, on_site=None, resolve=None),
        breach,
    ]
