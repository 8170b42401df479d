"""MLflow tracking from the driver, the only writer (concurrent sqlite writers race or corrupt).

A sweep is a parent run (tag ``simlab.kind=sweep``); each job is a child run with its flattened
config as params, identity and provenance tags, final scalars, downsampled series as metric
steps, and its full per-rep arrays as one ``.npz`` artifact under a folder named by its
``cfg_hash``. A run is set FINISHED only after everything it carries is stored.

When the store cannot take a result (tracking server down, network error after MLflow's own
HTTP retries with backoff), the tracker goes offline for the rest of the sweep and writes each
outcome to the local spool (``runners/spool.py``); ``flush`` replays the spool into the store
at the start of the next sweep or on ``simlab sync``. Nothing is lost and nothing is reported
FINISHED before its data is in the store.
"""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import threading
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")   # one line per run is noise

from runners.hashing import NON_RESULT_KEYS, flatten
from runners.spool import Entry, Spool

SPOOLED = "spool:"       # prefix of a job's run id while it exists only in the spool

# MLflow server limits per log_batch call.
_MAX_PARAMS = 100
_MAX_METRICS = 1000
_MAX_PARAM_CHARS = 6000
_PACKAGES = ("simlab", "numpy", "numba", "ray", "mlflow", "hydra-core", "pandas")

log = logging.getLogger(__name__)


def project_root() -> Path:
    return Path(__file__).resolve().parents[1]


