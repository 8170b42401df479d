"""Conformance of every pure-exploration YAML: conf/bandits/pure_policy/*.yaml x
conf/bandits/pure_env/*.yaml. Determinism, a valid returned arm, the budget respected, simple
regret >= 0 in data-poor and data-rich budgets, and every adaptive policy beating uniform
allocation (measured in the same test on the same instances) where adaptivity should pay."""

from __future__ import annotations

import importlib
import inspect
import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from hydra.utils import instantiate
from omegaconf import OmegaConf

from algorithms.bandits.pure.simulate import run_pure

ROOT = Path(__file__).resolve().parents[2]
POLICY_YAMLS = sorted((ROOT / "conf" / "bandits" / "pure_policy").glob("*.yaml"))
ENV_YAMLS = sorted((ROOT / "conf" / "bandits" / "pure_env").glob("*.yaml"))
PAIRS = list(itertools.product(ENV_YAMLS, POLICY_YAMLS))


def build(path, **kw):
    cfg = OmegaConf.load(path)
    for k, v in kw.items():
        if k in cfg:
            cfg[k] = v
    return instantiate(cfg)


def test_yamls_discovered():
    assert {p.stem for p in POLICY_YAMLS} >= {"sequential_halving", "bracketing_sh", "uniform_allocation"}
    assert {p.stem for p in ENV_YAMLS} >= {"bernoulli", "gaussian"}


@pytest.mark.parametrize("path", POLICY_YAMLS + ENV_YAMLS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_yaml_keys_are_constructor_params(path):
    """YAML keys == constructor params (reference: the signature); policy YAMLs use defaults."""
    cfg = OmegaConf.to_container(OmegaConf.load(path))
    module, _, name = cfg.pop("_target_").rpartition(".")
    params = inspect.signature(getattr(importlib.import_module(module), name)).parameters
    assert set(cfg) == set(params)
    if path.parent.name == "pure_policy":
        assert all(v == params[k].default for k, v in cfg.items())


@pytest.mark.parametrize("env_path,pol_path", PAIRS, ids=[f"{e.stem}-{p.stem}" for e, p in PAIRS])
@pytest.mark.parametrize("n,budget", [(50, 20), (50, 50), (16, 700), (7, 3)])
def test_protocol(env_path, pol_path, n, budget):
    """Same seeds -> same arms and pulls; arms are ints in [0, n); pulls <= budget (the env
    raises otherwise); simple regret >= 0 and == max mu - mu[arm]."""
    outs = [run_pure(build(env_path, n_arms=n, instance="uniform"), build(pol_path), budget, 6,
                     np.random.default_rng([1, 1]), np.random.default_rng([1, 2])) for _ in range(2)]
    a, b = outs
    np.testing.assert_array_equal(a.arms, b.arms)
    np.testing.assert_array_equal(a.pulls, b.pulls)
    assert np.issubdtype(a.arms.dtype, np.integer) and a.arms.min() >= 0 and a.arms.max() < n
    assert (a.pulls <= budget).all() and (a.pulls >= 0).all()
    assert (a.simple_regret >= 0).all()
    np.testing.assert_allclose(a.simple_regret, a.means.max(1) - a.means[np.arange(6), a.arms])


LEARNERS = [p for p in POLICY_YAMLS if p.stem != "uniform_allocation"]
UNIFORM = next(p for p in POLICY_YAMLS if p.stem == "uniform_allocation")


@pytest.mark.parametrize("env_path", ENV_YAMLS, ids=lambda p: p.stem)
@pytest.mark.parametrize("pol_path", LEARNERS, ids=lambda p: p.stem)
def test_beats_uniform_allocation(env_path, pol_path):
    """Data-poor regime, where adaptivity must pay: 2048 arms with means U[0,1] (Gaussian:
    sigma 0.5), T = 1024 < n, 200 reps: mean simple regret below uniform allocation's (which can
    only pull T random arms once) by more than 3 SE of the paired difference (same instances).
    In the data-rich regime BSH, which spends about half of T on unfinished blocks and samples
    its brackets with replacement, is not reliably better than uniform allocation."""
    kw = dict(n_arms=2048, instance="uniform", sigma=0.5)

    def sreg(path):
        return run_pure(build(env_path, **kw), build(path), 1024, 200, np.random.default_rng(5),
                        np.random.default_rng(6)).simple_regret

    d = sreg(UNIFORM) - sreg(pol_path)
    assert d.mean() - 3 * d.std(ddof=1) / math.sqrt(d.size) > 0, d.mean()
