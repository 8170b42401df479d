"""Paging throughput: every discovered policy on one Zipf trace, against libCacheSim.

Runs each ``conf/paging/policy/*.yaml`` (policies that need predictions get them from
``conf/paging/predictor/*.yaml`` of the matching kind, perfect ones preferred) on a Zipf trace
at cache sizes k = fractions of the object count, and libCacheSim's LRU, FIFO and Belady
(Python binding, ``process_trace`` on an oracleGeneral file: the binding's fastest path, a C
loop) on the same trace. Prints a Markdown table with the misses side by side (they must be
identical) and the speed ratio = libCacheSim time / simlab time.

Timing: the best of ``--repeats`` runs after a warm-up (numba compilation and cache loading
excluded; prediction time not counted). Each policy runs in a forked child that is stopped
after ``--budget`` seconds (reported as too slow). ``Trace.next_arrival`` is computed once
before timing, as libCacheSim's next-access times are precomputed in its file. libCacheSim's
time is also the best over three hash-table sizes (``hashpower`` log2(k)+1, log2(k)+3 and its
default 24), so the baseline gets its best setting.

    python benchmarks/bench_paging.py            # 10M requests, 1M objects, k = 1% and 10%
    python benchmarks/bench_paging.py --quick    # tiny smoke run
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hydra.utils import instantiate  # noqa: E402
from omegaconf import OmegaConf  # noqa: E402

from algorithms.paging.core import Trace  # noqa: E402
from algorithms.paging.traces import Loop, Zipf, write_oracle_general  # noqa: E402

LCS_BASELINES = {"lru": "LRU", "fifo": "FIFO", "belady": "Belady"}


def discover():
    """[(name, policy, predictors or None, why skipped)] for every policy YAML."""
    preds: dict[str, tuple[bool, object]] = {}
    for path in sorted((ROOT / "conf" / "paging" / "predictor").glob("*.yaml")):
        p = instantiate(OmegaConf.load(path))
        perfect = "perfect" in path.stem
        if p.kind not in preds or (perfect and not preds[p.kind][0]):
            preds[p.kind] = (perfect, p)
    out = []
    for path in sorted((ROOT / "conf" / "paging" / "policy").glob("*.yaml")):
        policy = instantiate(OmegaConf.load(path))
        missing = [r for r in policy.requires if r not in preds]
        chosen = {r: preds[r][1] for r in policy.requires if r in preds}
        out.append((path.stem, policy, chosen, f"no predictor of kind {missing}" if missing else ""))
    return out


def best_time(fn, repeats: int):
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def measure(policy, preds, trace: Trace, k: int, seed: int, repeats: int, budget: float):
    """Run a policy in a forked child with a time limit: ("ok", best seconds, misses), or
    (reason, None, None) if it errs or takes longer than ``budget`` seconds (then the child is
    terminated; a numba kernel cannot be interrupted in-process). Predictions are computed in
    the child and not timed; repeats stop once half the budget is spent."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def child():
        try:
            t_start = time.perf_counter()
            pr = {kind: p.predict(trace, k, np.random.default_rng([seed, 1])) for kind, p in preds.items()}
            times, out = [], None
            for _ in range(repeats):
                t0 = time.perf_counter()
                out = policy.run(trace, k, pr, np.random.default_rng(seed))
                times.append(time.perf_counter() - t0)
                if time.perf_counter() - t_start > budget / 2:
                    break
            send.send(("ok", min(times), out.misses))
        except Exception as exc:                               # reported in the table
            send.send((f"error {exc!r}", None, None))

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    if recv.poll(budget):
        msg = recv.recv()
    else:
        msg = (f"slower than --budget {budget:g} s (predictions + runs)", None, None)
    proc.terminate()
    proc.join()
    return msg


