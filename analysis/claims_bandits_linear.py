"""Claim of Zhang, He, Fan & Gu (ICML'23): misspecified linear bandits have a threshold near
Delta / sqrt(d) -- gap-dependent (logarithmic or constant) regret below it, linear regret above.

``(ClaimData, **params) -> Verdict`` like ``analysis.claims``; it reads the pooled regret curves.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from analysis.claims import Z95, ClaimData, Verdict
from analysis.frames import column_for


def _constant(data: ClaimData, key: str) -> float:
    values = data.runs[column_for(data.runs, key)].astype(float).unique()
    if values.size != 1:
        raise KeyError(f"{key!r} must be constant across the sweep (found {sorted(values)})")
    return float(values[0])


def late_slope(steps: np.ndarray, mean: np.ndarray, se: np.ndarray, decades: float = 1.0
               ) -> tuple[float, float]:
    """Log-log slope of the mean regret curve over its last ``decades`` decades of t, and its
    standard error (delta method, the two points' SEs treated as independent): ~0 for constant
    regret, ~1/ln t for logarithmic growth, 1 for linear growth."""
    t_end = steps[-1]
    i0 = int(np.argmin(np.abs(np.log(steps) - np.log(t_end / 10 ** decades))))
    m0, m1 = mean[i0], mean[-1]
    span = math.log(steps[-1] / steps[i0])
    if m0 <= 0 or m1 <= 0 or span <= 0:
        return 0.0, 0.0
    slope = math.log(m1 / m0) / span
    se_slope = math.sqrt((se[-1] / m1) ** 2 + (se[i0] / m0) ** 2) / span
    return slope, se_slope


def misspecification_threshold(data: ClaimData, x: str = "linear_env.zeta", by: str = "linear_policy",
                               which: Sequence[str] = (), gap_key: str = "linear_env.gap",
                               dim_key: str = "linear_env.dim", factor: float = 3.0,
                               log_max: float = 0.3, linear_min: float = 0.7, decades: float = 1.0) -> Verdict:
    """Per policy, classify each zeta by the late log-log slope s of its regret curve (last
    ``decades`` decades of t): "log" (logarithmic or constant) if the upper end of the 95% CI of s is
    <= ``log_max``, "linear" if the lower end is >= ``linear_min``, otherwise undecided. Pass if
    for every policy all zetas up to some zeta_lo are "log", all from some zeta_hi on are "linear"
    (nothing else outside (zeta_lo, zeta_hi)), and the transition sqrt(zeta_lo zeta_hi) lies within
    ``factor`` of Delta / sqrt(d) (the paper's threshold holds up to log factors)."""
    c = data.curves
    if c.empty or x not in c.columns:
        return Verdict(False, f"{x} does not vary (or no curves)", f"{x} swept", "x missing")
    gap, dim = _constant(data, gap_key), _constant(data, dim_key)
    thr = gap / math.sqrt(dim)
    groups = [(n, g) for n, g in c.groupby(by)] if by in c.columns else [("all", c)]
    lines, ok = [], True
    for name, g in groups:
        if which and str(name) not in which:
            continue
        cls = []
        for z, part in g.groupby(g[x].astype(float)):
            part = part.sort_values("step")
            s, se = late_slope(part["step"].to_numpy(float), part["mean"].to_numpy(float),
                               part["se"].fillna(0).to_numpy(float), decades)
            kind = "log" if s + Z95 * se <= log_max else ("linear" if s - Z95 * se >= linear_min else "?")
            cls.append((float(z), kind, s, Z95 * se))
        cls.sort()
        zs = [z for z, *_ in cls]
        kinds = [k for _, k, *_ in cls]
        n_log = next((i for i, k in enumerate(kinds) if k != "log"), len(kinds))     # leading "log"s
        n_lin = next((i for i, k in enumerate(reversed(kinds)) if k != "linear"), len(kinds))
        detail = ", ".join(f"{z / thr:.3g}x:{k}({s:.2f}±{ci:.2f})" for z, k, s, ci in cls)
        if n_log == 0 or n_lin == 0 or n_log + n_lin > len(kinds):
            ok = False
            lines.append(f"{name}: no log regime below and linear regime above [{detail}]")
            continue
        z_lo, z_hi = zs[n_log - 1], zs[len(zs) - n_lin]
        middle = kinds[n_log:len(kinds) - n_lin]
        z_t = math.sqrt(z_lo * z_hi)
        monotone = all(k == "?" for k in middle)
        good = bool(thr / factor <= z_t <= thr * factor and monotone)
        ok &= good
        lines.append(f"{name}: log up to zeta={z_lo:.3g}, linear from {z_hi:.3g}; transition "
                     f"{z_t:.3g} = {z_t / thr:.2f} x Delta/sqrt(d)"
                     f"{'' if monotone else ' NOT MONOTONE (log and linear interleave)'} [{detail}]")
    return Verdict(ok, f"Delta/sqrt(d) = {thr:.4g}; " + "; ".join(lines),
                   f"log (late slope CI <= {log_max}) below, linear (>= {linear_min}) above, transition "
                   f"within x{factor:g} of Delta/sqrt(d)",
                   f"late log-log slope of the pooled regret curve over the last {decades:g} decade(s) of t")
