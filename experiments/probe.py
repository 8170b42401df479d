"""A platform probe: jobs with controllable cost and failure, for testing and benchmarking sweeps.

Not a simulation. ``experiment=probe`` exercises the orchestration itself: trivial jobs measure
per-job overhead (benchmarks/bench_sweep.py), CPU-bound ones parallel speedup, and failing or
crashing ones the FAILED / retry paths. Its numbers are a deterministic function of the seed.
"""

from __future__ import annotations

import os
import time
from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, NonNegative
from experiments.result import Result, log_spaced_steps
from experiments.seeding import rng_for


def run(
    *,
    seed: Annotated[int, NonNegative],
    size: Annotated[int, Interval(1)] = 1000,
    work: Annotated[int, NonNegative] = 0,
    sleep_s: Annotated[float, Interval(0, 3600)] = 0.0,
    fail_on_seed: int | None = None,
    crash_on_seed: int | None = None,
    segfault_on_seed: int | None = None,
    oom_on_seed: int | None = None,
    oom_cap_mb: Annotated[int, Interval(64, 1 << 20)] = 512,
) -> Result:
    """Draw ``size`` normals from the seed's stream; optionally burn CPU, sleep, raise or die.

    work: rounds of a CPU-bound matrix product (for speedup measurements).
    fail_on_seed: raise ValueError when seed equals it (a job bug: recorded FAILED, not retried).
    crash_on_seed: kill the worker process with os._exit when seed equals it (retried by Ray, then FAILED).
    segfault_on_seed: dereference a null pointer (SIGSEGV kills the worker; retried, then FAILED).
    oom_on_seed: allocate without bound under an address-space cap ``oom_cap_mb`` above the
      worker's current size, so the job exhausts its memory (MemoryError, FAILED) without
      endangering the machine; the cap is lifted again afterwards.
    """
    if crash_on_seed is not None and seed == crash_on_seed:
        os._exit(17)
    if segfault_on_seed is not None and seed == segfault_on_seed:
        import ctypes

        ctypes.string_at(0)
    if oom_on_seed is not None and seed == oom_on_seed:
        _exhaust_memory(oom_cap_mb)
    if fail_on_seed is not None and seed == fail_on_seed:
        raise ValueError(f"probe job failing on purpose (seed={seed})")
    rng = rng_for(seed, "probe")
    x = rng.standard_normal(size)
    acc = np.eye(64)
    m = rng.standard_normal((64, 64)) / 8.0
    for _ in range(work):
        acc = np.tanh(acc @ m)
    if sleep_s:
        time.sleep(sleep_s)
    steps = log_spaced_steps(size, 50)
    csum = np.cumsum(x)
    return Result(
        scalars={"mean": float(x.mean()), "checksum": float(acc.sum())},
        series={"cumsum": (steps, csum[steps - 1])},
        arrays={"x": x},
    )


def _exhaust_memory(cap_mb: int) -> None:
    """Grow a list of 64 MB blocks until the allocator refuses (address space capped)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as f:
        current = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = current + cap_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    blocks = []
    try:
        while True:
            blocks.append(np.ones(8 * 2**20))          # 64 MB, touched
    finally:
        blocks.clear()
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
