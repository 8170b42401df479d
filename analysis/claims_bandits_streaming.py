"""Claims of Wang (ICML'23), single-pass streaming MABs: regret rate, gain over uniform, memory.

Each function is ``(ClaimData, **params) -> Verdict`` (see ``analysis.claims``) and can fail.
Keys (``stream_policy``, ``horizon``, ``stream_env.n_arms``) are the preset's varying config keys;
a key that does not vary in the sweep is read from the runs' params instead.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from analysis.claims import Z95, ClaimData, Verdict
from analysis.frames import column_for, pooled


def _with_key(frame: pd.DataFrame, data: ClaimData, key: str) -> pd.Series:
    """Column ``key`` of ``frame`` (as float), or its single value across the runs."""
    if key in frame.columns:
        return frame[key].astype(float)
    values = data.runs[column_for(data.runs, key)].astype(float).unique()
    if values.size != 1:
        raise KeyError(f"{key!r} varies across runs but is not a column of the claim frame")
    return pd.Series(values[0], index=frame.index)


def _ctx_keys(data: ClaimData, frame: pd.DataFrame, skip: Sequence[str]) -> list[str]:
    return [k for k in data.keys if k not in skip and k in frame.columns]


def loglog_slope_per_group(data: ClaimData, x: str = "horizon", by: str = "stream_policy",
                           which: Sequence[str] = (), arms_key: str = "stream_env.n_arms",
                           min_x_per_arm: float = 10.0, expected: Sequence[float] = (0.5667, 0.7667)) -> Verdict:
    """Regret ~ T^slope: least-squares slope of log(final regret) on log(T) over all replications,
    separately per policy and per value of every other varying key (K, instance ...), using only
    runs with T >= ``min_x_per_arm`` * K (eps = (K/T)^(1/3) < 1: below that no algorithm has room
    to explore). 95% CI from the fit's residuals. Pass if every point estimate lies in
    ``expected`` (Wang: Theta(K^(1/3) T^(2/3)) for eps-best, T^(2/3) log^(1/3) T for uniform)."""
    f = data.finals.copy()
    if x not in f.columns:
        return Verdict(False, f"{x} does not vary", f"{x} swept over >= 2 values", "x missing")
    f["_x"] = f[x].astype(float)
    f["_K"] = _with_key(f, data, arms_key)
    f = f[(f["_x"] >= min_x_per_arm * f["_K"]) & (f["value"] > 0) & np.isfinite(f["value"])]
    ctx = _ctx_keys(data, f, (x, by))
    lo, hi = expected
    lines, ok, n_fits = [], True, 0
    for key, g in f.groupby([by, *ctx], dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        if which and str(key[0]) not in which:
            continue
        lx, ly = np.log(g["_x"].to_numpy()), np.log(g["value"].to_numpy(float))
        label = ", ".join(f"{k}={v}" for k, v in zip([by, *ctx], key))
        if np.unique(lx).size < 3:
            ok = False
            lines.append(f"{label}: fewer than 3 values of {x} with T >= {min_x_per_arm:g} K")
            continue
        A = np.vstack([lx, np.ones_like(lx)]).T
        coef, *_ = np.linalg.lstsq(A, ly, rcond=None)
        sigma2 = float(np.sum((ly - A @ coef) ** 2) / max(len(ly) - 2, 1))
        se = float(np.sqrt(sigma2 / np.sum((lx - lx.mean()) ** 2)))
        good = bool(lo <= coef[0] <= hi)
        ok &= good
        n_fits += 1
        span = f"T={np.exp(lx.min()):.0e}..{np.exp(lx.max()):.0e}"
        lines.append(f"{label}: slope {coef[0]:.3f} ± {Z95 * se:.3f} ({span}){'' if good else ' OUT'}")
    if n_fits == 0:
        ok = False
    return Verdict(ok, "; ".join(lines) or "no groups",
                   f"every slope in [{lo:g}, {hi:g}] (2/3 ± {(hi - lo) / 2:.2g}); fit over T >= {min_x_per_arm:g} K",
                   "least squares of log regret on log T over all replications, per policy and K")


def regret_reduction(data: ClaimData, by: str = "stream_policy", baseline: str = "uniform",
                     which: Sequence[str] = (), min_reduction: float = 0.4) -> Verdict:
    """Regret reduction 1 - R_alg / R_baseline at each sweep point (every combination of the other
    varying keys), with 95% CIs of both means. Points count only where the two CIs do not overlap
    (alg's upper end below the baseline's lower end). Pass if the best such point over the sweep
    reaches ``min_reduction`` (Wang's abstract: "reduce the regret by up to 70%")."""
    f = data.finals
    if by not in f.columns or baseline not in set(f[by].astype(str)):
        return Verdict(False, f"no runs with {by}={baseline}", f"{by}={baseline} present", "baseline missing")
    ctx = _ctx_keys(data, f, (by,))
    best, per_alg = None, {}
    for point, part in (f.groupby(ctx, dropna=False) if ctx else [((), f)]):
        point = point if isinstance(point, tuple) else (point,)
        mb, sb, nb = pooled(part.loc[part[by].astype(str) == baseline, "value"].to_numpy())
        if nb < 2:
            continue
        for name, grp in part.groupby(by):
            name = str(name)
            if name == baseline or (which and name not in which):
                continue
            ma, sa, na = pooled(grp["value"].to_numpy())
            if na < 2 or mb <= 0:
                continue
            ratio = ma / mb
            se_ratio = abs(ratio) * np.sqrt((sa / ma) ** 2 + (sb / mb) ** 2) if ma > 0 else 0.0
            separated = bool(ma + Z95 * sa < mb - Z95 * sb)
            rec = (1 - ratio, Z95 * se_ratio, name, dict(zip(ctx, point)), ma, Z95 * sa, mb, Z95 * sb, separated)
            if separated and (name not in per_alg or rec[0] > per_alg[name][0]):
                per_alg[name] = rec
            if separated and (best is None or rec[0] > best[0]):
                best = rec
    if best is None:
        return Verdict(False, "no sweep point where an algorithm's 95% CI lies below the baseline's",
                       f"best reduction >= {min_reduction:.0%} with non-overlapping 95% CIs", "")

    def fmt(rec):
        red, ci, name, where, ma, ca, mb, cb, _ = rec
        at = ", ".join(f"{k}={v}" for k, v in where.items())
        return (f"{name} at {at}: reduction {red:.1%} ± {ci:.1%} (regret {ma:.4g} ± {ca:.2g} vs "
                f"{baseline} {mb:.4g} ± {cb:.2g})")

    ok = bool(best[0] >= min_reduction)
    others = "; ".join(fmt(r) for n, r in sorted(per_alg.items()) if n != best[2])
    return Verdict(ok, "best: " + fmt(best) + (f"; best per other algorithm: {others}" if others else ""),
                   f"best reduction >= {min_reduction:.0%} with non-overlapping 95% CIs (paper: up to 70%)",
                   "per sweep point: pooled means over reps x seeds, 95% CI = ±1.96 SE")


def memory_bound_held(data: ClaimData, peak: str = "peak_memory", bound_key: str = "stream_env.memory",
                      arms_key: str = "stream_env.n_arms", by: str = "stream_policy") -> Verdict:
    """The arm-memory bound was never exceeded: every replication's peak slot use (recorded by the
    env, which raises the moment a read would exceed the bound) is <= the bound, the bound is o(K)
    (below the smallest K swept), and no job is missing from the sweep grid (a job the env
    stopped would be FAILED and absent from the finished runs)."""
    runs = data.runs
    if runs.empty:
        return Verdict(False, "no finished runs", "all jobs finished", "")
    try:
        f = data.finals_of(peak).copy()
    except KeyError as exc:
        return Verdict(False, f"error: {exc}", "per-rep peak memory recorded", "")
    f["_bound"] = _with_key(f, data, bound_key)
    f["_K"] = _with_key(f, data, arms_key)
    over = f[f["value"] > f["_bound"]]
    keys = list(data.keys)
    combos = runs[[column_for(runs, k) for k in keys]].astype(str).drop_duplicates() if keys else runs.iloc[:1]
    expected = int(np.prod([runs[column_for(runs, k)].astype(str).nunique() for k in keys])) if keys else 1
    seeds = runs.groupby([column_for(runs, k) for k in keys])["params.seed"].nunique() if keys and "params.seed" in runs else None
    n_seeds = runs["params.seed"].nunique() if "params.seed" in runs else 1
    missing = expected - len(combos) + (int((n_seeds - seeds).sum()) if seeds is not None else 0)
    sublinear = bool((f["_bound"] < f["_K"]).all())
    ok = over.empty and missing == 0 and sublinear
    per = f.groupby(by)["value"].max() if by in f.columns else pd.Series({"all": f["value"].max()})
    peaks = ", ".join(f"{k} {int(v)}" for k, v in per.items())
    return Verdict(ok, f"peak slots per policy: {peaks}; bound {int(f['_bound'].max())}; "
                       f"{len(over)} of {len(f)} replications over the bound; {missing} job(s) missing "
                       f"from the grid; bound < K in every run: {sublinear}",
                   "peak <= bound in every replication, bound < K, every job of the grid finished",
                   "peaks recorded by the env per replication")
