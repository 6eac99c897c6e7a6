"""Normalise township attribute columns: id, name_zh (or name), optional name_en and kind."""

from __future__ import annotations

import numpy as np
import pandas as pd

# When a file has no `kind` column the administrative suffix of the name tells it.
_KIND_BY_SUFFIX = (("街道", "street"), ("镇", "town"), ("乡", "town"))


def _text_column(gdf: pd.DataFrame, name: str) -> pd.Series:
    values = gdf[name].astype("string").str.strip()
    return values.mask(values == "")


def normalise(gdf: pd.DataFrame) -> pd.DataFrame:
    """id / name_zh / name_en / kind as text; ValueError describes missing or duplicate values."""
    columns = set(gdf.columns)
    if "id" not in columns:
        raise ValueError(f"missing 'id' field (fields: {sorted(columns - {'geometry'})})")
    name_col = "name_zh" if "name_zh" in columns else "name" if "name" in columns else None
    if name_col is None:
        raise ValueError(f"missing 'name_zh' (or 'name') field (fields: {sorted(columns - {'geometry'})})")
    ids = _text_column(gdf, "id")
    names = _text_column(gdf, name_col)
    for label, values in (("id", ids), (name_col, names)):
        if values.isna().any():
            raise ValueError(f"empty {label!r} in feature(s) at position {np.flatnonzero(values.isna())[:5].tolist()}")
    dupes = sorted(set(ids[ids.duplicated()]))
    if dupes:
        raise ValueError(f"duplicate ids: {', '.join(dupes[:5])}")
    names_en = _text_column(gdf, "name_en").fillna(names) if "name_en" in columns else names
    inferred = names.map(lambda n: next((k for suffix, k in _KIND_BY_SUFFIX if n.endswith(suffix)), None))
    kinds = _text_column(gdf, "kind").fillna(inferred) if "kind" in columns else inferred
    out = pd.DataFrame({"id": ids, "name_zh": names, "name_en": names_en, "kind": kinds}).astype(object)
    return out.where(out.notna(), None)  # plain None, not pd.NA: these values end up in JSON
