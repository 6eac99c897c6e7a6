"""What a layered map's clientside renderer reads and writes (assets/mapfeed.js render() returns them by name)."""

from __future__ import annotations

from dash import Input, Output, State

from layouts.maps import LayerIds


def layer_outputs(lids: LayerIds) -> dict[str, Output]:
    """Return the outputs of mapfeed.render() by name: the layers Dash draws, the shading and its legend.

    The incidents and teams are not among them: assets/pointlayer.js draws them in place, as their deltas arrive.
    """
    return {
        "stations": Output(lids.stations, "data"),
        "halls": Output(lids.halls, "data"),
        "alerts": Output(lids.alerts, "data"),
        "recurring": Output(lids.recurring, "data"),
        "shading": Output(lids.boundaries, "hideout"),
        "legend": Output(lids.legend, "children"),
    }


def layer_inputs(lids: LayerIds) -> list[Input | State]:
    """Return the chosen township shading (the control's base layer) and the boundaries' hideout it extends."""
    return [Input(lids.control, "baseLayer"), State(lids.boundaries, "hideout")]
