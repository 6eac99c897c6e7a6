"""The clientside renderers and Dash agree on outputs by name (assets/outputs.js, callbacks/live.py), not position."""

from __future__ import annotations

import json
from typing import Any

import pytest

from callbacks import live
from tests.support import node_require, run_node


def _in_order(names: list[str], values: dict[str, Any]) -> Any:
    script = (
        f"try {{ console.log(JSON.stringify(outputs.inOrder({json.dumps(names)}, {json.dumps(values)}))); }}"
        " catch (e) { console.log(JSON.stringify({error: e.message})); }"
    )
    return run_node(node_require("outputs", "outputs.js"), script, "the clientside outputs' adapter")


def test_a_renderers_values_land_on_the_outputs_of_their_names_whatever_order_it_writes_them_in() -> None:
    assert _in_order(["kpis", "urgent", "legend"], {"legend": "L", "kpis": "K", "urgent": "U"}) == ["K", "U", "L"]


def test_a_renderer_that_forgets_an_output_or_returns_an_unknown_one_fails_naming_them() -> None:
    got = _in_order(["kpis", "urgent"], {"kpis": "K", "urgnet": "U"})
    assert "missing [urgent]" in got["error"] and "unknown [urgnet]" in got["error"]


def test_the_walls_callback_lists_its_fourteen_outputs_by_name_in_dashs_order() -> None:
    names = list(live.WALL_OUTPUTS)
    assert len(names) == 14 and names[:2] == ["kpis", "urgent"] and names[-1] == "legend"
    body = live.by_name("live", "", "window.onemap.wall.render()", live.WALL_OUTPUTS)
    assert json.dumps(names) in body


def test_two_renderers_drawn_by_one_callback_may_not_share_an_output_name() -> None:
    with pytest.raises(ValueError, match="halls"):
        live.merged(live.outputs({"halls": ("a", "children")}), live.outputs({"halls": ("b", "data")}))
