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


def category_names(code: str) -> tuple[str, str]:
    """Return a category's (zh, en) names; an unknown code stands for itself in both."""
    cat = CATEGORIES.get(code)
    return (cat.name_zh, cat.name_en) if cat else (code, code)


# A comprehensive team can take any category when no team of the exact kind is free.
FALLBACK_TEAM_KIND = "comprehensive"


def category(code: str) -> Category:
    """Return the category for a code, or raise KeyError naming it."""
    try:
        return CATEGORIES[code]
    except KeyError:
        raise KeyError(f"unknown category {code!r}") from None


# Public warning types (预警信号) as CAP <event> names them, and their English names.
WARNING_TYPES: dict[str, str] = {
    "台风": "Typhoon",
    "暴雨": "Rainstorm",
    "暴雪": "Snowstorm",
    "寒潮": "Cold wave",
    "大风": "Gale",
    "沙尘暴": "Sandstorm",
    "高温": "Heat",
    "干旱": "Drought",
    "雷电": "Lightning",
    "雷雨大风": "Thunderstorm and gale",
    "冰雹": "Hail",
    "霜冻": "Frost",
    "大雾": "Fog",
    "霾": "Haze",
    "道路结冰": "Road icing",
    "寒冷": "Cold",
    "持续低温": "Lasting cold",
    "森林火险": "Forest fire",
    "洪水": "Flood",
    "山洪": "Flash flood",
    "内涝": "Waterlogging",
    "城市内涝": "Urban waterlogging",
    "地质灾害": "Landslide",
    "强对流": "Severe convection",
    "风暴潮": "Storm surge",
    "海浪": "High waves",
    "臭氧": "Ozone",
    "空气重污染": "Heavy air pollution",
}
WARNING_LEVELS: dict[str, str] = {"蓝色": "Blue", "黄色": "Yellow", "橙色": "Orange", "红色": "Red"}


def _cjk(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text)


def warning_name_en(event: str, headline: str = "") -> str:
    """Return a CAP event's English name ("Yellow rainstorm warning"); an event already in English stays as it is."""
    if event and not _cjk(event):
        return event
    found = [k for k in WARNING_TYPES if k in event] or [k for k in WARNING_TYPES if k in headline]
    level = next((en for zh, en in WARNING_LEVELS.items() if zh in event or zh in headline), "")
    if not found:
        return f"{level} warning".strip().capitalize()
    kind = WARNING_TYPES[max(found, key=len)]  # 雷雨大风 before 大风
    return f"{level} {kind.lower()} warning" if level else f"{kind} warning"


# Administrative suffixes a map label can drop: the map's outline already says what a township is.
SHORT_EN_SUFFIXES = (" Subdistrict", " Sub-district", " Street", " Town", " Township", " Jiedao", " Zhen")


def short_name_en(name_en: str) -> str:
    """Return a township's short English name for the map ("Chengdong Subdistrict" -> "Chengdong")."""
    for suffix in SHORT_EN_SUFFIXES:
        if name_en.endswith(suffix) and len(name_en) > len(suffix):
            return name_en[: -len(suffix)]
    return name_en
