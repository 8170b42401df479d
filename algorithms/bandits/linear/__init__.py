"""Misspecified linear bandits: a fixed arm set with d-dim features, rewards linear up to zeta.

Setting (Zhang, He, Fan & Gu, "On the Interplay Between Misspecification and Sub-optimality Gap
in Linear Contextual Bandits", ICML 2023, arXiv 2303.09390; reprinted as Ch. 4 of W. Zhang's UCLA
thesis, 2024, Sec. 4.3): arm a has features x_a in R^d and expected reward
r(x_a) = <theta*, x_a> + eta(x_a) with |eta| <= zeta; a pull returns r + sigma * N(0, 1). Delta is
the gap between the best and second-best expected reward. Efficient learning with gap-dependent
(constant / logarithmic) regret is possible when zeta <= O~(Delta / sqrt(d)) and impossible
above Omega~(Delta / sqrt(d)) (their Thm 4.4.1 / 4.5.1 and the lower bound Thm 4.6.1 adapted
from Lattimore, Szepesvari & Weisz, ICML 2020).

Protocol (its own, beside the base one: a linear policy sees the features, not only K)
--------------------------------------------------------------------------------------
Environment (``env.MisspecifiedLinearEnv``):
- ``n_arms``, ``dim`` attributes; ``reset(n_reps, rng)`` draws the instance per rep and sets
  ``features`` float64 (n_reps, n_arms, dim) and ``means`` float64 (n_reps, n_arms) (the true
  expected rewards, misspecification included), ``zeta_realised`` and ``gap_realised`` (n_reps,).
- ``pull(arms int64[n_reps]) -> float64[n_reps]``: ``means[r, arm] + sigma * Z[t, r]``, one
  standard normal per (step, rep) shared by all arms (common random numbers across policies).
Policy (``oful.OFUL``, ``sup_lin_ucb.SupLinUCB``, ``uniform.LinUniform``):
- ``reset(features, horizon, rng)``: fresh state for ``features`` (n_reps, n_arms, dim); ``rng``
  is its only randomness (tie-breaks).
- ``select(t) -> int64[n_reps]`` (0-based step) and ``update(arms, rewards)``, as in the base
  protocol; state has a leading rep axis; the per-rep linear algebra runs in numba kernels.
Simulation: ``simulate.simulate_linear`` (same outputs as the base ``simulate``; pseudo-regret is
exact from ``means``).

Modules: ``env``, ``simulate``, ``kernels`` (every numba kernel: ridge updates, OFUL and SupLinUCB
steps), ``oful`` (OFUL / LinUCB and DS-OFUL), ``sup_lin_ucb``, ``uniform``.
"""
