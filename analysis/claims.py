"""Paper claims as checks: functions ``(ClaimData, **params) -> Verdict`` that can fail.

Presets list their claims under ``meta.claims`` as config nodes (``_target_`` one of these
functions, ``_partial_: true``, its parameters, and ``claim:`` the paper's statement). Every
verdict states the statistic, its uncertainty and the pass criterion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from analysis.frames import pooled

Z95 = 1.959963984540054


@dataclass
class Verdict:
    passed: bool
    measured: str
    expected: str
    text: str = ""
    claim: str = ""


@dataclass
class ClaimData:
    """What claims read. ``finals``: one row per replication (group keys, seed, rep, value) of the
    report's curve array; ``curves``: pooled curve per group (group keys, step, mean, se, n);
    ``runs``: one row per job; ``arrays``: finals of every other per-rep array of the jobs
    (array name -> frame shaped like ``finals``; for a reps x steps array, its last column)."""

    runs: pd.DataFrame
    finals: pd.DataFrame
    curves: pd.DataFrame
    keys: list[str] = field(default_factory=list)
    arrays: dict[str, pd.DataFrame] = field(default_factory=dict)

    def finals_of(self, name: str) -> pd.DataFrame:
        """Per-replication finals of array ``name`` (the curve array's are ``finals``)."""
        if name in self.arrays:
            return self.arrays[name]
        raise KeyError(f"no per-rep array {name!r}; have: {', '.join(sorted(self.arrays)) or '(none)'}")


def _others(data: ClaimData, by: str) -> list[str]:
    return [k for k in data.keys if k != by]


def beats_baseline(data: ClaimData, by: str, baseline: str, lower_is_better: bool = True,
                   exclude: Sequence[str] = ()) -> Verdict:
    """Every value of ``by`` (except excluded) has a better final value than ``baseline``.

    Paired over (seed, rep) -- the same environment draws under common random numbers -- within
    each combination of the other varying keys; pass if every 95% CI of the paired mean
    difference lies strictly on the better side of zero.
    """
    f = data.finals
    if by not in f.columns or baseline not in set(f[by].astype(str)):
        return Verdict(False, f"no runs with {by}={baseline}", f"{by}={baseline} present", "baseline missing")
    others = _others(data, by)
    lines, ok = [], True
    sign = 1.0 if lower_is_better else -1.0
    for ctx, part in (f.groupby(others, dropna=False) if others else [((), f)]):
        base = part[part[by].astype(str) == baseline].set_index(["seed", "rep"])["value"]
        for name, grp in part.groupby(by):
            if str(name) in (baseline, *exclude):
                continue
            cur = grp.set_index(["seed", "rep"])["value"]
            common = cur.index.intersection(base.index)
            mean, se, n = pooled(sign * (base.loc[common].to_numpy() - cur.loc[common].to_numpy()))
            lo = mean - Z95 * se
            good = bool(n > 1 and lo > 0)
            ok &= good
            where = f" [{ctx}]" if others else ""
            lines.append(f"{name}{where}: advantage {sign * mean:+.4g} (95% CI ±{Z95 * se:.2g}, n={n})"
                         f" {'ok' if good else 'NOT significant'}")
    return Verdict(ok, "; ".join(lines), f"every {by} better than {baseline} with the paired 95% CI excluding 0",
                   "paired over seeds and reps (common random numbers)")


def _at(steps: np.ndarray, target: float) -> int:
    return int(np.argmin(np.abs(np.log(steps) - np.log(target))))


def log_growth(data: ClaimData, by: str, which: Sequence[str], max_ratio: float = 2.0,
               decades: int = 2) -> Verdict:
    """Regret grows like log t: the increment over the last decade of t is at most ``max_ratio``
    times the increment over the decade before (log growth gives 1, sqrt 3.2, linear 10).

    Uses the pooled mean curve per group; the ratio's uncertainty is propagated from the pooled
    standard errors (delta method) and the check uses the upper end of its 95% CI.
    """
    c = data.curves
    lines, ok = [], True
    others = _others(data, by)
    for name in which:
        sub = c[c[by].astype(str) == str(name)]
        if sub.empty:
            return Verdict(False, f"no curve for {by}={name}", f"{by}={name} present", "group missing")
        for ctx, part in (sub.groupby(others, dropna=False) if others else [((), sub)]):
            part = part.sort_values("step")
            steps = part["step"].to_numpy(float)
            m, s = part["mean"].to_numpy(float), part["se"].to_numpy(float)
            t_end = steps[-1]
            i2, i1, i0 = len(steps) - 1, _at(steps, t_end / 10), _at(steps, t_end / 10 ** decades)
            inc_late, inc_early = m[i2] - m[i1], m[i1] - m[i0]
            if inc_early <= 0:
                ok = False
                lines.append(f"{name}: no growth over the earlier decade")
                continue
            ratio = inc_late / inc_early
            # delta-method SE of the ratio, treating the three points' SEs as independent (conservative)
            se_ratio = abs(ratio) * np.sqrt((s[i2] ** 2 + s[i1] ** 2) / max(inc_late, 1e-12) ** 2
                                            + (s[i1] ** 2 + s[i0] ** 2) / inc_early ** 2)
            upper = ratio + Z95 * se_ratio
            good = bool(upper <= max_ratio)
            ok &= good
            where = f" [{ctx}]" if others else ""
            lines.append(f"{name}{where}: increment ratio {ratio:.2f} (95% upper {upper:.2f}) over "
                         f"t={steps[i0]:.0f}->{steps[i1]:.0f}->{steps[i2]:.0f}")
    return Verdict(ok, "; ".join(lines), f"late/early decade increment ratio <= {max_ratio} (log growth: 1; sqrt: 3.2; linear: 10)",
                   "pooled mean curve over reps and seeds")


def loglog_slope(data: ClaimData, x: str, by: str | None = None, which: Sequence[str] = (),
                 expected: Sequence[float] = (0.0, 1.0)) -> Verdict:
    """Slope of log(final value) against log(x) across runs, per group, with a 95% CI from the
    least-squares fit over all replications; pass if every estimate lies in ``expected``."""
    f = data.finals
    if x not in f.columns:
        return Verdict(False, f"{x} does not vary", f"{x} swept", "x missing")
    lo, hi = expected
    groups = [(None, f)] if by is None else [(n, g) for n, g in f.groupby(by) if not which or str(n) in which]
    lines, ok = [], True
    for name, g in groups:
        g = g[(g["value"] > 0) & np.isfinite(g["value"])]
        lx, ly = np.log(g[x].astype(float).to_numpy()), np.log(g["value"].to_numpy())
        if np.unique(lx).size < 2:
            ok = False
            lines.append(f"{name}: fewer than 2 distinct {x}")
            continue
        A = np.vstack([lx, np.ones_like(lx)]).T
        coef, res, *_ = np.linalg.lstsq(A, ly, rcond=None)
        dof = max(len(ly) - 2, 1)
        sigma2 = float(np.sum((ly - A @ coef) ** 2) / dof)
        se = float(np.sqrt(sigma2 / np.sum((lx - lx.mean()) ** 2)))
        good = bool(lo <= coef[0] <= hi)
        ok &= good
        lines.append(f"{name if name is not None else 'all'}: slope {coef[0]:.3f} ± {Z95 * se:.3f} (95% CI)")
    return Verdict(ok, "; ".join(lines), f"slope in [{lo}, {hi}]", f"least squares of log value on log {x}")
