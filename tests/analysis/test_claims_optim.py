"""Claim functions of the optimizer family on synthetic frames: each one PASSES on data built to
satisfy it and FAILS on data built to violate it (reference: the construction of the frames)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import claims_optim as co
from analysis.claims import ClaimData


def make_data(values: dict, x: list | None = None, x_key: str = "optimizer.lr", n_seeds: int = 3,
              n_reps: int = 4, noise: float = 0.01, metrics: dict | None = None, seed: int = 0,
              extra_arrays: dict | None = None) -> ClaimData:
    """``values[name]`` is a group's mean (a number, or a function of x); rows get relative noise."""
    rng = np.random.default_rng(seed)
    xs = x or [None]
    rows, runs = [], []
    for name, mean in values.items():
        for xv in xs:
            for s in range(n_seeds):
                m = mean(xv) if callable(mean) else mean
                vals = m * (1 + noise * rng.standard_normal(n_reps))
                for r, v in enumerate(vals):
                    row = {"optimizer": name, "seed": s, "rep": r, "value": v}
                    if x:
                        row[x_key] = str(xv)
                    rows.append(row)
                run = {"tags.choice.optimizer": name, "params.seed": str(s)}
                if x:
                    run[f"params.{x_key}"] = str(xv)
                for key, f in (metrics or {}).items():
                    run[f"metrics.{key}"] = f(name, xv) if callable(f) else f[name]
                runs.append(run)
    finals = pd.DataFrame(rows)
    keys = ["optimizer"] + ([x_key] if x else [])
    arrays = {"loss": finals}
    arrays.update(extra_arrays or {})
    return ClaimData(runs=pd.DataFrame(runs), finals=finals, curves=pd.DataFrame(), keys=keys, arrays=arrays)


# ------------------------------------------------------------------------------- in_range
def test_in_range_pass_fail_and_nonfinite():
    d = make_data({"adam": 1.95, "amsgrad": 0.01})
    assert co.in_range(d, by="optimizer", which=["adam"], lo=1.9).passed
    assert co.in_range(d, "loss", by="optimizer", which=["adam"], lo=0.9, shift=-1.0).passed
    assert not co.in_range(d, by="optimizer", which=["amsgrad"], lo=1.9).passed
    assert co.in_range(d, by="optimizer", lo=0.0, hi=2.1).passed       # all groups
    assert not co.in_range(d, by="optimizer", lo=0.5).passed
    d.finals.loc[0, "value"] = np.nan                                            # an adam row
    v = co.in_range(d, by="optimizer", which=["adam"], lo=1.9)
    assert not v.passed and "non-finite" in v.measured


def test_in_range_ci_decides():
    """Mean 1.0 with large noise: the CI crosses 0.95, so lo=0.95 fails; small noise passes."""
    wide = make_data({"a": 1.0}, noise=0.5, n_seeds=2, n_reps=3)
    tight = make_data({"a": 1.0}, noise=0.001)
    assert not co.in_range(wide, by="optimizer", which=["a"], lo=0.95).passed
    assert co.in_range(tight, by="optimizer", which=["a"], lo=0.95).passed


def test_in_range_ratio_of_metrics_and_where_on_constant_key():
    d = make_data({"onebit": 1.0, "adam": 1.0},
                  metrics={"first": {"onebit": 31.7, "adam": 1.0}, "last": {"onebit": 1.0, "adam": 1.0}})
    d.runs["params.problem.dim"] = "256"                                 # not varying
    ok = co.in_range(d, "metrics.first", by="optimizer", which=["onebit"], lo=30, hi=32, den="metrics.last",
                     where={"problem.dim": 256})
    assert ok.passed, ok.measured
    assert not co.in_range(d, "metrics.first", by="optimizer", which=["adam"], lo=30, den="metrics.last").passed
    missing = co.in_range(d, "metrics.first", by="optimizer", which=["onebit"], lo=30, den="metrics.last",
                          where={"problem.dim": 512})
    assert not missing.passed


# ------------------------------------------------------------------------ matches_reference
def test_matches_reference():
    d = make_data({"linear": 0.06343, "constant": 0.09211}, noise=0.0, n_seeds=1, n_reps=1)
    assert co.matches_reference(d, by="optimizer", expected={"linear": 0.0634, "constant": 0.0921}, tol=1e-4).passed
    assert not co.matches_reference(d, by="optimizer", expected={"linear": 0.0650, "constant": 0.0921}, tol=1e-4).passed


