"""The fast sweep composer gives exactly Hydra's resolved config for every job it derives
(reference: a full Hydra composition of the same overrides), across every preset's sweep."""

from __future__ import annotations

import itertools

import pytest
from hydra import compose as hydra_compose
from hydra import initialize_config_dir

from runners.compose_cache import FastComposer
from runners.config import CONF, experiments, family_searchpath, preset_sweep
from runners.launcher import resolve_job


def _job_overrides(name: str, per_key: int = 2, limit: int = 10) -> list[list[str]]:
    axes = []
    for key, o in preset_sweep(name).items():
        values = list(o.sweep_string_iterator())[:per_key] if o.is_sweep_override() else [o.get_value_element_as_str()]
        axes.append([f"{key}={v}" for v in values])
    jobs = [list(c) for c in itertools.product(*axes)][:limit]
    return jobs + [[*jobs[0], "seed=7"]] if jobs else [["seed=7"], ["seed=8"]]


@pytest.mark.parametrize("name", experiments())
def test_fast_composer_equals_full_hydra_composition(name):
    sp = family_searchpath([f"experiment={name}"])
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        def full(ov):
            return hydra_compose("config", overrides=[f"experiment={name}", *ov, sp], return_hydra_config=True)

        fast = FastComposer(full)
        jobs = _job_overrides(name)
        for ov in jobs:
            assert resolve_job(fast(ov)) == resolve_job(full(ov)), ov
    assert fast.hits >= 1 or len(jobs) <= 2


def test_unknown_key_still_gets_hydras_error():
    sp = family_searchpath(["experiment=probe"])
    with initialize_config_dir(config_dir=str(CONF), version_base="1.3"):
        fast = FastComposer(lambda ov: hydra_compose("config", overrides=["experiment=probe", *ov, sp],
                                                     return_hydra_config=True))
        fast(["seed=1"])
        fast(["seed=2"])
        with pytest.raises(Exception, match="sede"):
            fast(["sede=3"])
