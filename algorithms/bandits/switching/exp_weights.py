"""Exponential-weights building blocks shared by the switching-cost policies.

``BanditBatches``: mini-batched Exp3 (Arora, Dekel & Tewari, ICML 2012, mini-batching: play
one action for a whole batch of tau rounds and feed Exp3 the batch's average loss). The batch
average of the played action is estimated from its observed rounds of the batch (all of them
when its own loss is free; ``obs_per_batch`` rounds drawn uniformly without replacement under a
total budget); Exp3 with losses and no explicit exploration (Lattimore & Szepesvari 2020,
Ch. 11): p = softmax(-eta * Lhat), Lhat(A) += Lbar / p(A), eta = sqrt(2 ln K / (N K)) for N
batches, regret <= tau sqrt(2 N K ln K) + (switches <= N).

``FullBatches``: batched Hedge with full-information-type observations: in each batch one
round s_b drawn uniformly from the batch is observed for *all* actions, and tau_b l_{s_b} is an
unbiased estimate of the batch's loss vector, the same estimator for every action (so it does
not depend on the action played). Hedge: w <- w exp(-eta lhat), eta = sqrt(8 ln K / N) / tau
(regret <= tau sqrt(N ln K / 2) for losses in [0, tau]). The action is kept across batches by the
shrinking dartboard (Geulen, Voecking & Winkler, COLT 2010): keep the current action with
probability w_new(A) / w_old(A), else redraw from the new distribution; its marginal is exactly
the Hedge distribution and the expected number of switches is at most eta * sum_b lhat_b(A_b).

This is our instantiation of Cheng, Zhou & Ji's "generic algorithmic framework" (ICML 2023):
the paper's batch sizes, observation placement and learning rates were not accessible (see
../shared/papers/bandits.md Sec. 2); the choices here are derived from the bounds above.
"""

from __future__ import annotations

import math

import numpy as np


def probabilities(log_w: np.ndarray) -> np.ndarray:
    w = np.exp(log_w - log_w.max(axis=1, keepdims=True))
    return w / w.sum(axis=1, keepdims=True)