def provenance() -> dict[str, str]:
    """Git commit, dirty flag and package versions, computed once per sweep."""
    tags: dict[str, str] = {}
    root = project_root()
    try:
        head = subprocess.run(["git", "rev-parse", "--verify", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=10)
        commit = head.stdout.strip() if head.returncode == 0 else ""
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        tags["git_commit"] = commit or "unknown"
        tags["git_dirty"] = "true" if dirty else "false"
    except (OSError, subprocess.SubprocessError):
        tags["git_commit"], tags["git_dirty"] = "unknown", "unknown"
    for pkg in _PACKAGES:
        try:
            tags[f"version.{pkg}"] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return tags


@dataclass
class PriorRun:
    run_id: str
    cfg_hash: str
    status: str
    driver: str
    end_time: int | None


def _pid_alive(driver: str) -> bool:
    """Is the driver 'host:pid' still running on this host?"""
    host, _, pid = driver.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _param_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= _MAX_PARAM_CHARS else text[: _MAX_PARAM_CHARS - 3] + "..."


class MlflowTracker:
    """Writes a sweep and its jobs to one MLflow experiment."""

    def __init__(self, uri: str, experiment: str, artifact_root: str | None = None,
                 spool: Spool | None = None) -> None:
        self.uri = uri
        self.client = client_for(uri)
        self.driver = f"{socket.gethostname()}:{os.getpid()}"
        try:
            self.experiment_id = ensure_experiment(self.client, uri, experiment, artifact_root)
        except StoreUnavailable:
            raise
        except Exception as exc:           # unreachable server, unwritable store: stop before any job
            raise StoreUnavailable(f"cannot use the tracking store {uri}: {type(exc).__name__}: "
                                   f"{_first_line(exc)}; nothing was run") from exc
        self.experiment = experiment
        self.artifact_root = artifact_root
        self.parent_id: str | None = None
        self.sweep_id: str | None = None
        self.common_tags: dict[str, str] = {}
        self.spool = spool
        self.offline: str | None = None         # why the store stopped taking writes, if it did
        self.spooled = 0
        self._jobs: dict[str, dict[str, Any]] = {}   # run id -> what a spool record needs

    def _go_offline(self, exc: BaseException) -> None:
        if self.offline is None:
            self.offline = f"{type(exc).__name__}: {_first_line(exc)}"
            log.warning("tracking store %s stopped taking writes (%s); results go to the spool %s",
                        self.uri, self.offline, self.spool.root if self.spool else "(none)")

    # ---- lookups ------------------------------------------------------------------------
    def _search(self, filter_string: str) -> Iterable[Any]:
        token = None
        while True:
            page = self.client.search_runs([self.experiment_id], filter_string=filter_string,
                                           max_results=5000, page_token=token)
            yield from page
            token = page.token
            if not token:
                return

    def prior_jobs(self) -> list[PriorRun]:
        """Every job run of this experiment (any sweep), for resume decisions."""
        return [
            PriorRun(r.info.run_id, r.data.tags.get("cfg_hash", ""), r.info.status,
                     r.data.tags.get("simlab.driver", ""), r.info.end_time)
            for r in self._search("tags.`simlab.kind` = 'job'")
        ]

    def live_driver(self, runs: Iterable[PriorRun]) -> str | None:
        """The driver of a RUNNING run that is still alive (another sweep in progress), if any."""
        for run in runs:
            if run.status == "RUNNING" and run.driver != self.driver and _pid_alive(run.driver):
                return run.driver
        return None

    def mark_killed(self, run_ids: Iterable[str], note: str) -> None:
        for run_id in run_ids:
            if run_id.startswith(SPOOLED) or self.offline:
                continue                # never stored / store away: the next sweep marks orphans
            try:
                self.client.set_tag(run_id, "simlab.note", note)
                self.client.set_terminated(run_id, status="KILLED")
            except Exception as exc:
                self._go_offline(exc)

    # ---- sweep ----------------------------------------------------------------------------
    def start_sweep(self, sweep_id: str, jobs: list[dict[str, Any]], tags: Mapping[str, str]) -> str:
        """Open (or re-open, on resume) the sweep's parent run."""
        self.sweep_id = sweep_id
        self.common_tags = {**provenance(), "sweep_id": sweep_id}
        existing = list(self._search(f"tags.`simlab.kind` = 'sweep' and tags.sweep_id = '{sweep_id}'"))
        if existing:
            self.parent_id = existing[0].info.run_id
            self.client.update_run(self.parent_id, status="RUNNING")
            self.client.set_tag(self.parent_id, "simlab.driver", self.driver)
            return self.parent_id
        run = self.client.create_run(
            self.experiment_id, run_name=f"sweep-{sweep_id}",
            tags={**self.common_tags, **tags, "simlab.kind": "sweep", "simlab.driver": self.driver},
        )
        self.parent_id = run.info.run_id
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "jobs.json").write_text(json.dumps(jobs, indent=1, default=str))
            self.client.log_artifacts(self.parent_id, tmp)
        return self.parent_id

    def end_sweep(self, status: str, summary: Mapping[str, float]) -> None:
        if self.parent_id is None:
            return
        from mlflow.entities import Metric

        if self.spooled:
            self.retry_spool()
            if self.spooled:
                status = "RUNNING" if status == "FINISHED" else status   # not done until synced
        if self.offline:
            return                      # the parent stays open; resume or sync completes it
        now = int(time.time() * 1000)
        try:
            self.client.log_batch(self.parent_id, metrics=[Metric(k, float(v), now, 0) for k, v in summary.items()])
            if status != "RUNNING":
                self.client.set_terminated(self.parent_id, status=status)
        except Exception as exc:
            self._go_offline(exc)

    def retry_spool(self) -> None:
        """Try once to move this sweep's spooled results into the store (it may be back)."""
        if self.spool is None:
            return
        done, errors = flush(self.spool, self.uri)
        if not errors:
            self.offline = None
        self.spooled = self.spool.count(self.uri)

    # ---- jobs -------------------------------------------------------------------------------
    def start_job(self, cfg_hash: str, config: Mapping[str, Any], run_name: str,
                  extra_tags: Mapping[str, str]) -> str:
        from mlflow.entities import Param

        tags = {**self.common_tags, **extra_tags, "cfg_hash": cfg_hash, "simlab.kind": "job",
                "simlab.driver": self.driver, "mlflow.parentRunId": self.parent_id or ""}
        logged = {"entry": config["meta"]["entry"], **{k: v for k, v in config.items() if k not in NON_RESULT_KEYS}}
        params = {k: _param_value(v) for k, v in sorted(flatten(logged).items())}
        run_id = None
        if not self.offline:
            try:
                run_id = self.client.create_run(self.experiment_id, run_name=run_name, tags=tags).info.run_id
                items = [Param(k, v) for k, v in params.items()]
                for i in range(0, len(items), _MAX_PARAMS):
                    self.client.log_batch(run_id, params=items[i:i + _MAX_PARAMS])
            except Exception as exc:
                self._go_offline(exc)
        key = run_id or f"{SPOOLED}{cfg_hash}:{time.time_ns()}"
        self._jobs[key] = {"run_name": run_name, "tags": tags, "params": params, "cfg_hash": cfg_hash}
        return key

    def finish_job(self, run_id: str, outcome: Any, config: Mapping[str, Any]) -> None:
        """Store a job's outcome, then (and only then) set its terminal status; if the store
        cannot take it, write it to the spool instead (the run is not FINISHED until flushed)."""
        job = self._jobs.pop(run_id, {})
        with tempfile.TemporaryDirectory() as tmp:
            metrics = write_outcome(Path(tmp), outcome, config)
            error_tag = None
            if outcome.status == "FAILED":
                error_tag = ((outcome.error or "").strip().splitlines()[-1:] or [""])[0][:500]
            if not self.offline and not run_id.startswith(SPOOLED):
                try:
                    store_outcome(self.client, run_id, metrics, Path(tmp), outcome.status, error_tag)
                    return
                except Exception as exc:
                    self._go_offline(exc)
            if self.spool is None:
                raise RuntimeError(f"tracking store {self.uri} unavailable ({self.offline}) and no spool configured")
            self.spool.put({
                "uri": self.uri, "experiment": self.experiment, "artifact_root": self.artifact_root,
                "sweep_id": self.sweep_id, "parent_run_id": self.parent_id,
                "run_id": None if run_id.startswith(SPOOLED) else run_id,
                "cfg_hash": outcome.cfg_hash, "run_name": job.get("run_name", outcome.cfg_hash),
                "tags": job.get("tags", {}), "params": job.get("params", {}),
                "metrics": metrics, "status": outcome.status, "error_tag": error_tag,
                "reason": self.offline,
            }, Path(tmp))
            self.spooled += 1

    def supersede(self, run_ids: Iterable[str], by: str) -> None:
        for run_id in run_ids:
            self.client.set_tag(run_id, "simlab.superseded_by", by)



