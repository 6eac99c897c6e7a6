"""The map's names: CAP warning types in English, short English township names, labels inside their township."""

from __future__ import annotations

from shapely.geometry import Point, shape

from domain.catalog import short_name_en, warning_name_en
from geo.boundaries import demo_boundaries
from geo.labels import labelled


def test_a_chinese_warning_type_and_colour_read_as_english():
    assert warning_name_en("暴雨", "云湖街道暴雨黄色预警") == "Yellow rainstorm warning"
    assert warning_name_en("雷雨大风橙色预警") == "Orange thunderstorm and gale warning"  # the longest type wins
    assert warning_name_en("台风") == "Typhoon warning"


def test_an_unknown_chinese_warning_is_still_english_and_an_english_one_is_kept():
    assert warning_name_en("某种预警", "红色") == "Red warning"
    assert warning_name_en("未知") == "Warning"
    assert warning_name_en("Flood Warning") == "Flood Warning"


def test_short_english_names_drop_the_administrative_suffix_only():
    assert short_name_en("Chengdong Subdistrict") == "Chengdong"
    assert short_name_en("Qingxi Town") == "Qingxi"
    assert short_name_en("Town") == "Town" and short_name_en("Yunhu") == "Yunhu"


def test_every_township_label_point_lies_inside_its_township():
    for f in labelled(demo_boundaries().geojson())["features"]:
        assert shape(f["geometry"]).contains(Point(f["properties"]["label"]))
        assert f["properties"]["short_en"] and " " not in f["properties"]["short_en"]
