"""The ``simlab`` command: ``run`` (Hydra sweep over Ray), ``report``, ``ui``.

``simlab run`` is Hydra's own command line (``--help``, ``--cfg job``, ``-m``, overrides); it
always runs as a sweep through the simlab launcher, so a single run and a sweep take the same
path: validation, Ray, tracking, resume.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Sequence

from runners.config import CONF, ROOT, UnknownExperiment, family_searchpath

EXIT_SPOOLED = 4   # every job ran, but some results wait in the spool for `simlab sync`

USAGE = """usage: simlab <command> [args]

commands:
  run     [overrides]  run an experiment sweep (Hydra syntax; `simlab run --help` for groups)
  report  experiment=NAME [sweep_id=ID] [tracking.uri=URI]
                       tables, plots and claim verdicts for a sweep (default: the latest)
  sync    [tracking.uri=URI]
                       store results left in the local spool (.spool/) when the tracking
                       store was unavailable
  ui      [--port N] [--uri URI]
                       open the MLflow UI on 127.0.0.1 over the project's store
"""


def _run(args: Sequence[str]) -> int:
    import hydra

    from runners import launcher

    try:
        searchpath = family_searchpath(args)
    except UnknownExperiment as exc:
        sys.stderr.write(f"simlab: {exc}\n")
        return 2

    @hydra.main(version_base="1.3", config_path=str(CONF), config_name="config")
    def _task(cfg) -> None:  # the launcher runs jobs itself; Hydra calls this only outside sweeps
        return None

    from runners.config import count_jobs, max_jobs

    n_jobs, shape = count_jobs(args)
    limit = max_jobs(args)
    if n_jobs > limit:
        sys.stderr.write(f"simlab: the sweep would expand to {n_jobs:,} jobs ({shape}); runner.max_jobs = {limit:,}. "
                         "Nothing was started. Shard the sweep (e.g. one seed range per run) or raise "
                         "runner.max_jobs (docs/scaling.md).\n")
        return 2
    if n_jobs == 0:
        sys.stderr.write(f"simlab: the sweep is empty ({shape}); nothing to run.\n")
        return 2
    import signal

    def _terminate(signum, frame):            # SIGTERM: stop like Ctrl-C, so in-flight runs are
        raise KeyboardInterrupt               # marked KILLED and Ray is shut down cleanly

    signal.signal(signal.SIGTERM, _terminate)
    launcher.LAST_SUMMARY.clear()
    # Always a sweep (a single run is a sweep of one). Passing -m explicitly, not only
    # hydra.mode in config.yaml, keeps Hydra's real error when composition fails early.
    modes = {"-m", "--multirun", "--cfg", "-c", "--info", "-i", "--help", "-h", "--hydra-help",
             "--shell-completion", "-sc", "--run", "-r"}
    multirun = [] if modes & set(args) else ["--multirun"]
    sys.argv = ["simlab run", *multirun, *args, searchpath]
    try:
        _task()
    except SystemExit as exc:
        if exc.code != 1 or launcher.LAST_SUMMARY:
            raise
        # Hydra refused the overrides (unknown key, bad choice, syntax): add what it allows
        from runners.config import diagnose_overrides

        for line in diagnose_overrides(args):
            sys.stderr.write(f"simlab: {line}\n")
        return 2
    if not launcher.LAST_SUMMARY:
        return 0                      # --help, --cfg, ... : nothing ran
    if any(s.failed for s in launcher.LAST_SUMMARY):
        return 1
    return EXIT_SPOOLED if any(s.spooled for s in launcher.LAST_SUMMARY) else 0


def _split(args: Sequence[str], key: str) -> tuple[str | None, list[str]]:
    value, rest = None, []
    for arg in args:
        if arg.startswith(key + "="):
            value = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return value, rest


def _report(args: Sequence[str]) -> int:
    from analysis.report import make_report
    from runners.config import compose

    sweep_id, overrides = _split(args, "sweep_id")
    try:
        cfg = compose(overrides)
    except UnknownExperiment as exc:
        sys.stderr.write(f"simlab: {exc}\n")
        return 2
    from analysis.load import SweepNotFound

    try:
        out = make_report(cfg, sweep_id=sweep_id)
    except SweepNotFound as exc:
        sys.stderr.write(f"simlab report: {exc}\n")
        return 2
    print(f"report written to {out}")
    return 0


def _sync(args: Sequence[str]) -> int:
    from runners.config import compose
    from runners.spool import Spool
    from runners.tracking import configure_http, flush

    given_uri = any(a.startswith("tracking.uri=") for a in args)
    try:
        cfg = compose(list(args))
    except UnknownExperiment as exc:
        sys.stderr.write(f"simlab: {exc}\n")
        return 2
    tracking = cfg.tracking
    if not tracking.get("spool_dir"):
        sys.stderr.write("simlab sync: tracking has no spool_dir\n")
        return 2
    configure_http(tracking)
    spool = Spool(tracking.spool_dir)
    uri = tracking.uri if given_uri else None          # default: every record to its own store
    pending = spool.count(uri)
    done, errors = flush(spool, uri)
    left = spool.count(uri)
    print(f"simlab sync: stored {done} of {pending} spooled result(s); {left} left in {spool.root}")
    for err in errors:
        sys.stderr.write(f"simlab sync: {err}\n")
    return 0 if left == 0 else 1


def _ui(args: Sequence[str]) -> int:
    port, uri = "5000", f"sqlite:///{ROOT / 'mlflow.db'}"
    it = iter(args)
    for arg in it:
        if arg == "--port":
            port = next(it)
        elif arg == "--uri":
            uri = next(it)
        else:
            sys.stderr.write(f"simlab ui: unknown argument {arg!r}\n{USAGE}")
            return 2
    print(f"MLflow UI: http://127.0.0.1:{port}  (store: {uri}; Ctrl-C to stop)", flush=True)
    cmd = [sys.executable, "-m", "mlflow", "ui", "--backend-store-uri", uri,
           "--host", "127.0.0.1", "--port", port]
    try:
        return subprocess.call(cmd, cwd=ROOT, env={**os.environ, "MLFLOW_TRACKING_URI": uri})
    except KeyboardInterrupt:
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    commands = {"run": _run, "report": _report, "sync": _sync, "ui": _ui}
    if command not in commands:
        sys.stderr.write(f"simlab: unknown command {command!r}\n{USAGE}")
        return 2
    return commands[command](rest)


if __name__ == "__main__":
    sys.exit(main())
