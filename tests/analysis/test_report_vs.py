"""The report's parameter plot: pooled means per (hue, x) equal a direct groupby computation."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.claims import ClaimData
from analysis.plots import plot_vs
from analysis.report import vs_frame


def _data(rng):
    rows = []
    for pol in ("a", "b"):
        for sigma in (0.1, 1.0, 10.0):
            for seed in range(3):
                for rep in range(4):
                    rows.append({"policy": pol, "predictor.sigma": sigma, "seed": seed, "rep": rep,
                                 "value": rng.normal(sigma if pol == "a" else 1.0, 0.1)})
    f = pd.DataFrame(rows)
    runs = f.groupby(["policy", "predictor.sigma", "seed"], as_index=False)["value"].mean()
    runs = runs.rename(columns={"policy": "tags.choice.policy", "predictor.sigma": "params.predictor.sigma",
                                "value": "metrics.ratio"})
    return ClaimData(runs=runs, finals=f, curves=pd.DataFrame(), keys=["policy", "predictor.sigma"],
                     arrays={"ratio": f})


def test_vs_frame_matches_groupby(tmp_path):
    data = _data(np.random.default_rng(0))
    vs = vs_frame(data, {"x": "predictor.sigma", "y": "ratio", "hue": "policy"})
    ref = data.finals.groupby(["policy", "predictor.sigma"])["value"].agg(["mean", "std", "count"])
    assert len(vs) == len(ref) == 6
    for _, r in vs.iterrows():
        m, sd, n = ref.loc[(r["hue"], r["x"])]
        assert np.isclose(r["mean"], m) and np.isclose(r["se"], sd / np.sqrt(n)) and r["n"] == n == 12
    assert vs.attrs["facets"] == []
    per_job = vs_frame(data, {"x": "predictor.sigma", "y": "metrics.ratio", "hue": "policy"})
    assert (per_job["n"] == 3).all()
    assert np.allclose(per_job.sort_values(["hue", "x"])["mean"].to_numpy(),
                       vs.sort_values(["hue", "x"])["mean"].to_numpy())   # equal-size groups: same mean
    path = plot_vs(vs, tmp_path / "vs.png", "sigma", "ratio", logx=True)
    assert path.stat().st_size > 1000


def test_vs_frame_names_unknown_array():
    data = _data(np.random.default_rng(1))
    try:
        vs_frame(data, {"x": "predictor.sigma", "y": "nope"})
    except KeyError as exc:
        assert "nope" in str(exc) and "ratio" in str(exc)
    else:
        raise AssertionError("unknown array accepted")


def test_other_varying_keys_become_facets():
    data = _data(np.random.default_rng(2))
    f = data.finals.copy()
    f["trace"] = np.where(f["rep"] < 2, "zipf", "loop")
    data.finals, data.keys = f, ["policy", "predictor.sigma", "trace"]
    vs = vs_frame(data, {"x": "predictor.sigma", "y": "final", "hue": "policy"})
    assert vs.attrs["facets"] == ["trace"] and len(vs) == 12 and (vs["n"] == 6).all()
