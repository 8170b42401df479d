"""A piecewise-stationary Bernoulli env ("switching bandit", Garivier & Moulines, ALT 2011).

The arm means stay fixed on segments and jump at change points. The env follows the base env
protocol as an oblivious adversary (``adversarial = True``): the whole reward table is fixed in
advance by the env rng and never depends on the arms played.

- Change points: ``schedule="fixed"``: a new segment starts every ``segment_length`` steps (same
  for all reps); ``schedule="random"``: segment lengths are i.i.d. geometric with mean
  ``segment_length`` (at least 1), drawn per rep.
- Segment means: ``segment_means="rotate"``: one best arm with mean ``best_mean``, all others
  ``best_mean - gap``; at each change the best arm moves to a uniformly drawn *different* arm
  (so every change point changes the best arm). ``segment_means="uniform"``: at each change all means
  are redrawn i.i.d. U[0, 1].
- Rewards: one uniform ``U[t, r]`` per step and rep shared by all arms, ``x[t, r, a] =
  1{U < mu_t[r, a]}`` (common random numbers, as ``BernoulliEnv``). The change points and the
  segment means come from a separate stream spawned from the env rng at reset, so they are the
  same for every policy as well.

Protocol fields: ``means`` is the realised reward row of the step about to be played (as
``ObliviousEnv``), so ``simulate`` reports the regret against the best fixed arm in hindsight.
The regret w.r.t. the *current* best arm (dynamic pseudo-regret),
``sum_t (max_a mu_t[a] - mu_t[a_t])``, is accumulated here in ``pull`` (exact, from the known
means): ``dynamic_regret`` (n_reps,) so far, and, after ``record_dynamic_regret(checkpoints)``,
its values at those 1-based steps in ``dynamic_regret_at`` (n_reps, n_checkpoints).
``true_means`` holds the current segment's means (those of the step about to be played),
``n_changes`` the change points reached so far (a change point falling right after the last
play is counted too: T = 10 L with a fixed schedule gives 10, of which 9 affect play).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import Interval, OneOf, Probability


class PiecewiseBernoulliEnv:
    """K Bernoulli arms whose means are piecewise constant in time."""

    adversarial = True

    def __init__(self,
                 n_arms: Annotated[int, Interval(2)] = 5,
                 segment_length: Annotated[int, Interval(1)] = 1000,
                 schedule: Annotated[str, OneOf("fixed", "random")] = "fixed",
                 segment_means: Annotated[str, OneOf("rotate", "uniform")] = "rotate",
                 best_mean: Annotated[float, Probability] = 0.7,
                 gap: Annotated[float, Probability] = 0.3) -> None:
        if segment_means == "rotate" and best_mean - gap < 0.0:
            raise ValueError(f"best_mean - gap: value {best_mean - gap:g} out of range; allowed: in [0, 1]")
        self.n_arms, self.segment_length = int(n_arms), int(segment_length)
        self.schedule, self.segment_means = schedule, segment_means
        self.best_mean, self.gap = float(best_mean), float(gap)
        self.means: np.ndarray | None = None
        self._track = np.zeros(0, dtype=np.int64)

    def record_dynamic_regret(self, checkpoints: np.ndarray) -> None:
        """Keep the dynamic regret at these 1-based steps (survives ``reset``)."""
        self._track = np.unique(np.asarray(checkpoints, dtype=np.int64).ravel())

    def reset(self, n_reps: int, rng: np.random.Generator) -> None:
        self.rng = rng
        self._seg_rng = np.random.default_rng(rng.integers(0, 2**63 - 1))
        self.n_reps = n_reps
        self._rows = np.arange(n_reps)
        self._row_base = self._rows.astype(np.int64) * self.n_arms
        self.true_means = np.empty((n_reps, self.n_arms))
        if self.segment_means == "rotate":
            self._best = self._seg_rng.integers(0, self.n_arms, size=n_reps)
        self._draw_segment(np.ones(n_reps, dtype=bool), initial=True)
        self.n_changes = np.zeros(n_reps, dtype=np.int64)
        self._next_change = np.zeros(n_reps, dtype=np.int64)
        self._schedule_next(np.ones(n_reps, dtype=bool))
        self.dynamic_regret = np.zeros(n_reps)
        self.dynamic_regret_at = np.full((n_reps, self._track.size), np.nan)
        self._k = 0
        self._t = 0
        self._draw_row()

    def _draw_segment(self, hit: np.ndarray, initial: bool = False) -> None:
        """New means for the reps in ``hit``; refresh the per-arm gaps."""
        h = int(hit.sum())
        if self.segment_means == "rotate":
            if not initial:
                shift = 1 + self._seg_rng.integers(0, self.n_arms - 1, size=h)
                self._best[hit] = (self._best[hit] + shift) % self.n_arms
            rows = np.full((h, self.n_arms), self.best_mean - self.gap)
            rows[np.arange(h), self._best[hit]] = self.best_mean
        else:
            rows = self._seg_rng.random((h, self.n_arms))
        self.true_means[hit] = rows
        self._gap_flat = (self.true_means.max(axis=1, keepdims=True) - self.true_means).ravel()

    def _schedule_next(self, hit: np.ndarray) -> None:
        h = int(hit.sum())
        if self.schedule == "fixed":
            length = np.full(h, self.segment_length, dtype=np.int64)
        else:
            length = self._seg_rng.geometric(1.0 / self.segment_length, size=h).astype(np.int64)
        self._next_change[hit] += length

    def _draw_row(self) -> None:
        u = self.rng.random(self.n_reps)
        self.means = (u[:, None] < self.true_means).astype(np.float64)

    def pull(self, arms: np.ndarray) -> np.ndarray:
        flat = self._row_base + arms
        rewards = self.means.ravel()[flat]
        self.dynamic_regret += self._gap_flat[flat]
        self._t += 1
        if self._k < self._track.size and self._t == self._track[self._k]:
            self.dynamic_regret_at[:, self._k] = self.dynamic_regret
            self._k += 1
        hit = self._next_change == self._t
        if hit.any():
            self.n_changes += hit
            self._draw_segment(hit)
            self._schedule_next(hit)
        self._draw_row()
        return rewards
