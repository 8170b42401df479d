"""Paper claims of the submodular family (PAPERS.md §3) as checks ``(ClaimData, **params) -> Verdict``.

They read per-replication finals of the jobs' per-rep arrays (``data.finals_of(name)``, one row
per (seed, rep) with the varying config keys; for a reps x checkpoints array the last column)
and group by every varying key except the one compared, so a verdict is checked separately in
each context (stream, k, eps, n, ...).

Static (``experiments.submodular.run_static``):
- ``lazy_equals_greedy``: Minoux's lazy greedy returns greedy's value with fewer oracle calls.
- ``ratio_at_least``: an algorithm's f(S) / f(greedy) is at least its guarantee (a bound vs OPT
  implies the same bound vs greedy, since f(greedy) <= OPT).
- ``loglog_slopes``: oracle calls grow like x^slope (e.g. greedy ~ k, stochastic greedy ~ k^0).
Dynamic (``experiments.submodular.run_dynamic``):
- ``min_ratio_at_least``: min over all checkpoints of f(S_t) / f(greedy_t) >= 1/2 - eps.
- ``polylog_vs_recompute``: amortised calls per update grow at most polylogarithmically in n
  (log-log slope small) while recompute greedy's grow linearly (slope ~ 1).
- ``speedup_at_largest``: recompute greedy / the algorithm at the largest n >= a target.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.claims import Z95, ClaimData, Verdict
from analysis.frames import pooled

from analysis.selection import META as _META, contexts as _contexts


def _frame(data: ClaimData, array: str) -> pd.DataFrame:
    return data.finals_of(array)


def _keep(df: pd.DataFrame, by: str | None = None, which: Sequence[str] = (),
          exclude: Mapping[str, Sequence] | None = None) -> pd.DataFrame:
    """Rows whose ``by`` is in ``which`` (all if empty) and whose keys avoid ``exclude``."""
    out = df
    if by is not None and which:
        if by not in out.columns:
            raise KeyError(f"{by!r} is not a varying key; columns: {', '.join(map(str, df.columns))}")
        out = out[out[by].astype(str).isin([str(w) for w in which])]
    for key, values in (exclude or {}).items():
        if key in out.columns:
            out = out[~out[key].astype(str).isin([str(v) for v in values])]
    return out


def _ci(values: np.ndarray) -> tuple[float, float, int]:
    """Mean, 95% CI half-width (nan for one replication) and count."""
    mean, se, n = pooled(values)
    return mean, Z95 * se, n


def _fmt_ci(mean: float, half: float, n: int) -> str:
    return f"{mean:.4g} ± {half:.2g} (95% CI, n={n})" if np.isfinite(half) else f"{mean:.4g} (n={n}, no CI)"


def _slope(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares slope of y on x and its 95% CI half-width (nan if < 3 points)."""
    A = np.vstack([x, np.ones_like(x)]).T
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    dof = len(y) - 2
    if dof <= 0:
        return float(coef[0]), float("nan")
    sigma2 = float(np.sum((y - A @ coef) ** 2) / dof)
    return float(coef[0]), float(Z95 * np.sqrt(sigma2 / np.sum((x - x.mean()) ** 2)))


# --- static --------------------------------------------------------------------------------
def lazy_equals_greedy(data: ClaimData, by: str = "algorithm", which: str = "lazy_greedy",
                       value: str = "ratio", calls: str = "call_ratio", tol: float = 1e-9) -> Verdict:
    """Every replication of ``which`` has f(S) / f(greedy) = 1 (within ``tol``) and makes fewer
    oracle calls than greedy (calls / greedy calls < 1)."""
    v = _keep(_frame(data, value), by, [which])
    c = _keep(_frame(data, calls), by, [which])
    if v.empty or c.empty:
        return Verdict(False, f"no runs with {by}={which}", f"{by}={which} present", "group missing")
    dev = float(np.nanmax(np.abs(v["value"].to_numpy(float) - 1.0)))
    cr = c["value"].to_numpy(float)
    mean, half, n = _ci(cr)
    ok = bool(dev <= tol and np.all(cr < 1.0))
    return Verdict(ok, f"max |ratio - 1| = {dev:.2g}; call ratio {_fmt_ci(mean, half, n)}, "
                       f"max {cr.max():.3g}",
                   f"|f(lazy)/f(greedy) - 1| <= {tol:g} and calls(lazy)/calls(greedy) < 1 in every replication",
                   "per replication: the same objective instance for both")


