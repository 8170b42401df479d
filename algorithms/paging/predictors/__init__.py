"""Predictors for learning-augmented paging (``algorithms.paging.core.Predictor``).

Each predictor has a ``kind`` naming what it predicts and ``predict(trace, k, rng)`` returning
one array aligned with the trace; all noise comes from ``rng`` (so with one seed every policy
sees the same predictions). Kinds:

* ``next_arrival`` (float64): predicted index of the next request to the same page;
* ``discard_bit`` (int8): 1 = safe to evict this page (OPT does not keep it until its next
  request); ``phase_bit`` (int8): 1 = the page is not requested in the next k-phase;
* ``opt_action`` (int64): the page a predicted optimal schedule evicts at each request
  (-1 = none); replaying it from an empty cache gives the predicted OPT cache states.

The default parameters (sigma = 0, p = 0) give perfect predictions.

``with_kind(kind)`` (optional) returns the sibling predictor of another kind with the same
noise level, or None: DiscardBits(p) <-> PhaseBits(p); NoisyNextArrival(sigma) ->
FtPActions(sigma) (same rng state: follow-the-prediction on the same noisy draws). An
experiment uses it when a policy needs a kind other than the configured predictor's, so one
sweep over the noise serves every policy with common random numbers.
"""