# ---------------------------------------------------------------------------------- ordered
def test_ordered():
    d = make_data({"linear": 1.0, "cosine": 1.1, "constant": 1.5})
    assert co.ordered(d, by="optimizer", order=["linear", "cosine", "constant"]).passed
    assert not co.ordered(d, by="optimizer", order=["cosine", "linear", "constant"]).passed
    tie = make_data({"a": 1.0, "b": 1.0}, noise=0.05)
    assert not co.ordered(tie, by="optimizer", order=["a", "b"]).passed        # no significant gap


# ------------------------------------------------------------------------------------ ratio
def test_ratio_metrics_and_paired():
    d = make_data({"adam_mini": 1.0, "adamw": 1.0}, metrics={"state_bytes": {"adam_mini": 4.03, "adamw": 8.0}})
    assert co.ratio(d, "metrics.state_bytes", by="optimizer", num="adam_mini", den="adamw", lo=0.45, hi=0.55).passed
    assert not co.ratio(d, "metrics.state_bytes", by="optimizer", num="adamw", den="adam_mini", lo=0.45, hi=0.55).passed
    e = make_data({"a": 2.0, "b": 1.0})
    assert co.ratio(e, by="optimizer", num="a", den="b", lo=1.9, hi=2.1).passed
    assert co.ratio(e, by="optimizer", num="a", den="b", lo=1.9, hi=2.1, paired=False).passed
    assert not co.ratio(e, by="optimizer", num="a", den="b", lo=2.5).passed


# ----------------------------------------------------------------------------------- parity
def test_parity_is_an_equivalence_test():
    same = make_data({"adam_mini": 1.0, "adamw": 1.0}, noise=0.02)
    kw = dict(by="optimizer", which=["adam_mini"], baseline="adamw", rel_margin=0.1)
    assert co.parity(same, **kw).passed
    off = make_data({"adam_mini": 1.3, "adamw": 1.0}, noise=0.02)
    assert not co.parity(off, **kw).passed
    assert not co.parity(off, **kw, side="not_worse").passed
    better = make_data({"adam_mini": 0.6, "adamw": 1.0}, noise=0.02)
    assert not co.parity(better, **kw).passed                  # equivalence: too different
    assert co.parity(better, **kw, side="not_worse").passed     # non-inferiority: fine
    noisy = make_data({"adam_mini": 1.0, "adamw": 1.0}, noise=0.0, n_seeds=1, n_reps=3)
    noisy.finals.loc[noisy.finals["optimizer"] == "adam_mini", "value"] = [0.7, 1.0, 1.4]   # mean log ~ 0
    v = co.parity(noisy, **kw)
    assert not v.passed and "non-finite" not in v.measured     # CI too wide, all values fine
    same.finals.loc[same.finals["optimizer"] == "adam_mini", "value"] = np.inf
    assert not co.parity(same, **kw).passed
    assert not co.parity(same, **kw, side="nope").passed


# --------------------------------------------------------------------------------- worse_by
def test_worse_by_counts_divergence_as_worse():
    d = make_data({"zero": 20.0, "adamw": 1.0, "fine": 1.1})
    assert co.worse_by(d, by="optimizer", which=["zero"], baseline="adamw", factor=3.0).passed
    assert not co.worse_by(d, by="optimizer", which=["fine"], baseline="adamw", factor=3.0).passed
    d.finals.loc[d.finals["optimizer"] == "zero", "value"] = np.nan             # diverged
    v = co.worse_by(d, by="optimizer", which=["zero"], baseline="adamw", factor=3.0)
    assert v.passed and "diverged" in v.measured


# ------------------------------------------------------------------------------------ slope
def test_slope_recovers_power_law():
    xs = [3, 10, 30, 100]
    d = make_data({"sgd": lambda x: 5000.0 / x}, x=xs, noise=0.02)
    assert co.slope(d, x="optimizer.lr", expected=(-1.1, -0.9)).passed
    assert not co.slope(d, x="optimizer.lr", expected=(-0.6, -0.4)).passed
    flat = make_data({"sgd": lambda x: 7.0}, x=xs, noise=0.02)
    assert not co.slope(flat, x="optimizer.lr", expected=(-1.5, -0.7)).passed
    assert co.slope(d, x="optimizer.lr", expected=(-1.1, -0.9), x_max=30).passed


