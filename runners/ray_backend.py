"""Ray connection and dispatch: plain remote tasks and a ``ray.wait`` loop.

Local Ray is started quietly (no dashboard, no usage stats, no worker logs echoed, temp dir in
the project); an existing cluster is joined by address and receives the project's packages via
a runtime_env. A task whose worker process dies is retried by Ray (``max_retries``); errors
raised by the job itself are caught in the worker and never retried (they would fail again).
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from runners.jobs import JobOutcome, execute

_SOCKET_PATH_LIMIT = 100          # AF_UNIX paths are limited to ~107 bytes; Ray nests ~50 below temp


def _temp_dir(requested: str | None) -> str | None:
    if not requested:
        return None
    path = Path(requested).resolve()
    if len(str(path)) + 60 > _SOCKET_PATH_LIMIT:       # Ray's socket paths would be too long
        import hashlib
        import tempfile
        digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
        path = Path(tempfile.gettempdir()) / f"simlab-ray-{digest}"
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _ray_environment(address: str | None, auth: str | None) -> None:
    """Environment Ray reads at import/connect time (set before ``import ray``).

    - A local Ray, or a cluster addressed on a loopback host, keeps every server on 127.0.0.1:
      Ray otherwise rewrites 127.0.0.1 to the machine's network address and listens there.
    - ``auth``: ``token`` / ``disabled`` sets Ray's token authentication; ``auto`` uses a token
      when one is available (``RAY_AUTH_TOKEN``, ``RAY_AUTH_TOKEN_PATH`` or ``~/.ray/auth_token``),
      which is what ``ray start`` enables by default.
    """
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    host = (address or "").rsplit(":", 1)[0].removeprefix("ray://").strip("[]")
    if not address or host in LOOPBACK:
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    if address and "RAY_AUTH_MODE" not in os.environ:
        if auth in ("token", "disabled"):
            os.environ["RAY_AUTH_MODE"] = auth
        elif (os.environ.get("RAY_AUTH_TOKEN") or os.environ.get("RAY_AUTH_TOKEN_PATH")
              or (Path.home() / ".ray" / "auth_token").is_file()):
            os.environ["RAY_AUTH_MODE"] = "token"


@contextmanager
def connected(runner: Mapping[str, Any]) -> Iterator[int]:
    """Connect to (or start) Ray for the duration of a sweep; yields the CPU count available."""
    _ray_environment(runner.get("address"), runner.get("auth", "auto"))
    import ray

    kwargs: dict[str, Any] = dict(log_to_driver=False, logging_level=logging.ERROR,
                                  configure_logging=True, include_dashboard=False)
    address = runner.get("address")
    started_here = not ray.is_initialized()
    if started_here:
        if address:
            import algorithms
            import experiments
            import runners

            kwargs["runtime_env"] = {"py_modules": [algorithms, experiments, runners],
                                     "env_vars": {"RAY_USAGE_STATS_ENABLED": "0"}}
            ray.init(address=address, **kwargs)
        else:
            ray.init(num_cpus=runner.get("num_cpus"), _temp_dir=_temp_dir(runner.get("temp_dir")), **kwargs)
    try:
        yield int(ray.cluster_resources().get("CPU", 1))
    finally:
        if started_here:
            ray.shutdown()


def dispatch(
    tasks: Sequence[tuple[str, str, Mapping[str, Any]]],
    on_start: Callable[[int], None],
    on_done: Callable[[int, JobOutcome], None],
    on_tick: Callable[[int], None],
    max_in_flight: int,
    max_retries: int,
) -> None:
    """Run (entry, cfg_hash, params) tasks with at most ``max_in_flight`` submitted at once.

    ``on_start(i)`` is called just before task i is submitted, ``on_done(i, outcome)`` as each
    finishes (in completion order), ``on_tick(running)`` while waiting.
    """
    import ray
    from ray.exceptions import RayError

    remote = ray.remote(execute).options(max_retries=max_retries, retry_exceptions=False, num_cpus=1)
    pending: dict[Any, int] = {}
    next_task = 0
    try:
        while next_task < len(tasks) or pending:
            while next_task < len(tasks) and len(pending) < max_in_flight:
                entry, cfg_hash, params = tasks[next_task]
                on_start(next_task)
                pending[remote.remote(entry, params, cfg_hash)] = next_task
                next_task += 1
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=0.5)
            on_tick(len(pending))
            for ref in ready:
                i = pending.pop(ref)
                try:
                    outcome = ray.get(ref)
                except RayError as exc:       # worker died even after retries, or was cancelled
                    outcome = JobOutcome(tasks[i][1], "FAILED",
                                         error=f"{type(exc).__name__}: the worker running this job died "
                                               f"(after {max_retries} retries).\n{exc}",
                                         info={"reason": type(exc).__name__})
                on_done(i, outcome)
    finally:
        for ref in pending:
            ray.cancel(ref, force=True)
