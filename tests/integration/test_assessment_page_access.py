"""The assessment page's door and its three server callbacks, asked as every role: the district's ranking for the
center and its leaders, a township's card and the trend for them and for that township's own operator (its own line
only), nothing for anyone else."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.integration.world import World, build_world, refused

DISTRICT = ("commander", "duty_leader", "admin")
STRANGERS = ("anonymous", "wall", "team", "system")
RANKING, CARD, TREND = "assess-kind", "assess-row", "assess-day"  # each callback by its first input (docs/api.md)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("assessment-access"))


def _key(world: World, first: str) -> str:
    """Return the callback_map key of the server callback whose first input is `first` (a pattern by its type)."""
    for key, cb in world.onemap.dash.callback_map.items():
        ident = cb["inputs"][0]["id"]
        if "callback" in cb and (json.loads(ident)["type"] if ident.startswith("{") else ident) == first:
            return key
    raise AssertionError(f"no server callback on {first}")


def _dep(ident: str, prop: str, value: Any) -> dict[str, Any]:
    return {"id": ident, "property": prop, "value": value}


def ask(world: World, role: str, first: str, clicked: str | None = None, picked: Any = None, **period: Any) -> Any:
    """Send one of the page's callbacks as the browser does: a row clicked (or the period changed), a card kept open."""
    key = _key(world, first)
    outputs = [dict(zip(("id", "property"), o.split(".", 1))) for o in key.strip(".").split("...")]
    kind, day = _dep("assess-kind", "value", period.get("kind")), _dep("assess-day", "value", period.get("day"))
    i18n = _dep("om-i18n", "data", {"lang": "en"})
    changed = ["assess-kind.value"]
    if first == RANKING:
        inputs, state = [kind, day], [i18n]
    elif first == TREND:
        inputs, state, changed = [day, kind], [i18n], ["assess-day.value"]
    else:
        row = {"township": clicked or "T01", "type": CARD}
        inputs = [[_dep(row, "n_clicks", 1 if clicked else 0)], kind, day]  # type: ignore[arg-type]
        state = [_dep("assess-pick", "data", picked), i18n]
        changed = [json.dumps(row, sort_keys=True, separators=(",", ":")) + ".n_clicks"] if clicked else changed
    shaped = outputs if key.startswith("..") else outputs[0]  # one output: Dash sends it alone, not in a list
    body = {"output": key, "outputs": shaped, "inputs": inputs, "state": state, "changedPropIds": changed}
    return world.client(role).post("/_dash-update-component", json=body, headers=world.headers(role))


def _says(answer: Any, attribute: str, value: str) -> bool:
    """Tell whether an answer's components carry a data-* attribute of that value (a row's, a card's township)."""
    return re.search(rf'"data-{attribute}":\s*"{re.escape(value)}"', answer.get_data(as_text=True)) is not None


@pytest.mark.parametrize("role", STRANGERS + ("township",))
def test_the_district_ranking_is_refused_to_a_township_a_wall_a_team_member_a_system_and_a_stranger(world, role):
    assert refused(ask(world, role, RANKING))


@pytest.mark.parametrize("role", DISTRICT)
def test_the_district_ranking_answers_the_center_and_its_leaders_with_every_township(world, role):
    answer = ask(world, role, RANKING, kind="month", day="2026-11-15")
    assert answer.status_code == 200 and not refused(answer)
    assert all(_says(answer, "township", f"T{n:02d}") for n in range(1, 12))
    assert all(_says(answer, "source", src) for src in ("110", "12345", "grid"))  # where the district's ended


@pytest.mark.parametrize("role", STRANGERS)
@pytest.mark.parametrize("township", ["T01", "T02"])
def test_a_card_is_refused_to_a_wall_a_team_member_a_system_and_a_stranger(world, role, township):
    assert refused(ask(world, role, CARD, clicked=township))


def test_a_township_is_refused_another_townships_card_whether_clicked_or_kept_open(world):
    assert "out_of_scope" in ask(world, "township", CARD, clicked="T02").get_data(as_text=True)
    assert "out_of_scope" in ask(world, "township", CARD, picked="T02").get_data(as_text=True)
    assert "out_of_scope" in ask(world, "township", CARD, picked="T99").get_data(as_text=True)  # unknown: the same


def test_a_township_gets_its_own_card_and_nothing_of_another_township(world):
    for answer in (ask(world, "township", CARD), ask(world, "township", CARD, clicked="T01")):
        assert answer.status_code == 200 and not refused(answer)
        assert _says(answer, "township", "T01")
        assert "T02" not in answer.get_data(as_text=True)


@pytest.mark.parametrize("role", DISTRICT)
def test_the_center_opens_any_townships_card(world, role):
    answer = ask(world, role, CARD, clicked="T02")
    assert not refused(answer) and _says(answer, "township", "T02")


@pytest.mark.parametrize("role", STRANGERS)
def test_the_trend_is_refused_to_a_wall_a_team_member_a_system_and_a_stranger(world, role):
    assert refused(ask(world, role, TREND, kind="month", day="2026-11-15"))


@pytest.mark.parametrize("role", DISTRICT)
def test_the_trend_answers_the_center_with_every_townships_line_and_the_districts_score_and_on_spot_share(world, role):
    answer = ask(world, role, TREND, kind="month", day="2026-11-15")
    assert answer.status_code == 200 and not refused(answer)
    assert all(_says(answer, "township", f"T{n:02d}") for n in range(1, 12))
    assert _says(answer, "row", "score") and _says(answer, "row", "on_spot_share") and _says(answer, "count", "12")


@pytest.mark.parametrize("kind", ["week", "month", "quarter", "year"])
def test_a_township_gets_its_own_line_of_the_trend_and_the_districts_and_no_other_townships_score(world, kind):
    answer = ask(world, "township", TREND, kind=kind)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and not refused(answer)
    assert set(re.findall(r'"data-township":\s*"(\w+)"', text)) == {"T01"} and _says(answer, "row", "on_spot_share")
    others = [t for tid, t in world.services.district.townships.items() if tid != "T01"]
    assert not [t.name_en for t in others if t.name_en in text] and not re.search(r"\bT(0[2-9]|1[01])\b", text)


@pytest.mark.parametrize(
    ("asked", "code"),
    [
        ({"picked": "T99"}, "unknown_township"),
        ({"kind": "decade"}, "bad_request"),
        ({"day": "2026-13-45"}, "bad_request"),
        ({"day": "1999-12-31"}, "bad_request"),
    ],
)
def test_an_unknown_township_or_a_bad_period_is_answered_in_words_never_a_500(world, asked, code):
    for first in (RANKING, CARD, TREND):
        answer = ask(world, "commander", first, **asked)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        if first == CARD or "picked" not in asked:
            assert _says(answer, "code", code)


@pytest.mark.parametrize(
    ("role", "where"),
    [("commander", None), ("duty_leader", None), ("admin", None), ("township", None)]
    + [("wall", "/wall"), ("team", "/team"), ("anonymous", "/login"), ("system", "/login")],
)
def test_the_page_opens_for_the_center_and_a_township_and_sends_anyone_else_to_their_own_page(world, role, where):
    answer = world.client(role).get("/assessment?period=month&day=2026-11-15", headers=world.headers(role))
    if where is None:
        assert answer.status_code == 200
    else:
        assert answer.status_code == 302 and answer.headers["Location"].startswith(where)
