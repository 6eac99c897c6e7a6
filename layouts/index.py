"""The index: links to the wall, the commander console and every township room."""

from __future__ import annotations

from dash import html

from application.services import Services
from i18n import t
from layouts.common import district_name, lang_link, with_lang


def layout(services: Services, lang: str, path: str) -> html.Div:
    """Return the home page."""
    default = services.settings.lang
    towns = sorted(services.district.townships.values(), key=lambda x: x.id)
    rooms = [
        html.A(
            [html.Span(x.id, className="om-tile-code"), x.name_en if lang == "en" else x.name_zh],
            href=with_lang(f"/township/{x.id}", lang, default),
            className="om-tile om-tile-small",
        )
        for x in towns
    ]
    return html.Div(
        className="om-page om-index",
        children=[
            html.Header(
                className="om-index-head",
                children=[
                    html.H1(f"{district_name(services, lang)} · {t('app.title', lang)}"),
                    html.P(t("app.subtitle", lang)),
                    lang_link(path, lang),
                    html.A(t("login.logout", lang), href="/logout", className="om-lang om-index-logout"),
                ],
            ),
            html.Div(
                className="om-tiles",
                children=[
                    html.A(
                        t("nav.wall", lang), href=with_lang("/wall", lang, default), className="om-tile om-tile-big"
                    ),
                    html.A(
                        t("nav.command", lang),
                        href=with_lang("/command", lang, default),
                        className="om-tile om-tile-big",
                    ),
                    html.A(
                        t("replay.open", lang),
                        href=with_lang("/replay", lang, default),
                        className="om-tile om-tile-big",
                    ),
                    html.A(
                        t("assess.open", lang),
                        href=with_lang("/assessment", lang, default),
                        className="om-tile om-tile-big",
                    ),
                ],
            ),
            html.H2(t("nav.townships", lang)),
            html.Div(rooms, className="om-tiles"),
        ],
    )


def not_found(path: str, lang: str, default: str) -> html.Div:
    """Return the page for an unknown path."""
    return html.Div(
        className="om-page om-message-page",
        children=[
            html.H1(t("page.not_found", lang, path=path)),
            html.A(t("nav.home", lang), href=with_lang("/", lang, default), className="om-btn"),
        ],
    )
