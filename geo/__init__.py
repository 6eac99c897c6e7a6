"""OneMap geography: demo district data, township boundaries, point location, coordinate maths."""

from pathlib import Path

# Kept light on purpose: geopandas/shapely are imported by the submodules that need them,
# so `import geo` (or geo.coords / geo.distance) costs nothing at dashboard start-up.
DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_TOWNSHIPS_PATH = DATA_DIR / "demo_townships.geojson"
DEMO_DISTRICT_PATH = DATA_DIR / "demo_district.json"
