"""Paper claims of the paging family (PAPERS.md §2) as checks ``(ClaimData, **params) -> Verdict``.

They read per-replication finals of the jobs' per-rep arrays (``data.finals_of(array)``; the
report's curve array when ``array`` is None), one row per (seed, rep) with the varying config
keys. ``where`` selects rows ({key: value or [values]}; numbers compare numerically, so
``predictor.sigma: 0`` matches the logged "0.0"; a key that does not vary is checked against
the runs' constant value). Comparisons are paired over (seed, rep) -- every policy of one seed
sees the same traces and predictions (common random numbers) -- within each context (every
other varying key).

- ``every_replication``: each replication's value equals / stays below a bound (exact
  consistency with Belady; Mark&Predict's 2 OPT with perfect phase bits).
- ``increases_with``: the mean rises from the smallest to the largest x with no
  significant drop in between (smoothness in the noise; cost vs query budget with
  ``decreasing``).
- ``at_most_factor``: mean(policy) / mean(baseline) <= factor, upper 95% CI (robustness).
- ``mean_at_most``: the mean (upper 95% CI) stays below a bound in every context.
- ``better_than``: paired mean difference to each baseline significantly below 0.
- ``linear_in_errors``: misses - OPT <= coef(k) * p * requests (cost linear in wrong bits).
- ``cost_factor_increases`` / ``cost_factor_matches``: cost-aware caching, the factor
  cost(baseline) / cost(target) per context, rising with x / within a tolerance of a paper's.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.claims import Z95, ClaimData, Verdict
from analysis.frames import pooled

from analysis.selection import META as _META, contexts as _contexts, frame as _frame, same as _same, select as _select


# --------------------------------------------------------------------------- selection helpers

def _paired(a: pd.DataFrame, b: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    x = a.set_index(["seed", "rep"])["value"]
    y = b.set_index(["seed", "rep"])["value"]
    common = x.index.intersection(y.index)
    return x.loc[common].to_numpy(float), y.loc[common].to_numpy(float)


def _ratio_of_means(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """mean(a) / mean(b) and its delta-method SE for paired samples."""
    n = len(a)
    ma, mb = a.mean(), b.mean()
    r = ma / mb
    if n < 2:
        return r, float("nan")
    cov = np.cov(a, b, ddof=1)
    var = (cov[0, 0] - 2 * r * cov[0, 1] + r * r * cov[1, 1]) / (n * mb * mb)
    return r, float(np.sqrt(max(var, 0.0)))


def _none(what: str) -> Verdict:
    return Verdict(False, f"no replications match {what}", "matching runs present", "selection empty")


# --------------------------------------------------------------------------- claims

def every_replication(data: ClaimData, where: Mapping[str, Any] | None = None,
                      equals: float | None = None, at_most: float | None = None,
                      array: str | None = None, tol: float = 0.0) -> Verdict:
    """Every selected replication has value == ``equals`` (within ``tol``) and/or <= ``at_most``."""
    f = _select(data, _frame(data, array), where)
    if f.empty:
        return _none(f"where={where}")
    v = f["value"].to_numpy(float)
    ok = bool(np.all(np.isfinite(v)))
    parts = [f"{len(v)} replications, value in [{v.min():.6g}, {v.max():.6g}]"]
    crit = []
    if equals is not None:
        dev = float(np.max(np.abs(v - equals)))
        ok &= dev <= tol
        parts.append(f"max |value - {equals:g}| = {dev:.3g} ({int(np.sum(np.abs(v - equals) > tol))} off)")
        crit.append(f"value == {equals:g}" + (f" ± {tol:g}" if tol else " exactly"))
    if at_most is not None:
        ok &= bool(np.all(v <= at_most))
        parts.append(f"{int(np.sum(v > at_most))} above {at_most:g}")
        crit.append(f"value <= {at_most:g}")
    return Verdict(ok, "; ".join(parts), " and ".join(crit) + " for every replication",
                   f"selection {where or 'all'}; no statistics: an exact property")


def increases_with(data: ClaimData, x: str, by: str | None = None, which: Sequence[str] = (),
                   where: Mapping[str, Any] | None = None, array: str | None = None,
                   decreasing: bool = False, drop_z: float = 3.0, strict: bool = True) -> Verdict:
    """Per group (``by`` value x other keys): the mean at the largest x exceeds the mean at the
    smallest (95% CI of the difference excludes 0; only if ``strict``), and no step between
    consecutive x values goes against the trend by more than ``drop_z`` standard errors (3: a
    Bonferroni-style margin, many steps are checked). Differences are paired over (seed, rep)
    when the replications match (common random numbers), else unpaired. ``decreasing`` flips
    the direction; ``strict=False`` checks "never significantly against the trend" only."""
    f = _select(data, _frame(data, array), where)
    if by is not None and which:
        f = f[f[by].astype(str).isin([str(w) for w in which])] if by in f.columns else f.iloc[0:0]
    if f.empty or x not in f.columns:
        return _none(f"x={x} varying, where={where}, {by} in {list(which)}")
    sign = -1.0 if decreasing else 1.0

    def diff(lo: pd.DataFrame, hi: pd.DataFrame) -> tuple[float, float]:
        a, b = _paired(hi, lo)
        if len(a) > 1 and len(a) == len(hi) == len(lo):
            mean, se, _ = pooled(sign * (a - b))
            return mean, se
        (m1, s1, _), (m0, s0, _) = pooled(hi["value"].to_numpy(float)), pooled(lo["value"].to_numpy(float))
        return sign * (m1 - m0), float(np.hypot(np.nan_to_num(s0), np.nan_to_num(s1)))

    lines, ok = [], True
    for ctx, part in _contexts(f, drop=[x]):
        xs = sorted(part[x].unique(), key=lambda v: float(v))
        if len(xs) < 2:
            ok = False
            lines.append(f"[{ctx}] fewer than 2 values of {x}")
            continue
        groups = [part[part[x] == v] for v in xs]
        rise, se = diff(groups[0], groups[-1])
        good = bool(rise > Z95 * np.nan_to_num(se) and rise > 0) or not strict
        worst = 0.0
        for lo, hi in zip(groups, groups[1:]):
            d, s = diff(lo, hi)
            worst = max(worst, -d / max(np.nan_to_num(s), 1e-12) if d < 0 else 0.0)
        good &= worst <= drop_z
        ok &= good
        m0, m1 = groups[0]["value"].mean(), groups[-1]["value"].mean()
        if not good or len(lines) < 16:
            lines.append(f"[{ctx}] {x}={xs[0]}: {m0:.4g} -> {x}={xs[-1]}: {m1:.4g} "
                         f"(change {sign * rise:+.4g} ± {Z95 * np.nan_to_num(se):.2g}); worst step against "
                         f"the trend {worst:.2f} SE {'ok' if good else 'FAIL'}")
    word = "decreases" if decreasing else "increases"
    first = f"mean {word} from min to max {x} (95% CI) and " if strict else ""
    return Verdict(ok, "; ".join(lines), f"{first}no step against the trend beyond {drop_z:g} SE",
                   "paired over seeds and reps (common random numbers)")


def at_most_factor(data: ClaimData, by: str, which: Sequence[str], baseline: str,
                   factor: float = 1.0, where: Mapping[str, Any] | None = None,
                   array: str | None = None) -> Verdict:
    """mean(which) / mean(baseline) <= ``factor`` in every context (upper end of the 95% CI of
    the paired ratio of means)."""
    f = _select(data, _frame(data, array), where)
    if f.empty or by not in f.columns:
        return _none(f"{by} varying, where={where}")
    lines, ok, seen = [], True, False
    for ctx, part in _contexts(f, drop=[by]):
        base = part[part[by].astype(str) == str(baseline)]
        if base.empty:
            continue
        for name in which:
            cur = part[part[by].astype(str) == str(name)]
            a, b = _paired(cur, base)
            if len(a) == 0:
                continue
            seen = True
            r, se = _ratio_of_means(a, b)
            upper = r + Z95 * np.nan_to_num(se)
            good = bool(upper <= factor)
            ok &= good
            if not good or len(lines) < 12:
                lines.append(f"{name} [{ctx}]: {r:.4g} (95% upper {upper:.4g}) {'ok' if good else 'FAIL'}")
    if not seen:
        return _none(f"{by} in {list(which)} paired with {baseline}")
    return Verdict(ok, "; ".join(lines), f"mean({by}) / mean({baseline}) <= {factor:g} (95% upper bound)",
                   "paired over seeds and reps; ratio of means with a delta-method CI")


def mean_at_most(data: ClaimData, bound: float, array: str | None = None,
                 where: Mapping[str, Any] | None = None) -> Verdict:
    """In every context (all varying keys), the mean over replications is <= ``bound``
    (upper end of its 95% CI); e.g. a per-rep ratio to a baseline run on the same traces."""
    f = _select(data, _frame(data, array), where)
    if f.empty:
        return _none(f"where={where}")
    lines, ok, worst = [], True, -np.inf
    for ctx, part in _contexts(f, drop=[]):
        mean, se, n = pooled(part["value"].to_numpy(float))
        upper = mean + Z95 * np.nan_to_num(se)
        good = bool(upper <= bound)
        ok &= good
        worst = max(worst, upper)
        if not good or len(lines) < 12:
            lines.append(f"[{ctx}] {mean:.4g} (95% upper {upper:.4g}) {'ok' if good else 'FAIL'}")
    return Verdict(ok, f"largest 95% upper bound {worst:.4g}; " + "; ".join(lines),
                   f"mean <= {bound:g} in every context (95% upper bound)", "pooled over seeds and reps")


def better_than(data: ClaimData, by: str, which: Sequence[str], baselines: Sequence[str],
                where: Mapping[str, Any] | None = None, array: str | None = None,
                lower_is_better: bool = True) -> Verdict:
    """Each of ``which`` beats each baseline in every context: the paired mean difference's
    95% CI lies strictly on the better side of 0."""
    f = _select(data, _frame(data, array), where)
    if f.empty or by not in f.columns:
        return _none(f"{by} varying, where={where}")
    sign = 1.0 if lower_is_better else -1.0
    lines, ok, seen = [], True, False
    for ctx, part in _contexts(f, drop=[by]):
        for base_name in baselines:
            base = part[part[by].astype(str) == str(base_name)]
            for name in which:
                a, b = _paired(part[part[by].astype(str) == str(name)], base)
                if len(a) == 0:
                    continue
                seen = True
                mean, se, n = pooled(sign * (b - a))
                half = Z95 * np.nan_to_num(se)
                good = bool(n > 1 and mean - half > 0)
                ok &= good
                if not good or len(lines) < 12:
                    lines.append(f"{name} vs {base_name} [{ctx}]: advantage {mean:+.4g} ± {half:.2g} "
                                 f"(n={n}) {'ok' if good else 'FAIL'}")
    if not seen:
        return _none(f"{by} in {list(which)} paired with {list(baselines)}")
    return Verdict(ok, "; ".join(lines), f"{list(which)} better than {list(baselines)}, paired 95% CI excluding 0",
                   "paired over seeds and reps (common random numbers)")


def _harmonic(k: float) -> float:
    return float(np.sum(1.0 / np.arange(1, int(k) + 1)))


def linear_in_errors(data: ClaimData, x: str, by: str, which: Sequence[str], coef: str = "2H_k",
                     misses: str = "misses", opt: str = "belady", requests: str = "requests",
                     k: str = "k") -> Verdict:
    """Smoothness in the number of wrong bits: per replication, misses - OPT <= c(k) * p * n,
    p = the flip probability (x), n = requests (so p n = the expected number of wrong bits),
    c(k) = 2 H_k ("2H_k"), k - 1 ("k-1") or a number. Pass if the pooled mean excess minus
    the bound has its 95% CI below 0 in every context, or is exactly 0 at p = 0."""
    frames = {name: data.finals_of(name) for name in (misses, opt, requests, k)}
    f = frames[misses]
    if by not in f.columns or x not in f.columns:
        return _none(f"{by} and {x} varying")
    f = f[f[by].astype(str).isin([str(w) for w in which])]
    keys = [c for c in f.columns if c not in _META]
    merged = f.rename(columns={"value": "_m"})
    for name, col in ((opt, "_o"), (requests, "_n"), (k, "_k")):
        merged = merged.merge(frames[name].rename(columns={"value": col}), on=[*keys, "seed", "rep"])
    if merged.empty:
        return _none(f"{by} in {list(which)}")
    lines, ok = [], True
    for ctx, part in _contexts(merged.rename(columns={"_m": "value"}).drop(columns=["_o", "_n", "_k"]),
                               drop=[]):
        sub = merged.loc[part.index]
        kk = sub["_k"].to_numpy(float)
        c = {"2H_k": np.array([2 * _harmonic(v) for v in kk]), "k-1": kk - 1}.get(coef)
        c = np.full(len(kk), float(coef)) if c is None else c
        p = sub[x].astype(float).to_numpy()
        slack = (sub["_m"] - sub["_o"]).to_numpy(float) - c * p * sub["_n"].to_numpy(float)
        mean, se, n = pooled(slack)
        upper = mean + Z95 * np.nan_to_num(se)
        good = bool(upper < 0 or (np.all(p == 0) and np.all(slack <= 0)))
        ok &= good
        if not good or len(lines) < 12:
            lines.append(f"[{ctx}] excess - bound {mean:.4g} (95% upper {upper:.4g}) {'ok' if good else 'FAIL'}")
    return Verdict(ok, "; ".join(lines), f"misses - OPT <= {coef} * p * requests (95% upper bound)",
                   "expected wrong bits = p * requests")


def _factors(data: ClaimData, baseline: Mapping[str, Any], target: Mapping[str, Any],
             array: str | None) -> list[tuple[str, dict, float, float, int]]:
    """Per context (keys outside baseline/target): paired factor mean(baseline) / mean(target)."""
    f = _frame(data, array)
    base, tgt = _select(data, f, baseline), _select(data, f, target)
    drop = [k for k in {*baseline, *target} if k in f.columns]
    out = []
    for ctx, part in _contexts(tgt.drop(columns=drop), drop=[]):
        keys = [c for c in part.columns if c not in _META]
        b = base.drop(columns=drop)
        for key in keys:
            b = b[b[key].astype(str) == str(part[key].iloc[0])]
        a_vals, t_vals = _paired(b, part)
        if len(a_vals) == 0:
            continue
        r, se = _ratio_of_means(a_vals, t_vals)
        out.append((ctx, {key: part[key].iloc[0] for key in keys}, r, se, len(a_vals)))
    return out


def cost_factor_increases(data: ClaimData, x: str, baseline: Mapping[str, Any],
                          target: Mapping[str, Any], array: str | None = None) -> Verdict:
    """The factor cost(baseline) / cost(target) rises with ``x`` within every other context:
    largest-x factor above the smallest-x one (95% CI) and no significant drop between steps."""
    rows = _factors(data, baseline, target, array)
    if not rows:
        return _none(f"baseline {dict(baseline)} and target {dict(target)}")
    df = pd.DataFrame([{**ident, "factor": r, "se": se} for _, ident, r, se, _ in rows])
    if x not in df.columns:
        return _none(f"{x} varying")
    others = [c for c in df.columns if c not in (x, "factor", "se")]
    lines, ok = [], True
    for ctx, part in (df.groupby(others) if others else [("all", df)]):
        if others:
            ctx_t = ctx if isinstance(ctx, tuple) else (ctx,)
            ctx = ", ".join(f"{k}={v}" for k, v in zip(others, ctx_t))
        part = part.sort_values(x, key=lambda s: s.astype(float))
        fac, se = part["factor"].to_numpy(), np.nan_to_num(part["se"].to_numpy())
        rise = fac[-1] - fac[0]
        good = bool(rise > Z95 * np.hypot(se[0], se[-1]))
        steps = [(fac[i] - fac[i + 1]) / max(np.hypot(se[i], se[i + 1]), 1e-12) for i in range(len(fac) - 1)]
        good &= bool(max(steps, default=0.0) <= Z95)
        ok &= good
        series = ", ".join(f"{v}: {m:.3g}±{Z95 * s:.2g}" for v, m, s in zip(part[x], fac, se))
        lines.append(f"[{ctx}] factor by {x}: {series} {'ok' if good else 'FAIL'}")
    return Verdict(ok, "; ".join(lines), f"cost factor increases with {x} (95% CI)",
                   "factor = mean cost of baseline / mean cost of target, paired per replication")


def cost_factor_matches(data: ClaimData, baseline: Mapping[str, Any], target: Mapping[str, Any],
                        expected: Sequence[Mapping[str, Any]], rel_tol: float = 0.1,
                        array: str | None = None) -> Verdict:
    """At each ``expected`` point ({where: {...}, factor: F, source: "..."}) the measured factor
    is within ``rel_tol`` of F (the point estimate; its CI is shown)."""
    rows = _factors(data, baseline, target, array)
    lines, ok, found = [], True, 0
    for point in expected:
        want = float(point["factor"])
        match = [(ctx, r, se) for ctx, ident, r, se, _ in rows
                 if all(k in ident and _same(ident[k], v) for k, v in point["where"].items())]
        if not match:
            ok = False
            lines.append(f"{dict(point['where'])}: not in the sweep")
            continue
        for ctx, r, se in match:
            found += 1
            good = bool(abs(r / want - 1) <= rel_tol)
            ok &= good
            lines.append(f"[{ctx}] {r:.3g} ± {Z95 * np.nan_to_num(se):.2g} vs paper {want:g} "
                         f"({100 * (r / want - 1):+.0f}%) {'ok' if good else 'FAIL'}")
    return Verdict(ok and found > 0, "; ".join(lines), f"within ±{100 * rel_tol:.0f}% of the paper's factors",
                   "; ".join(str(p.get("source", "")) for p in expected[:1]))
