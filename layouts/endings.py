"""Where the finished incidents ended (三源治理), from the server's figures: the share settled on the spot, the flows
out by where they went, and each of the three sources; the district's panel and a township's card draw the same."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import html

from domain.ledger import THREE_SOURCES
from domain.model import OUTCOMES
from i18n import name, t
from layouts.common import attrs
from layouts.scores import count, rate

OUT = tuple(o for o in OUTCOMES if o != "on_spot")  # where a flow out went, in the catalog's order


def endings(fig: Mapping[str, Any], lang: str) -> html.Div:
    """Return the on-spot share (settled of recorded), the flows out by where they went and the sources' parts."""
    return html.Div(
        [_share(fig, lang), _flows(fig, lang), _sources(fig["by_source"], lang)],
        className="om-endings",
    )


def _share(fig: Mapping[str, Any], lang: str) -> html.Div:
    """Return the share settled on the spot with its count of the outcomes recorded (the share's denominator)."""
    on_spot = fig["outcomes"]["on_spot"]
    recorded = fig["outcomes_recorded"]  # the share's denominator, the server's figure
    return html.Div(
        [
            html.B(rate(fig["on_spot_share"]), className="om-end-share"),
            html.Span(t("assess.end.on_spot_share", lang), className="om-end-caption"),
            html.Span(t("assess.end.of", lang, n=count(on_spot), of=count(recorded)), className="om-end-of"),
        ],
        className="om-end-tile om-end-spot",
    )


def _flows(fig: Mapping[str, Any], lang: str) -> html.Div:
    """Return the flows out, then how many went to each place (law enforcement, the courts, petitions, departments)."""
    outcomes = fig["outcomes"]
    lines = [
        html.Li(
            [
                html.Span(t(f"outcome.{o}", lang), className="om-end-name"),
                html.B(count(outcomes[o]), className="om-end-n" + ("" if outcomes[o] else " om-end-zero")),
            ],
            **attrs({"data-outcome": o}),
        )
        for o in OUT
    ]
    head = html.Div(
        [html.B(count(fig["flows_out"]), className="om-end-flows"), html.Span(t("assess.end.flows_out", lang))],
        className="om-end-out",
    )
    return html.Div([head, html.Ul(lines, className="om-end-where")], className="om-end-flow")


def _sources(by_source: Mapping[str, Any], lang: str) -> html.Table:
    """Return settled on the spot, flowed out and the share for 110, 12345 and the grid, one row each."""
    cols = ("source", "settled", "out", "share")
    head = html.Thead(html.Tr([html.Th(t(f"assess.end.col.{c}", lang)) for c in cols]))
    rows = [
        html.Tr(
            [
                html.Td(name("source", src, lang)),
                html.Td(count(by_source[src]["settled"])),
                html.Td(count(by_source[src]["out"])),
                html.Td(rate(by_source[src]["on_spot_share"])),
            ],
            **attrs({"data-source": src}),
        )
        for src in THREE_SOURCES
    ]
    return html.Table([head, html.Tbody(rows)], className="om-end-sources")