class NullTracker:
    """``tracking=none``: same interface, stores nothing, so every job runs."""

    parent_id = None
    spool = None
    spooled = 0
    offline = None

    def prior_jobs(self) -> list[PriorRun]:
        return []

    def live_driver(self, runs: Iterable[PriorRun]) -> str | None:
        return None

    def mark_killed(self, run_ids: Iterable[str], note: str) -> None:
        pass

    def start_sweep(self, sweep_id: str, jobs: list[dict[str, Any]], tags: Mapping[str, str]) -> None:
        return None

    def end_sweep(self, status: str, summary: Mapping[str, float]) -> None:
        pass

    def start_job(self, cfg_hash: str, config: Mapping[str, Any], run_name: str,
                  extra_tags: Mapping[str, str]) -> str:
        return cfg_hash

    def finish_job(self, run_id: str, outcome: Any, config: Mapping[str, Any]) -> None:
        pass

    def supersede(self, run_ids: Iterable[str], by: str) -> None:
        pass


class StoreUnavailable(RuntimeError):
    """The tracking store cannot be reached or written; raised before any job starts."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else ""


def configure_http(tracking: Mapping[str, Any]) -> None:
    """MLflow's HTTP client retries transient errors with exponential backoff; set its knobs
    from the tracking config (env vars MLflow reads per request) unless the user set them."""
    for key, env in (("http_retries", "MLFLOW_HTTP_REQUEST_MAX_RETRIES"),
                     ("http_backoff", "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"),
                     ("http_timeout", "MLFLOW_HTTP_REQUEST_TIMEOUT")):
        if tracking.get(key) is not None and env not in os.environ:
            os.environ[env] = str(int(tracking[key]))        # MLflow parses these as integers


def create_sqlite_store(uri: str) -> None:
    """Create a missing sqlite store all at once: migrate a private file, then link it into
    place (``os.link`` never overwrites). MLflow migrates a new sqlite file in place, step by
    step, so anything else opening it meanwhile (a second driver, the UI, a test polling the
    store) ran the same migrations concurrently and one of them failed with "table
    _alembic_tmp_... already exists"; now others see no file or a complete one."""
    if not uri.startswith("sqlite:///"):
        return
    path = Path(uri[len("sqlite:///"):].split("?", 1)[0])
    if path.exists() or str(path) in ("", ":memory:"):
        return
    from mlflow.store.tracking import DEFAULT_LOCAL_FILE_AND_ARTIFACT_PATH
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.init")
    try:
        store = SqlAlchemyStore(f"sqlite:///{tmp}", DEFAULT_LOCAL_FILE_AND_ARTIFACT_PATH)
        store.engine.dispose()
        try:
            os.link(tmp, path)
        except FileExistsError:                 # another process created it first: use theirs
            pass
    finally:
        tmp.unlink(missing_ok=True)


def client_for(uri: str):
    from mlflow.tracking import MlflowClient

    create_sqlite_store(uri)
    client = MlflowClient(tracking_uri=uri)
    for name in ("alembic", "mlflow"):       # after import: mlflow sets its own levels on import
        logging.getLogger(name).setLevel(logging.WARNING)
    return client


def ensure_experiment(client: Any, uri: str, experiment: str, artifact_root: str | None) -> str:
    """The experiment's id, creating it (artifacts under ``artifact_root`` for a local store)."""
    exp = client.get_experiment_by_name(experiment)   # creates the sqlite DB if absent
    if exp is None:
        location = None
        if artifact_root and not uri.startswith(("http://", "https://", "databricks")):
            location = (Path(artifact_root) / experiment).resolve().as_uri()
        return client.create_experiment(experiment, artifact_location=location)
    if exp.lifecycle_stage == "deleted":
        raise StoreUnavailable(f"MLflow experiment {experiment!r} is deleted; restore it or pick another name")
    return exp.experiment_id


