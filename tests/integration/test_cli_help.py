"""The command lines answer --help at once, with every flag's default and environment name."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """import runpy, sys
sys.argv = ['app.py', '--help']
try:
    runpy.run_path('app.py', run_name='__main__')
except SystemExit as stop:
    print('EXIT', stop.code)
print('LOADED', sorted(m for m in ('dash', 'geopandas', 'flask_socketio') if m in sys.modules))
"""


def test_app_help_names_each_flag_with_its_default_and_environment_before_loading_dash_or_geopandas():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    for flag, env in (
        ("--host", "ONEMAP_HOST"),
        ("--port", "ONEMAP_PORT"),
        ("--no-simulator", "ONEMAP_SIMULATOR"),
        ("--rate", "ONEMAP_SIM_RATE"),
        ("--lang", "ONEMAP_LANG"),
    ):
        assert flag in out and env in out, flag
    assert "per minute" in out and "default 8050" in out and "DATABASE_URL" in out
    assert "EXIT 0" in out and "LOADED []" in out


def test_the_simulator_counts_its_rate_per_minute_like_the_app():
    out = subprocess.run(
        [sys.executable, "-m", "streams.simulate", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    assert "per minute" in out and "per second" not in out


def test_manage_makes_a_team_member_of_one_team_in_its_teams_township(tmp_path):
    from application.district import load_fixtures

    team = load_fixtures()["teams"][0]
    env = {**os.environ, "ONEMAP_DATA_DIR": str(tmp_path)}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input="a-long-password\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run("create-user", "crew1", "team", "--team", team["id"]).returncode == 0
    refused = run("create-user", "crew2", "team", "--team", "NO-SUCH-TEAM")
    assert refused.returncode == 2 and "unknown team" in refused.stderr
    row = next(line.split() for line in run("list").stdout.splitlines() if line.startswith("crew1"))
    assert row[:4] == ["crew1", "team", team["township"], team["id"]]


def test_manage_lists_users_and_tokens_as_tables_in_the_districts_time(tmp_path):
    env = {**os.environ, "ONEMAP_DATA_DIR": str(tmp_path)}
    made = subprocess.run(
        [sys.executable, "manage.py", "create-user", "op1", "township", "--township", "T01"],
        cwd=ROOT,
        env=env,
        input="a-long-password\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    subprocess.run(
        [sys.executable, "manage.py", "create-token", "wall-9", "kiosk", "wall"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    ).stdout
    lines = out.splitlines()
    assert lines[0].split() == ["username", "role", "township", "team", "active", "created_at"]
    assert lines[1].split()[:5] == ["op1", "township", "T01", "-", "yes"]
    assert re.search(r"wall-9\s+kiosk\s+wall\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+-$", out, re.M)
    assert "{" not in out  # no raw dicts, no epoch seconds
