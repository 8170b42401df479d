"""Predictive Marker (Lykouris & Vassilvitskii, ICML 2018 / JACM 2021, Algorithm 1, §4).

Marking with next-arrival predictions: a clean miss evicts the unmarked page predicted
furthest ahead and opens a chain; a stale miss extends its chain and follows the predictions
while the chain is at most ``gamma * H_k`` long, else evicts a uniformly random unmarked page
(the switch that caps the ratio at O(log k)). Competitive ratio
O(1 + min(sqrt(eta / OPT), log k)) (L&V main theorem, eta = l1 prediction error). ``gamma=1``
is the threshold used in Antoniadis et al. (2020)'s experiments. Kernel: ``_pred_marking``.
"""

from __future__ import annotations

from typing import Annotated, Mapping

import numpy as np

from algorithms.constraints import NonNegative
from algorithms.paging.augmented._common import cache_size, n_slots, outcome, prediction
from algorithms.paging._ds import harmonic
from algorithms.paging.augmented._pred_marking import pred_marking_kernel
from algorithms.paging.core import PagingOutcome, Trace


class PredictiveMarker:
    """L&V's Predictive Marker; chains follow predictions up to length gamma * H_k."""

    requires: tuple[str, ...] = ("next_arrival",)

    def __init__(self, gamma: Annotated[float, NonNegative] = 1.0) -> None:
        self.gamma = float(gamma)
        if self.gamma < 0:
            raise ValueError(f"gamma: {gamma!r} is negative; allowed: >= 0")

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        k = cache_size(k, trace)
        pred = prediction(predictions, "next_arrival", trace)
        u = rng.random(len(trace))
        cap = self.gamma * harmonic(k)
        return outcome(*pred_marking_kernel(trace.ids, pred, n_slots(trace), k, u, cap))
