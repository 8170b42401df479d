"""The runner and tracking nodes, declared as annotated signatures so the driver's validator
checks them like any algorithm's parameters (unknown keys, types, ranges) before a sweep starts."""

from __future__ import annotations

from typing import Annotated, Any, Mapping

from algorithms.constraints import Interval, OneOf


def runner(
    *,
    address: str | None = None,
    auth: Annotated[str, OneOf("auto", "token", "disabled")] = "auto",
    num_cpus: Annotated[int, Interval(1, 4096)] | None = None,
    max_retries: Annotated[int, Interval(0, 100)] = 2,
    max_in_flight: Annotated[int, Interval(1, 10**6)] | None = None,
    max_jobs: Annotated[int, Interval(1, 10**9)] = 100_000,
    temp_dir: str | None = None,
) -> None:
    """Where jobs run: a local Ray (``address`` null) or an existing cluster."""


def tracking(
    *,
    enabled: bool = True,
    uri: str | None = None,
    artifact_root: str | None = None,
    spool_dir: str | None = None,
    http_retries: Annotated[int, Interval(0, 50)] = 4,
    http_backoff: Annotated[int, Interval(0, 600)] = 1,
    http_timeout: Annotated[int, Interval(1, 3600)] = 60,
) -> None:
    """Where results go: an MLflow store (sqlite file or tracking server) or nowhere."""


def check(cfg: Mapping[str, Any], problems: list) -> None:
    """Append problems of the job's ``runner``, ``tracking`` and ``force`` settings."""
    from runners.validation import Problem, _check_params, _check_value

    for key, spec in (("runner", runner), ("tracking", tracking)):
        node = cfg.get(key)
        if node is None:
            continue
        if not isinstance(node, Mapping):
            problems.append(Problem(key, node, "expected a config node", f"conf/{key}/*.yaml"))
            continue
        _check_params(key, node, spec, key, problems)
    if "force" in cfg:
        _check_value("force", cfg["force"], bool, problems)
    tr = cfg.get("tracking") or {}
    if isinstance(tr, Mapping) and tr.get("enabled") and not tr.get("uri"):
        problems.append(Problem("tracking.uri", tr.get("uri"), "required when tracking is enabled",
                                "sqlite:///<path> or http://host:port"))
