"""Conformance of every optimizer YAML in conf/optim/optimizer/ (discovered, not listed).

Each config is instantiated with Hydra exactly as the platform does, then checked against the
family protocol (algorithms/optim/__init__.py): init/update shapes and dtypes match the params,
updates are finite, update() leaves its inputs untouched, a run is deterministic given the seed,
state_bytes is a positive int, distributed optimizers count bits, and the YAML lists every
constructor parameter with its default. The benchmark's --quick mode must still run.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import hydra.utils
import numpy as np
import omegaconf
import pytest

from algorithms.optim.base import apply_updates

ROOT = Path(__file__).resolve().parents[2]
YAMLS = sorted((ROOT / "conf" / "optim" / "optimizer").glob("*.yaml"))
N_WORKERS = 3


def build(path: Path, seed_axis: bool):
    cfg = omegaconf.OmegaConf.load(path)
    cls = hydra.utils.get_class(cfg._target_)
    extra = {"seed_axis": seed_axis}
    sig = inspect.signature(cls.__init__).parameters
    if "n_workers" in sig:
        extra["n_workers"] = N_WORKERS
    if "smoothness" in sig:                      # problem data the experiment supplies
        extra["smoothness"] = [1.0 + i for i in range(N_WORKERS)]
    return hydra.utils.instantiate(cfg, **extra), "n_workers" in sig


def params_for(seed_axis: bool):
    lead = (2,) if seed_axis else ()
    rng = np.random.default_rng(0)
    # one block large enough (> 4096 entries) to exercise 4-bit quantisation
    return {"w": rng.normal(size=lead + (64, 80)), "b": rng.normal(size=lead + (80,)),
            "s": rng.normal(size=lead + (3,))}


def grads_for(params, distributed, seed_axis, rng):
    out = {}
    for k, p in params.items():
        if distributed:
            shape = (p.shape[0], N_WORKERS) + p.shape[1:] if seed_axis else (N_WORKERS,) + p.shape
        else:
            shape = p.shape
        out[k] = rng.normal(size=shape)
    return out


def trajectory(path, seed_axis, steps=4):
    opt, dist = build(path, seed_axis)
    rng = np.random.default_rng(123)
    params = params_for(seed_axis)
    state = opt.init(params, rng=np.random.default_rng(7))
    ups = []
    for _ in range(steps):
        g = grads_for(params, dist, seed_axis, rng)
        g_copy = {k: v.copy() for k, v in g.items()}
        p_copy = {k: v.copy() for k, v in params.items()}
        u, state = opt.update(g, state, params)
        for k in g:
            np.testing.assert_array_equal(g[k], g_copy[k])
            np.testing.assert_array_equal(params[k], p_copy[k])
        ups.append(u)
        params = apply_updates(params, u)
    return opt, dist, params, state, ups


@pytest.mark.parametrize("path", YAMLS, ids=[p.stem for p in YAMLS])
@pytest.mark.parametrize("seed_axis", [False, True])
def test_protocol(path, seed_axis):
    opt, dist, params, state, ups = trajectory(path, seed_axis)
    ref = params_for(seed_axis)
    for u in ups:
        assert set(u) == set(ref)
        for k in ref:
            assert u[k].shape == ref[k].shape, (k, u[k].shape)
            assert np.issubdtype(u[k].dtype, np.floating)
            assert np.all(np.isfinite(u[k]))
    assert any(np.any(u[k] != 0) for u in ups for k in u)
    nb = opt.state_bytes(state)
    assert isinstance(nb, int) and nb > 0
    if dist:
        assert state.bits_communicated > 0


@pytest.mark.parametrize("path", YAMLS, ids=[p.stem for p in YAMLS])
def test_deterministic(path):
    """Two fresh instantiations with the same seeds give bit-identical updates."""
    _, _, p1, _, u1 = trajectory(path, True)
    _, _, p2, _, u2 = trajectory(path, True)
    for a, b in zip(u1, u2):
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])


def base_of(path: Path) -> Path | None:
    """A variant ``<base>_<suffix>.yaml`` (e.g. adamw_4bit_zero) of an existing ``<base>.yaml``
    with the same target, else None."""
    stem = path.stem
    while "_" in stem:
        stem = stem.rsplit("_", 1)[0]
        base = path.with_name(stem + ".yaml")
        if base.exists() and omegaconf.OmegaConf.load(base)._target_ == omegaconf.OmegaConf.load(path)._target_:
            return base
    return None


@pytest.mark.parametrize("path", YAMLS, ids=[p.stem for p in YAMLS])
def test_yaml_lists_every_constructor_parameter(path):
    """Every constructor parameter is listed; a base YAML lists the defaults, a variant
    (``<base>_<suffix>.yaml``) differs from its base in at least one value and is the only kind
    of YAML allowed to differ from the defaults."""
    cfg = omegaconf.OmegaConf.to_container(omegaconf.OmegaConf.load(path))
    cls = hydra.utils.get_class(cfg.pop("_target_"))
    sig = {k: v for k, v in inspect.signature(cls.__init__).parameters.items() if k != "self"}
    assert set(cfg) == set(sig)
    base = base_of(path)
    if base is None:
        for k, p in sig.items():
            assert cfg[k] == p.default, (k, cfg[k], p.default)
    else:
        ref = omegaconf.OmegaConf.to_container(omegaconf.OmegaConf.load(base))
        ref.pop("_target_")
        assert any(cfg[k] != ref[k] for k in cfg), f"{path.stem} repeats {base.stem} exactly"


def test_benchmark_quick_runs():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_optim.py"), "--quick"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "ratio" in out.stdout
