"""Streaming Bernoulli arms: arrival order, bounded arm memory, budget T, exact regret ledger.

Instances (means in arrival order, drawn per rep from the env stream), after the authors'
experiments (github.com/jhwjhw0123/streaming-regret-minimization-MABs, test.py / streamingMAB.py):
- ``clear_cut``: K-1 means from N(0.5, 0.1^2) truncated to [0, 0.8], plus one arm of mean 0.82
  at a uniformly random position of the stream (one clearly best arm, gap >= 0.02).
- ``mix_in``: all K means i.i.d. U[0, 1].
- ``gap``: one arm ``best_mean`` at a random position, all others ``best_mean - gap``.

Rewards: ``n`` pulls of an arm of mean mu return a Binomial(n, mu) draw, which is exactly the sum
of n Bernoulli(mu) rewards (the released code approximates batches above 1e5 pulls by a Gaussian;
here no approximation is needed). See the package docstring for the protocol and primitives.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.bandits.streaming.kernels import (StreamMemoryError, StreamProtocolError,  # noqa: F401
                                                  StreamState, stream_discard, stream_pull,
                                                  stream_read, stream_remaining)
from algorithms.constraints import Interval, OneOf, Probability

STREAM_INSTANCES = ("clear_cut", "mix_in", "gap")


def _truncated_normal(rng: np.random.Generator, size: tuple, mean: float, sd: float,
                      lo: float, hi: float) -> np.ndarray:
    """N(mean, sd^2) conditioned on [lo, hi], by rejection (redraw what falls outside)."""
    out = rng.normal(mean, sd, size)
    bad = (out < lo) | (out > hi)
    while bad.any():
        out[bad] = rng.normal(mean, sd, int(bad.sum()))
        bad = (out < lo) | (out > hi)
    return out


class BernoulliStream:
    """K Bernoulli arms arriving one by one; at most ``memory`` arms stored at once."""

    def __init__(self,
                 n_arms: Annotated[int, Interval(2, 10**7)] = 100,
                 instance: Annotated[str, OneOf(*STREAM_INSTANCES)] = "clear_cut",
                 memory: Annotated[int, Interval(1, 64)] = 5,
                 best_mean: Annotated[float, Probability] = 0.82,
                 gap: Annotated[float, Probability] = 0.1) -> None:
        if instance == "gap" and best_mean - gap < 0:
            raise ValueError(f"best_mean - gap: value {best_mean - gap:g} out of range; allowed: in [0, 1]")
        self.n_arms, self.instance, self.memory = int(n_arms), instance, int(memory)
        self.best_mean, self.gap = float(best_mean), float(gap)
        self.state: StreamState | None = None

    def draw_means(self, n_reps: int, rng: np.random.Generator) -> np.ndarray:
        K = self.n_arms
        if self.instance == "mix_in":
            return rng.random((n_reps, K))
        if self.instance == "clear_cut":
            means = _truncated_normal(rng, (n_reps, K), 0.5, 0.1, 0.0, 0.8)
            best = 0.82
        else:
            means = np.full((n_reps, K), self.best_mean - self.gap)
            best = self.best_mean
        means[np.arange(n_reps), rng.integers(0, K, size=n_reps)] = best
        return means

    def reset(self, n_reps: int, horizon: int, rng: np.random.Generator,
              checkpoints: np.ndarray | None = None) -> None:
        horizon = int(horizon)
        ck = np.unique(np.asarray([horizon] if checkpoints is None else checkpoints, dtype=np.int64))
        if horizon < 1 or ck.size == 0 or ck[0] < 1 or ck[-1] > horizon:
            raise ValueError(f"checkpoints must be 1-based pull counts in [1, {horizon}], got {ck}")
        self.rng = rng
        means = np.ascontiguousarray(self.draw_means(n_reps, rng), dtype=np.float64)
        self.state = StreamState(
            means=means, best=means.max(axis=1), horizon=horizon,
            pos=np.zeros(n_reps, np.int64), slots=np.full((n_reps, self.memory), -1, np.int64),
            used=np.zeros(n_reps, np.int64), regret=np.zeros(n_reps), peak=np.zeros(n_reps, np.int64),
            ck=ck, ck_regret=np.full((n_reps, ck.size), np.nan), ck_next=np.zeros(n_reps, np.int64))

    # Python wrappers of the primitives (reference implementations and tests use these)
    def read(self, r: int) -> int:
        return int(stream_read(self.state, r))

    def pull(self, r: int, slot: int, n: int) -> int:
        return int(stream_pull(self.state, r, slot, int(n), self.rng))

    def discard(self, r: int, slot: int) -> None:
        stream_discard(self.state, r, slot)

    def remaining(self, r: int) -> int:
        return int(stream_remaining(self.state, r))
