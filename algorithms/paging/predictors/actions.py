"""Action predictions (predicted evictions of an optimal schedule), for Trust&Doubt
(Antoniadis et al., ICML 2020, "state/action predictions", §4) and F&R (Sadek & Eliáš, 2024).

The array holds, for each request t, the page the predicted schedule evicts when serving t
(-1 = none). Replaying it from an empty cache (add r_t if absent, remove evicted[t]) gives the
predicted cache state after each request; it always contains r_t and at most k pages.

* ``OptActions(p)``: Belady's schedule where each eviction is, independently with probability
  p, replaced by a uniformly random cached page (from then on Belady's rule continues from the
  perturbed cache), i.e. Antoniadis et al. 2020's ``FollowPred(error_probability=p)`` with
  perfect next arrivals. p = 0: Belady's actions.
* ``FtPActions(sigma)``: the actions of follow-the-prediction (BlindOracle) run on noisy
  next-arrival predictions (``NoisyNextArrival(sigma)``); this is how Antoniadis et al. (2020,
  §5) and Sadek & Eliáš (2024, §6) generate action predictions. sigma = 0: Belady's actions.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import NonNegative, Probability
from algorithms.paging.augmented.blind_oracle import blind_oracle_kernel
from algorithms.paging.core import Trace
from algorithms.paging.predictors import _offline
from algorithms.paging.predictors.next_arrival import NoisyNextArrival


class OptActions:
    """Belady's evictions, each replaced by a random cached page with probability p."""

    kind = "opt_action"

    def __init__(self, p: Annotated[float, Probability] = 0.0) -> None:
        self.p = float(p)
        if not 0.0 <= self.p <= 1.0:
            raise ValueError(f"p: {p!r}; allowed: a probability in [0, 1]")

    def predict(self, trace: Trace, k: int, rng: np.random.Generator) -> np.ndarray:
        n = len(trace)
        u_err = rng.random(max(n, 1))
        u_pick = rng.random(max(n, 1))
        _, ev, _ = _offline.belady_actions(trace.ids, trace.next_arrival,
                                           max(trace.n_objects, 1), int(k), self.p,
                                           u_err, u_pick)
        return ev

    def with_kind(self, kind: str):
        return self if kind == self.kind else None


class FtPActions:
    """Evictions of BlindOracle on LogNormal(0, sigma)-noisy next arrivals."""

    kind = "opt_action"

    def __init__(self, sigma: Annotated[float, NonNegative] = 0.0) -> None:
        self.sigma = float(sigma)
        self._noisy = NoisyNextArrival(self.sigma)

    def predict(self, trace: Trace, k: int, rng: np.random.Generator) -> np.ndarray:
        pred = self._noisy.predict(trace, k, rng)
        _, ev = blind_oracle_kernel(trace.ids, pred, max(trace.n_objects, 1), int(k))
        return ev

    def with_kind(self, kind: str):
        """``next_arrival`` -> the noisy predictions this predictor follows (same rng state
        gives the same draws)."""
        if kind == self.kind:
            return self
        return self._noisy if kind == "next_arrival" else None
