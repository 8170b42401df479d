"""Every YAML of every config group composes and instantiates (discovered, not listed)."""

from __future__ import annotations

import re

import pytest
from hydra.utils import instantiate
from omegaconf import OmegaConf

from runners.config import CONF, compose, experiments, preset_family
from runners.launcher import resolve_job
from runners.validation import Problem, _check_node, check_job

GROUP_YAMLS = sorted(p for p in CONF.glob("*/**/*.yaml") if p.parent.name not in ("experiment",)
                     and "_target_" in p.read_text())


@pytest.mark.parametrize("path", GROUP_YAMLS, ids=[str(p.relative_to(CONF)) for p in GROUP_YAMLS])
def test_group_yaml_validates_and_instantiates(path):
    node = OmegaConf.load(path)
    missing = [k for k in node if OmegaConf.is_missing(node, k)]
    if missing:                         # e.g. a trace loader's `path: ???`: must be named as missing
        with pytest.raises(Exception, match=missing[0]):
            instantiate(node)
        return
    container = OmegaConf.to_container(node, resolve=True)
    problems: list[Problem] = []
    _check_node(path.stem, container, problems)
    assert not problems, problems
    assert instantiate(container, _convert_="all") is not None


@pytest.mark.parametrize("name", experiments())
def test_every_group_choice_of_each_preset_composes(name):
    """For each preset, every option of each group its defaults use composes and validates."""
    family = preset_family(name)
    cfg = compose([f"experiment={name}"])
    resolved, choices = resolve_job(cfg)
    assert not check_job(resolved)[0]
    for group in choices:
        if group in ("experiment",):
            continue
        for option in sorted((CONF / family / group).glob("*.yaml")):
            if "???" in option.read_text():
                # an option with a required value (a trace file's path): unless the preset gives
                # it, composing must fail naming that key; what a given file holds is the
                # corpus's business (tests/data/bad)
                try:
                    resolve_job(compose([f"experiment={name}", f"{group}={option.stem}"]))
                except Exception as exc:
                    assert re.search(r"(?s)Missing mandatory value.*full_key: \w+\.\w+", str(exc)), exc
                continue
            job, _ = resolve_job(compose([f"experiment={name}", f"{group}={option.stem}"]))
            problems, built = check_job(job)
            # a preset may set keys of its default option that another option lacks
            # (bandits_demo's env.gap on env=oblivious ...): that must be a clear unknown-key error
            assert all(p.message.startswith("unknown key for") and p.key.startswith(group + ".")
                       for p in problems), (option, problems)
            if not problems:
                assert group in built


def test_a_data_file_is_parsed_once_per_sweep_and_again_when_it_changes(tmp_path):
    """``validate()`` outcomes are remembered per node and file (size, mtime): a malformed
    rewrite that keeps both is not re-read (the remembered success stands), one that changes
    the mtime is, and its error (file and line) is reported on every later check too."""
    import os

    f = tmp_path / "trace.txt"
    f.write_text("1\n2\n3\n")
    job, _ = resolve_job(compose(["experiment=paging_trace", f"trace.path={f}"]))
    assert not check_job(job)[0]
    st = f.stat()
    f.write_text("1\nx\n3\n")                             # malformed, same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert not check_job(job)[0]                           # same stamps: not parsed again
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    for _ in range(2):                                     # parsed; the error is remembered
        problems = check_job(job)[0]
        assert [p.key for p in problems] == ["trace"], problems
        assert "trace.txt" in problems[0].message and "line 2" in problems[0].message
