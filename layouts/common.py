"""Pieces every page shares: language choice, the browser's catalog, the title bar."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from dash import html

from application.services import Services
from i18n import LANGS, catalog, error, t
from layouts import ids


def attrs(pairs: Mapping[str, str]) -> dict[str, Any]:
    """Return HTML attributes (data-*) as Dash takes them: keywords its typed signatures do not name."""
    return dict(pairs)


def lang_for(search: str | None, default: str) -> str:
    """Return the page's language: a `?lang=en` override, else the installation's default."""
    wanted = parse_qs((search or "").lstrip("?")).get("lang", [""])[0]
    return wanted if wanted in LANGS else (default if default in LANGS else "zh")


def browser_catalog(services: Services, lang: str) -> dict[str, Any]:
    """Return {lang, strings, utc_offset_h} for the browser: the catalog, this district's place names, its time zone."""
    d = services.district
    strings = catalog(lang)
    strings.update({f"township.{k}": (v.name_en if lang == "en" else v.name_zh) for k, v in d.townships.items()})
    strings["district.name"] = d.name_en if lang == "en" else d.name_zh
    return {"lang": lang, "strings": strings, "utc_offset_h": d.utc_offset_h}


def district_name(services: Services, lang: str) -> str:
    """Return the district's name in a language."""
    d = services.district
    return d.name_en if lang == "en" else d.name_zh


def township_name(services: Services, township_id: str | None, lang: str) -> str:
    """Return a township's name, or its id when unknown."""
    town = services.district.townships.get(township_id or "")
    return (town.name_en if lang == "en" else town.name_zh) if town else (township_id or "—")


def lang_link(path: str, lang: str) -> html.A:
    """Return the link that reloads this page in the other language."""
    other = "zh" if lang == "en" else "en"
    return html.A(t("nav.switch_lang", lang), href=f"{path}?lang={other}", className="om-lang")


def with_lang(href: str, lang: str, default: str) -> str:
    """Return a link that keeps a non-default language."""
    return href if lang == default else f"{href}?lang={lang}"


def live_badge() -> html.Span:
    """Return the live/stale badge; assets/sla.js fills it every second."""
    return html.Span(className="om-badge om-badge-connecting", **attrs({"data-live-badge": "1"}))


def clock() -> html.Span:
    """Return the server-corrected clock; assets/sla.js ticks it."""
    return html.Span(className="om-clock", **attrs({"data-clock": "1"}))


def title_bar(title: str, subtitle: str, lang: str, path: str, extra: list[Any] | None = None) -> html.Header:
    """Return a page's title bar: title, subtitle, clock, live badge, language switch."""
    return html.Header(
        className="om-titlebar",
        children=[
            html.Div(
                className="om-title-block",
                children=[html.H1(title, className="om-title"), html.Div(subtitle, className="om-subtitle")],
            ),
            html.Div(
                className="om-title-right", children=[*(extra or []), clock(), live_badge(), lang_link(path, lang)]
            ),
        ],
    )


def panel(title: str, body: Any, class_name: str = "", extra: Any = None) -> html.Section:
    """Return a titled panel."""
    head = html.Div(
        className="om-panel-head", children=[html.H2(title), extra] if extra is not None else [html.H2(title)]
    )
    return html.Section(
        className=f"om-panel {class_name}".strip(), children=[head, html.Div(body, className="om-panel-body")]
    )


def operator_tools() -> list[Any]:
    """Return the title-bar pieces of a working console: the signed-in user (filled by the server) and sound."""
    return [
        html.Button(id=ids.SOUND_BTN, className="om-sound", n_clicks=0, **attrs({"data-sound": "1"})),
        html.Div(id=ids.USER_BOX, className="om-user"),
    ]


def user_label(actor: Any, lang: str) -> list[Any]:
    """Return who is signed in, their role (and township) and the sign-out link."""
    if actor is None:
        return []
    role = t(f"role.{actor.role.value}", lang)
    where = f" · {actor.township}" if actor.township else ""
    return [
        html.Span(actor.name, className="om-user-name"),
        html.Span(f"{role}{where}", className="om-user-role"),
        html.A(t("login.logout", lang), href="/logout", className="om-logout"),
    ]


def dialog(dialog_id: str, body: Any, class_name: str = "") -> html.Div:
    """Return a modal dialog, hidden until a callback (or assets/ui.js) shows it."""
    return html.Div(
        id=dialog_id,
        hidden=True,
        className="om-dialog-backdrop",
        children=html.Div(body, className=f"om-dialog {class_name}".strip(), role="dialog"),
    )


def outcome_message(
    outcome: Any, ok_text: str, lang: str, duplicate_key: str = "cmd.duplicate", **data: str
) -> html.Div:
    """Return the message after a command: done, already done (a double click), or why it was refused."""
    if outcome.status == "rejected":
        return error_message(error(outcome.code, lang, **outcome.params), outcome.code)
    text = ok_text if outcome.status == "done" else t(duplicate_key, lang)
    return html.Div(text, className="om-msg om-msg-ok", **attrs({f"data-{k}": v for k, v in data.items()}))


def error_message(text: str, code: str = "") -> html.Div:
    """Return an error line (data-code: the refusal's stable code, when there is one)."""
    return html.Div(text, className="om-msg om-msg-error", **attrs({"data-code": code} if code else {}))


# The wall's views, one kiosk token for all, linked to each other in the title bar: (path, label key).
WALL_VIEWS = (
    ("/wall", "analytics.view_wall"),
    ("/wall/analytics", "analytics.view_analytics"),
    ("/wall/situation", "analytics.view_situation"),
)


def views_nav(lang: str, default_lang: str, path: str) -> html.Nav:
    """Return the discreet links between the wall's views (the current one marked)."""
    return html.Nav(
        className="om-views",
        children=[
            html.A(
                t(key, lang),
                href=with_lang(href, lang, default_lang),
                className="om-view om-view-on" if href == path else "om-view",
            )
            for href, key in WALL_VIEWS
        ],
    )
