"""The district's fixed vocabulary: sources, team kinds and the 22 incident categories."""
from __future__ import annotations

from dataclasses import dataclass

SOURCES: dict[str, tuple[str, str]] = {
    "110": ("110非警务警情分流", "110 non-police diversion"),
    "12345": ("12345政务服务热线", "12345 citizen hotline"),
    "grid": ("基层智治网格", "Grid platform"),
    "open311": ("Open311 诉求", "Open311 request"),
    "cap": ("预警信息", "CAP alert"),
    "hydrology": ("水文监测", "Hydrology"),
    "security": ("重点时段安保", "Key-period security"),
    "hall": ("便民服务中心", "Service hall"),
}

TEAM_KINDS: dict[str, tuple[str, str]] = {
    "comprehensive": ("综合服务队", "Comprehensive team"),
    "municipal": ("城管执法队", "Urban management team"),
    "mediation": ("矛盾调解队", "Mediation team"),
    "traffic": ("交通协管队", "Traffic team"),
    "water": ("水务抢险队", "Water emergency team"),
    "greening": ("绿化养护队", "Greening team"),
    "sanitation": ("环卫保洁队", "Sanitation team"),
    "utility": ("市政公用队", "Utilities team"),
    "emergency": ("应急救援队", "Emergency rescue team"),
}


@dataclass(frozen=True)
class Category:
    """One incident category: code, names, default priority (1 urgent .. 3 routine), team kind."""

    code: str
    name_zh: str
    name_en: str
    priority: int
    team_kind: str


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category("noise", "噪声扰民", "Noise nuisance", 3, "municipal"),
        Category("neighbour_dispute", "邻里纠纷", "Neighbour dispute", 2, "mediation"),
        Category("illegal_parking", "违章停车", "Illegal parking", 3, "traffic"),
        Category("road_occupation", "占道经营", "Street vending on the road", 3, "municipal"),
        Category("road_obstruction", "道路障碍", "Road obstruction", 2, "traffic"),
        Category("waterlogging", "道路积水", "Waterlogging", 1, "water"),
        Category("fallen_tree", "树木倒伏", "Fallen tree", 2, "greening"),
        Category("garbage", "垃圾堆放", "Garbage dumping", 3, "sanitation"),
        Category("water_outage", "停水", "Water outage", 2, "utility"),
        Category("power_outage", "停电", "Power outage", 2, "utility"),
        Category("gas_leak", "燃气泄漏", "Gas leak", 1, "emergency"),
        Category("manhole_cover", "井盖缺失", "Missing manhole cover", 1, "utility"),
        Category("streetlight", "路灯故障", "Streetlight failure", 3, "utility"),
        Category("illegal_construction", "违法搭建", "Illegal construction", 3, "municipal"),
        Category("pollution", "环境污染", "Pollution", 2, "municipal"),
        Category("stray_animal", "流浪动物", "Stray animal", 3, "comprehensive"),
        Category("elderly_help", "独居老人求助", "Elderly person needs help", 1, "comprehensive"),
        Category("lost_person", "走失人员", "Missing person", 1, "comprehensive"),
        Category("wage_dispute", "欠薪纠纷", "Unpaid wages dispute", 2, "mediation"),
        Category("property_dispute", "物业纠纷", "Property management dispute", 3, "mediation"),
        Category("flood_risk", "汛情险情", "Flood risk", 1, "water"),
        Category("public_safety", "公共安全隐患", "Public safety hazard", 1, "emergency"),
    )
}

# A comprehensive team can take any category when no team of the exact kind is free.
FALLBACK_TEAM_KIND = "comprehensive"


def category(code: str) -> Category:
    """Return the category for a code, or raise KeyError naming it."""
    try:
        return CATEGORIES[code]
    except KeyError:
        raise KeyError(f"unknown category {code!r}") from None
