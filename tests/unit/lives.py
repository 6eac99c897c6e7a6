"""A synthetic log of many days for the retention and index tests: incidents' whole lives, in time order."""

from __future__ import annotations

import random
from collections.abc import Iterator

from domain import events as ev
from domain.catalog import CATEGORIES
from domain.model import District
from domain.sla import SlaPolicy

DAY = 86400.0
STEPS = (
    ("sign", ev.OrderSigned),
    ("respond", ev.OrderResponded),
    ("route", ev.OrderRouted),
    ("on_site", ev.TeamOnSite),
    ("resolve", ev.OrderResolved),
)


def _order(
    rng: random.Random, policy: SlaPolicy, iid: str, n: int, cat: str, town: str, team: str, at: float, steps: int = 5
) -> tuple[list[ev.Event], float]:
    """An order issued at `at` and its first `steps` steps, each late now and then (with its breach first)."""
    oid = f"{iid}-{n}"
    deadlines = policy.deadlines(cat, at)
    out: list[ev.Event] = [ev.OrderIssued(f"ord:{oid}", at, iid, oid, "t", team, town, deadlines)]
    for name, cls in STEPS[:steps]:
        at += rng.choice((20.0, 40.0, 90.0, 400.0, 3000.0))
        deadline = deadlines.get(name)
        late = deadline is not None and at > deadline
        if late:
            out.append(ev.SlaBreached(f"breach:{oid}:{name}", deadline + 1, iid, oid, "sla", name, deadline))
        out.append(
            cls(
                event_id=f"{name}:{oid}",
                at=at,
                incident_id=iid,
                order_id=oid,
                actor="t",
                late=late,
                note="done" if name == "resolve" else "",
            )
        )
    return out, at


def life(
    rng: random.Random, district: District, policy: SlaPolicy, n: int, at: float, others: list[str]
) -> list[ev.Event]:
    """One incident's life: mostly ordered, worked and closed; some cancelled, merged, reopened, transferred
    or left open, at random."""
    town = rng.choice(sorted(district.townships))
    team = next(t.id for t in district.teams.values() if t.township == town)
    cat = rng.choice(sorted(CATEGORIES))
    iid = f"L{n:05d}"
    out: list[ev.Event] = [
        ev.IncidentReported(
            f"rep:{iid}", at, iid, "12345", f"s{n}", cat, town, 121.4, 31.2, CATEGORIES[cat].priority, "x", "y", at
        )
    ]
    at += rng.choice((30.0, 200.0, 900.0))
    fate = rng.random()
    if fate < 0.05:
        return out  # left waiting for its order
    if fate < 0.1:
        return out + [ev.IncidentCancelled(f"cancel:{iid}", at, iid, "", "t", "hoax")]
    if fate < 0.14 and others:
        return out + [ev.IncidentMerged(f"merge:{iid}", at, iid, "", "t", rng.choice(others[-5:]), "same")]
    steps, number = (rng.choice((1, 2, 3, 4)) if fate < 0.2 else 5), 1
    if 0.2 <= fate < 0.25:  # transferred to another township: a new order, a new clock
        first, at = _order(rng, policy, iid, 1, cat, town, team, at, steps=2)
        out += first + [ev.OrderTransferred(f"tr:{iid}", at + 5, iid, f"{iid}-1", "t", "T02", "", "not ours")]
        town, team, number, at = "T02", "", 2, at + 5
    order, at = _order(rng, policy, iid, number, cat, town, team, at, steps)
    out += order
    if steps < 5:
        return out
    oid = f"{iid}-{number}"
    at += rng.choice((600.0, 3 * 3600.0, 2 * DAY))
    if 0.25 <= fate < 0.3:  # an unsatisfied call-back: reopened, ordered again
        out += [
            ev.FeedbackRecorded(f"fb:{iid}", at, iid, oid, "t", "unsatisfied"),
            ev.IncidentReopened(f"reopen:{iid}", at, iid, oid, "t", "again"),
        ]
        again, at = _order(rng, policy, iid, number + 1, cat, town, team, at + 300)
        out += again
        oid, at = f"{iid}-{number + 1}", at + 600
    if fate > 0.95:
        return out  # resolved, awaiting its call-back
    return out + [
        ev.FeedbackRecorded(f"fb2:{iid}", at, iid, oid, "t", "satisfied"),
        ev.IncidentClosed(f"close:{iid}", at + 5, iid, oid, "t", ""),
    ]


def district_log(district: District, days: int, per_day: int, start: float, seed: int = 7) -> list[ev.Event]:
    """About per_day incidents a day for `days` days, every event in time order, and a stray late event."""
    rng, policy, out, ids = random.Random(seed), SlaPolicy(), [], []
    for n in range(days * per_day):
        at = start + n * DAY / per_day + rng.uniform(0, 60)
        out += life(rng, district, policy, n, at, ids)
        ids.append(f"L{n:05d}")
    out.sort(key=lambda e: e.at)
    last = out[-1].at
    # A breach decided by another process against an incident closed long ago: its fold must not fail.
    out.append(ev.SlaBreached("breach:stray", last + 1, ids[0], f"{ids[0]}-1", "sla", "sign", start))
    return out


def numbered(events: list[ev.Event]) -> Iterator[tuple[int, ev.Event]]:
    """Return (seq, event) pairs as the log would number them."""
    return ((i + 1, e) for i, e in enumerate(events))