def ratio_at_least(data: ClaimData, bounds: Mapping[str, float], array: str = "ratio",
                   by: str = "algorithm", expectation: Sequence[str] = ()) -> Verdict:
    """For each ``by`` value in ``bounds``: the ratio is at least its bound in every context.

    Deterministic guarantees: the minimum over replications must reach the bound. Guarantees
    in expectation (names in ``expectation``, e.g. stochastic greedy): the lower end of the
    95% CI of the mean must reach it.
    """
    f = _frame(data, array)
    lines, ok = [], True
    for name, bound in bounds.items():
        part = _keep(f, by, [name])
        if part.empty:
            ok = False
            lines.append(f"{name}: no runs")
            continue
        worst, bad = None, []
        for ctx, grp in _contexts(part, [by]):
            vals = grp["value"].to_numpy(float)
            mean, half, n = _ci(vals)
            if name in expectation:
                stat, what = mean - (half if np.isfinite(half) else 0.0), f"mean {_fmt_ci(mean, half, n)}"
            else:
                stat, what = float(np.min(vals)), f"min {float(np.min(vals)):.4g} (mean {_fmt_ci(mean, half, n)})"
            if worst is None or stat < worst[0]:
                worst = (stat, f"{what} [{ctx}]")
            if stat < bound:
                bad.append(f"BELOW {bound:.4g}: {what} [{ctx}]")
        ok &= not bad
        kind = "lower 95% CI of the mean" if name in expectation else "minimum"
        lines.append(f"{name}: tightest context by {kind}: {worst[1]} vs {bound:.4g}"
                     + (f"; {'; '.join(bad)}" if bad else " ok"))
    crit = ", ".join(f"{k} >= {v:.4g}" for k, v in bounds.items())
    return Verdict(ok, "; ".join(lines), f"{array}: {crit} (min over replications; lower 95% CI "
                                         f"of the mean for {', '.join(expectation) or 'none'})",
                   "f(S)/f(greedy) on the same instance")


def loglog_slopes(data: ClaimData, array: str, x: str, expected: Mapping[str, Sequence[float]],
                  by: str = "algorithm", exclude: Mapping[str, Sequence] | None = None) -> Verdict:
    """Per ``by`` value and context: slope of log(final ``array``) on log(``x``) over all
    replications (95% CI from the fit); pass if every point estimate lies in its range."""
    f = _keep(_frame(data, array), exclude=exclude)
    if x not in f.columns:
        return Verdict(False, f"{x} does not vary", f"{x} swept", "x missing")
    lines, ok = [], True
    for name, (lo, hi) in expected.items():
        part = _keep(f, by, [name])
        if part.empty:
            ok = False
            lines.append(f"{name}: no runs")
            continue
        for ctx, grp in _contexts(part, [by, x]):
            grp = grp[(grp["value"] > 0) & np.isfinite(grp["value"])]
            lx = np.log(grp[x].astype(float).to_numpy())
            if np.unique(lx).size < 2:
                ok = False
                lines.append(f"{name} [{ctx}]: fewer than 2 distinct {x}")
                continue
            s, half = _slope(lx, np.log(grp["value"].to_numpy(float)))
            good = bool(lo <= s <= hi)
            ok &= good
            ci = f"± {half:.2g} (95% CI)" if np.isfinite(half) else f"({len(lx)} points, no CI)"
            lines.append(f"{name} [{ctx}]: slope {s:.3f} {ci} in [{lo}, {hi}] "
                         f"{'ok' if good else 'OUT'}")
    return Verdict(ok, "; ".join(lines), "log-log slope of " + array + f" vs {x}: " + ", ".join(
        f"{k} in [{v[0]}, {v[1]}]" for k, v in expected.items()), "least squares over all replications")


# --- dynamic -------------------------------------------------------------------------------
def min_ratio_at_least(data: ClaimData, array: str = "min_ratio", by: str = "dynamic",
                       which: Sequence[str] = ("banihashem",), eps_key: str = "dynamic.eps",
                       eps: float | None = None, base: float = 0.5, eps_coef: float = 1.0,
                       exclude: Mapping[str, Sequence] | None = None) -> Verdict:
    """In every context, the minimum over replications of (min over checkpoints of
    f(S_t)/f(greedy_t)) is >= base - eps_coef * eps; eps is the context's ``eps_key`` value
    (or ``eps``).

    The guarantee is deterministic for every update (PAPERS.md §3 claim (a)), so the statistic
    is the worst case; the mean of the per-replication minima is reported with its CI.
    """
    f = _keep(_frame(data, array), by, which, exclude)
    if f.empty:
        return Verdict(False, f"no runs with {by} in {list(which)}", f"{by} in {list(which)}", "group missing")
    if eps is None and eps_key not in f.columns:
        col = f"params.{eps_key}"
        if col in data.runs.columns and data.runs[col].nunique() == 1:
            eps = float(data.runs[col].iloc[0])
        else:
            return Verdict(False, f"eps: {eps_key} neither varies nor is constant in the runs",
                           "an eps per context", "eps missing")
    lines, ok, worst = [], True, (np.inf, "")
    for ctx, grp in _contexts(f, []):
        e = eps_coef * (float(grp[eps_key].iloc[0]) if eps is None else float(eps))
        vals = grp["value"].to_numpy(float)
        lo = float(np.min(vals))
        good = bool(lo >= base - e - 1e-12)
        ok &= good
        if lo - (base - e) < worst[0]:
            worst = (lo - (base - e), f"{lo:.4f} vs {base - e:.3g} [{ctx}]")
        if not good:
            lines.append(f"BELOW: {lo:.4f} < {base - e:.3g} [{ctx}]")
    allv = f["value"].to_numpy(float)
    mean, half, n = _ci(allv)
    head = (f"overall min {allv.min():.4f}; tightest context {worst[1]}; mean of per-replication "
            f"minima {_fmt_ci(mean, half, n)}; {len(_contexts(f, []))} contexts")
    crit = f"{base:.4g} - eps" if eps_coef == 1.0 else f"{base:.4g} - {eps_coef:.4g} eps"
    return Verdict(ok, "; ".join([head, *lines]), f"min_t f(S_t)/f(greedy_t) >= {crit} in every context",
                   "worst case over checkpoints and replications (a deterministic bound)")


