"""Which phone fixes the log keeps, what an on-site fix proves, where a team is taken to be: domain/positions.py."""

from __future__ import annotations

import math

import pytest

from domain.errors import Rejected
from domain.model import Actor, Fix, Incident, Role
from domain.positions import STALE_S, SitePolicy, check_fix, keeps, proof, where

P = SitePolicy()
M_PER_DEG = 6_371_008.8 * math.pi / 180
T = 1_700_000_000.0
TEAM = Actor("crew", Role.TEAM, "T01", "T01-A")
ROOM = Actor("room", Role.TOWNSHIP, "T01")
SITE = Incident("I1", "12345", "a", "noise", "T01", 121.4, 31.2, 3, "", "", T, T)


def fix(metres_north: float = 0.0, at: float = T, accuracy: float = 10.0) -> Fix:
    return Fix(121.4, 31.2 + metres_north / M_PER_DEG, accuracy, at)


@pytest.mark.parametrize(
    ("elapsed", "moved", "on_order", "kept"),
    [
        (15, 0, True, True),  # on an order: every 15 s...
        (14, 0, True, False),
        (5, 31, True, True),  # ...or 30 m
        (59, 100, False, False),  # free: a minute apart when it moves...
        (60, 31, False, True),
        (120, 5, False, False),  # ...else only every 4 minutes
        (240, 0, False, True),
        (-5, 500, True, False),  # older than what is held: a queued fix arriving late changes nothing
    ],
)
def test_the_log_keeps_a_fix_by_time_and_distance_since_the_last_kept_one(elapsed, moved, on_order, kept):
    assert keeps(P, fix(), fix(moved, T + elapsed), on_order) is kept


def test_a_teams_first_fix_is_always_kept():
    assert keeps(P, None, fix(), False)


def test_the_free_heartbeat_comes_before_a_team_would_look_stale():
    assert P.free_heartbeat_s < STALE_S


@pytest.mark.parametrize(
    ("actor", "f", "expected"),
    [
        (TEAM, fix(0), ("verified", 0.0)),
        (TEAM, fix(300), ("verified", 300.0)),
        (TEAM, fix(301), ("not_verified", 301.0)),
        (TEAM, fix(10, accuracy=101), ("not_verified", 10.0)),
        (TEAM, None, ("not_verified", None)),
        (TEAM, Fix(float("nan"), 31.2, 5, T), ("not_verified", None)),
        (ROOM, fix(0), ("by_room", None)),
    ],
)
def test_on_site_is_verified_only_for_the_teams_own_sure_fix_within_the_radius(actor, f, expected):
    how, d = proof(P, actor, SITE, f)
    assert how == expected[0] and (d == pytest.approx(expected[1], abs=0.2) if expected[1] is not None else d is None)


@pytest.mark.parametrize(
    ("lon", "lat", "acc", "at", "code"),
    [
        (float("inf"), 31.2, 5, T, "bad_fix"),
        (200.0, 31.2, 5, T, "bad_fix"),
        (121.4, 31.2, -1, T, "bad_fix"),
        (121.4, 31.2, 150, T, "inaccurate_fix"),
        (121.4, 31.2, 5, T + 61, "device_time_ahead"),
        (121.4, 31.2, 5, T - 1801, "device_time_old"),
    ],
)
def test_a_fix_that_is_not_a_usable_position_is_refused_with_its_reason(lon, lat, acc, at, code):
    with pytest.raises(Rejected) as refused:
        check_fix(P, lon, lat, acc, at, T)
    assert refused.value.code == code


def test_a_team_is_where_its_fix_is_until_the_fix_is_stale_then_at_its_base():
    f = Fix(121.5, 31.3, 10, T)
    assert where(121.4, 31.2, f, T + STALE_S) == (121.5, 31.3)
    assert where(121.4, 31.2, f, T + STALE_S + 1) == (121.4, 31.2)
    assert where(121.4, 31.2, None, T) == (121.4, 31.2)


def test_the_policy_file_sets_the_radius_and_refuses_unknown_or_non_positive_keys():
    assert SitePolicy.from_dict({"radius_m": 150}).radius_m == 150
    for bad in ({"radius": 150}, {"accuracy_m": 0}):
        with pytest.raises(ValueError):
            SitePolicy.from_dict(bad)
