"""The replay's incident timeline as the page shows it: the step list and the map layer's features (server data in)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html

from i18n import t
from layouts.common import attrs

CLOCK_WORDS = {
    "dispatch": "step.dispatch",
    "sign": "step.sign",
    "respond": "step.respond",
    "route": "step.route",
    "on_site": "step.on_site",
}


SENT_LATE_S = 30.0  # a step pressed on a phone this long before the server took it was kept offline


def _mmss(seconds: float) -> str:
    return f"{int(seconds) // 60:02d}:{int(seconds) % 60:02d}"  # as sla.js writes a span


def _names(district: Any, lang: str, team_id: str, township: str | None) -> str:
    """Return who the step went to: the team, or its township while the room has not named one."""
    team, town = district.teams.get(team_id), district.townships.get(township or "")
    if team is not None:
        return team.name_en if lang == "en" else team.name_zh
    return (town.name_en if lang == "en" else town.name_zh) if town is not None else ""


def what(step: dict[str, Any], lang: str) -> str:
    """Return a step's words: its kind, and the clock it breached or escalated."""
    clock = t(CLOCK_WORDS.get(step["clock"] or "", "step.dispatch"), lang)
    return t(f"tl.{step['kind']}", lang, clock=clock)


def verdict(step: dict[str, Any], lang: str) -> str:
    """Return how the step stood against its clock: late by how much, on time, or nothing when it has no clock."""
    if step["late"]:
        return t("tl.late", lang, late=_mmss(step["lateness_s"] or 0)) if step["lateness_s"] else t("fig.late", lang)
    return t("tl.on_time", lang) if step["clock"] else ""


def proof_text(proof: str, distance_m: float | None, lang: str) -> str:
    """Return how an on-site step was proven, with the phone's distance from the site when it sent one."""
    if not proof:
        return ""
    far = t("proof.distance", lang, m=round(distance_m)) if distance_m is not None else ""
    return " · ".join(x for x in (t(f"proof.{proof}", lang), far) if x)


def evidence(photos: Sequence[str], lang: str) -> html.Span | str:
    """Return a step's photos as thumbnails linking to the whole photo (served to whoever may read the incident)."""
    if not photos:
        return ""
    return html.Span(
        [
            html.A(
                html.Img(src=f"/evidence/{p}?size=thumb", alt=t("team.photos", lang)),
                href=f"/evidence/{p}",
                target="_blank",
            )
            for p in photos
        ],
        className="om-evidence",
    )


def _extras(s: dict[str, Any], lang: str) -> list[Any]:
    """Return what a team's step carries: its proof, that it was sent late from a phone offline, its photos."""
    out: list[Any] = []
    if s["kind"] == "on_site":
        out.append(
            html.Span(proof_text(s["proof"], s["distance_m"], lang), className=f"om-proof om-proof-{s['proof']}")
        )
    if s["device_at"] and s["at"] - s["device_at"] > SENT_LATE_S:
        out.append(html.Span(t("tl.sent_late", lang, time=s["device_local"]), className="om-tl-sent-late"))
    out.append(evidence(s["photos"], lang))
    return out


def step_list(timeline: dict[str, Any], district: Any, lang: str) -> list[html.A]:
    """Return the steps as links to their moments, numbered as on the map, late ones marked."""
    rows = []
    for s in timeline["steps"]:
        who = _names(district, lang, s["team_id"], s["township"]) if s["order_id"] else ""
        late = verdict(s, lang)
        rows.append(
            html.A(
                [
                    html.Span(str(s["n"]), className="om-tl-n"),
                    html.B(s["local"]),
                    " ",
                    what(s, lang),
                    f" → {who}" if s["kind"] == "ordered" and who else "",
                    html.Span(late, className="om-tl-verdict") if late else "",
                    *_extras(s, lang),
                ],
                href=f"/replay?at={s['at']!r}&incident={timeline['incident']}",
                className="om-replay-step" + (" om-tl-late" if s["late"] else ""),
                **attrs({"data-moment": str(s["at"]), "data-n": str(s["n"]), "data-late": "1" if s["late"] else "0"}),
            )
        )
    return rows


def _point(at: Sequence[float], props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(at)}, "properties": props}


def features(timeline: dict[str, Any], district: Any, lang: str) -> dict[str, Any]:
    """Return the map layer: each order's track (base to site), the site, and each step at its place, numbered."""
    out: list[dict[str, Any]] = []
    for i, tr in enumerate(timeline["tracks"]):
        who = _names(district, lang, tr["team_id"], tr["township"])
        out.append(
            {
                "type": "Feature",
                # the phone's fixes when it sent them; else a straight line from its base
                "geometry": {"type": "LineString", "coordinates": [tr["start"], *tr["path"], tr["site"]]},
                "properties": {
                    "kind": "track",
                    "i": i,
                    "order_id": tr["order_id"],
                    "reached": tr["on_site_at"] is not None,
                    "ended": tr["ended_at"] is not None,
                    "late": bool(tr["breached"]),
                    "tracked": bool(tr["path"]),
                    "label": who,
                },
            }
        )
        label = t("tl.base", lang, team=who) if tr["team_id"] else t("tl.seat", lang, township=who)
        out.append(_point(tr["start"], {"kind": "base", "i": i, "label": label}))
    placed: dict[tuple[float, float], int] = {}  # steps at one place are fanned out beside each other
    for s in timeline["steps"]:
        spot = (s["lon"], s["lat"])
        placed[spot] = placed.get(spot, 0) + 1
        out.append(
            _point(
                spot,
                {
                    "kind": "step",
                    "n": s["n"],
                    "at": s["at"],
                    "late": s["late"],
                    "slot": placed[spot] - 1,
                    "label": " ".join(x for x in (s["local"], what(s, lang), verdict(s, lang)) if x),
                },
            )
        )
    for f in out:
        if f["properties"]["kind"] == "step":
            f["properties"]["of"] = placed[tuple(f["geometry"]["coordinates"])]
    site = {"kind": "site", "incident": timeline["incident"], "label": f"{t('tl.site', lang)} · {timeline['address']}"}
    out.append(_point(timeline["site"], site))  # last: assets/timeline.js fits the map when it is drawn
    return {"type": "FeatureCollection", "features": out}
