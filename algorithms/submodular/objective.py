"""The objective protocol of the submodular family, with the oracle-call counter.

Algorithms touch an objective only through ``value``, ``gain``/``gains`` (each counted: one
oracle call per element evaluated) and the uncounted bookkeeping ``empty``/``add`` that
maintains the state of a growing solution (apricot's split: gains + bookkeeping).
Subclasses implement the ``_value``/``_gains``/``_add``/``_empty`` hooks (and may override
``_gain``, the single-element path, with a bit-identical faster one); counting lives here so
no algorithm can bypass it.
"""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np


class Objective:
    """A monotone submodular set function over the ground set 0..n-1."""

    n: int = 0

    def __init__(self) -> None:
        self.calls = 0

    # --- counted oracle -------------------------------------------------------------------
    def value(self, subset: Iterable[int]) -> float:
        """f(S); one oracle call."""
        self.calls += 1
        return float(self._value(np.fromiter(subset, dtype=np.int64)))

    def gain(self, e: int, state: Any) -> float:
        """f(S + e) - f(S) for the solution S summarised by ``state``; one oracle call."""
        self.calls += 1
        return float(self._gain(int(e), state))

    def gains(self, elems: np.ndarray, state: Any) -> np.ndarray:
        """Marginal gains of many elements at once; len(elems) oracle calls."""
        elems = np.asarray(elems, dtype=np.int64)
        self.calls += len(elems)
        return np.asarray(self._gains(elems, state), dtype=float)

    # --- uncounted bookkeeping ------------------------------------------------------------
    def empty(self) -> Any:
        """State of the empty solution."""
        return self._empty()

    def add(self, e: int, state: Any) -> Any:
        """State after adding e (may update ``state`` in place and return it)."""
        return self._add(int(e), state)

    def reset_calls(self) -> None:
        self.calls = 0

    # --- hooks ------------------------------------------------------------------------------
    def _value(self, subset: np.ndarray) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def _gains(self, elems: np.ndarray, state: Any) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _gain(self, e: int, state: Any) -> float:
        """One element's gain; override only with a faster path that is bit-identical to
        ``_gains`` (dynamic algorithms call ``gain`` one element at a time)."""
        return self._gains(np.array([e], dtype=np.int64), state)[0]

    def _empty(self) -> Any:  # pragma: no cover
        raise NotImplementedError

    def _add(self, e: int, state: Any) -> Any:  # pragma: no cover
        raise NotImplementedError
