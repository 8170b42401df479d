"""Conformance of every linear-bandit YAML: discovered from conf/bandits/linear_{env,policy}/*.yaml.

Each env x policy pair: YAML keys are exactly the constructor's params; same seeds -> identical
arms, rewards and regret; arms are ints in [0, K); counts are a bincount of the arms; regret >= 0
and nondecreasing. Every learning policy beats uniform allocation on an easy well-specified
instance (measured against the uniform YAML in the same test, paired by common random numbers).
"""

from __future__ import annotations

import importlib
import inspect
import itertools

import numpy as np
import pytest
from omegaconf import OmegaConf

from algorithms.bandits.linear.simulate import simulate_linear

from .conftest import ROOT, build

ENV_YAMLS = sorted((ROOT / "conf" / "bandits" / "linear_env").glob("*.yaml"))
POLICY_YAMLS = sorted((ROOT / "conf" / "bandits" / "linear_policy").glob("*.yaml"))
PAIRS = list(itertools.product(ENV_YAMLS, POLICY_YAMLS))
UNIFORM = next(p for p in POLICY_YAMLS if p.stem == "uniform")


def run(env, policy, horizon, n_reps, seed, ck=None, record=False):
    return simulate_linear(env, policy, horizon, n_reps, np.random.default_rng([seed, 1]),
                           np.random.default_rng([seed, 2]), ck, record_arms=record)


def test_yamls_discovered():
    assert {p.stem for p in POLICY_YAMLS} >= {"uniform", "oful", "ds_oful", "sup_lin_ucb"}
    assert {p.stem for p in ENV_YAMLS} >= {"hidden_best"}


@pytest.mark.parametrize("path", ENV_YAMLS + POLICY_YAMLS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_yaml_lists_exactly_the_constructor_params(path):
    cfg = OmegaConf.to_container(OmegaConf.load(path))
    module, _, name = cfg.pop("_target_").rpartition(".")
    params = inspect.signature(getattr(importlib.import_module(module), name)).parameters
    assert set(cfg) == set(params), f"{path.name}: keys {sorted(cfg)} vs params {sorted(params)}"


@pytest.mark.parametrize("env_path,policy_path", PAIRS, ids=[f"{e.stem}-{p.stem}" for e, p in PAIRS])
def test_protocol(env_path, policy_path):
    T, R = 150, 4
    ck = np.array([1, 10, 77, T])
    outs = [run(build(env_path, dim=4), build(policy_path), T, R, seed=3, ck=ck, record=True) for _ in range(2)]
    a, b = outs
    for field in ("arms", "rewards", "regret", "counts", "checkpoints", "means"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)
    K = a.means.shape[1]
    assert a.arms.shape == (R, T) and np.issubdtype(a.arms.dtype, np.integer)
    assert a.arms.min() >= 0 and a.arms.max() < K
    assert np.isfinite(a.rewards).all() and a.regret.shape == (R, ck.size)
    np.testing.assert_array_equal(a.counts, [np.bincount(r, minlength=K) for r in a.arms])
    assert (a.regret >= -1e-12).all() and (np.diff(a.regret, axis=1) >= -1e-12).all()


LEARNERS = [p for p in POLICY_YAMLS if p.stem != "uniform"]
EASY = dict(dim=4, zeta=0.0, gap=0.4, noise=0.1)


@pytest.mark.parametrize("env_path", ENV_YAMLS, ids=lambda p: p.stem)
@pytest.mark.parametrize("policy_path", LEARNERS, ids=lambda p: p.stem)
def test_beats_uniform_on_easy_instance(env_path, policy_path):
    """Well specified (zeta = 0), gap 0.4 (hidden_best) or a random arm set with noise 0.1,
    T = 2000, 30 reps: the paired regret difference to uniform exceeds 3 standard errors."""
    T, R = 2000, 30
    over = dict(EASY, n_arms=12) if build(env_path).instance == "random" else EASY
    reg = run(build(env_path, **over), build(policy_path), T, R, seed=5).regret[:, -1]
    uni = run(build(env_path, **over), build(UNIFORM), T, R, seed=5).regret[:, -1]
    diff = uni - reg
    assert diff.mean() > 3 * diff.std(ddof=1) / np.sqrt(R), (reg.mean(), uni.mean())