# ------------------------------------------------------------------------------------ trend
def test_trend_monotone_and_change():
    xs = [100, 400, 1000, 4000]
    d = make_data({"constant": lambda T: T ** -0.45, "wsd": lambda T: T ** -0.5}, x=xs, x_key="schedule.total_steps",
                  noise=0.0, n_seeds=1, n_reps=1)
    grows = co.trend(d, x="schedule.total_steps", by="optimizer", which=["wsd"], num="constant", increasing=True,
                     min_change=1.2)
    assert grows.passed, grows.measured                       # (T^0.05) grows by 40^0.05 = 1.20
    assert not co.trend(d, x="schedule.total_steps", by="optimizer", which=["wsd"], num="constant", increasing=False).passed
    assert not co.trend(d, x="schedule.total_steps", by="optimizer", which=["wsd"], min_change=0.95).passed
    assert co.trend(d, x="schedule.total_steps", by="optimizer", which=["wsd"], increasing=False, x_min=400).passed
    one = make_data({"sgd": lambda x: 100.0 / x}, x=[1, 10, 100], noise=0.0)
    assert co.trend(one, x="optimizer.lr", increasing=False, max_change=0.011).passed   # by=None
    assert not co.trend(one, x="optimizer.lr", increasing=False, max_change=0.001).passed


# ----------------------------------------------------------------------- ratio_vs_prediction
def _ef21(rounds_ratio: float) -> ClaimData:
    lm = [1, 100, 10000]
    qm_am = {1: 1.0, 100: 1.56, 10000: 2.18}
    lr = {"ef21": lambda n, x: 1e-3, "ef21w": lambda n, x: 1e-3 * qm_am[int(x)]}
    metrics = {"lr": lambda n, x: lr[n](n, x), "L_QM": lambda n, x: qm_am[int(x)] * 10.0,
               "L_AM": lambda n, x: 10.0}
    base = 1000.0
    d = make_data({"ef21w": lambda x: base,
                   "ef21": lambda x: base * (1 + (qm_am[int(x)] - 1) * rounds_ratio)},
                  x=lm, x_key="problem.L_max", n_reps=1, noise=0.01, metrics=metrics)
    return d


def test_ratio_vs_prediction():
    good = _ef21(1.0)                         # rounds ratio = L_QM/L_AM = lr ratio
    for pred in ("L_QM/L_AM", "inverse_lr"):
        v = co.ratio_vs_prediction(good, by="optimizer", num="ef21", den="ef21w", prediction=pred, tol=0.1)
        assert v.passed, v.measured
    bad = _ef21(0.0)                          # no advantage for EF21-W
    assert not co.ratio_vs_prediction(bad, by="optimizer", num="ef21", den="ef21w", prediction="L_QM/L_AM", tol=0.1).passed
    assert not co.ratio_vs_prediction(good, by="optimizer", num="ef21", den="ef21w", prediction="nope", tol=0.1).passed


def test_unknown_names_fail_cleanly():
    d = make_data({"a": 1.0})
    with pytest.raises(KeyError):
        co.in_range(d, "nope", by="optimizer", which=["a"], lo=0.0)
    assert not co.in_range(d, by="policy", which=["a"], lo=0.0).passed
    assert not co.slope(d, x="optimizer.lr", expected=(-1, 1)).passed


def test_slope_paired_removes_instance_levels():
    """Each seed has its own level (x10 spread) but the same 1/x law: the fixed-effects fit is
    tight around -1, the pooled fit's CI is wide (reference: the construction)."""
    rows = []
    for s, level in enumerate([1.0, 10.0, 100.0, 3.0, 30.0]):
        for x in (3, 10, 30):
            rows.append({"optimizer.lr": str(x), "seed": s, "rep": 0, "value": level * 1000.0 / x * (1 + 0.01 * ((s + x) % 3 - 1))})
    f = pd.DataFrame(rows)
    d = ClaimData(runs=pd.DataFrame({"params.optimizer.lr": ["3"]}), finals=f, curves=pd.DataFrame(),
                  keys=["optimizer.lr"])
    assert co.slope(d, x="optimizer.lr", expected=(-1.1, -0.9)).passed
    assert not co.slope(d, x="optimizer.lr", expected=(-1.1, -0.9), paired=False).passed
