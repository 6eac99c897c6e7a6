"""Broadcast orders: sent to chosen townships or all, each room signs on the one-minute clock."""

from __future__ import annotations

import pytest

from domain.broadcast import board, issue_broadcast, sign_broadcast
from domain.errors import Rejected
from domain.projection import Projection
from tests.conftest import T0
from tests.unit.helpers import COMMANDER, fold, room


def sent(district, townships="all"):
    state = Projection(district)
    (e,) = fold(
        state,
        issue_broadcast(state, COMMANDER, "flood_response", "III", townships, "启动防汛IV级应急响应", "cmd:b1", T0),
    )
    return state, e.broadcast_id


def test_a_broadcast_to_all_reaches_every_township_with_a_one_minute_sign_deadline(district):
    state, bid = sent(district)
    b = state.broadcasts[bid]
    assert b.townships == tuple(sorted(district.townships)) and b.deadline == T0 + 60


def test_the_board_shows_on_time_late_pending_and_overdue(district):
    state, bid = sent(district, ["T01", "T02", "T03", "T04"])
    fold(state, sign_broadcast(state, room("T01"), bid, "cmd:s1", T0 + 30))
    fold(state, sign_broadcast(state, room("T02"), bid, "cmd:s2", T0 + 90))
    assert board(state.broadcasts[bid], T0 + 50) == {
        "on_time": ["T01"],
        "late": ["T02"],
        "pending": ["T03", "T04"],
        "overdue": [],
    }
    assert board(state.broadcasts[bid], T0 + 61)["overdue"] == ["T03", "T04"]


def test_a_township_cannot_sign_twice_or_for_a_broadcast_not_sent_to_it(district):
    state, bid = sent(district, ["T01"])
    fold(state, sign_broadcast(state, room("T01"), bid, "cmd:s1", T0 + 1))
    with pytest.raises(Rejected, match="step_already_done"):
        sign_broadcast(state, room("T01"), bid, "cmd:s2", T0 + 2)
    with pytest.raises(Rejected, match="out_of_scope"):
        sign_broadcast(state, room("T02"), bid, "cmd:s3", T0 + 2)
    with pytest.raises(Rejected, match="forbidden"):
        sign_broadcast(state, COMMANDER, bid, "cmd:s4", T0 + 2)


@pytest.mark.parametrize(
    "kind,level,towns",
    [
        ("flood_response", "V", "all"),
        ("party", "I", "all"),
        ("flood_response", "I", ["T99"]),
        ("flood_response", "I", []),
    ],
)
def test_unknown_kinds_levels_or_townships_are_refused(district, kind, level, towns):
    with pytest.raises(Rejected):
        issue_broadcast(Projection(district), COMMANDER, kind, level, towns, "", "cmd:b", T0)


def test_only_commanders_and_duty_leaders_broadcast(district):
    with pytest.raises(Rejected, match="forbidden"):
        issue_broadcast(Projection(district), room("T01"), "flood_response", "I", "all", "", "cmd:b", T0)
