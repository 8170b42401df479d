"""Claims of the optimizer family (PAPERS.md §4; papers/submodular-optim.md §2-§6) as checks.

Every function is ``(ClaimData, **params) -> Verdict`` and can fail. Values come from one of
three places, named by ``y``:

* ``None`` (the default): the report's curve array (``data.finals``: one row per (seed, rep),
  last column);
* ``"metrics.<name>"``: a scalar the job logged (one row per job, ``rep = 0``);
* ``"<array>"``: any other per-rep array of the jobs (``data.finals_of(name)``).

Parameters after ``y`` are keyword-only (a preset's YAML names them). ``where`` ({key: value})
keeps the rows of one configuration (values compared as strings, so
``{"schedule.total_steps": 1000}`` matches the logged param ``"1000"``); ``by`` names the key
whose values are compared (``optimizer``, ``schedule``). Comparisons between groups are paired
over (seed, rep) -- common random numbers -- within each combination of the remaining varying
keys. Uncertainty: 95% normal intervals from the replications (a deterministic job has SE 0 and
its number is exact). Non-finite values (a diverged run) are never dropped silently: they make
a "converges" check fail and count as "worse" in a "breaks" check.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.claims import Z95, ClaimData, Verdict
from analysis.frames import column_for


# ----------------------------------------------------------------------------------- frames
def _frame(data: ClaimData, y: str | None) -> pd.DataFrame:
    """The values named by ``y`` with the varying keys as columns (see the module docstring)."""
    if y is None:
        return data.finals.copy()
    if y.startswith("metrics."):
        runs = data.runs
        if y not in runs.columns:
            raise KeyError(f"no logged metric {y!r}")
        cols = {k: runs[column_for(runs, k)].to_numpy() for k in data.keys}
        seed = runs["params.seed"].to_numpy() if "params.seed" in runs.columns else np.zeros(len(runs))
        return pd.DataFrame({**cols, "seed": seed, "rep": 0, "value": runs[y].astype(float).to_numpy()})
    return data.finals_of(y).copy()


def _select(data: ClaimData, f: pd.DataFrame, where: Mapping[str, object] | None) -> pd.DataFrame:
    """Rows matching ``where``; a key that does not vary must have the wanted value in every run."""
    for key, want in (where or {}).items():
        if key in f.columns:
            f = f[f[key].astype(str) == str(want)]
            continue
        col = column_for(data.runs, key)
        have = set(data.runs[col].astype(str))
        if have != {str(want)}:
            return f.iloc[0:0]
    return f


def _values(data: ClaimData, y: str | None, where: Mapping[str, object] | None) -> pd.DataFrame:
    f = _select(data, _frame(data, y), where)
    f["value"] = f["value"].astype(float)
    return f


def _contexts(data: ClaimData, f: pd.DataFrame, exclude: Sequence[str]):
    """(label, part) per combination of the varying keys other than ``exclude``."""
    others = [k for k in data.keys if k in f.columns and k not in exclude]
    if not others:
        yield "", f
        return
    for ctx, part in f.groupby(others, dropna=False):
        ctx = ctx if isinstance(ctx, tuple) else (ctx,)
        yield " [" + ", ".join(f"{k}={v}" for k, v in zip(others, ctx)) + "]", part


def _group(f: pd.DataFrame, by: str, name: str) -> pd.Series:
    """Values of group ``by == name`` indexed by (seed, rep)."""
    if by not in f.columns:
        raise KeyError(f"{by!r} does not vary in these runs")
    g = f[f[by].astype(str) == str(name)]
    return g.set_index(["seed", "rep"])["value"]


def _ci(values: np.ndarray) -> tuple[float, float, int, int]:
    """Mean, 95% half-width, number of finite values and of non-finite ones."""
    v = np.asarray(values, dtype=float)
    bad = int(np.sum(~np.isfinite(v)))
    v = v[np.isfinite(v)]
    n = v.size
    if n == 0:
        return float("nan"), float("nan"), 0, bad
    half = Z95 * float(v.std(ddof=1)) / np.sqrt(n) if n > 1 else 0.0
    return float(v.mean()), half, n, bad


def _paired(f: pd.DataFrame, by: str, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
    ga, gb = _group(f, by, a), _group(f, by, b)
    common = ga.index.intersection(gb.index)
    return ga.loc[common].to_numpy(float), gb.loc[common].to_numpy(float)


def _numeric_first(v: str):
    """Sort key: numbers by value (as "3" < "10"), then other strings."""
    try:
        return (0, float(v), "")
    except ValueError:
        return (1, 0.0, v)


def _fail(msg: str, expected: str) -> Verdict:
    return Verdict(False, msg, expected, "could not evaluate")


# ------------------------------------------------------------------------------- claims
def in_range(data: ClaimData, y: str | None = None, *, by: str | None = None, which: Sequence[str] | None = None,
             lo: float | None = None, hi: float | None = None,
             where: Mapping[str, object] | None = None, shift: float = 0.0,
             den: str | None = None) -> Verdict:
    """For every group in ``which`` (default: every value of ``by``; ``by=None``: all rows as
    one group) and context, the 95% CI of the mean of ``value + shift`` (or of y / den, two
    values of the same job or replication) lies inside [lo, hi]; any non-finite value fails.
    (``shift = -1`` turns Reddi's ``dist_tail`` = |x + 1| into x.)"""
    f = _values(data, y, where)
    if den is not None:
        d = _values(data, den, where)
        f = f.assign(value=f["value"].to_numpy() / d["value"].to_numpy())
    if by is None:
        by, f = "_all", f.assign(_all="all")
        which = ["all"]
    elif which is None:
        if by not in f.columns:
            return _fail(f"{by!r} does not vary in these runs", f"{by} varies")
        which = sorted(f[by].astype(str).unique(), key=_numeric_first)
    lines, ok = [], True
    for ctx, part in _contexts(data, f, [by]):
        for name in which:
            try:
                vals = _group(part, by, name).to_numpy(float) + shift
            except KeyError as exc:
                return _fail(str(exc), f"{by} varies")
            m, h, n, bad = _ci(vals)
            good = n > 0 and bad == 0 and (lo is None or m - h >= lo) and (hi is None or m + h <= hi)
            ok &= bool(good)
            lines.append(f"{name}{ctx}: {m:.4g} ± {h:.2g} (n={n}{f', {bad} non-finite' if bad else ''})"
                         f" {'ok' if good else 'OUT'}")
    if not lines:
        return _fail("no matching runs", f"{by} in {list(which)}")
    rng = f"[{'-inf' if lo is None else f'{lo:g}'}, {'inf' if hi is None else f'{hi:g}'}]"
    what = f"{y} / {den}" if den else (y or "curve final")
    return Verdict(ok, "; ".join(lines), f"95% CI of the mean{f' {shift:+g}' if shift else ''} inside {rng}",
                   f"value: {what}")


def matches_reference(data: ClaimData, y: str | None = None, *, by: str, expected: Mapping[str, float],
                      tol: float, where: Mapping[str, object] | None = None) -> Verdict:
    """Each group's mean equals the paper's reference value within ``tol`` (absolute), the CI
    included (deterministic computations have none)."""
    f = _values(data, y, where)
    lines, ok = [], True
    for name, ref in expected.items():
        try:
            m, h, n, bad = _ci(_group(f, by, name).to_numpy(float))
        except KeyError as exc:
            return _fail(str(exc), f"{by} varies")
        good = n > 0 and bad == 0 and abs(m - ref) + h <= tol
        ok &= bool(good)
        lines.append(f"{name}: {m:.5g}{f' ± {h:.2g}' if h else ''} vs {ref:g} ({'ok' if good else 'OFF'})")
    return Verdict(ok, "; ".join(lines), f"|measured - reference| <= {tol:g}", f"value: {y or 'curve final'}")


def ordered(data: ClaimData, y: str | None = None, *, by: str, order: Sequence[str],
            where: Mapping[str, object] | None = None) -> Verdict:
    """Groups are strictly ascending in the given ``order``: for each neighbouring pair the paired
    95% CI of (next - previous) lies above 0."""
    f = _values(data, y, where)
    lines, ok = [], True
    for ctx, part in _contexts(data, f, [by]):
        means = []
        for a, b in zip(order[:-1], order[1:]):
            try:
                va, vb = _paired(part, by, a, b)
            except KeyError as exc:
                return _fail(str(exc), f"{by} varies")
            m, h, n, bad = _ci(vb - va)
            good = n > 0 and bad == 0 and m - h > 0
            ok &= bool(good)
            means.append(f"{a} < {b}: diff {m:+.4g} ± {h:.2g} {'ok' if good else 'NO'}")
        lines.append(ctx.strip() + " " + "; ".join(means))
    return Verdict(ok, " | ".join(lines), " < ".join(order) + " (paired 95% CI of each difference > 0)",
                   f"value: {y or 'curve final'}")


def ratio(data: ClaimData, y: str | None = None, *, by: str, num: str, den: str, lo: float | None = None,
          hi: float | None = None, where: Mapping[str, object] | None = None,
          paired: bool = True) -> Verdict:
    """The ratio num/den of the values lies in [lo, hi] with its 95% CI. Paired: mean over
    (seed, rep) of the per-replication ratio; else ratio of the group means (delta method)."""
    f = _values(data, y, where)
    lines, ok = [], True
    for ctx, part in _contexts(data, f, [by]):
        try:
            if paired:
                va, vb = _paired(part, by, num, den)
                m, h, n, bad = _ci(va / vb)
            else:
                ma, ha, na, ba = _ci(_group(part, by, num).to_numpy(float))
                mb, hb, nb, bb = _ci(_group(part, by, den).to_numpy(float))
                m = ma / mb
                h = abs(m) * np.sqrt((ha / ma) ** 2 + (hb / mb) ** 2) if ma and mb else float("nan")
                n, bad = min(na, nb), ba + bb
        except KeyError as exc:
            return _fail(str(exc), f"{by} varies")
        good = n > 0 and bad == 0 and (lo is None or m - h >= lo) and (hi is None or m + h <= hi)
        ok &= bool(good)
        lines.append(f"{num}/{den}{ctx}: {m:.4g} ± {h:.2g} (n={n}) {'ok' if good else 'OUT'}")
    if not lines:
        return _fail("no matching runs", f"{num} and {den} present")
    rng = f"[{'-inf' if lo is None else f'{lo:g}'}, {'inf' if hi is None else f'{hi:g}'}]"
    return Verdict(ok, "; ".join(lines), f"95% CI of {num}/{den} inside {rng}", f"value: {y or 'curve final'}")


def parity(data: ClaimData, y: str | None = None, *, by: str, which: Sequence[str], baseline: str,
           rel_margin: float, side: str = "both", where: Mapping[str, object] | None = None) -> Verdict:
    """"On par" as an equivalence (``side="both"``) or non-inferiority (``side="not_worse"``,
    lower is better) test on the ratio scale: the paired 95% CI of the geometric-mean ratio
    group / baseline (mean of log ratios over (seed, rep)) must lie inside
    [1/(1 + rel_margin), 1 + rel_margin], or below 1 + rel_margin. A CI that merely contains 1
    is not enough; a non-finite or non-positive value (a diverged run) fails."""
    if side not in ("both", "not_worse"):
        return _fail(f"side {side!r}", "'both' or 'not_worse'")
    f = _values(data, y, where)
    hi, lo = np.log1p(rel_margin), -np.log1p(rel_margin)
    lines, ok = [], True
    for ctx, part in _contexts(data, f, [by]):
        for name in which:
            try:
                va, vb = _paired(part, by, name, baseline)
            except KeyError as exc:
                return _fail(str(exc), f"{by} varies")
            with np.errstate(divide="ignore", invalid="ignore"):
                lr = np.log(va / vb)
            m, h, n, bad = _ci(lr)
            good = n > 1 and bad == 0 and m + h <= hi and (side == "not_worse" or m - h >= lo)
            ok &= bool(good)
            lines.append(f"{name} / {baseline}{ctx}: x{np.exp(m):.3g} (95% CI x{np.exp(m - h):.3g}..x{np.exp(m + h):.3g},"
                         f" n={n}{f', {bad} non-finite' if bad else ''}) {'ok' if good else 'NOT on par'}")
    crit = (f"paired 95% CI of the ratio inside [x{1 / (1 + rel_margin):.3g}, x{1 + rel_margin:g}]" if side == "both"
            else f"paired 95% CI of the ratio below x{1 + rel_margin:g} (not worse by more than {100 * rel_margin:g}%)")
    return Verdict(ok, "; ".join(lines), crit, f"value: {y or 'curve final'}; geometric mean of paired ratios")


def worse_by(data: ClaimData, y: str | None = None, *, by: str, which: Sequence[str], baseline: str,
             factor: float, where: Mapping[str, object] | None = None) -> Verdict:
    """"Breaks": the paired 95% CI of log(group / baseline) lies above log(factor); a
    non-finite group value counts as infinitely worse."""
    f = _values(data, y, where)
    lines, ok = [], True
    for ctx, part in _contexts(data, f, [by]):
        for name in which:
            try:
                va, vb = _paired(part, by, name, baseline)
            except KeyError as exc:
                return _fail(str(exc), f"{by} varies")
            va = np.where(np.isfinite(va), va, np.inf)
            with np.errstate(divide="ignore", invalid="ignore"):
                lr = np.log(va / vb)
            n_inf = int(np.sum(np.isposinf(lr)))
            finite = lr[np.isfinite(lr)]
            if finite.size:
                m, h, n, _ = _ci(finite)
                good = (m - h >= np.log(factor)) and not np.isnan(lr).any()
                text = f"x{np.exp(m):.3g} (95% CI x{np.exp(m - h):.3g}..x{np.exp(m + h):.3g}, n={n}"
            else:
                good, text = n_inf > 0, "(all diverged"
            ok &= bool(good)
            lines.append(f"{name} vs {baseline}{ctx}: {text}{f', {n_inf} diverged' if n_inf else ''})"
                         f" {'ok' if good else 'NOT worse'}")
    return Verdict(ok, "; ".join(lines), f"{list(which)} worse than {baseline} by >= x{factor:g} (paired 95% CI)",
                   f"value: {y or 'curve final'}")


def slope(data: ClaimData, y: str | None = None, *, x: str, expected: Sequence[float], by: str | None = None,
          which: Sequence[str] = (), where: Mapping[str, object] | None = None,
          x_min: float | None = None, x_max: float | None = None, paired: bool = True) -> Verdict:
    """Least-squares slope of log(value) on log(x) (x a swept key) per group, with a 95% CI;
    pass if every slope and its CI lie inside ``expected``. Non-finite or non-positive values fail.

    ``paired``: one intercept per (seed, rep) -- the same instance under common random numbers
    across x -- so instance-to-instance level differences do not inflate the CI (fixed effects)."""
    f = _values(data, y, where)
    if x not in f.columns:
        return _fail(f"{x} does not vary", f"{x} swept")
    f = f.assign(_x=f[x].astype(float))
    if x_min is not None:
        f = f[f["_x"] >= x_min]
    if x_max is not None:
        f = f[f["_x"] <= x_max]
    lo, hi = expected
    groups = [("all", f)] if by is None else [(str(n), g) for n, g in f.groupby(by)
                                              if not which or str(n) in which]
    lines, ok = [], True
    for name, g in groups:
        bad = int(np.sum(~np.isfinite(g["value"]) | (g["value"] <= 0)))
        g = g[np.isfinite(g["value"]) & (g["value"] > 0)]
        lx, ly = np.log(g["_x"].to_numpy()), np.log(g["value"].to_numpy())
        if np.unique(lx).size < 2:
            ok = False
            lines.append(f"{name}: fewer than 2 distinct {x}")
            continue
        ids = g.groupby(["seed", "rep"]).ngroup().to_numpy() if paired else np.zeros(len(g), int)
        n_ids = int(ids.max()) + 1
        cx = lx - (np.bincount(ids, lx) / np.bincount(ids))[ids]       # within-instance centring
        cy = ly - (np.bincount(ids, ly) / np.bincount(ids))[ids]
        sxx = float(np.sum(cx ** 2))
        b = float(np.sum(cx * cy) / sxx)
        dof = len(ly) - n_ids - 1
        resid = float(np.sum((cy - b * cx) ** 2))
        se = float(np.sqrt(resid / dof / sxx)) if dof > 0 else 0.0
        good = bad == 0 and lo <= b - Z95 * se and b + Z95 * se <= hi
        ok &= bool(good)
        lines.append(f"{name}: slope {b:.3f} ± {Z95 * se:.3f}{f' ({bad} non-finite)' if bad else ''}"
                     f" {'ok' if good else 'OUT'}")
    if not lines:
        return _fail("no matching runs", f"groups {list(which)}")
    return Verdict(ok, "; ".join(lines), f"slope of log {y or 'value'} on log {x} in [{lo}, {hi}] (95% CI)",
                   "least squares over all replications" + (", one intercept per (seed, rep)" if paired else ""))


def trend(data: ClaimData, y: str | None = None, *, x: str, by: str | None = None, which: Sequence[str] = ("all",),
          min_change: float | None = None, max_change: float | None = None,
          increasing: bool | None = None, where: Mapping[str, object] | None = None,
          num: str | None = None, x_min: float | None = None, x_max: float | None = None) -> Verdict:
    """How a group's pooled mean (or, with ``num``, the ratio num/group of means) changes along
    the swept key ``x`` (restricted to [x_min, x_max]): ``increasing`` True/False requires every
    step along x to move that way; the overall change last/first must lie in
    [min_change, max_change]. ``by=None``: all rows are one group ("all"). Means over
    replications (deterministic jobs: exact values); a non-finite mean fails."""
    f = _values(data, y, where)
    if x not in f.columns:
        return _fail(f"{x} does not vary", f"{x} swept")
    f = f.assign(_x=f[x].astype(float))
    if x_min is not None:
        f = f[f["_x"] >= x_min]
    if x_max is not None:
        f = f[f["_x"] <= x_max]
    if by is None:
        by, f = "_all", f.assign(_all="all")
    if by not in f.columns:
        return _fail(f"{by!r} does not vary in these runs", f"{by} varies")
    lines, ok = [], True
    for name in which:
        sub = f[f[by].astype(str) == str(name)]
        series = sub.groupby("_x")["value"].mean()
        if num is not None:
            top = f[f[by].astype(str) == str(num)].groupby("_x")["value"].mean()
            series = (top / series).dropna()
        if series.size < 2 or not np.all(np.isfinite(series.to_numpy())):
            ok = False
            lines.append(f"{name}: fewer than 2 finite points along {x}")
            continue
        v = series.to_numpy()
        steps = np.diff(v)
        mono = True if increasing is None else bool(np.all(steps > 0) if increasing else np.all(steps < 0))
        change = float(v[-1] / v[0])
        good = mono and (min_change is None or change >= min_change) and (max_change is None or change <= max_change)
        ok &= good
        what = f"{num}/{name}" if num else name
        pts = ", ".join(f"{xx:g}: {vv:.4g}" for xx, vv in zip(series.index, v))
        lines.append(f"{what}: last/first {change:.3f} [{pts}] {'ok' if good else 'NO'}")
    exp = []
    if increasing is not None:
        exp.append(("increasing" if increasing else "decreasing") + f" at every step of {x}")
    if min_change is not None or max_change is not None:
        exp.append(f"last/first in [{min_change if min_change is not None else '-inf'}, "
                   f"{max_change if max_change is not None else 'inf'}]")
    return Verdict(ok, "; ".join(lines), "; ".join(exp), f"value: {y or 'curve final'} (mean per {x})")


def ratio_vs_prediction(data: ClaimData, y: str | None = None, *, by: str, num: str, den: str, prediction: str,
                        tol: float, where: Mapping[str, object] | None = None) -> Verdict:
    """The paired ratio y[num] / y[den] (per seed and rep, within each context) divided by a
    predicted ratio lies within 1 ± tol (95% CI included). ``prediction``:

    * ``"inverse_lr"``: lr[den] / lr[num] from the jobs' logged ``metrics.lr`` (rounds to a
      target scale like 1 / step size: EF21 vs EF21-W, Richtarik et al. 2024);
    * ``"L_QM/L_AM"``: the problem's ``metrics.L_QM / metrics.L_AM`` (the paper's headline factor).
    """
    if prediction not in ("inverse_lr", "L_QM/L_AM"):
        return _fail(f"prediction {prediction!r}", "'inverse_lr' or 'L_QM/L_AM'")
    f = _values(data, y, where)
    runs = _values(data, "metrics.lr", where)
    lines, ok = [], True
    for ctx, part in _contexts(data, f, [by]):
        try:
            va, vb = _paired(part, by, num, den)
        except KeyError as exc:
            return _fail(str(exc), f"{by} varies")
        sel = runs
        for key in [k for k in data.keys if k in part.columns and k != by]:
            sel = sel[sel[key].astype(str) == str(part[key].iloc[0])]
        if prediction == "inverse_lr":
            la, lb = (sel[sel[by].astype(str) == g]["value"].astype(float).mean() for g in (num, den))
            pred = lb / la
        else:
            qm = _values(data, "metrics.L_QM", where)
            am = _values(data, "metrics.L_AM", where)
            idx = sel.index
            pred = float(qm.loc[idx, "value"].mean() / am.loc[idx, "value"].mean())
        m, h, n, bad = _ci(va / vb / pred)
        good = n > 0 and bad == 0 and 1 - tol <= m - h and m + h <= 1 + tol
        ok &= bool(good)
        raw, _, _, _ = _ci(va / vb)
        lines.append(f"{num}/{den}{ctx}: {raw:.3f} vs predicted {pred:.3f} -> {m:.3f} ± {h:.2g} (n={n})"
                     f" {'ok' if good else 'OFF'}")
    if not lines:
        return _fail("no matching runs", f"{num} and {den} present")
    return Verdict(ok, "; ".join(lines), f"measured / predicted ratio within 1 ± {tol:g} (95% CI)",
                   f"value: {y}; prediction: {prediction}")
