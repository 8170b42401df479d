"""Conformance of every streaming YAML: discovered from conf/bandits/stream_{env,policy}/*.yaml.

Each env x policy pair: YAMLs list exactly the constructor's params; same seed -> identical
results; the protocol invariants (exactly T pulls, regret >= 0 and nondecreasing, single pass,
peak memory within the declared slots and the env bound); memory enforcement; and every
eps-best policy beats uniform exploration where the theory says it should (K = 10, T = 10^7,
1/eps^2 vs ln^(1/3)(T)/eps^2 pulls per arm), measured against uniform in the same test.
"""

from __future__ import annotations

import importlib
import inspect
import itertools

import numpy as np
import pytest
from omegaconf import OmegaConf

from .conftest import ROOT, build

ENV_YAMLS = sorted((ROOT / "conf" / "bandits" / "stream_env").glob("*.yaml"))
POLICY_YAMLS = sorted((ROOT / "conf" / "bandits" / "stream_policy").glob("*.yaml"))
PAIRS = list(itertools.product(ENV_YAMLS, POLICY_YAMLS))
UNIFORM = next(p for p in POLICY_YAMLS if p.stem == "uniform")


def run(env_path, policy_path, n_arms, horizon, n_reps, seed, memory=8, ck=None, **env_over):
    env = build(env_path, n_arms=n_arms, memory=memory, **env_over)
    pol = build(policy_path)
    env.reset(n_reps, horizon, np.random.default_rng([seed, 1]), ck)
    pol.play(env, np.random.default_rng([seed, 2]))
    return env, pol


def test_yamls_discovered():
    assert {p.stem for p in POLICY_YAMLS} >= {"uniform", "eps_best_logstar", "eps_best_loglog"}
    assert ENV_YAMLS


@pytest.mark.parametrize("path", ENV_YAMLS + POLICY_YAMLS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_yaml_lists_exactly_the_constructor_params(path):
    cfg = OmegaConf.to_container(OmegaConf.load(path))
    module, _, name = cfg.pop("_target_").rpartition(".")
    params = inspect.signature(getattr(importlib.import_module(module), name)).parameters
    assert set(cfg) == set(params), f"{path.name}: keys {sorted(cfg)} vs params {sorted(params)}"


@pytest.mark.parametrize("env_path,policy_path", PAIRS, ids=[f"{e.stem}-{p.stem}" for e, p in PAIRS])
def test_protocol(env_path, policy_path):
    K, T, R = 40, 20000, 8
    ck = np.array([1, 100, 5000, T])
    (a, pol), (b, _) = (run(env_path, policy_path, K, T, R, seed=4, ck=ck) for _ in range(2))
    sa, sb = a.state, b.state
    for field in ("ck_regret", "regret", "peak", "pos", "used", "means"):
        np.testing.assert_array_equal(getattr(sa, field), getattr(sb, field), err_msg=field)
    assert (sa.used == T).all()
    assert np.isfinite(sa.ck_regret).all() and (sa.ck_regret >= -1e-9).all()
    assert (np.diff(sa.ck_regret, axis=1) >= -1e-9).all()
    np.testing.assert_allclose(sa.ck_regret[:, -1], sa.regret)
    gaps = sa.best[:, None] - sa.means
    assert (sa.regret <= T * gaps.max(axis=1) + 1e-6).all()
    assert ((sa.pos >= 1) & (sa.pos <= K)).all()                      # single pass
    assert (sa.peak >= 1).all() and (sa.peak <= pol.slots(K, T)).all() and (sa.peak <= a.memory).all()
    assert (sa.slots == -1).all()                                     # everything discarded at the end


@pytest.mark.parametrize("policy_path", POLICY_YAMLS, ids=lambda p: p.stem)
def test_memory_bound_is_enforced(policy_path):
    """With exactly the declared slots the policy runs; with one fewer it is refused."""
    env_path = ENV_YAMLS[0]
    K, T = 3000, 10**7
    need = build(policy_path).slots(K, T)
    env, _ = run(env_path, policy_path, K, T, 3, seed=0, memory=need)
    assert (env.state.peak <= need).all()
    assert need >= 2                                                  # at least champion + arrival
    with pytest.raises(ValueError, match="arm slots"):
        run(env_path, policy_path, K, T, 3, seed=0, memory=need - 1)


LEARNERS = [p for p in POLICY_YAMLS if p.stem != "uniform"]


@pytest.mark.parametrize("policy_path", LEARNERS, ids=lambda p: p.stem)
def test_eps_best_beats_uniform_where_it_should(policy_path):
    """clear-cut stream, K = 10, T = 10^7, 200 reps: mean regret below uniform's by more than 3
    standard errors of the paired difference (same instances: common random numbers)."""
    K, T, R = 10, 10**7, 200
    env_path = ENV_YAMLS[0]
    reg = run(env_path, policy_path, K, T, R, seed=11, instance="clear_cut")[0].state.regret
    uni = run(env_path, UNIFORM, K, T, R, seed=11, instance="clear_cut")[0].state.regret
    diff = uni - reg
    assert diff.mean() > 3 * diff.std(ddof=1) / np.sqrt(R), (reg.mean(), uni.mean())
