"""Each entity kind is declared once (web/kinds/): its shape, the events that change it, its scope and its clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from domain import events as ev
from domain.projection import FOLDS, Projection
from tests.unit.helpers import fold
from web import kinds, views

T = datetime(2026, 11, 18, 9, tzinfo=timezone(timedelta(hours=8))).timestamp()
WARN = "warn:hour:498609:T01:noise"  # an early warning of 09:00 that day (domain/warning.py warning_id)


def _day_of_everything(district) -> list[ev.Event]:
    """Return a log holding every event type once at least: two incidents worked, merged, reopened..."""
    team = next(t for t in district.teams.values() if t.township == "T01")
    other = next(t for t in district.teams.values() if t.township == "T01" and t.id != team.id)
    station, hall = next(iter(district.stations)), next(iter(district.halls))
    inc = dict(order_id="O1", actor="cmdr")
    out: list[ev.Event] = [
        ev.IncidentReported("r1", T, "I1", "12345", "A1", "noise", "T01", 121.4, 31.2, 3),
        ev.IncidentReported("r2", T + 1, "I2", "12345", "A2", "noise", "T01", 121.4, 31.2, 3),
        ev.IncidentReported("r3", T + 2, "I3", "12345", "A3", "noise", "T01", 121.4, 31.2, 1),
        ev.DispatchBreached("d3", T + 70, "I3", "", "system", T + 62),
        ev.IncidentCancelled("c3", T + 80, "I3", "", "cmdr"),
        ev.OrderIssued("o0", T + 85, "I2", "O0", "cmdr", other.id, "T01"),  # its team is freed by the merge
        ev.IncidentMerged("m2", T + 90, "I2", "", "cmdr", into="I1"),
        ev.OrderIssued("o1", T + 100, "I1", team_id=team.id, township="T01", deadlines={"sign": T + 160}, **inc),
        ev.SlaBreached("b1", T + 170, "I1", step="sign", deadline=T + 160, **inc),
        ev.IncidentEscalated("e1", T + 300, "I1", step="sign", **inc),
        ev.OrderSigned("s1", T + 310, "I1", late=True, **inc),
        ev.OrderResponded("s2", T + 320, "I1", **inc),
        ev.OrderRouted("s3", T + 330, "I1", team_id=other.id, **inc),
        ev.TeamPositioned("p1", T + 335, other.id, 121.4, 31.2, 12.0, T + 334, "I1"),
        ev.TeamOnSite("s4", T + 340, "I1", **inc),
        ev.OrderResolved("s5", T + 350, "I1", **inc),
        ev.FeedbackRecorded("f1", T + 360, "I1", result="unsatisfied", **inc),
        ev.IncidentReopened("re1", T + 370, "I1", reason="again", **inc),
        ev.OrderIssued("o2", T + 380, "I1", "O2", "cmdr", team.id, "T01"),
        ev.OrderTransferred("t2", T + 390, "I1", "O2", "room", to_department="water"),
        ev.IncidentClosed("cl1", T + 400, "I1", "O2", "cmdr"),
        ev.BroadcastIssued("bi", T + 410, "B1", "security_posture", "II", "m", ("T01",), "cmdr", T + 470),
        ev.BroadcastSigned("bs", T + 420, "B1", "T01", "room"),
        ev.StationReadingRecorded("sr", T + 430, station, 9.9, 1.0),
        ev.FloodStageChanged("fs", T + 440, station, "warning", 9.9, 1),
        ev.AlertIssued(
            "ai",
            T + 450,
            "A1",
            "气象台",
            "Alert",
            "暴雨",
            "Severe",
            "Expected",
            "Likely",
            "h",
            "d",
            "area",
            polygons=(((121.0, 31.0), (121.5, 31.0), (121.5, 31.5)),),
            expires=T + 9000,
        ),
        ev.AlertIssued(
            "ai2", T + 455, "A2", "气象台", "Alert", "大风", "Minor", "Expected", "Likely", "h", "d", "area"
        ),
        ev.AlertCancelled("ac", T + 460, "A2", references=("A2",)),
        ev.AlertExpired("ae", T + 470, "A1"),
        ev.HallTicketRecorded("h1", T + 480, hall, "issued", "A001"),
        ev.WarningRaised(WARN, T + 490, WARN, "hour", T, "T01", "noise", 3, 0.0, 0.0, 3.0),
        ev.WarningAcknowledged("wa", T + 495, WARN, "cmdr"),
    ]
    return out


def test_every_event_type_of_the_codec_has_one_fold():
    assert set(FOLDS) == set(ev.EVENT_TYPES.values())


def test_every_key_a_fold_reports_changed_is_of_a_kind_that_declares_the_event(district):
    state = Projection(district)
    events = _day_of_everything(district)
    assert {type(e) for e in events} == set(ev.EVENT_TYPES.values())
    for n, e in enumerate(events, 1):
        changed = state.apply(e, n)
        undeclared = {k for k in changed if type(e) not in kinds.BY_KEY[k.partition(":")[0]].events}
        assert not undeclared, f"{type(e).__name__} changes {undeclared}"


def test_each_entity_carries_exactly_the_keys_of_its_kinds_declared_shape(district):
    state = Projection(district)
    # one live entity of each kind (three noise reports at one spot: a recurring problem)
    shown = {"r1", "r2", "r3", "o1", "bi", "sr", "fs", "ai", "h1", WARN}
    fold(state, [e for e in _day_of_everything(district) if e.event_id in shown])
    built = views.entities(state, views.all_keys(state), T + 500, 8)
    seen = set()
    for key, entity in built.items():
        if entity is None:
            continue
        kind = kinds.BY_KEY[entity["kind"]]
        seen.add(kind.key)
        declared = set(kind.shape.__annotations__)
        assert declared <= set(entity), f"{key} lacks {declared - set(entity)}"
        if kind.key != "chart":  # a chart adds its own fields to kind, id and now
            assert set(entity) == declared, f"{key} has undeclared {set(entity) - declared}"
    assert seen == set(kinds.BY_KEY)


def test_a_township_room_sees_its_incidents_and_broadcasts_and_no_chart(district):
    state = Projection(district)
    fold(state, [e for e in _day_of_everything(district) if e.event_id in {"r1", "bi"}])
    seen = {e["kind"] for e in views.snapshot(state, T + 500, 8, "T01")["entities"]}
    elsewhere = {e["kind"] for e in views.snapshot(state, T + 500, 8, "T02")["entities"]}
    assert {"incident", "broadcast"} <= seen and "chart" not in seen
    assert not {"incident", "broadcast", "chart"} & elsewhere


def test_the_clock_re_sends_the_days_figures_charts_and_halls_and_nothing_else(district):
    keys = views.timed_keys(Projection(district))
    assert {k.partition(":")[0] for k in keys} == {"kpi", "chart", "hall"}
    assert {k for k in keys if k.startswith("hall:")} == {f"hall:{h}" for h in district.halls}
