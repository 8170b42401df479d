"""Claims of the switching-cost, simple-regret and non-stationary bandit presets (PAPERS.md §1).

Each is a function ``(ClaimData, **params) -> Verdict`` that can fail. They read per-replication
finals (``data.finals`` = the report's curve array, or ``data.finals_of(array)``), one row per
(seed, rep) with the varying config keys as columns (values as logged: strings of numbers are
compared numerically). ``where`` selects rows: {key: value or [values]}; a key that does not
vary is checked against the runs' constant value. Rates are fitted on pooled means per x and
their uncertainty is a bootstrap over replications (resampling reps within each cell), so a
95% interval is reported next to every fitted number.

- ``flat_then_slope``: regret vs budget is flat up to ``flat_upto`` and has log-log slope in
  ``slope`` from ``fit_from`` on (Cheng, Zhou & Ji 2023: flat while B_ex = O(T^{2/3}), then
  T / sqrt(B_ex)).
- ``transition_scaling``: the budget where the full-information-type regime's regret first
  drops below the bandit regime's, per horizon T, scales like T^{expected} (2/3).
- ``sqrt_rate``: simple regret of a policy on the equal-gap family decays like T^{-1/2} at
  fixed n (log-log slope), and simple regret * sqrt(T/n) stays within a band across n and T
  (Zhao et al. 2023: SReg = O~(sqrt(n/T))).
- ``beats_in_regime``: a policy's simple regret is below each other policy's, paired over
  (seed, rep), in the data-poor (T <= n) or data-rich regime.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.claims import Z95, ClaimData, Verdict
from analysis.frames import column_for, pooled

from analysis.selection import META as _META, frame as _frame, num as _num, select as _select
N_BOOT = 400


# --------------------------------------------------------------------------- helpers

def _column(data: ClaimData, df: pd.DataFrame, key: str) -> pd.Series:
    """Numeric values of ``key`` for the rows of ``df`` (a constant from the runs if it does not vary)."""
    if key in df.columns:
        return df[key].map(_num)
    values = data.runs[column_for(data.runs, key)].dropna().unique()
    if len(values) != 1:
        raise KeyError(f"{key!r} takes {len(values)} values but is not in the finals")
    return pd.Series(_num(values[0]), index=df.index)


def _slope_with_ci(cells: dict[float, np.ndarray], means: dict[float, float],
                   rng: np.random.Generator) -> tuple[np.ndarray, float, float, float]:
    """Log-log slope of the cell means against their keys, with a bootstrap 95% CI over the
    replications of each cell (resamples with a non-positive mean give no slope)."""
    ks = np.array(list(means))
    est = _fit_slope(ks, np.array([means[k] for k in ks]))
    boots = []
    for _ in range(N_BOOT):
        bm = _boot_means(cells, rng)
        vals = np.array([bm[k] for k in ks])
        boots.append(_fit_slope(ks, vals) if (vals > 0).all() else float("nan"))
    c_lo, c_hi = _ci(boots)
    return ks, est, c_lo, c_hi


def _cells(values: pd.Series, keys: pd.Series) -> dict[float, np.ndarray]:
    return {k: values[keys == k].to_numpy(float) for k in sorted(keys.unique())}


def _fit_slope(x: np.ndarray, y: np.ndarray) -> float:
    """OLS slope of log y on log x (positive y only)."""
    lx, ly = np.log(x), np.log(y)
    return float(np.polyfit(lx, ly, 1)[0])


def _boot_means(cells: Mapping[float, np.ndarray], rng: np.random.Generator) -> dict[float, float]:
    return {k: float(v[rng.integers(0, v.size, v.size)].mean()) for k, v in cells.items()}


def _ci(samples: list[float]) -> tuple[float, float]:
    s = np.asarray([v for v in samples if np.isfinite(v)])
    if s.size < 10:
        return float("nan"), float("nan")
    return float(np.quantile(s, 0.025)), float(np.quantile(s, 0.975))


def _none(what: str) -> Verdict:
    return Verdict(False, f"no replications match {what}", "matching runs present", "selection empty")


# --------------------------------------------------------------------------- switching costs

def flat_then_slope(data: ClaimData, x: str, by: str, where: Mapping[str, Any] | None = None,
                    flat_upto: float = 0.1, fit_from: float = 1.0,
                    slope: Sequence[float] = (-0.65, -0.35), flat_tol: float = 0.1,
                    array: str | None = None, seed: int = 0) -> Verdict:
    """Per value of ``by``: (a) flat -- for every 0 < x <= flat_upto the paired mean difference
    to x = 0 lies within +-flat_tol * mean(x = 0), 95% CI included; (b) the log-log slope of the
    pooled mean vs x over x >= fit_from lies in ``slope`` (95% bootstrap CI reported)."""
    f = _select(data, _frame(data, array), where)
    if f.empty:
        return _none(f"where={where}")
    rng = np.random.default_rng(seed)
    lo, hi = slope
    lines, ok = [], True
    xs_all = _column(data, f, x)
    for b_val in sorted(_column(data, f, by).unique()):
        g = f[_column(data, f, by) == b_val]
        gx = xs_all.loc[g.index]
        base = g[gx == 0].set_index(["seed", "rep"])["value"]
        if base.empty:
            ok = False
            lines.append(f"{by}={b_val:g}: no {x}=0 runs")
            continue
        r0 = float(base.mean())
        flat_parts = []
        for xv in sorted(v for v in gx.unique() if 0 < v <= flat_upto):
            cur = g[gx == xv].set_index(["seed", "rep"])["value"]
            common = cur.index.intersection(base.index)
            m, se, n = pooled(cur.loc[common].to_numpy(float) - base.loc[common].to_numpy(float))
            se = 0.0 if not np.isfinite(se) else se
            good = abs(m) + Z95 * se <= flat_tol * abs(r0)
            ok &= bool(good)
            flat_parts.append(f"x={xv:g}: {m / r0:+.1%}±{Z95 * se / abs(r0):.1%}{'' if good else ' NOT flat'}")
        cells = _cells(g["value"], gx)
        cells = {k: v for k, v in cells.items() if k >= fit_from and k > 0}
        if len(cells) < 2:
            ok = False
            lines.append(f"{by}={b_val:g}: fewer than 2 {x} >= {fit_from:g}")
            continue
        means = {k: float(v.mean()) for k, v in cells.items()}
        if min(means.values()) <= 0:
            ok = False
            lines.append(f"{by}={b_val:g}: non-positive mean, no log-log fit")
            continue
        ks, est, c_lo, c_hi = _slope_with_ci(cells, means, rng)
        good = lo <= est <= hi
        ok &= bool(good)
        lines.append(f"{by}={b_val:g}: R(x=0)={r0:.4g}; flat [{'; '.join(flat_parts) or 'no points'}]; "
                     f"slope {est:.3f} (95% CI {c_lo:.3f}..{c_hi:.3f}) over {x} in [{ks.min():g}, {ks.max():g}]"
                     f"{'' if good else ' OUT of range'}")
    return Verdict(ok, "; ".join(lines),
                   f"|R(x) / R(0) - 1| <= {flat_tol:g} (95% CI) for x <= {flat_upto:g}; slope in [{lo}, {hi}] "
                   f"for x >= {fit_from:g}", "pooled means, paired flat test, bootstrap over replications")


def _crossing(levels: Mapping[float, float], target: float) -> float:
    """First x where levels(x) <= target, interpolated log-log with the previous x; nan if none."""
    ks = sorted(levels)
    for i, k in enumerate(ks):
        if levels[k] <= target:
            if i == 0:
                return float("nan")                     # already below at the smallest x: unresolved
            k0, m0, m1 = ks[i - 1], levels[ks[i - 1]], levels[k]
            if m1 <= 0 or m0 <= 0 or m0 == m1:
                return float(k)
            frac = (np.log(target) - np.log(m0)) / (np.log(m1) - np.log(m0))
            return float(np.exp(np.log(k0) + frac * (np.log(k) - np.log(k0))))
    return float("nan")


def transition_scaling(data: ClaimData, x: str, by: str, mode_key: str, bandit: str = "bandit",
                       full: str = "full", where: Mapping[str, Any] | None = None,
                       ratio_exponent: float | None = 2 / 3, expected: Sequence[float] = (0.5, 0.85),
                       array: str | None = None, seed: int = 0) -> Verdict:
    """Per horizon (``by``): B* = the x where the ``full`` regime's mean regret first falls to the
    ``bandit`` regime's level (its mean at its smallest x), interpolated log-log between grid
    points; with ``ratio_exponent`` e, x is a ratio and B* = x* T^e. Pass if the log-log slope of
    B* against T lies in ``expected`` (the paper: B* ~ T^{2/3}); 95% bootstrap CI reported."""
    f = _select(data, _frame(data, array), where)
    if f.empty:
        return _none(f"where={where}")
    rng = np.random.default_rng(seed)
    modes = f[mode_key].astype(str) if mode_key in f.columns else None
    if modes is None:
        return Verdict(False, f"{mode_key} does not vary", f"{mode_key} in {{{bandit}, {full}}}", "key missing")
    xs, ts = _column(data, f, x), _column(data, f, by)
    per_t = {}
    for t_val in sorted(ts.unique()):
        sel_b = (ts == t_val) & (modes == bandit)
        if not sel_b.any():
            continue
        x_min = xs[sel_b].min()
        band = f.loc[sel_b & (xs == x_min), "value"].to_numpy(float)
        sel_f = (ts == t_val) & (modes == full) & (xs > 0)
        cells = _cells(f.loc[sel_f, "value"], xs[sel_f])
        per_t[t_val] = (band, cells)
    if len(per_t) < 2:
        return Verdict(False, f"{len(per_t)} horizon(s) with both regimes", "at least 2", "too few horizons")

    def b_star(use: Mapping[float, tuple[float, Mapping[float, float]]]) -> dict[float, float]:
        out = {}
        for t_val, (level, means) in use.items():
            xc = _crossing(means, level)
            out[t_val] = xc * t_val ** ratio_exponent if ratio_exponent is not None else xc
        return out

    point = b_star({t: (float(bv.mean()), {k: float(v.mean()) for k, v in c.items()}) for t, (bv, c) in per_t.items()})
    lines = [f"{by}={t:g}: B*={v:.4g}" + (f" (ratio {v / t ** ratio_exponent:.3g})" if ratio_exponent and np.isfinite(v) else "")
             for t, v in point.items()]
    if not all(np.isfinite(v) and v > 0 for v in point.values()):
        return Verdict(False, "; ".join(lines) + " -- no crossing for some horizon",
                       f"slope of log B* vs log {by} in {list(expected)}", "crossing not found")
    t_arr = np.array(list(point))
    est = _fit_slope(t_arr, np.array([point[t] for t in t_arr]))
    boots = []
    for _ in range(N_BOOT):
        use = {t: (float(bv[rng.integers(0, bv.size, bv.size)].mean()), _boot_means(c, rng)) for t, (bv, c) in per_t.items()}
        bs = b_star(use)
        vals = np.array([bs[t] for t in t_arr])
        boots.append(_fit_slope(t_arr, vals) if np.all(np.isfinite(vals)) and (vals > 0).all() else float("nan"))
    c_lo, c_hi = _ci(boots)
    lo, hi = expected
    ok = bool(lo <= est <= hi)
    return Verdict(ok, f"slope {est:.3f} (95% CI {c_lo:.3f}..{c_hi:.3f}); " + "; ".join(lines),
                   f"slope of log B* vs log {by} in [{lo}, {hi}] (paper: 2/3)",
                   "crossing of pooled mean curves; bootstrap over replications")


# --------------------------------------------------------------------------- simple regret

def sqrt_rate(data: ClaimData, by: str, policy: str, n_key: str, budget_key: str = "budget",
              where: Mapping[str, Any] | None = None, min_stage_pulls: float = 1.0,
              slope: Sequence[float] = (-0.65, -0.35), max_band: float = 4.0,
              array: str | None = None, seed: int = 0) -> Verdict:
    """``policy`` (a value of ``by``) on the selected instances in SH's data-rich regime,
    T >= min_stage_pulls * n * ceil(log2 n) (every stage pulls each surviving arm at least
    min_stage_pulls times): (a) per n with two or more budgets, the log-log slope of mean simple
    regret vs T lies in ``slope``; (b) the pooled mean of SReg * sqrt(T / n) over the (n, T) cells
    varies by at most a factor ``max_band`` (sqrt(n/T) up to logs). 95% bootstrap CIs reported."""
    f = _select(data, _frame(data, array), {**(where or {}), by: policy})
    if f.empty:
        return _none(f"{by}={policy}, where={where}")
    ns, ts = _column(data, f, n_key), _column(data, f, budget_key)
    keep = ts >= min_stage_pulls * ns * np.ceil(np.log2(ns))
    f, ns, ts = f[keep], ns[keep], ts[keep]
    if f.empty:
        return _none(f"T >= {min_stage_pulls:g} n ceil(log2 n)")
    rng = np.random.default_rng(seed)
    lo, hi = slope
    lines, ok = [], True
    norm_cells: dict[tuple[float, float], np.ndarray] = {}
    for n_val in sorted(ns.unique()):
        g = ns == n_val
        cells = _cells(f.loc[g, "value"], ts[g])
        for t_val, v in cells.items():
            norm_cells[(n_val, t_val)] = v * np.sqrt(t_val / n_val)
        if len(cells) < 2:
            lines.append(f"n={n_val:g}: one budget only, no slope")
            continue
        means = {k: float(v.mean()) for k, v in cells.items()}
        if min(means.values()) <= 0:
            ok = False
            lines.append(f"n={n_val:g}: zero mean simple regret, no log-log fit")
            continue
        ks, est, c_lo, c_hi = _slope_with_ci(cells, means, rng)
        good = lo <= est <= hi
        ok &= bool(good)
        lines.append(f"n={n_val:g}: slope in T {est:.3f} (95% CI {c_lo:.3f}..{c_hi:.3f}), T in [{ks.min():g}, {ks.max():g}]"
                     f"{'' if good else ' OUT of range'}")
    nm = {k: float(v.mean()) for k, v in norm_cells.items()}
    band = max(nm.values()) / min(nm.values()) if min(nm.values()) > 0 else float("inf")
    bb = []
    for _ in range(N_BOOT):
        bm = _boot_means(norm_cells, rng)
        bb.append(max(bm.values()) / min(bm.values()) if min(bm.values()) > 0 else float("nan"))
    b_lo, b_hi = _ci(bb)
    good = band <= max_band
    ok &= bool(good)
    lines.append(f"SReg*sqrt(T/n) in [{min(nm.values()):.3g}, {max(nm.values()):.3g}] over {len(nm)} (n, T) cells: "
                 f"band factor {band:.2f} (95% CI {b_lo:.2f}..{b_hi:.2f})")
    return Verdict(ok, "; ".join(lines), f"T >= {min_stage_pulls:g} n ceil(log2 n): slope in [{lo}, {hi}] per n; "
                   f"band factor <= {max_band:g}",
                   "pooled means; bootstrap over replications")


def beats_in_regime(data: ClaimData, by: str, winner: str, losers: Sequence[str], n_key: str,
                    budget_key: str = "budget", where: Mapping[str, Any] | None = None,
                    max_budget_per_arm: float | None = 1.0, min_budget_per_arm: float | None = None,
                    array: str | None = None) -> Verdict:
    """In every context (every other varying key) of the selected regime (T <= max_budget_per_arm
    * n and/or T >= min_budget_per_arm * n), ``winner``'s simple regret is below each loser's:
    paired over (seed, rep) -- the same instance for every policy -- with the 95% CI of the mean
    difference (loser - winner) excluding 0."""
    f = _select(data, _frame(data, array), where)
    if f.empty:
        return _none(f"where={where}")
    ns, ts = _column(data, f, n_key), _column(data, f, budget_key)
    keep = pd.Series(True, index=f.index)
    if max_budget_per_arm is not None:
        keep &= ts <= max_budget_per_arm * ns
    if min_budget_per_arm is not None:
        keep &= ts >= min_budget_per_arm * ns
    f = f[keep]
    if f.empty or by not in f.columns:
        return _none(f"the regime with {by} varying")
    ctx_keys = [c for c in f.columns if c not in (*_META, by)]
    groups = f.groupby(ctx_keys, dropna=False, sort=True) if ctx_keys else [((), f)]
    lines, ok, n_ctx = [], True, 0
    for ctx, part in groups:
        ctx_t = ctx if isinstance(ctx, tuple) else (ctx,)
        label = ", ".join(f"{k}={v}" for k, v in zip(ctx_keys, ctx_t)) or "all"
        w = part[part[by].astype(str) == winner].set_index(["seed", "rep"])["value"]
        if w.empty:
            continue
        n_ctx += 1
        for loser in losers:
            lz = part[part[by].astype(str) == loser].set_index(["seed", "rep"])["value"]
            common = w.index.intersection(lz.index)
            if common.empty:
                ok = False
                lines.append(f"[{label}] {loser}: no paired replications")
                continue
            m, se, n = pooled(lz.loc[common].to_numpy(float) - w.loc[common].to_numpy(float))
            good = bool(n > 1 and m - Z95 * se > 0)
            ok &= good
            lines.append(f"[{label}] {loser} - {winner}: {m:+.4g} (95% CI ±{Z95 * se:.2g}, n={n})"
                         f"{'' if good else ' NOT better'}")
    if n_ctx == 0:
        return _none(f"{by}={winner} in the regime")
    return Verdict(ok, "; ".join(lines), f"{winner} below each of {list(losers)}: paired 95% CI of the difference > 0",
                   "paired over (seed, rep) on the same instances")