def polylog_vs_recompute(data: ClaimData, x: str = "objective.n", array: str = "calls_per_update",
                         recompute: str = "recompute_calls_per_update", by: str = "dynamic",
                         which: Sequence[str] = ("banihashem",), max_slope: float = 0.3,
                         min_recompute_slope: float = 0.9,
                         exclude: Mapping[str, Sequence] | None = None) -> Verdict:
    """Per algorithm and context: log-log slope of amortised calls per update vs n is at most
    ``max_slope`` (c log^p n has local slope p / ln n: <= 0.29 for p <= 2 over n >= 1e3,
    a power law n^a has slope a) while recompute greedy's slope is at least
    ``min_recompute_slope`` (linear: 1). Also fits p in c (ln n)^p by least squares."""
    f = _keep(_frame(data, array), by, which, exclude)
    g = _keep(_frame(data, recompute), by, which, exclude)
    if f.empty or x not in f.columns:
        return Verdict(False, f"no runs with {by} in {list(which)} and varying {x}", f"{x} swept", "missing")
    lines, ok = [], True
    for ctx, grp in _contexts(f, [x]):
        keys = [c for c in grp.columns if c not in (*_META, x)]
        rec = g.merge(grp[keys].drop_duplicates(), on=keys) if keys else g
        lx = np.log(grp[x].astype(float).to_numpy())
        if np.unique(lx).size < 2:
            ok = False
            lines.append(f"[{ctx}]: fewer than 2 distinct {x}")
            continue
        ly = np.log(grp["value"].to_numpy(float))
        s, half = _slope(lx, ly)
        p, p_half = _slope(np.log(lx), ly)
        rs, r_half = _slope(np.log(rec[x].astype(float).to_numpy()), np.log(rec["value"].to_numpy(float)))
        good = bool(s <= max_slope and rs >= min_recompute_slope)
        ok &= good
        lines.append(f"[{ctx}]: algorithm slope {s:.3f} ± {half:.2g} (polylog fit p = {p:.2f} ± {p_half:.2g}), "
                     f"recompute slope {rs:.3f} ± {r_half:.2g} {'ok' if good else 'FAIL'}")
    return Verdict(ok, "; ".join(lines), f"slope(algorithm) <= {max_slope} and slope(recompute) >= "
                                         f"{min_recompute_slope} (log-log, amortised calls per update vs {x})",
                   "least squares over replications; recompute = greedy from scratch per update, "
                   "measured at checkpoints")


def speedup_at_largest(data: ClaimData, x: str = "objective.n", array: str = "speedup",
                       by: str = "dynamic", which: Sequence[str] = ("banihashem",),
                       min_speedup: float = 100.0,
                       exclude: Mapping[str, Sequence] | None = None) -> Verdict:
    """At the largest ``x``, in every context: recompute greedy's amortised calls / the
    algorithm's >= ``min_speedup``, checked on the lower end of the 95% CI of the mean
    (on the single value when there is one replication)."""
    f = _keep(_frame(data, array), by, which, exclude)
    if f.empty or x not in f.columns:
        return Verdict(False, f"no runs with {by} in {list(which)} and {x}", f"{x} swept", "missing")
    top = f[f[x].astype(float) == f[x].astype(float).max()]
    lines, ok = [], True
    for ctx, grp in _contexts(top, []):
        mean, half, n = _ci(grp["value"].to_numpy(float))
        lo = mean - (half if np.isfinite(half) else 0.0)
        good = bool(lo >= min_speedup)
        ok &= good
        lines.append(f"[{ctx}]: {_fmt_ci(mean, half, n)} {'ok' if good else 'BELOW'}")
    return Verdict(ok, "; ".join(lines), f"recompute / algorithm amortised calls >= {min_speedup:g} at "
                                         f"{x} = {f[x].astype(float).max():g}",
                   "recompute cost measured by running greedy from scratch at each checkpoint")
