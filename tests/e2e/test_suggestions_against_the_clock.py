"""The console's suggested teams, each against the on-site target: fits or too far by how much; a notice when none fits."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from domain.dispatch import Suggestion
from domain.sla import SlaPolicy
from layouts import incident as view
from tests.conftest import T0
from tests.unit.helpers import with_incident

ON_SITE_S = 600  # the default on-site target: 10 minutes


def _texts(component: Any) -> list[str]:
    """Return every string in a Dash component tree, depth first."""
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    if children is None:
        return []
    return [s for c in (children if isinstance(children, list) else [children]) for s in _texts(c)]


def _classes(component: Any) -> list[str]:
    children = getattr(component, "children", None)
    own = [getattr(component, "className", None) or ""]
    return own + [
        c
        for ch in (children if isinstance(children, list) else [children] if children is not None else [])
        for c in _classes(ch)
    ]


def _section(district: Any, etas: list[float]) -> Any:
    state, iid = with_incident(district, T0)
    services = SimpleNamespace(district=district, settings=SimpleNamespace(sla_policy=SlaPolicy()))
    teams = [t for t in district.teams.values() if t.township == "T01"]
    found = [Suggestion(teams[i], eta * 8.33, eta, True, True, eta <= ON_SITE_S) for i, eta in enumerate(etas)]
    return view.detail(services, state.incidents[iid], found, "zh")


def test_each_team_shows_whether_it_can_be_on_site_in_time(district: Any) -> None:
    texts = " ".join(_texts(_section(district, [300, 1200])))
    assert "可按时到场" in texts and "超出10分钟" in texts
    assert "无可按时到场的队伍" not in texts


def test_when_no_team_fits_the_console_says_so_and_still_offers_the_nearest(district: Any) -> None:
    detail = _section(district, [840, 1020, 1200])
    texts = " ".join(_texts(detail))
    assert "无可按时到场的队伍（到场时限10分钟）" in texts
    assert "超出4分钟" in texts and "超出7分钟" in texts
    assert "om-none-fits" in _classes(detail) and _classes(detail).count("om-suggestion om-sugg-far") == 3
