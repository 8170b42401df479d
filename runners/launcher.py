"""Hydra Launcher over Ray: compose and validate every job in the driver, then run the sweep.

Hydra's sweeper expands ``-m a=1,2 b=...`` (and ``hydra.sweeper.params`` of a preset) into
override lists; for each list this launcher builds the job config with Hydra's own config
loader, so the full override grammar and every sweeper work unchanged. Nothing is dispatched
or logged unless every job composes, resolves and validates.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Sequence

from hydra.core.config_store import ConfigStore
from hydra.core.utils import JobReturn, JobStatus
from hydra.plugins.launcher import Launcher
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, OmegaConf, open_dict

from runners.compose_cache import FastComposer
from runners.hashing import cfg_hash
from runners.sweep import Job, SweepInProgress, SweepSummary, run_sweep
from runners.tracking import StoreUnavailable
from runners.validation import ConfigError, Problem, check_job

# Set by the last launch, read by the CLI for the exit status (Hydra drops return values).
LAST_SUMMARY: list[SweepSummary] = []

_RUNTIME_GROUPS_HIDDEN = ("hydra/", "runner", "tracking")


@dataclass
class SimlabLauncherConf:
    _target_: str = "hydra_plugins.simlab_launcher.SimlabLauncher"


ConfigStore.instance().store(group="hydra/launcher", name="simlab", node=SimlabLauncherConf, provider="simlab")


def resolve_job(config: DictConfig) -> tuple[dict[str, Any], dict[str, str]]:
    """A composed job config -> (plain resolved dict without hydra, its group choices)."""
    choices = {}
    if "hydra" in config:
        choices = {g: str(c) for g, c in config.hydra.runtime.choices.items()
                   if c is not None and not g.startswith(_RUNTIME_GROUPS_HIDDEN)}
    config = config.copy()
    with open_dict(config):
        config.pop("hydra", None)
    return OmegaConf.to_container(config, resolve=True, throw_on_missing=True), choices  # type: ignore[return-value]


def build_jobs(compose, job_overrides: Sequence[Sequence[str]]) -> list[Job]:
    """Compose, resolve and validate every job; raise ConfigError listing every bad job."""
    jobs: list[Job] = []
    failures: list[tuple[str, list[Problem]]] = []
    seen: set[str] = set()
    for idx, overrides in enumerate(job_overrides):
        shown = " ".join(overrides)
        try:
            resolved, choices = resolve_job(compose(list(overrides)))
        except Exception as exc:
            failures.append((shown, [Problem("(config)", shown, f"{type(exc).__name__}: {exc}")]))
            continue
        problems, _ = check_job(resolved)
        if problems:
            failures.append((shown, problems))
            continue
        h = cfg_hash(resolved)
        if h in seen:                         # two override lists giving the same job
            continue
        seen.add(h)
        jobs.append(Job(idx, list(overrides), resolved, h, choices))
    if failures:
        raise ConfigError(failures, len(job_overrides))
    names = {j.config["meta"]["name"] for j in jobs}
    if len(names) > 1:
        raise ConfigError([("(sweep)", [Problem("meta.name", sorted(names),
                                                "one sweep must stay within one experiment",
                                                "sweep each experiment separately")])], len(job_overrides))
    return jobs


class SimlabLauncher(Launcher):
    def __init__(self) -> None:
        self.config: DictConfig | None = None
        self.hydra_context: HydraContext | None = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        self.config = config
        self.hydra_context = hydra_context

    def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> Sequence[JobReturn]:
        assert self.config is not None and self.hydra_context is not None
        loader = self.hydra_context.config_loader
        try:
            composer = FastComposer(lambda ov: loader.load_sweep_config(self.config, ov))
            jobs = build_jobs(composer, job_overrides)
        except ConfigError as err:
            sys.stderr.write(f"simlab: {err.render()}\n")
            sys.exit(2)
        if not jobs:
            sys.stderr.write("simlab: the sweep is empty; nothing to run.\n")
            sys.exit(2)
        first = jobs[0].config
        try:
            summary = run_sweep(jobs, first)
        except SweepInProgress as exc:
            sys.stderr.write(f"simlab: {exc}\n")
            sys.exit(3)
        except StoreUnavailable as exc:
            sys.stderr.write(f"simlab: {exc}\n")
            sys.exit(2)
        LAST_SUMMARY.append(summary)
        for job, error in summary.failed_jobs[:5]:
            last = error.strip().splitlines()[-1] if error.strip() else "unknown error"
            sys.stderr.write(f"simlab: job FAILED ({job.run_name}): {last}\n")
        returns = []
        for job in jobs:
            ret = JobReturn(overrides=job.overrides, status=JobStatus.COMPLETED)
            outcome = summary.outcomes.get(job.cfg_hash)
            ret.return_value = None if outcome is None else outcome.status
            returns.append(ret)
        return returns
