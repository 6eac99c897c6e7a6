"""What a team member's phone shows: its team's open order with the clock running now, and how to get there."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from domain import positions, sla
from domain.access import is_teams
from domain.catalog import category_names
from domain.model import TEAM_STEPS, Actor, Incident, Stage
from domain.positions import SitePolicy
from domain.state import State
from geo.coords import gcj02_to_bd09, wgs84_to_gcj02


def team_view(state: State, actor: Actor, site: SitePolicy, now: float) -> dict[str, Any]:
    """Return the team's page model: the team, its newest fix, its open order(s) and the server's time."""
    team = state.district.teams[actor.team or ""]
    fix = state.team_fix.get(team.id)
    busy = state.team_busy.get(team.id)
    inc = state.incidents.get(busy) if busy else None
    orders = [_order(inc, fix, team.lon, team.lat, now)] if inc and _open_for_team(actor, inc) else []
    return {
        "now": now,
        "utc_offset_h": state.district.utc_offset_h,  # the page writes times of day in the district's time
        "team": {"id": team.id, "name_zh": team.name_zh, "name_en": team.name_en, "township": team.township},
        "fix": None if fix is None else {"lon": fix.lon, "lat": fix.lat, "accuracy_m": fix.accuracy_m, "at": fix.at},
        "stale_at": None if fix is None else fix.at + positions.STALE_S,
        "orders": orders,
        "policy": {
            "radius_m": site.radius_m,
            "accuracy_m": site.accuracy_m,
            "every_s": site.track_every_s,
            "moved_m": site.track_moved_m,
            "late_s": site.late_s,
        },
    }


def _open_for_team(actor: Actor, inc: Incident) -> bool:
    """Tell whether the incident is the team's own and still needs the team (not yet resolved)."""
    return is_teams(actor, inc) and inc.is_open and inc.stage is not Stage.RESOLVED


def _order(inc: Incident, fix: Any, base_lon: float, base_lat: float, now: float) -> dict[str, Any]:
    """Return one order as the phone shows it: what, where, the running clock, the steps and the map links."""
    order = inc.order
    assert order is not None
    cat_zh, cat_en = category_names(inc.category)
    lon, lat = positions.where(base_lon, base_lat, fix, now)
    clock = sla.running_clock(inc)
    nxt = order.next_step()
    return {
        "incident_id": inc.id,
        "order_id": order.id,
        "category": inc.category,
        "category_zh": cat_zh,
        "category_en": cat_en,
        "priority": inc.priority,
        "summary": inc.summary,
        "address": inc.address,
        "lon": inc.lon,
        "lat": inc.lat,
        "stage": inc.stage.value,
        "status": sla.status(inc, now),
        "issued_at": order.issued_at,
        "deadlines": dict(order.deadlines),
        "done": dict(order.done),
        "late": list(order.late),
        "next_step": nxt,
        "team_step": nxt if nxt in TEAM_STEPS else None,  # the button the team may press now
        "proof": order.proof,
        "proof_m": order.proof_m,
        "clock": None
        if clock is None
        else {"name": clock.name, "since": clock.since, "warn_at": clock.warn_at, "due": clock.due},
        "distance_m": round(positions.distance_m(lon, lat, inc.lon, inc.lat)),
        "distance_from": "fix" if (lon, lat) != (base_lon, base_lat) else "base",
        "nav": nav_links(inc.lon, inc.lat, inc.address or inc.summary),
    }


def nav_links(lon: float, lat: float, name: str) -> dict[str, str]:
    """Return links that open the phone's map app at a WGS-84 point, in each app's own datum: AMap and Tencent take
    GCJ-02, Baidu BD-09 (geo/coords.py); a link in the wrong datum lands a few hundred metres off in China."""
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    b_lon, b_lat = gcj02_to_bd09(g_lon, g_lat)
    label = quote(name[:40] or "OneMap")
    return {
        "amap": f"https://uri.amap.com/marker?position={g_lon:.6f},{g_lat:.6f}&name={label}&coordinate=gaode"
        "&callnative=1&src=onemap",
        "baidu": f"https://api.map.baidu.com/marker?location={b_lat:.6f},{b_lon:.6f}&title={label}&content={label}"
        "&coord_type=bd09ll&output=html&src=onemap",
        "tencent": f"https://apis.map.qq.com/uri/v1/marker?marker=coord:{g_lat:.6f},{g_lon:.6f};title:{label}"
        "&referer=onemap",
    }
