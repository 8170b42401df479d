"""The only code that talks to MLflow on the analysis side: runs -> tidy pandas DataFrames.

Columns follow ``mlflow.search_runs``: ``run_id``, ``status``, ``params.<key>`` (values parsed
back from their logged JSON), ``metrics.<name>`` (final scalars), ``tags.<name>``. Series and
per-rep arrays are loaded on request (arrays from the job's ``.npz``, never unpickled).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

import numpy as np

os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
import pandas as pd


def _client(uri: str):
    """A client for reading ``uri``; a local sqlite store that does not exist is reported
    (``SweepNotFound``), not created empty as MLflow would."""
    import logging

    if uri.startswith("sqlite:///") and not Path(uri[len("sqlite:///"):].split("?", 1)[0]).exists():
        raise SweepNotFound(f"no tracking store at {uri}: run a sweep first (`simlab run "
                            "experiment=...`), or name the store with tracking.uri=...")

    from mlflow.tracking import MlflowClient

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return MlflowClient(tracking_uri=uri)


def _parse(value: str) -> Any:
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def _search(client, experiment_id: str, filter_string: str) -> Iterable[Any]:
    token = None
    while True:
        page = client.search_runs([experiment_id], filter_string=filter_string, max_results=5000, page_token=token)
        yield from page
        token = page.token
        if not token:
            return


class SweepNotFound(LookupError):
    pass


def find_sweep(uri: str, experiment: str, sweep_id: str | None = None) -> Any:
    """The parent run of ``sweep_id``, or of the most recent sweep of the experiment."""
    client = _client(uri)
    exp = client.get_experiment_by_name(experiment)
    if exp is None:
        raise SweepNotFound(f"no MLflow experiment {experiment!r} in {uri}; run `simlab run experiment={experiment}` first")
    filt = "tags.`simlab.kind` = 'sweep'" + (f" and tags.sweep_id = '{sweep_id}'" if sweep_id else "")
    runs = sorted(_search(client, exp.experiment_id, filt), key=lambda r: r.info.start_time, reverse=True)
    if not runs:
        raise SweepNotFound(f"no sweep {sweep_id or ''} in experiment {experiment!r}".replace("  ", " "))
    return runs[0]


def sweep_jobs(uri: str, parent: Any) -> list[dict[str, Any]]:
    """The job list (cfg_hash, overrides) that the sweep's parent run recorded."""
    client = _client(uri)
    with tempfile.TemporaryDirectory() as tmp:
        path = client.download_artifacts(parent.info.run_id, "jobs.json", tmp)
        return json.loads(Path(path).read_text())


def runs_frame(uri: str, experiment: str, sweep_id: str | None = None) -> tuple[pd.DataFrame, Any]:
    """One row per job of the sweep: its latest FINISHED run, else its latest run of any status.

    Jobs skipped on resume (finished by an earlier sweep) are included: a sweep is its set of
    job identities, wherever each was computed.
    """
    client = _client(uri)
    parent = find_sweep(uri, experiment, sweep_id)
    wanted = {j["cfg_hash"] for j in sweep_jobs(uri, parent)}
    best: dict[str, Any] = {}
    rank = {"FINISHED": 2}
    for run in _search(client, parent.info.experiment_id, "tags.`simlab.kind` = 'job'"):
        h = run.data.tags.get("cfg_hash")
        if h not in wanted:
            continue
        key = (rank.get(run.info.status, 1), run.info.end_time or 0)
        if h not in best or key > best[h][0]:
            best[h] = (key, run)
    rows = []
    for _, run in best.values():
        row: dict[str, Any] = {"run_id": run.info.run_id, "status": run.info.status,
                               "cfg_hash": run.data.tags.get("cfg_hash")}
        row.update({f"params.{k}": _parse(v) for k, v in run.data.params.items()})
        row.update({f"metrics.{k}": v for k, v in run.data.metrics.items()})
        row.update({f"tags.{k}": v for k, v in run.data.tags.items() if not k.startswith("mlflow.")})
        rows.append(row)
    df = pd.DataFrame(rows)
    if not df.empty:
        df = df.sort_values([c for c in df.columns if c.startswith("params.")] + ["run_id"],
                            key=lambda s: s.astype(str)).reset_index(drop=True)
    return df, parent


def load_arrays(uri: str, run_id: str, cfg_hash: str) -> dict[str, np.ndarray]:
    """A job's per-rep arrays (``<cfg_hash>/arrays.npz``), loaded without unpickling."""
    client = _client(uri)
    with tempfile.TemporaryDirectory() as tmp:
        path = client.download_artifacts(run_id, f"{cfg_hash}/arrays.npz", tmp)
        with np.load(path, allow_pickle=False) as data:
            return {k: data[k] for k in data.files}


def load_series(uri: str, run_id: str, key: str) -> pd.DataFrame:
    """A logged series (metric history) as a (step, value) frame."""
    hist = _client(uri).get_metric_history(run_id, key)
    return pd.DataFrame({"step": [m.step for m in hist], "value": [m.value for m in hist]}).sort_values("step")


def log_report(uri: str, parent_run_id: str, folder: Path) -> None:
    """Attach a written report folder to the sweep's parent run (artifact path ``report/``)."""
    _client(uri).log_artifacts(parent_run_id, str(folder), artifact_path="report")
