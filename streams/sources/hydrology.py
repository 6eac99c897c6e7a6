"""Hydrology readings: a station's water level (m) and rainfall (mm in the last hour)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.intake import Reading
from streams.sources.base import ident, number, timestamp


def parse(raw: Mapping[str, Any], now: float) -> Reading:
    """Validate a reading: source_id, station_id, level, [rainfall, observed_at]."""
    rainfall = number(raw, "rainfall", 0, 500, required=False)
    return Reading(
        source_id=ident(raw, "source_id"),
        station_id=ident(raw, "station_id"),
        level=number(raw, "level", -20, 100),
        rainfall=0.0 if rainfall != rainfall else rainfall,
        observed_at=timestamp(raw, "observed_at", now, required=False),
    )
