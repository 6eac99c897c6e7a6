"""The commander console: the queue, call-backs, the selected incident, overdue alerts, the map, broadcasts."""

from __future__ import annotations

from dash import dcc, html

from application.services import Services
from i18n import t
from layouts import broadcast, ids
from layouts.common import attrs, district_name, operator_tools, panel, title_bar, with_lang
from layouts.incident import select_hint
from layouts.maps import district_map
from layouts.recurring import recurring_panel

KEYS = (("J/K ↑↓", "key.move"), ("Enter", "key.issue"), ("R", "key.room"), ("B", "key.broadcast"), ("Esc", "key.clear"))


def _keys_legend(lang: str) -> html.Div:
    """Return the keyboard legend (assets/console.js handles the keys)."""
    items = [html.Span([html.Kbd(k), t(label, lang)], className="om-key") for k, label in KEYS]
    return html.Div([html.Span(t("cmd.keys", lang), className="om-keys-title"), *items], className="om-keys")


def layout(services: Services, lang: str, path: str) -> html.Div:
    """Return the console page; lists are rendered clientside from the live state, the detail by the server."""
    head = title_bar(
        t("nav.command", lang),
        f"{district_name(services, lang)} · {t('app.title', lang)}",
        lang,
        path,
        extra=[
            html.A(t("replay.open", lang), href="/replay", className="om-lang om-replay-open"),
            html.A(
                t("assess.open", lang), href=with_lang("/assessment", lang, services.settings.lang), className="om-lang"
            ),
            *operator_tools(),
        ],
    )
    count = lambda i: html.Span(id=i, className="om-panel-count")
    queue = panel(
        t("cmd.queue", lang),
        html.Div(id=ids.CMD_QUEUE, className="om-queue"),
        "om-queue-panel",
        extra=count(ids.CMD_QUEUE_COUNT),
    )
    callbacks = panel(
        t("cmd.callbacks", lang),
        html.Div(id=ids.CMD_CALLBACKS, className="om-callbacks"),
        "om-callbacks-panel",
        extra=count(ids.CMD_CALLBACKS_COUNT),
    )
    detail = panel(
        t("cmd.detail", lang),
        [
            html.Div(id=ids.CMD_RESULT, className="om-result", role="status"),
            html.Div(select_hint(lang), id=ids.CMD_DETAIL),
        ],
        "om-grow",
    )
    warnings = panel(
        t("warn.title", lang),
        html.Div(id=ids.CMD_WARNINGS, className="om-warnings"),
        "om-warn-panel",
        extra=html.Span(id=ids.CMD_WARN_COUNT, className="om-panel-count om-warn-count"),
    )
    recurring = recurring_panel(services, lang, ids.CMD_RECURRING, ids.CMD_RECUR_COUNT, "om-recur-console")
    alerts = panel(
        t("cmd.alerts", lang),
        html.Div(id=ids.CMD_ALERTS, className="om-alerts"),
        "om-alerts-panel",
        extra=count(ids.CMD_ALERTS_COUNT),
    )
    the_map = panel(
        t("cmd.map", lang),
        district_map(
            services,
            ids.CMD_MAP,
            ids.CMD_BOUNDARIES,
            ids.CMD_INCIDENTS,
            lang,
            interactive=True,
            rings=ids.CMD_RECUR_MAP,
        ),
        "om-map-panel",
    )
    board = panel(
        t("bcast.board", lang),
        html.Div(id=ids.CMD_BOARD, className="om-board"),
        "om-board-panel",
        extra=html.Button(
            t("bcast.new", lang),
            id=ids.BCAST_OPEN,
            className="om-btn om-btn-small",
            n_clicks=0,
            **attrs({"data-open-broadcast": "1"}),
        ),
    )
    return html.Div(
        className="om-console",
        children=[
            head,
            dcc.Store(id=ids.CMD_SELECTED),
            dcc.Store(id=ids.CMD_DONE, data=0),
            dcc.Store(id=ids.CMD_SIG),
            dcc.Store(id=ids.CMD_FEEDBACK),
            dcc.Store(id=ids.CMD_CLOSE),  # the call-back rows' clicks (assets/keyed.js)
            dcc.Store(id=ids.CMD_WARN_ACK),  # an early warning's acknowledge button (assets/warnings.js)
            html.Div(
                className="om-console-main",
                children=[
                    html.Div([queue, callbacks, _keys_legend(lang)], className="om-col om-col-queue"),
                    html.Div([detail, recurring], className="om-col om-col-detail"),
                    html.Div([warnings, alerts, the_map, board], className="om-col om-col-map"),
                ],
            ),
            broadcast.form(services, lang),
        ],
    )
