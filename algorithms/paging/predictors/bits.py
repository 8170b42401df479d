"""One-bit predictions of Antoniadis, Boyar, Eliáš, Favrholdt, Hoeksma, Larsen, Polak & Simon
("Paging with Succinct Predictions", ICML 2023), with independent bit flips.

* Discard bits (paper §2): the perfect bit of request t is 1 iff the optimal offline schedule
  (Belady's, on the true trace with cache k) evicts the page before its next request, or the
  page is never requested again; 1 means "safe to evict".
* Phase bits (paper §3): with the k-phase partition (maximal blocks of requests to at most k
  distinct pages, greedily from the start), the perfect bit of request t in phase i is 1 iff
  the page is NOT requested in phase i + 1 (the abstract: "whether the current page will be
  requested in the next phase"; polarity 1 = evictable, like the discard bit, as in the
  cache-coliseum re-implementation). Note: PAPERS.md §2's wording "requested again within the
  current phase" differs from the paper's abstract; the abstract is followed here.

Noise: each bit is flipped independently with probability p (p = 0: perfect).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from algorithms.constraints import Probability
from algorithms.paging.core import Trace
from algorithms.paging.predictors import _offline


def _flip(bits: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    flips = rng.random(len(bits)) < p
    return (bits ^ flips).astype(np.int8)


def perfect_discard_bits(trace: Trace, k: int) -> np.ndarray:
    n = len(trace)
    z = np.zeros(max(n, 1))
    _, _, bits = _offline.belady_actions(trace.ids, trace.next_arrival,
                                         max(trace.n_objects, 1), int(k), 0.0, z, z)
    return bits


def perfect_phase_bits(trace: Trace, k: int) -> np.ndarray:
    n_pages = max(trace.n_objects, 1)
    phase = _offline.phase_index(trace.ids, n_pages, int(k))
    return _offline.phase_bits(trace.ids, n_pages, phase)


class _Flipped:
    def __init__(self, p: Annotated[float, Probability] = 0.0) -> None:
        self.p = float(p)
        if not 0.0 <= self.p <= 1.0:
            raise ValueError(f"p: {p!r}; allowed: a probability in [0, 1]")

    def with_kind(self, kind: str):
        """The sibling predictor of ``kind`` with the same flip probability (so one sweep
        over p serves discard-bit and phase-bit policies alike), or None."""
        sibling = {"discard_bit": DiscardBits, "phase_bit": PhaseBits}.get(kind)
        return sibling(self.p) if sibling is not None else None


class DiscardBits(_Flipped):
    """Belady-derived discard bits, each flipped with probability p."""

    kind = "discard_bit"

    def predict(self, trace: Trace, k: int, rng: np.random.Generator) -> np.ndarray:
        return _flip(perfect_discard_bits(trace, k), self.p, rng)


class PhaseBits(_Flipped):
    """k-phase "not requested in the next phase" bits, each flipped with probability p."""

    kind = "phase_bit"

    def predict(self, trace: Trace, k: int, rng: np.random.Generator) -> np.ndarray:
        return _flip(perfect_phase_bits(trace, k), self.p, rng)