def draw(p: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One action per rep from p (inverse CDF with one uniform per rep)."""
    cdf = np.cumsum(p, axis=1)
    u = rng.random(p.shape[0]) * cdf[:, -1]
    return np.minimum((cdf <= u[:, None]).sum(axis=1), p.shape[1] - 1).astype(np.int64)


def default_batch(horizon: int, n_arms: int) -> int:
    """tau minimising sqrt(2 T tau K ln K) + T / tau: (2T / (K ln K))^{1/3}."""
    return max(1, math.ceil((2.0 * horizon / (n_arms * math.log(n_arms))) ** (1 / 3)))


def bandit_bound(horizon: int, n_arms: int, tau: int) -> float:
    """Regret bound of mini-batched Exp3 with batch tau (unit switching cost)."""
    return math.sqrt(2.0 * horizon * tau * n_arms * math.log(n_arms)) + horizon / tau


def full_bound(horizon: int, n_arms: int, tau: int) -> float:
    """Regret bound of batched Hedge + shrinking dartboard with one observed round per batch."""
    lnk = math.log(n_arms)
    return math.sqrt(horizon * tau * lnk / 2.0) + math.sqrt(8.0 * lnk * horizon / tau)


def full_batch(horizon: int, cost: int, budget: int) -> int | None:
    """Smallest tau with ceil(T / tau) * cost <= budget (one observed round per batch), or None."""
    if budget < cost:
        return None
    tau = max(1, math.ceil(horizon * cost / budget))
    while math.ceil(horizon / tau) * cost > budget:
        tau += 1
    return tau


class BanditBatches:
    """Mini-batched Exp3 on the played action's own (possibly sub-sampled) losses."""

    def __init__(self, n_arms: int, n_reps: int, horizon: int, tau: int, rng: np.random.Generator,
                 obs_per_batch: int | None = None, budget: int | None = None, eta: float | None = None) -> None:
        self.K, self.n_reps, self.T, self.tau, self.rng = n_arms, n_reps, horizon, tau, rng
        self.n_batches = math.ceil(horizon / tau)
        self.eta = eta if eta is not None else math.sqrt(2.0 * math.log(n_arms) / (self.n_batches * n_arms))
        self.obs_per_batch = obs_per_batch               # None: own loss free at every round
        self.remaining = np.full(n_reps, budget if budget is not None else np.iinfo(np.int64).max, dtype=np.int64)
        self.rows = np.arange(n_reps)
        self.log_w = np.zeros((n_reps, n_arms))
        self._start_batch(0)

    def _start_batch(self, start: int) -> None:
        if start >= self.T:                              # after the last round: nothing to set up
            return
        self.start, self.end = start, min(start + self.tau, self.T)
        self.arms = draw(probabilities(self.log_w), self.rng)
        self.sums = np.zeros(self.n_reps)
        self.cnt = np.zeros(self.n_reps)
        if self.obs_per_batch is not None:
            length = self.end - self.start
            m = min(self.obs_per_batch, length)
            keys = self.rng.random((self.n_reps, length))
            self.chosen = keys <= np.sort(keys, axis=1)[:, m - 1:m]      # m rounds, uniformly

    def request(self, t: int) -> np.ndarray | None:
        if self.obs_per_batch is None:
            return None
        hit = self.chosen[:, t - self.start] & (self.remaining > 0)
        self.remaining -= hit
        mask = np.zeros((self.n_reps, self.K), dtype=bool)
        mask[self.rows, self.arms] = hit
        return mask

    def update(self, t: int, arms: np.ndarray, obs: np.ndarray) -> None:
        own = obs[self.rows, arms]
        seen = ~np.isnan(own)
        self.sums += np.where(seen, own, 0.0)
        self.cnt += seen
        if t == self.end - 1:
            ok = self.cnt > 0
            p = probabilities(self.log_w)[self.rows, self.arms]
            lbar = np.where(ok, self.sums / np.maximum(self.cnt, 1), 0.0)
            self.log_w[self.rows, self.arms] -= self.eta * lbar / p
            self._start_batch(self.end)


class FullBatches:
    """Batched Hedge on one fully observed round per batch, shrinking-dartboard actions."""

    def __init__(self, n_arms: int, n_reps: int, horizon: int, tau: int, rng: np.random.Generator,
                 cost: int, budget: int, eta: float | None = None) -> None:
        self.K, self.n_reps, self.T, self.tau, self.rng = n_arms, n_reps, horizon, tau, rng
        self.n_batches = math.ceil(horizon / tau)
        self.eta = eta if eta is not None else math.sqrt(8.0 * math.log(n_arms) / self.n_batches) / tau
        self.cost = cost                                  # observations charged per observed round
        self.remaining = np.full(n_reps, budget, dtype=np.int64)
        self.rows = np.arange(n_reps)
        self.log_w = np.zeros((n_reps, n_arms))
        self.arms = draw(probabilities(self.log_w), rng)
        self._start_batch(0)

    def _start_batch(self, start: int) -> None:
        if start >= self.T:
            return
        self.start, self.end = start, min(start + self.tau, self.T)
        self.when = self.start + self.rng.integers(0, self.end - self.start, size=self.n_reps)
        self.seen = np.zeros(self.n_reps, dtype=bool)
        self.est = np.zeros((self.n_reps, self.K))

    def request(self, t: int) -> np.ndarray | None:
        hit = (self.when == t) & (self.remaining >= self.cost)
        if not hit.any():
            return None
        self.remaining -= np.where(hit, self.cost, 0)
        mask = np.zeros((self.n_reps, self.K), dtype=bool)
        mask[hit] = True
        return mask

    def update(self, t: int, arms: np.ndarray, obs: np.ndarray) -> None:
        hit = (self.when == t) & ~np.isnan(obs).any(axis=1)
        if hit.any():
            self.est[hit] = obs[hit]
            self.seen |= hit
        if t == self.end - 1:
            lhat = np.where(self.seen[:, None], (self.end - self.start) * self.est, 0.0)
            self.log_w -= self.eta * lhat
            self.log_w -= self.log_w.max(axis=1, keepdims=True)
            keep = self.rng.random(self.n_reps) < np.exp(-self.eta * lhat[self.rows, self.arms])
            fresh = draw(probabilities(self.log_w), self.rng)
            self.arms = np.where(keep, self.arms, fresh)
            self._start_batch(self.end)
