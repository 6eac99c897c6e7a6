"""The replay view: the wall as it stood at a moment (`/replay?at=`, `/wall?at=`), with a bar to pick and play it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs

from dash import dcc, html

from i18n import t
from layouts import ids, wall
from web.api.reports import parse_moment

SPEEDS = (1, 10, 30, 60)


def moment_of(services: Any, search: str | None) -> float:
    """Return the moment a link asks for (?at= Unix seconds or ISO 8601), now when absent or unreadable."""
    raw = parse_qs((search or "").lstrip("?")).get("at", [""])[0]
    now = services.clock()
    try:
        return min(parse_moment(raw, services.settings.utc_offset_h), now) if raw else now
    except ValueError:
        return now


def layout(services: Any, lang: str, path: str, search: str | None) -> html.Div:
    """Return the wall, marked as a replay and read-only, under the replay bar set to the asked moment."""
    offset = services.settings.utc_offset_h
    at = moment_of(services, search)
    local = datetime.fromtimestamp(at, timezone(timedelta(hours=offset)))
    second = local.hour * 3600 + local.minute * 60 + local.second
    bar = html.Div(className="om-replay-bar", children=[
        html.Span(t("replay.read_only", lang), className="om-replay-tag"),
        html.Label([t("replay.day", lang), " ", dcc.Input(id=ids.REPLAY_DAY, type="date", value=local.date().isoformat(),
                                                          debounce=True, className="om-replay-date")]),
        html.Span(local.strftime("%H:%M:%S"), id=ids.REPLAY_TIME, className="om-replay-time"),
        html.Button(t("replay.play", lang), id=ids.REPLAY_PLAY, n_clicks=0),
        dcc.RadioItems(id=ids.REPLAY_SPEED, options=[{"label": f"{s}×", "value": s} for s in SPEEDS], value=SPEEDS[-1],
                       inline=True, className="om-replay-speed"),
        html.Div(dcc.Slider(id=ids.REPLAY_SLIDER, min=0, max=86399, step=1, value=second,
                            marks={h * 3600: f"{h:02d}:00" for h in range(0, 24, 3)}, allow_direct_input=False,
                            updatemode="mouseup"), className="om-replay-slider"),
        html.A(t("replay.link", lang), id=ids.REPLAY_LINK, href=f"{path}?at={int(at)}"),
        html.A(t("replay.live", lang), href=path if path != "/replay" else "/wall"),
        dcc.Store(id=ids.REPLAY_CFG, data={"utc_offset_h": offset, "now": services.clock(), "at": at}),
        dcc.Store(id=ids.REPLAY_AT), dcc.Store(id=ids.REPLAY_SNAP), dcc.Store(id=ids.REPLAY_SHOWN),
        dcc.Interval(id=ids.REPLAY_CLOCK, interval=1000, disabled=True),
    ])
    incident = parse_qs((search or "").lstrip("?")).get("incident", [""])[0][:60]
    bar.children.append(dcc.Store(id=ids.REPLAY_INCIDENT, data=incident or None))
    steps = html.Div(className="om-replay-timeline" + ("" if incident else " om-hidden"), children=[
        html.Span(t("replay.timeline", lang, incident=incident), className="om-replay-tag"),
        html.Div(id=ids.REPLAY_TIMELINE, className="om-replay-steps")])
    page = wall.layout(services, lang, path)
    page.children = [bar, steps, *page.children] if incident else [bar, *page.children]
    page.className = f"{page.className} om-replaying"
    return page


def wanted(path: str, search: str | None) -> bool:
    """Tell whether a location asks for a replay: /replay, or the wall with ?at=."""
    return path == "/replay" or (path == "/wall" and "at" in parse_qs((search or "").lstrip("?")))
