"""A validated sweep, run: resume lookup, dispatch over Ray, tracking, progress, summary.

Input is a list of fully resolved, validated jobs (see ``runners/launcher.py`` for how Hydra
produces them). Resume rules: a job whose ``cfg_hash`` already has a FINISHED run in the
experiment is skipped (unless ``force``); runs left RUNNING by a dead driver are marked KILLED
and their jobs re-run; a crashed job becomes a FAILED run and the sweep goes on.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Mapping, TextIO

from runners import ray_backend
from runners.hashing import NON_RESULT_KEYS, sweep_hash
from runners.jobs import JobOutcome
from runners.progress import Progress
from runners.tracking import StoreUnavailable, flush, make_tracker


@dataclass
class Job:
    """One resolved job of a sweep."""

    index: int
    overrides: list[str]
    config: dict[str, Any]            # resolved, without the hydra node
    cfg_hash: str
    choices: dict[str, str] = field(default_factory=dict)

    @property
    def entry(self) -> str:
        return self.config["meta"]["entry"]

    @property
    def params(self) -> dict[str, Any]:
        return {k: v for k, v in self.config.items() if k not in NON_RESULT_KEYS}

    @property
    def run_name(self) -> str:
        return (",".join(self.overrides) or "defaults")[:250]


@dataclass
class SweepSummary:
    sweep_id: str
    n_jobs: int
    finished: int = 0
    failed: int = 0
    skipped: int = 0
    killed_orphans: int = 0
    spooled: int = 0                  # results kept in the local spool (store unavailable)
    spool_dir: str = ""
    outcomes: dict[str, JobOutcome] = field(default_factory=dict)   # cfg_hash -> outcome (this run)
    failed_jobs: list[tuple[Job, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.spooled == 0


class SweepInProgress(RuntimeError):
    """Another live driver is running jobs of this experiment."""


def run_sweep(jobs: list[Job], cfg: Mapping[str, Any], stream: TextIO | None = None) -> SweepSummary:
    """Run the jobs of one experiment; ``cfg`` supplies runner, tracking, meta and force."""
    stream = stream or sys.stderr
    meta = cfg["meta"]
    force = bool(cfg.get("force", False))
    sweep_id = sweep_hash([j.cfg_hash for j in jobs])
    summary = SweepSummary(sweep_id, len(jobs))
    tracker = make_tracker(cfg["tracking"], meta["name"])   # creates the store before any worker
    spool = getattr(tracker, "spool", None)
    if spool is not None and spool.count(tracker.uri):
        done, errors = flush(spool, tracker.uri)
        stream.write(f"[simlab] stored {done} result(s) left in the spool {spool.root} by an earlier sweep\n")
        if errors:
            raise StoreUnavailable(f"{len(errors)} spooled result(s) could not be stored ({errors[0]}); "
                                   "nothing was run; fix the store and run `simlab sync`")

    prior = tracker.prior_jobs()
    live = tracker.live_driver(prior)
    if live:
        raise SweepInProgress(f"driver {live} is still running jobs of experiment {meta['name']!r}; "
                              "wait for it or stop it before resuming")
    wanted = {j.cfg_hash for j in jobs}
    orphans = [r.run_id for r in prior if r.status == "RUNNING" and r.cfg_hash in wanted]
    tracker.mark_killed(orphans, "left RUNNING by a driver that died; marked KILLED on resume")
    summary.killed_orphans = len(orphans)
    finished_runs: dict[str, list[str]] = {}
    for r in prior:
        if r.status == "FINISHED":
            finished_runs.setdefault(r.cfg_hash, []).append(r.run_id)

    todo = [j for j in jobs if force or j.cfg_hash not in finished_runs]
    summary.skipped = len(jobs) - len(todo)
    if summary.skipped:
        stream.write(f"[simlab] resume: {summary.skipped} of {len(jobs)} job(s) already FINISHED in "
                     f"experiment {meta['name']!r}; skipping them (+force=true re-runs)\n")
    if orphans:
        stream.write(f"[simlab] resume: marked {len(orphans)} run(s) left RUNNING by a dead driver as KILLED; re-running\n")

    tracker.start_sweep(sweep_id, [{"cfg_hash": j.cfg_hash, "overrides": j.overrides} for j in jobs],
                        {"experiment": meta["name"], "simlab.n_jobs": str(len(jobs))})
    progress = Progress(len(jobs), summary.skipped, stream=stream)
    run_ids: dict[int, str] = {}
    status = "FAILED"
    try:
        if todo:
            runner = cfg["runner"]
            with ray_backend.connected(runner) as cpus:
                in_flight = runner.get("max_in_flight") or 2 * cpus

                def on_start(i: int) -> None:
                    job = todo[i]
                    tags = {f"choice.{g}": c for g, c in job.choices.items()}
                    run_ids[i] = tracker.start_job(job.cfg_hash, job.config, job.run_name, tags)

                def on_done(i: int, outcome: JobOutcome) -> None:
                    job = todo[i]
                    tracker.finish_job(run_ids.pop(i), outcome, job.config)
                    summary.outcomes[job.cfg_hash] = outcome
                    if outcome.status == "FINISHED":
                        summary.finished += 1
                        if force and job.cfg_hash in finished_runs:
                            tracker.supersede(finished_runs[job.cfg_hash], by=sweep_id)
                    else:
                        summary.failed += 1
                        summary.failed_jobs.append((job, outcome.error or ""))
                    progress.update(summary.finished, summary.failed, len(run_ids))

                ray_backend.dispatch(
                    [(j.entry, j.cfg_hash, j.params) for j in todo], on_start, on_done,
                    lambda running: progress.update(summary.finished, summary.failed, running),
                    max_in_flight=in_flight, max_retries=int(runner.get("max_retries", 0)),
                )
        status = "FINISHED" if summary.failed == 0 else "FAILED"
    except BaseException:              # Ctrl-C, SIGTERM (via the CLI), Ray's own exit on a signal
        status = "KILLED"
        raise
    finally:
        tracker.mark_killed(run_ids.values(), "interrupted")
        progress.close()
        tracker.end_sweep(status, {"jobs": len(jobs), "finished": summary.finished,
                                   "failed": summary.failed, "skipped": summary.skipped})
        summary.spooled = getattr(tracker, "spooled", 0)
        if summary.spooled:
            summary.spool_dir = str(tracker.spool.root)
            stream.write(f"[simlab] the tracking store {tracker.uri} was unavailable ({tracker.offline or 'recovered'}): "
                         f"{summary.spooled} result(s) kept in {summary.spool_dir}; they are stored by "
                         "`simlab sync` or the next `simlab run` against this store\n")
    return summary
