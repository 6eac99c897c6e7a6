"""CAP 1.2 alerts (Alert, Update, Cancel), such as heavy-rain and typhoon warnings, as areas on the map."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element

from domain.alerts import CapAlert
from streams.sources import xmlsafe
from streams.sources.base import MAX_AGE_S, MAX_AHEAD_S, Invalid, ident, parse_time, text

SOURCE = "cap"
NS = "urn:oasis:names:tc:emergency:cap:1.2"
MSG_TYPES = frozenset({"Alert", "Update", "Cancel"})
MAX_POINTS = 5000
MAX_RADIUS_KM = 1000.0


def parse(raw: Mapping[str, Any], now: float) -> CapAlert:
    """Validate a record {"source": "cap", "xml": "<alert>...</alert>"}: the CAP 1.2 message in "xml"."""
    document = raw.get("xml")
    if not isinstance(document, str) or not document.strip():
        raise Invalid("missing field 'xml' (the CAP message as a string)")
    root = xmlsafe.parse(document)
    if root.tag != f"{{{NS}}}alert":
        raise Invalid(f"root element is not a CAP 1.2 alert ({NS})")
    f = _fields(root)
    identifier = ident(f, "identifier")
    if f.get("status") != "Actual":
        raise Invalid(f"status {str(f.get('status'))[:20]!r} is not shown (only Actual)")
    msg_type = f.get("msgType", "")
    if msg_type not in MSG_TYPES:
        raise Invalid(f"msgType {msg_type[:20]!r} is not one of Alert, Update, Cancel")
    sent = _time(f, "sent", now)
    references = _references(f.get("references", ""))
    if msg_type != "Alert" and not references:
        raise Invalid(f"a {msg_type} must name the messages it references")
    if msg_type == "Cancel":
        return CapAlert(identifier, ident(f, "sender"), sent, msg_type, references)
    return _with_info(root, CapAlert(identifier, ident(f, "sender"), sent, msg_type, references), now)


def _with_info(root: Element, head: CapAlert, now: float) -> CapAlert:
    infos = root.findall(f"{{{NS}}}info")
    if not infos:
        raise Invalid("an Alert or Update needs an info block")
    info = next((i for i in infos if _child(i, "language").lower().startswith("zh")), infos[0])
    f = _fields(info)
    expires = _time(f, "expires", now, required=False)
    if expires and expires <= now:
        raise Invalid("the alert expired before it arrived")
    polygons, circles, descs = [], [], []
    for area in info.findall(f"{{{NS}}}area"):
        descs.append(_child(area, "areaDesc"))
        polygons += [_polygon(p.text or "") for p in area.findall(f"{{{NS}}}polygon")]
        circles += [_circle(c.text or "") for c in area.findall(f"{{{NS}}}circle")]
    if not polygons and not circles:
        raise Invalid("the alert has no area polygon or circle to show")
    return CapAlert(
        head.source_id,
        head.sender,
        head.sent,
        head.msg_type,
        head.references,
        event=text(f, "event", limit=200),
        severity=text(f, "severity", limit=20),
        urgency=text(f, "urgency", limit=20),
        certainty=text(f, "certainty", limit=20),
        headline=text(f, "headline", required=False, limit=300),
        description=text(f, "description", required=False),
        area_desc="；".join(d for d in descs if d)[:500],
        polygons=tuple(polygons),
        circles=tuple(circles),
        expires=expires or 0.0,
    )


def _fields(element: Element) -> dict[str, str]:
    """The element's simple children by local name (the first of each)."""
    out: dict[str, str] = {}
    for child in element:
        local = child.tag.rpartition("}")[2]
        if len(child) == 0 and local not in out:
            out[local] = (child.text or "").strip()
    return out


def _child(element: Element, local: str) -> str:
    found = element.find(f"{{{NS}}}{local}")
    return (found.text or "").strip()[:300] if found is not None else ""


def _time(f: Mapping[str, str], key: str, now: float, required: bool = True) -> float:
    if not f.get(key):
        if required:
            raise Invalid(f"missing element '{key}'")
        return 0.0
    at = parse_time(f[key], key)
    if key == "sent" and not now - MAX_AGE_S <= at <= now + MAX_AHEAD_S:
        raise Invalid("element 'sent' is too far from now")
    return at


def _references(value: str) -> tuple[str, ...]:
    """CAP references are "sender,identifier,sent" triples separated by spaces; keep the identifiers."""
    out = []
    for triple in value.split()[:100]:
        parts = triple.split(",")
        if len(parts) != 3 or not parts[1] or len(parts[1]) > 120:
            raise Invalid(f"reference {triple[:60]!r} is not sender,identifier,sent")
        out.append(parts[1])
    return tuple(out)


def _pair(text_: str, what: str) -> tuple[float, float]:
    """CAP writes "lat,lon" (WGS-84); return (lon, lat)."""
    try:
        lat_s, lon_s = text_.split(",")
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        raise Invalid(f"{what} point {text_[:40]!r} is not lat,lon") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise Invalid(f"{what} point {text_[:40]!r} is outside the earth")
    return round(lon, 6), round(lat, 6)


def _polygon(value: str) -> tuple[tuple[float, float], ...]:
    pairs = value.split()
    if not 4 <= len(pairs) <= MAX_POINTS:
        raise Invalid(f"a polygon needs 4 to {MAX_POINTS} points")
    ring = [_pair(p, "polygon") for p in pairs]
    if ring[0] != ring[-1]:
        raise Invalid("a polygon must be closed (first point equal to the last)")
    return tuple(ring)


def _circle(value: str) -> tuple[float, float, float]:
    try:
        centre, radius_s = value.split()
        radius_km = float(radius_s)
    except ValueError:
        raise Invalid(f"circle {value[:40]!r} is not 'lat,lon radius_km'") from None
    if not (math.isfinite(radius_km) and 0 < radius_km <= MAX_RADIUS_KM):
        raise Invalid(f"circle radius must be in (0, {MAX_RADIUS_KM}] km")
    lon, lat = _pair(centre, "circle")
    return lon, lat, round(radius_km * 1000, 1)
