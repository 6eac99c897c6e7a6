"""A caller's id is read at the edge and kept only as a keyed hash; a dead letter masks it."""

from __future__ import annotations

import json

import pytest

from streams.sources import Adapters
from streams.sources.base import Invalid
from streams.sources.caller import caller_key, masked_text, normalized, pseudonym
from tests.conftest import T0

KEY = caller_key("an installation's secret")
LON, LAT = 121.15, 31.07
RECORDS = {
    "12345": {"source": "12345", "order_no": "W1", "matter_code": "0204", "location": {"lng": LON, "lat": LAT}},
    "110": {"source": "110", "alarm_no": "A1", "case_type": "FJ11", "lon": LON, "lat": LAT},
    "open311": {"source": "open311", "service_request_id": "R1", "service_code": "005", "long": LON, "lat": LAT},
}
FIELD = {"12345": "caller", "110": "caller", "open311": "phone"}


def test_one_number_however_it_is_written_gives_one_pseudonym_of_16_hex_digits():
    spellings = ("13800138000", "138 0013 8000", "+86 138-0013-8000", "0086 13800138000", "(138) 0013.8000")
    assert {normalized(s) for s in spellings} == {"13800138000"}
    (one,) = {pseudonym(KEY, s) for s in spellings}
    assert len(one) == 16 and int(one, 16) >= 0
    assert normalized("021-6235 1234") == "02162351234" and normalized(" WeChat_ID ") == "wechat_id"


def test_another_installations_secret_gives_another_pseudonym():
    assert pseudonym(KEY, "13800138000") != pseudonym(caller_key("another secret"), "13800138000")


@pytest.mark.parametrize("source", sorted(RECORDS))
def test_each_source_that_names_its_caller_gives_the_report_its_pseudonym_only(source):
    record = {**RECORDS[source], FIELD[source]: "13800138000"}
    assert Adapters(caller_key=KEY).parse(record, T0).caller == pseudonym(KEY, "13800138000")


@pytest.mark.parametrize("source", sorted(RECORDS))
def test_an_adapter_without_a_key_keeps_no_caller_and_a_record_without_one_has_none(source):
    assert Adapters().parse({**RECORDS[source], FIELD[source]: "13800138000"}, T0).caller == ""
    assert Adapters(caller_key=KEY).parse(RECORDS[source], T0).caller == ""


def test_a_caller_that_is_not_text_or_a_number_rejects_the_record():
    with pytest.raises(Invalid, match="caller"):
        Adapters(caller_key=KEY).parse({**RECORDS["12345"], "caller": {"phone": "138"}}, T0)


def test_a_dead_letter_masks_every_personal_field_at_any_depth_and_a_value_cut_short():
    body = json.dumps({"caller": "138 0013 8000", "x": {"phone": 13800138000, "email": 'a"b@c.cn'}, "n": 5})
    masked = masked_text(body)
    assert json.loads(masked) == {"caller": "<masked>", "x": {"phone": "<masked>", "email": "<masked>"}, "n": 5}
    assert masked_text('{"source": "12345", "caller": "1380013') == '{"source": "12345", "caller": "<masked>"'
