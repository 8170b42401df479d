"""The hostile-input corpus (tests/data/bad/cases.yaml + files): every case is refused before
any job starts, exit status 2, with a message naming the key or the file position, and no
MLflow store is created (zero runs logged).

All cases go through the real CLI entry (``runners.cli.main``) in one child process, so the
corpus runs in seconds instead of one interpreter start per case.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from .conftest import ROOT

pytestmark = pytest.mark.orchestration

CASES = yaml.safe_load((ROOT / "tests" / "data" / "bad" / "cases.yaml").read_text())

_RUNNER = r"""
import contextlib, io, json, sys
from runners.cli import main
cases = json.loads(sys.stdin.read())
out = {}
for case in cases:
    err, std = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(std):
        try:
            rc = main(["run", *case["args"], *case["store"]])
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 1
        except BaseException as exc:            # a crash is a failure of the case, not of the corpus
            rc = f"crash: {type(exc).__name__}: {exc}"
    out[case["id"]] = {"rc": rc, "stderr": err.getvalue() + std.getvalue()}
print(json.dumps(out))
"""


def _collapse_sweep(args: list[str]) -> list[str]:
    """Single values for the preset's swept keys the case leaves alone: each case then composes
    one or a few jobs instead of the preset's full sweep (the refusal under test is the same)."""
    from runners.config import preset_sweep, requested_experiments

    names = requested_experiments(args)
    if len(names) != 1:
        return []
    given = {a.split("=", 1)[0].lstrip("+~") for a in args if "=" in a}
    return [f"{key}={next(iter(sweep.sweep_string_iterator()))}"
            for key, sweep in preset_sweep(names[0]).items()
            if key not in given and sweep.is_sweep_override()]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    payload = [{**c, "args": [*c["args"], *_collapse_sweep(c["args"])], "store": [f"tracking.uri=sqlite:///{base / c['id'] / 'mlflow.db'}",
                               f"tracking.artifact_root={base / c['id'] / 'art'}",
                               f"tracking.spool_dir={base / c['id'] / 'spool'}"]}
               for c in CASES]
    # a case that changes tracking.uri itself keeps its own value (listed last wins in Hydra)
    for p in payload:
        if any(a.startswith("tracking.uri=") for a in p["args"]):
            p["store"] = [s for s in p["store"] if not s.startswith("tracking.uri=")]
    proc = subprocess.run([sys.executable, "-c", _RUNNER], input=json.dumps(payload), cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return base, json.loads(proc.stdout.strip().splitlines()[-1])


def test_corpus_has_at_least_50_cases():
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 50 and len(set(ids)) == len(ids)
    files = {a.split("=", 1)[1] for c in CASES for a in c["args"] if ".path=tests/data/bad/files/" in a}
    assert len(files) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input_is_refused_before_anything_runs(outcomes, case):
    base, results = outcomes
    got = results[case["id"]]
    text = got["stderr"]
    assert got["rc"] == 2, f"exit {got['rc']}\n{text[-2000:]}"
    low = text.lower()
    missing = [e for e in case["expect"] if e.lower() not in low]
    assert not missing, f"message lacks {missing}:\n{text[-2000:]}"
    assert "Traceback" not in text, text[-2000:]
    assert not (base / case["id"] / "mlflow.db").exists(), "a store was created: something ran or was logged"
