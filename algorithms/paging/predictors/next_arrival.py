"""Next-arrival predictions: perfect, and noisy as in Lykouris & Vassilvitskii's experiments.

Noise model (L&V, ICML 2018 §6 "Experiments", synthetic predictor; reproduced verbatim in
Antoniadis et al. 2020's code ``PredRandom``): the prediction for request t is the true index
of the next request to the same page (10^4 * n when the page is never requested again) PLUS
an independent LogNormal(0, sigma) draw, i.e. additive heavy-tailed noise on the index, not
multiplicative noise on the inter-arrival time. Only the ordering of predictions matters to the
policies. sigma = 0 adds the constant 1 and keeps the true order (perfect).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import NonNegative
from algorithms.paging.core import Trace

NEVER_FACTOR = 10_000


class PerfectNextArrival:
    """The true next-arrival index (len(trace) when the page is never requested again)."""

    kind = "next_arrival"

    def __init__(self) -> None:
        pass

    def predict(self, trace: Trace, k: int, rng: np.random.Generator) -> np.ndarray:
        return trace.next_arrival.astype(np.float64)

    def with_kind(self, kind: str):
        """Sibling of another kind: perfect action predictions = Belady's evictions."""
        if kind == "next_arrival":
            return self
        if kind == "opt_action":
            from algorithms.paging.predictors.actions import FtPActions
            return FtPActions(0.0)
        return None


class NoisyNextArrival:
    """True next index (10^4 n if never) + LogNormal(0, sigma) noise (L&V §6)."""

    kind = "next_arrival"

    def __init__(self, sigma: Annotated[float, NonNegative] = 0.0) -> None:
        self.sigma = float(sigma)
        if self.sigma < 0:
            raise ValueError(f"sigma: {sigma!r} is negative; allowed: >= 0")

    def predict(self, trace: Trace, k: int, rng: np.random.Generator) -> np.ndarray:
        n = len(trace)
        nxt = trace.next_arrival.astype(np.float64)
        nxt[nxt >= n] = float(NEVER_FACTOR) * n
        return nxt + rng.lognormal(0.0, self.sigma, n)

    def with_kind(self, kind: str):
        """Sibling of another kind: ``opt_action`` -> ``FtPActions(sigma)``, the evictions of
        follow-the-prediction on these same noisy predictions when given the same rng state
        (how Antoniadis et al. 2020, §5, make action predictions for Trust&Doubt)."""
        if kind == "next_arrival":
            return self
        if kind == "opt_action":
            from algorithms.paging.predictors.actions import FtPActions
            return FtPActions(self.sigma)
        return None
