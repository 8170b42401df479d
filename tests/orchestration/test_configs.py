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


class _CountingValidate:
    """Counts ``validate()`` calls; fails if the file it names contains an ``x``."""

    def __init__(self, path) -> None:
        self.path, self.calls = path, 0

    def validate(self) -> None:
        self.calls += 1
        lines = open(self.path).read().splitlines()
        if "x" in lines:
            raise ValueError(f"{self.path}: line {lines.index('x') + 1}: not an integer")


def test_a_data_file_is_validated_once_per_sweep_and_again_when_it_changes(tmp_path):
    """``validate()`` outcomes are remembered per config node and file state: the same node
    and file are not re-read; a same-size rewrite with its mtime put back is (the key has the
    ctime, which a user cannot set back); a remembered error is returned again; another node
    naming the same file is validated on its own."""
    import os

    from runners.validation import _validate

    f = tmp_path / "trace.txt"
    f.write_text("1\n2\n3\n")
    node = {"_target_": "a.B", "path": str(f)}
    obj = _CountingValidate(f)
    assert _validate(obj, node) is None and _validate(obj, node) is None
    assert obj.calls == 1
    st = f.stat()
    f.write_text("1\nx\n3\n")                             # malformed, same size and mtime
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    message = _validate(obj, node)
    assert obj.calls == 2 and "trace.txt: line 2" in message and message.startswith("ValueError")
    assert _validate(obj, node) == message and obj.calls == 2
    assert _validate(obj, {**node, "n": 3}) == message and obj.calls == 3
    job, _ = resolve_job(compose(["experiment=paging_trace", f"trace.path={f}"]))
    problems = check_job(job)[0]                           # the real loader, end to end
    assert [p.key for p in problems] == ["trace"] and "line 2" in problems[0].message
