"""Settings: each default is the dataclass's, whatever reads it; the environment and the flags only change it."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ENVIRONMENT, Settings, from_env, parser, serve_from_env


def test_with_no_environment_and_no_flags_every_setting_is_the_dataclasss_default():
    assert from_env([], {}) == Settings()
    assert serve_from_env([], {}) == (Settings(), "gevent")


def test_the_flags_defaults_are_the_dataclasss_and_the_environment_changes_them():
    args = parser({}).parse_args([])
    assert (args.host, args.port, args.rate, args.lang) == (
        Settings.host,
        Settings.port,
        Settings.simulator_rate_per_min,
        Settings.lang,
    )
    env = {
        "ONEMAP_HOST": "0.0.0.0",
        "ONEMAP_PORT": "9000",
        "ONEMAP_SIM_RATE": "3",
        "ONEMAP_LANG": "en",
        "ONEMAP_SIMULATOR": "off",
    }
    s = from_env([], env)
    assert (s.host, s.port, s.simulator_rate_per_min, s.lang, s.simulator) == ("0.0.0.0", 9000, 3.0, "en", False)
    assert from_env(["--port", "9100"], env).port == 9100  # a flag over its environment variable


def test_each_environment_variable_sets_its_own_setting():
    env = {
        "ONEMAP_DATA_DIR": "/srv/onemap",
        "DATABASE_URL": "postgresql+psycopg://u@h/db",
        "REDIS_URL": "redis://r",
        "ONEMAP_REDIS_BATCH": "50",
        "ONEMAP_REDIS_MAX_DELIVERIES": "9",
        "ONEMAP_AUTOPILOT": "off",
        "ONEMAP_API_TOKENS": "t1=commander, t2=township:T03",
        "ONEMAP_SECURE_COOKIES": "ON",
        "ONEMAP_PROXIES": "1",
        "ONEMAP_TIMEZONE": "-05:30",
        "ONEMAP_TILE_CRS": "gcj02",
    }
    s = from_env([], env)
    assert s.data_dir == Path("/srv/onemap") and s.database_url.endswith("/db") and s.redis_url == "redis://r"
    assert (s.redis_batch, s.redis_max_deliveries, s.autopilot, s.secure_cookies, s.proxies) == (50, 9, False, True, 1)
    assert s.api_tokens == {"t1": "commander", "t2": "township:T03"}
    assert (s.utc_offset_h, s.tile_crs) == (-5.5, "gcj02")
    assert len({e.name for e in ENVIRONMENT}) == len(ENVIRONMENT)


@pytest.mark.parametrize(
    "raw, hours", [("+08:00", 8.0), ("+01:00", 1.0), ("-05:30", -5.5), ("UTC+1", 1.0), ("+0545", 5.75)]
)
def test_the_districts_time_zone_is_a_fixed_utc_offset(raw, hours):
    assert from_env([], {"ONEMAP_TIMEZONE": raw}).utc_offset_h == hours


@pytest.mark.parametrize("raw", ["Europe/Paris", "8", "+15:00", "+08:75", ""])
def test_a_time_zone_that_is_no_fixed_offset_is_refused_with_its_text(raw):
    with pytest.raises(SystemExit, match="ONEMAP_TIMEZONE"):
        from_env([], {"ONEMAP_TIMEZONE": raw})


def test_the_help_shows_the_defaults_of_the_dataclass():
    text = parser({}).format_help()
    assert f"default {Settings.port}" in text and "ONEMAP_TIMEZONE" in text and "(default: +08:00)" in text
