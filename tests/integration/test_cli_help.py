"""The command lines answer --help at once, with every flag's default and environment name."""
from __future__ import annotations

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
    for flag, env in (("--host", "ONEMAP_HOST"), ("--port", "ONEMAP_PORT"), ("--no-simulator", "ONEMAP_SIMULATOR"),
                      ("--rate", "ONEMAP_SIM_RATE"), ("--lang", "ONEMAP_LANG")):
        assert flag in out and env in out, flag
    assert "per minute" in out and "default 8050" in out and "DATABASE_URL" in out
    assert "EXIT 0" in out and "LOADED []" in out


def test_the_simulator_counts_its_rate_per_minute_like_the_app():
    out = subprocess.run([sys.executable, "-m", "streams.simulate", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60).stdout
    assert "per minute" in out and "per second" not in out
