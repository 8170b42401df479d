"""Orchestration tests: real `simlab run` processes, a real local Ray, a real MLflow sqlite store
in a temp dir. Nothing is mocked; waits are on conditions with bounded timeouts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Store:
    """A throw-away MLflow store and helpers to run simlab against it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.uri = f"sqlite:///{path / 'mlflow.db'}"
        self.overrides = [f"tracking.uri={self.uri}", f"tracking.artifact_root={path / 'artifacts'}"]

    def cmd(self, *args: str, sub: str = "run") -> list[str]:
        return [sys.executable, "-m", "runners.cli", sub, *args, *self.overrides]

    def run(self, *args: str, sub: str = "run", timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(self.cmd(*args, sub=sub), cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def client(self):
        from mlflow.tracking import MlflowClient

        return MlflowClient(tracking_uri=self.uri)

    def jobs(self, experiment: str, quiet: bool = False) -> list:
        """Job runs of ``experiment``; ``quiet``: [] while the driver is still creating the store."""
        if not (self.path / "mlflow.db").exists():
            return []
        if quiet:
            try:
                return self.jobs(experiment)
            except Exception:
                return []
        c = self.client()
        exp = c.get_experiment_by_name(experiment)
        if exp is None:
            return []
        return list(c.search_runs([exp.experiment_id], "tags.`simlab.kind` = 'job'", max_results=5000))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path)


def wait_for(predicate, timeout: float, what: str, interval: float = 0.3):
    """Poll ``predicate`` until truthy or fail after ``timeout`` seconds (no timing luck)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_ok(url: str) -> bool:
    import urllib.request

    try:
        urllib.request.urlopen(url, timeout=2).read()
        return True
    except Exception:
        return False


class MlflowServer:
    """A real `mlflow server` on 127.0.0.1 with a sqlite backend and proxied artifacts."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path, self.port = path, port or free_port()
        self.uri = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "MlflowServer":
        self.path.mkdir(parents=True, exist_ok=True)
        cmd = [str(Path(sys.executable).parent / "mlflow"), "server", "--host", "127.0.0.1",
               "--port", str(self.port), "--workers", "1",
               "--backend-store-uri", f"sqlite:///{self.path / 'server.db'}",
               "--artifacts-destination", str(self.path / "artifacts")]
        log = open(self.path / "server.log", "ab")
        self.proc = subprocess.Popen(cmd, cwd=self.path, stdout=log, stderr=log, start_new_session=True)
        wait_for(lambda: http_ok(f"{self.uri}/health") or self.proc.poll() is not None, 180, "mlflow server up")
        assert self.proc.poll() is None, (self.path / "server.log").read_text()[-3000:]
        return self

    def stop(self) -> None:
        import signal

        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)      # abrupt, like a crashed server
            self.proc.wait(60)
        wait_for(lambda: not http_ok(f"{self.uri}/health"), 60, "mlflow server down")


def listening_addresses(pids: set[int]) -> set[str]:
    """Local addresses of listening TCP sockets owned by ``pids`` (from /proc, Linux)."""
    inodes: set[str] = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    found: set[str] = set()
    for table, v6 in (("/proc/net/tcp", False), ("/proc/net/tcp6", True)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            local, state, inode = parts[1], parts[3], parts[9]
            if state != "0A" or inode not in inodes:          # 0A = LISTEN
                continue
            hexaddr = local.split(":")[0]
            if v6:
                raw = bytes.fromhex(hexaddr)
                words = [raw[i:i + 4][::-1] for i in range(0, 16, 4)]
                import ipaddress

                addr = ipaddress.IPv6Address(b"".join(words))
                found.add(str(addr.ipv4_mapped or addr))
            else:
                found.add(".".join(str(b) for b in bytes.fromhex(hexaddr)[::-1]))
    return found


def descendants(root: int) -> set[int]:
    """``root`` and every process below it (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in out:
            continue
        out.add(pid)
        todo.extend(children.get(pid, []))
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def assert_reproducible(client, runs, tmp: Path) -> int:
    """Every FINISHED run's logged scalars and arrays equal a fresh in-process execution of its
    logged config (runners.jobs.execute, no Ray): the config and seed reproduce the numbers."""
    import numpy as np
    import yaml

    from runners.hashing import NON_RESULT_KEYS
    from runners.jobs import execute

    checked = 0
    for run in runs:
        if run.info.status != "FINISHED":
            continue
        h = run.data.tags["cfg_hash"]
        folder = Path(client.download_artifacts(run.info.run_id, h, str(tmp / run.info.run_id)))
        config = yaml.safe_load((folder / "config.yaml").read_text())
        params = {k: v for k, v in config.items() if k not in NON_RESULT_KEYS}
        out = execute(config["meta"]["entry"], params, h)
        assert out.status == "FINISHED", out.error
        for key, value in out.result.scalars.items():
            if np.isfinite(value):
                assert run.data.metrics[key] == value, (run.data.tags.get("mlflow.runName"), key)
        if out.result.arrays:
            with np.load(folder / "arrays.npz", allow_pickle=False) as logged:
                for key, arr in out.result.arrays.items():
                    assert np.array_equal(logged[key], np.asarray(arr), equal_nan=True), key
        checked += 1
    return checked


_MANY = r"""
import contextlib, io, json, sys, traceback
from runners.cli import main
from runners.ray_backend import connected
payload = json.loads(sys.stdin.read())
out = {}
stack = contextlib.ExitStack()
if payload["ray"] is not None:         # one Ray for all sweeps (each sweep then joins it)
    stack.enter_context(connected(payload["ray"]))
for key, args in payload["runs"]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
        try:
            rc = main(["run", *args])
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            rc, _ = "crash", err.write(traceback.format_exc())
    out[key] = {"rc": rc, "stderr": err.getvalue()}
stack.close()
print(json.dumps(out))
"""


def run_many(runs: list[tuple[str, list[str]]], ray: dict | None = None, timeout: float = 1500) -> dict[str, dict]:
    """Several `simlab run` command lines, one after another, through the real CLI entry in one
    child process (one interpreter start instead of one per sweep); ``ray``: a runner config to
    connect once for all of them (a local Ray, or a cluster address). Returns {key: {rc, stderr}}."""
    import json

    proc = subprocess.run([sys.executable, "-c", _MANY], input=json.dumps({"runs": runs, "ray": ray}), cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])
