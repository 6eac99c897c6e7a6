"""The flood-and-security wall screen (/wall/situation): flood response, security posture, every service hall."""

from __future__ import annotations

from dash import html

from application.services import Services
from i18n import t
from layouts import ids
from layouts.common import district_name, panel, title_bar, views_nav


def layout(services: Services, lang: str, path: str) -> html.Div:
    """Return the page; every figure and list on it is rendered clientside (assets/situation.js) from the live state."""
    title = t("sit.title", lang, district=district_name(services, lang))
    head = title_bar(
        title,
        f"{t('app.title', lang)} · {t('sit.subtitle', lang)}",
        lang,
        path,
        extra=[views_nav(lang, services.settings.lang, path)],
    )
    flood = html.Section(
        className="om-sit-col om-sit-flood",
        children=[
            panel(t("sit.response", lang), html.Div(id=ids.SIT_RESPONSE, className="om-sit-response")),
            panel(t("sit.flood", lang), html.Div(id=ids.SIT_FLOOD, className="om-sit-stations"), "om-grow"),
        ],
    )
    security = html.Section(
        className="om-sit-col om-sit-security",
        children=[
            panel(t("sit.posture", lang), html.Div(id=ids.SIT_POSTURE, className="om-sit-posture")),
            panel(
                t("sit.events", lang),
                html.Div(id=ids.SIT_EVENTS, className="om-sit-events"),
                "om-grow",
                extra=html.Span(id=ids.SIT_EVENTS_COUNT, className="om-panel-count"),
            ),
        ],
    )
    halls = html.Section(
        className="om-sit-col om-sit-halls",
        children=[
            panel(
                t("halls.title", lang),
                html.Div(id=ids.SIT_HALLS, className="om-halls om-halls-full"),
                "om-grow",
                extra=html.Span(id=ids.SIT_HALLS_COUNT, className="om-panel-count"),
            ),
        ],
    )
    return html.Div(
        className="om-sit", children=[head, html.Div(className="om-sit-main", children=[flood, security, halls])]
    )
