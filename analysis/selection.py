"""Selecting and splitting per-replication frames for claim checks (shared by the families'
claim modules): match config values loosely (``10`` equals ``"10"`` and ``10.0``), filter by a
``where`` mapping that may name keys that do not vary, and split by the remaining keys."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.claims import ClaimData
from analysis.frames import column_for

META = ("seed", "rep", "value")


def num(v: Any) -> float:
    """``v`` as a float, NaN if it is not a number."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def same(a: Any, b: Any) -> bool:
    """Config values equal as numbers when both are numbers, else as strings."""
    fa, fb = num(a), num(b)
    if np.isfinite(fa) and np.isfinite(fb):
        return fa == fb
    return str(a) == str(b)


def frame(data: ClaimData, array: str | None) -> pd.DataFrame:
    """Per-replication finals of ``array`` (the report curve's array if None)."""
    return data.finals if array is None else data.finals_of(array)


def select(data: ClaimData, df: pd.DataFrame, where: Mapping[str, Any] | None) -> pd.DataFrame:
    """Rows matching ``where`` (a value or a list per key); a key that does not vary is checked
    on the runs frame: all rows if its one value matches, none otherwise."""
    out = df
    for key, allowed in (where or {}).items():
        allowed = list(allowed) if isinstance(allowed, (list, tuple)) else [allowed]
        if key in out.columns:
            out = out[out[key].map(lambda v: any(same(v, a) for a in allowed)).astype(bool)]
            continue
        values = data.runs[column_for(data.runs, key)].dropna().unique()   # KeyError names known keys
        if not all(any(same(v, a) for a in allowed) for v in values):
            return out.iloc[0:0]
    return out


def contexts(df: pd.DataFrame, drop: Sequence[str]) -> list[tuple[str, pd.DataFrame]]:
    """Split by every key column except ``drop`` and seed/rep/value; label each part."""
    keys = [c for c in df.columns if c not in (*META, *drop)]
    if not keys:
        return [("all", df)]
    out = []
    for ctx, part in df.groupby(keys, dropna=False, sort=True):
        ctx_t = ctx if isinstance(ctx, tuple) else (ctx,)
        out.append((", ".join(f"{k}={v}" for k, v in zip(keys, ctx_t)), part))
    return out
