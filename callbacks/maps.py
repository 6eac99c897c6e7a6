"""What a layered map's clientside renderer reads and writes (assets/mapfeed.js render() returns them in order)."""
from __future__ import annotations

from dash import Input, Output, State

from layouts.maps import LayerIds


def layer_outputs(lids: LayerIds) -> list[Output]:
    """Return the outputs of mapfeed.render(): each layer's data, clustering, the shading and its legend."""
    return [Output(lids.incidents, "data"), Output(lids.incidents, "cluster"), Output(lids.incidents, "superClusterOptions"),
            Output(lids.stations, "data"), Output(lids.halls, "data"), Output(lids.teams, "data"),
            Output(lids.alerts, "data"), Output(lids.boundaries, "hideout"), Output(lids.legend, "children")]


def layer_inputs(lids: LayerIds) -> list[Input | State]:
    """Return the chosen township shading (the control's base layer) and the boundaries' hideout it extends."""
    return [Input(lids.control, "baseLayer"), State(lids.boundaries, "hideout")]
