"""LMarker (Rohatgi, SODA 2020, "Near-optimal bounds for online caching with machine learned
advice", §3): marking where a clean miss evicts the unmarked page predicted furthest ahead and
a stale miss evicts a uniformly random unmarked page. Consistent up to a constant with
perfect predictions and O(log k)-robust, as any randomized marking algorithm (Rohatgi §3; the
exact smoothness term is in his LMarker theorem [not re-derived here]); the policy of
Antoniadis et al. (2020)'s code ``LMarker``. Kernel: ``_pred_marking`` with chain cap 0.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from algorithms.paging.augmented._common import cache_size, n_slots, outcome, prediction
from algorithms.paging.augmented._pred_marking import pred_marking_kernel
from algorithms.paging.core import PagingOutcome, Trace


class LMarker:
    """Rohatgi's LMarker: predictions on clean misses, random on stale misses."""

    requires: tuple[str, ...] = ("next_arrival",)

    def __init__(self) -> None:
        pass

    def run(self, trace: Trace, k: int, predictions: Mapping[str, np.ndarray],
            rng: np.random.Generator) -> PagingOutcome:
        k = cache_size(k, trace)
        pred = prediction(predictions, "next_arrival", trace)
        u = rng.random(len(trace))
        return outcome(*pred_marking_kernel(trace.ids, pred, n_slots(trace), k, u, 0.0))
