"""The console's broadcast form (一键指令 to many townships): kind, level, townships, message."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from application.services import Services
from domain.broadcast import KINDS
from i18n import t
from layouts import ids
from layouts.common import attrs, dialog, township_name


def level_options(lang: str) -> dict[str, list[dict[str, str]]]:
    """Return, per kind, the levels it may take as radio options."""
    return {
        kind: [{"label": t(f"level.{kind}.{lv}", lang), "value": lv} for lv in levels] for kind, levels in KINDS.items()
    }


def _field(label: str, control: Any) -> html.Div:
    return html.Div([html.Label(label, className="om-field-label"), control], className="om-field")


def form(services: Services, lang: str) -> html.Div:
    """Return the broadcast dialog; assets/console.js opens it and writes a fresh command id into BCAST_CMD."""
    first = next(iter(KINDS))
    levels = level_options(lang)
    towns = sorted(services.district.townships)
    body = [
        html.H2(t("bcast.new", lang), className="om-dialog-title"),
        dcc.Store(id=ids.BCAST_CMD),
        dcc.Store(id=ids.BCAST_LEVELS, data=levels),
        _field(
            t("bcast.kind", lang),
            dcc.RadioItems(
                id=ids.BCAST_KIND,
                value=first,
                className="om-chips",
                inline=True,
                options=[{"label": t(f"broadcast.{k}", lang), "value": k} for k in KINDS],
            ),
        ),
        _field(
            t("bcast.level", lang),
            dcc.RadioItems(
                id=ids.BCAST_LEVEL,
                value=levels[first][0]["value"],
                options=levels[first],
                className="om-chips",
                inline=True,
            ),
        ),
        _field(
            t("bcast.townships", lang),
            html.Div(
                [
                    dcc.RadioItems(
                        id=ids.BCAST_SCOPE,
                        value="all",
                        className="om-chips",
                        inline=True,
                        options=[
                            {"label": t("bcast.all", lang), "value": "all"},
                            {"label": t("bcast.some", lang), "value": "some"},
                        ],
                    ),
                    dcc.Checklist(
                        id=ids.BCAST_TOWNS,
                        value=[],
                        className="om-chips om-town-chips",
                        inline=True,
                        options=[{"label": township_name(services, x, lang), "value": x} for x in towns],
                    ),
                ],
                className="om-scope",
            ),
        ),
        _field(
            t("bcast.message", lang),
            dcc.Textarea(
                id=ids.BCAST_MSG,
                className="om-input om-textarea",
                maxLength=500,
                placeholder=t("bcast.message_ph", lang),
            ),
        ),
        html.Div(id=ids.BCAST_RESULT, className="om-result", role="status"),
        html.Div(
            className="om-dialog-actions",
            children=[
                html.Button(
                    t("bcast.close", lang),
                    id=ids.BCAST_CLOSE,
                    className="om-btn",
                    n_clicks=0,
                    **attrs({"data-close-dialog": ids.BCAST_DIALOG}),
                ),
                html.Button(t("bcast.send", lang), id=ids.BCAST_SEND, className="om-btn om-btn-primary", n_clicks=0),
            ],
        ),
    ]
    return dialog(ids.BCAST_DIALOG, body, "om-bcast-form")
