"""Property: whatever a source sends, its adapter takes it or refuses it with a reason, and never raises else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams import feeds, sources
from streams.sources.base import Invalid
from tests.support import T0

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GOOD = {
    "110": {
        "source": "110",
        "alarm_no": "JJ-1",
        "case_type": "FJ01",
        "lon": 120.1,
        "lat": 30.2,
        "alarm_at": "2026-11-18T09:00:00+08:00",
        "content": "x",
        "address": "y",
        "level": 2,
    },
    "12345": {
        "source": "12345",
        "order_no": "GD-1",
        "matter_code": "0101",
        "urgency": "一般",
        "appeal_kind": "help",
        "accepted_at": T0,
        "location": {"lng": 120.1, "lat": 30.2, "crs": "gcj02"},
    },
    "grid": {
        "source": "grid",
        "event_no": "WG-1",
        "event_type": "A0101",
        "lng": 120.1,
        "lat": 30.2,
        "grid_code": "330106001001",
        "found_at": T0,
    },
    "open311": {
        "source": "open311",
        "service_request_id": "1",
        "service_code": "001",
        "lat": 30.2,
        "long": 120.1,
        "status": "open",
        "requested_datetime": "2026-11-18T09:00:00Z",
    },
    "security": {
        "source": "security",
        "event_no": "AB-1",
        "kind": "crowd_density",
        "density": 3.0,
        "lon": 120.1,
        "lat": 30.2,
    },
    "hydrology": {"source": "hydrology", "source_id": "R1", "station_id": "S01", "level": 3.0, "rainfall": 2.0},
    "hall": {"source": "hall", "source_id": "H1", "hall_id": "H01", "action": "issued", "ticket": "A1"},
    "cap": feeds.cap_alert("W-1", 120.1, 30.2, T0, "暴雨"),
}

hostile_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(min_size=5000, max_size=20000),
    st.sampled_from(
        [
            "",
            " ",
            "NaN",
            "inf",
            "1e999",
            "-0",
            "9" * 500,
            "0000-00-00",
            "9999-12-31T23:59:59",
            "1970-01-01",
            "\x00\x1f",
            "<",
            "&amp;",
            "FJ99",
            "ufo_sighting",
        ]
    ),
    st.floats(min_value=-1e12, max_value=1e12),
)
hostile = st.recursive(
    hostile_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _taken_or_refused(record) -> None:
    try:
        sources.parse(record, T0)
    except Invalid as exc:
        assert str(exc)


@SETTINGS
@given(source=st.sampled_from(sorted(GOOD)), data=st.data())
def test_any_field_replaced_by_hostile_values_is_taken_or_refused(source, data):
    record = dict(GOOD[source])
    for key in data.draw(st.lists(st.sampled_from(sorted(record)), max_size=4, unique=True)):
        record[key] = data.draw(hostile)
    _taken_or_refused(record)


@SETTINGS
@given(source=st.sampled_from(sorted(GOOD)), data=st.data())
def test_missing_fields_and_unknown_extra_fields_are_taken_or_refused(source, data):
    record = {k: v for k, v in GOOD[source].items() if data.draw(st.booleans())}
    record.update(data.draw(st.dictionaries(st.text(max_size=10), hostile, max_size=3)))
    _taken_or_refused(record)


@SETTINGS
@given(st.one_of(hostile, st.dictionaries(st.sampled_from(["source", "source_id", "xml"]), hostile)))
def test_records_of_any_shape_are_taken_or_refused(record):
    _taken_or_refused(record)


XML_BITS = [
    "<",
    ">",
    "</",
    "/>",
    "&",
    ";",
    "<!DOCTYPE x [",
    "<!ENTITY e 'x'>",
    "]>",
    "&e;",
    "<![CDATA[",
    "]]>",
    "<?xml version='1.0'?>",
    "<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'>",
    "</alert>",
    "<identifier>",
    "</identifier>",
    "<info>",
    "</info>",
    "<area>",
    "</area>",
    "<polygon>",
    "</polygon>",
    "<circle>",
    "</circle>",
    "<msgType>Update</msgType>",
    "<status>Actual</status>",
    "90,180 ",
    "-91,0 ",
    "30.2,120.1 ",
    "1e999,nan ",
    "\x00",
    "\ufffe",
    "x",
]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(XML_BITS), st.text(max_size=10)), max_size=40))
def test_cap_xml_of_any_shape_is_taken_or_refused(bits):
    _taken_or_refused({"source": "cap", "xml": "".join(bits)})


@SETTINGS
@given(field=st.sampled_from(["identifier", "sent", "polygon", "expires", "msgType", "headline"]), value=hostile_scalar)
def test_a_valid_cap_alert_with_one_hostile_element_is_taken_or_refused(field, value):
    xml = GOOD["cap"]["xml"]
    start, end = xml.find(f"<{field}>") + len(field) + 2, xml.find(f"</{field}>")
    text = str(value).replace("&", "&amp;").replace("<", "&lt;")
    _taken_or_refused({"source": "cap", "xml": xml[:start] + text + xml[end:]})
