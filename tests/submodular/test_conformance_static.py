"""Conformance: every static algorithm YAML x every objective YAML, discovered by glob.

Each YAML is instantiated with hydra; objectives are shrunk (n and, if present, n_items) so
the whole grid stays fast.  Checks: feasible (|S| <= k, distinct elements of the ground set),
gains sum to f(S), same seed -> identical output, and ``calls`` equals a recount made by
wrapping the objective's hooks (no algorithm bypasses the counted oracle).
Dynamic algorithms (other targets in the same group) have their own conformance test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hydra.utils import instantiate
from omegaconf import OmegaConf

from tests.submodular.sm_cases import instrument

CONF = Path(__file__).resolve().parents[2] / "conf" / "submodular"
STATIC = "algorithms.submodular.static."
ALGOS = sorted(p for p in (CONF / "algorithm").glob("*.yaml")
               if OmegaConf.load(p)["_target_"].startswith(STATIC))
OBJECTIVES = sorted((CONF / "objective").glob("*.yaml"))
SMALL = {"n": 40, "n_items": 60, "mean_set_size": 6.0, "n_features": 12}


def build_objective(path: Path, seed: int):
    cfg = OmegaConf.load(path)
    for key, value in SMALL.items():
        if key in cfg:
            cfg[key] = value
    return instantiate(cfg).build(np.random.default_rng(seed))


def test_discovery_finds_the_base_set():
    names = {p.stem for p in ALGOS}
    assert {"greedy", "lazy_greedy", "stochastic_greedy", "threshold_greedy",
            "sieve_streaming"} <= names
    assert {"facility_location", "coverage", "feature_based", "log_det"} <= {
        p.stem for p in OBJECTIVES}


@pytest.mark.parametrize("obj_path", OBJECTIVES, ids=lambda p: p.stem)
@pytest.mark.parametrize("alg_path", ALGOS, ids=lambda p: p.stem)
def test_static_algorithm_conforms(alg_path, obj_path):
    alg = instantiate(OmegaConf.load(alg_path))
    k = 6
    outs = []
    for _ in range(2):
        obj = build_objective(obj_path, seed=11)
        recount = instrument(obj)
        sel = alg.select(obj, k, np.random.default_rng(5))
        assert obj.calls == recount["n"] > 0
        outs.append((list(sel.elements), list(sel.gains), obj.calls))
        elems = sel.elements
        assert len(elems) <= k and len(set(elems)) == len(elems)
        assert all(isinstance(e, int) and 0 <= e < obj.n for e in elems)
        assert len(sel.gains) == len(elems)
        assert sum(sel.gains) == pytest.approx(obj._value(np.array(elems, dtype=np.int64)),
                                               rel=1e-6, abs=1e-9)
    assert outs[0] == outs[1]
