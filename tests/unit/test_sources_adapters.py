"""Each source adapter takes its own schema, maps it onto the catalog and says why it refuses."""

from __future__ import annotations

import pytest

from domain.alerts import CapAlert
from domain.intake import Report
from streams import feeds, sources
from streams.sources import Adapters
from streams.sources.base import Invalid
from tests.support import T0

LON, LAT = 120.15, 30.25


def test_a_110_diversion_keeps_its_alarm_number_and_maps_its_case_type():
    r = sources.parse(
        {
            "source": "110",
            "alarm_no": "JJ-1",
            "case_type": "FJ10",
            "lon": LON,
            "lat": LAT,
            "alarm_at": "2026-11-18T09:00:00+08:00",
            "content": "闻到煤气味",
            "level": 1,
        },
        T0,
    )
    assert isinstance(r, Report) and (r.source_id, r.category, r.priority) == ("JJ-1", "gas_leak", 1)


def test_a_12345_work_order_maps_its_matter_code_urgency_and_converts_baidu_coordinates():
    r = sources.parse(
        {
            "source": "12345",
            "order_no": "GD2026111800001",
            "matter_code": "0401",
            "urgency": "紧急",
            "location": {"lng": 120.1621, "lat": 30.2612, "crs": "bd09"},
        },
        T0,
    )
    assert (r.source_id, r.category, r.priority) == ("GD2026111800001", "neighbour_dispute", 2)
    assert abs(r.lon - 120.1621) > 0.005  # BD-09 is shifted by several hundred metres from WGS-84


def test_a_grid_event_uses_its_own_field_names():
    r = sources.parse(
        {
            "source": "grid",
            "event_no": "WG-7",
            "event_type": "B0202",
            "lng": LON,
            "lat": LAT,
            "grid_code": "330106001001",
        },
        T0,
    )
    assert (r.source_id, r.category) == ("WG-7", "manhole_cover")


def test_open311_maps_service_codes_through_the_installation_table():
    record = {
        "source": "open311",
        "service_request_id": "638344",
        "service_code": "PH-9",
        "lat": LAT,
        "long": LON,
        "requested_datetime": "2026-11-18T08:00:00+08:00",
    }
    with pytest.raises(Invalid, match="unknown Open311 service_code"):
        sources.parse(record, T0)
    assert Adapters({"PH-9": "waterlogging"}).parse(record, T0).category == "waterlogging"


def test_security_events_map_onto_the_catalog_and_a_dense_crowd_is_urgent():
    crowd = sources.parse(
        {
            "source": "security",
            "event_no": "AB-1",
            "kind": "crowd_density",
            "density": 4.5,
            "lon": LON,
            "lat": LAT,
            "venue": "西湖音乐喷泉",
        },
        T0,
    )
    crash = sources.parse(
        {"source": "security", "event_no": "AB-2", "kind": "traffic_accident", "lon": LON, "lat": LAT}, T0
    )
    assert (crowd.category, crowd.priority, crowd.address) == ("public_safety", 1, "西湖音乐喷泉")
    assert crash.category == "road_obstruction"


@pytest.mark.parametrize(
    "record, reason",
    [
        ({"source": "110", "alarm_no": "A", "case_type": "FJ99", "lon": LON, "lat": LAT}, "unknown 110 case type"),
        ({"source": "110", "alarm_no": "A", "case_type": "FJ01", "lon": 200, "lat": LAT}, "outside"),
        ({"source": "12345", "order_no": "A", "matter_code": "0101"}, "missing field"),
        (
            {"source": "grid", "event_no": "A", "event_type": "A0101", "lng": LON, "lat": LAT, "grid_code": "x"},
            "grid_code",
        ),
        ({"source": "security", "event_no": "A", "kind": "alien", "lon": LON, "lat": LAT}, "security event kind"),
        (
            {"source": "110", "alarm_no": "A", "case_type": "FJ01", "lon": LON, "lat": LAT, "alarm_at": "1999-01-01"},
            "too far from now",
        ),
        ({"source": "110", "alarm_no": "A", "case_type": "FJ01", "lon": LON, "lat": LAT, "crs": "mars"}, "crs"),
        ({"source": "ufo"}, "unknown source"),
    ],
)
def test_bad_records_are_refused_with_a_reason(record, reason):
    with pytest.raises(Invalid, match=reason):
        sources.parse(record, T0)


def test_a_cap_alert_becomes_an_area_that_expires():
    a = sources.parse(feeds.cap_alert("W-1", LON, LAT, T0, "暴雨黄色预警"), T0)
    assert isinstance(a, CapAlert) and a.msg_type == "Alert" and a.expires == pytest.approx(T0 + 7200)
    ring = a.polygons[0]
    assert ring[0] == ring[-1] and min(p[0] for p in ring) < LON < max(p[0] for p in ring)


def test_cap_update_and_cancel_name_what_they_replace():
    ref = "weather@district.example,W-1,2026-11-18T09:00:00+08:00"
    update = sources.parse(feeds.cap_alert("W-2", LON, LAT, T0, "升级", "Update", ref), T0)
    cancel = sources.parse(feeds.cap_alert("W-3", LON, LAT, T0, "解除", "Cancel", ref), T0)
    assert update.references == cancel.references == ("W-1",)


def test_cap_circles_are_read_as_lat_lon_radius_km():
    record = feeds.cap_alert("W-4", LON, LAT, T0, "台风")
    record["xml"] = record["xml"].replace("<polygon>", "<circle>30.25,120.15 5</circle><polygon>")
    assert sources.parse(record, T0).circles == ((120.15, 30.25, 5000.0),)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol3;</identifier></alert>"""
EXTERNAL = """<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&x;</identifier></alert>"""


@pytest.mark.parametrize(
    "xml, reason",
    [
        (BILLION_LAUGHS, "document type declaration"),
        (EXTERNAL, "document type declaration"),
        ("<alert", "not well-formed"),
        ("<alert>&undefined;</alert>", "not well-formed"),
        ("<alert xmlns='urn:oasis:names:tc:emergency:cap:1.1'/>", "not a CAP 1.2 alert"),
        ("<a>" * 100 + "</a>" * 100, "too deep"),
    ],
)
def test_hostile_or_broken_cap_xml_is_refused_without_expanding_anything(xml, reason):
    with pytest.raises(Invalid, match=reason):
        sources.parse({"source": "cap", "xml": xml}, T0)


def test_hall_and_hydrology_records_keep_their_schemas():
    t = sources.parse({"source": "hall", "source_id": "H1", "hall_id": "H01", "action": "issued", "ticket": "A001"}, T0)
    r = sources.parse({"source": "hydrology", "source_id": "R1", "station_id": "S01", "level": 3.2}, T0)
    assert (t.action, r.level) == ("issued", 3.2)