def lcs_run(lcs, path: Path, cls: str, k: int, n: int, repeats: int):
    """Best time over ``repeats`` runs and several hash-table sizes (libCacheSim's default,
    2^24 buckets, is slow for small caches; its table holds only cached objects, so sizes
    near k are the fair setting). Returns (seconds, misses, hashpower)."""
    base = max(1, int(k).bit_length())
    runs = []
    for hashpower in sorted({base + 1, base + 3, 24}):
        for _ in range(repeats):
            reader = lcs.TraceReader(str(path), lcs.TraceType.ORACLE_GENERAL_TRACE)
            cache = getattr(lcs, cls)(k, hashpower=hashpower)
            t0 = time.perf_counter()
            miss_ratio, _ = cache.process_trace(reader)
            runs.append((time.perf_counter() - t0, int(round(miss_ratio * n)), hashpower))
    misses = {r[1] for r in runs}
    assert len(misses) == 1, f"libCacheSim {cls} gave different miss counts {misses}"
    return min(runs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-requests", type=int, default=10_000_000)
    ap.add_argument("--n-objects", type=int, default=1_000_000)
    ap.add_argument("--alpha", type=float, default=0.9)
    ap.add_argument("--fractions", type=float, nargs="+", default=[0.01, 0.1])
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="tiny trace (smoke test)")
    ap.add_argument("--no-libcachesim", action="store_true")
    ap.add_argument("--policies", nargs="+", default=None, metavar="NAME",
                    help="only these policy YAML stems (default: every policy)")
    ap.add_argument("--budget", type=float, default=30.0,
                    help="seconds allowed per policy and cache size (predictions + runs); "
                         "slower policies are reported as such")
    args = ap.parse_args(argv)
    if args.quick:
        args.n_requests, args.n_objects = 20_000, 2_000

    lcs = None
    if not args.no_libcachesim:
        try:
            import libcachesim as lcs  # noqa: F811
        except ImportError:
            print("libcachesim not installed: baseline columns left empty (pip install libcachesim)")

    t0 = time.perf_counter()
    trace = Zipf(args.alpha, args.n_objects, args.n_requests).generate(np.random.default_rng(args.seed))
    t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    _ = trace.next_arrival
    t_next = time.perf_counter() - t0
    n = len(trace)
    print(f"Zipf alpha={args.alpha:g}: {n:,} requests over {args.n_objects:,} objects "
          f"({trace.n_objects:,} requested); generated in {t_gen:.2f} s, next arrivals in "
          f"{t_next:.2f} s")

    policies = discover()
    if args.policies:
        unknown = sorted(set(args.policies) - {name for name, *_ in policies})
        if unknown:
            ap.error(f"--policies: unknown {unknown}; allowed: {sorted(n for n, *_ in policies)}")
        policies = [row for row in policies if row[0] in args.policies]
    warm = Loop(5, 50).generate(None)
    for _, policy, preds, skip in policies:                      # numba compile / cache load
        if not skip:
            wp = {kind: p.predict(warm, 2, np.random.default_rng(0)) for kind, p in preds.items()}
            policy.run(warm, 2, wp, np.random.default_rng(0))

    tmp = tempfile.TemporaryDirectory()
    og_path = Path(tmp.name) / "trace.oracleGeneral"
    if lcs is not None:
        write_oracle_general(og_path, trace.ids)
        lcs_warm = Path(tmp.name) / "warm.oracleGeneral"
        write_oracle_general(lcs_warm, warm.ids)
        for cls in LCS_BASELINES.values():
            lcs_run(lcs, lcs_warm, cls, 2, len(warm), 1)

    print()
    print("| policy | k | misses | miss ratio | simlab Mreq/s | libCacheSim misses "
          "| libCacheSim Mreq/s | speed ratio |")
    print("|---|---|---|---|---|---|---|---|")
    mismatches = 0
    for frac in args.fractions:
        k = max(1, int(round(frac * args.n_objects)))
        for name, policy, preds, skip in policies:
            if skip:
                print(f"| {name} | {k:,} | skipped: {skip} | | | | | |")
                continue
            status, dt, misses = measure(policy, preds, trace, k, args.seed, args.repeats, args.budget)
            if status != "ok":
                print(f"| {name} | {k:,} | not measured: {status} | | | | | |", flush=True)
                continue
            row = f"| {name} | {k:,} | {misses:,} | {misses / n:.4f} | {n / dt / 1e6:.1f} |"
            if lcs is not None and name in LCS_BASELINES:
                ldt, lmiss, hp = lcs_run(lcs, og_path, LCS_BASELINES[name], k, n, args.repeats)
                mismatches += lmiss != misses
                row += f" {lmiss:,} | {n / ldt / 1e6:.1f} (hashpower {hp}) | {ldt / dt:.1f}x |"
            else:
                row += " | | |"
            print(row, flush=True)
    tmp.cleanup()
    print()
    print("speed ratio = libCacheSim time / simlab time (each the best of "
          f"{args.repeats} runs; libCacheSim also the best over hash-table sizes); "
          "misses must agree exactly.")
    if mismatches:
        print(f"MISMATCH: {mismatches} miss counts differ from libCacheSim")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
