"""Benchmark: Locator.assign vs plain geopandas.sjoin on 1,000,000 random points (not a test).

    python bench/geo.py

Points uniform in the demo district's bounding box; each method timed best of three; the two assignments compared.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as `python bench/geo.py` from anywhere

import geopandas as gpd  # noqa: E402

from geo.boundaries import demo_boundaries  # noqa: E402
from geo.locate import Locator  # noqa: E402

N = 1_000_000
REPEATS = 3  # best of, to damp noise from other processes
T = TypeVar("T")


def best(fn: Callable[[], T]) -> tuple[float, T]:
    """Fastest wall time of REPEATS calls, and the last result."""
    times: list[float] = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    """Print points/s for both methods and their ratio."""
    boundaries = demo_boundaries()
    minx, miny, maxx, maxy = boundaries.bounds
    rng = np.random.default_rng(42)
    lons, lats = rng.uniform(minx, maxx, N), rng.uniform(miny, maxy, N)

    t_build, locator = best(lambda: Locator(boundaries))
    t_ours, ids = best(lambda: locator.assign(lons, lats))

    polygons = boundaries.gdf[["id", "geometry"]]
    t_points, points = best(lambda: gpd.GeoDataFrame(geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326"))
    t_sjoin, joined = best(lambda: gpd.sjoin(points, polygons, how="left", predicate="intersects"))

    inside = sum(i is not None for i in ids)
    # sjoin yields one row per match (two on a shared border); take the smallest id like Locator.
    theirs = joined.groupby(level=0)["id"].min().reindex(range(N))
    agree = sum(a == b or (a is None and isinstance(b, float)) for a, b in zip(ids, theirs.tolist()))
    ours, plain, plain_all = N / t_ours, N / t_sjoin, N / (t_sjoin + t_points)
    print(f"points: {N:,} uniform in district bbox ({inside:,} inside a township); best of {REPEATS}")
    print(f"Locator build                    : {t_build * 1e3:8.1f} ms (once per boundary set)")
    print(f"Locator.assign                   : {t_ours:8.3f} s  {ours:>13,.0f} points/s")
    print(f"geopandas.sjoin (points prebuilt): {t_sjoin:8.3f} s  {plain:>13,.0f} points/s")
    print(f"geopandas.sjoin + points_from_xy : {t_sjoin + t_points:8.3f} s  {plain_all:>13,.0f} points/s")
    print(
        f"ratio ours / sjoin               : {ours / plain:8.2f}x  "
        f"(vs sjoin incl. point build: {ours / plain_all:.2f}x)"
    )
    print(f"answers agree with sjoin         : {agree:,} / {N:,}")
    met = ours >= 5e5 and ours / plain >= 0.8
    print(f"target >= 500,000 points/s and >= 0.8x sjoin: {'MET' if met else 'NOT MET'}")


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    main()