def write_outcome(folder: Path, outcome: Any, config: Mapping[str, Any]) -> list[list]:
    """Write a job's artifacts under ``folder/<cfg_hash>/``; return its metrics as
    ``[key, value, step]`` rows (final scalars at step 0, series at their steps)."""
    job_dir = folder / outcome.cfg_hash
    job_dir.mkdir(parents=True, exist_ok=True)
    _write_yaml(job_dir / "config.yaml", config)
    (job_dir / "info.json").write_text(json.dumps(outcome.info, indent=1, default=str))
    metrics: list[list] = []
    if outcome.status == "FINISHED":
        res = outcome.result
        metrics += [[k, float(v), 0] for k, v in res.scalars.items() if np.isfinite(v)]
        for name, (steps, values) in res.series.items():
            metrics += [[name, float(v), int(s)] for s, v in zip(steps, values) if np.isfinite(v)]
        if res.arrays:
            buf = io.BytesIO()
            np.savez_compressed(buf, **{k: np.asarray(v) for k, v in res.arrays.items()})
            (job_dir / "arrays.npz").write_bytes(buf.getvalue())
        if res.info:
            (job_dir / "result_info.json").write_text(json.dumps(res.info, indent=1, default=str))
    else:
        (job_dir / "traceback.txt").write_text(outcome.error or "")
    return metrics


def store_outcome(client: Any, run_id: str, metrics: list[list], folder: Path, status: str,
                  error_tag: str | None) -> None:
    """Metrics and artifacts into run ``run_id``; the terminal status is set last."""
    from mlflow.entities import Metric

    now = int(time.time() * 1000)
    items = [Metric(k, float(v), now, int(s)) for k, v, s in metrics]
    for i in range(0, len(items), _MAX_METRICS):
        client.log_batch(run_id, metrics=items[i:i + _MAX_METRICS])
    client.log_artifacts(run_id, str(folder))
    if error_tag is not None:
        client.set_tag(run_id, "simlab.error", error_tag)
    client.set_terminated(run_id, status=status)


def _flush_entry(entry: Entry) -> None:
    from mlflow.entities import Param

    rec = entry.record
    client = client_for(rec["uri"])
    run_id = rec.get("run_id")
    if run_id:
        if client.get_run(run_id).info.status in ("FINISHED", "FAILED"):
            return                                  # stored by an earlier flush that then crashed
    else:
        exp_id = ensure_experiment(client, rec["uri"], rec["experiment"], rec.get("artifact_root"))
        found = client.search_runs([exp_id], f"tags.`simlab.spool_id` = '{rec['spool_id']}'", max_results=1)
        if found:
            run_id = found[0].info.run_id
            if found[0].info.status in ("FINISHED", "FAILED"):
                return
        else:
            tags = {**rec["tags"], "simlab.spool_id": rec["spool_id"], "simlab.note": "stored from the spool"}
            run_id = client.create_run(exp_id, run_name=rec["run_name"], tags=tags).info.run_id
            items = [Param(k, v) for k, v in rec["params"].items()]
            for i in range(0, len(items), _MAX_PARAMS):
                client.log_batch(run_id, params=items[i:i + _MAX_PARAMS])
    store_outcome(client, run_id, rec["metrics"], entry.artifacts, rec["status"], rec.get("error_tag"))


def flush(spool: Spool, uri: str | None = None) -> tuple[int, list[str]]:
    """Replay spooled results into their stores (only ``uri``'s if given); each record is
    deleted after its run is stored. Returns (records stored, errors)."""
    done, errors = 0, []
    for entry in spool.entries(uri):
        try:
            _flush_entry(entry)
        except Exception as exc:
            errors.append(f"{entry.path.name} ({entry.record.get('uri')}): {type(exc).__name__}: {_first_line(exc)}")
            break                                   # the store is still away: keep the rest
        entry.remove()
        done += 1
    return done, errors


def _write_yaml(path: Path, config: Mapping[str, Any]) -> None:
    from omegaconf import OmegaConf

    path.write_text(OmegaConf.to_yaml(OmegaConf.create(dict(config))))


def make_tracker(tracking: Mapping[str, Any], experiment: str) -> MlflowTracker | NullTracker:
    if not tracking.get("enabled", False):
        return NullTracker()
    configure_http(tracking)
    spool = Spool(tracking["spool_dir"]) if tracking.get("spool_dir") else None
    return MlflowTracker(tracking["uri"], experiment, tracking.get("artifact_root"), spool)
