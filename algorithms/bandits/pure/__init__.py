"""Fixed-budget pure exploration (simple regret): a policy gets a budget T, samples, returns one arm.

Protocol (beside the base protocol of ``algorithms.bandits``; every array has a leading rep axis)

Environment (``env.PureExplorationEnv``)
- ``n_arms: int``; ``reset(n_reps, budget, rng)`` draws the instance (``means`` float64
  (n_reps, n_arms); an instance may scale its gaps with the budget) and sets the budget.
- ``sample(arms: int64[n_reps, m], counts: int | int64[m]) -> float64[n_reps, m]``: the SUM of
  ``counts[j]`` fresh i.i.d. rewards of arm ``arms[r, j]`` (a multiset: an arm may repeat). Sums
  are drawn exactly in law (Binomial for Bernoulli arms, Normal for Gaussian ones), so a stage
  of Sequential Halving costs one call instead of one per pull. The env counts pulls per rep in
  ``used`` and raises ``BudgetExceeded`` before sampling if a call would exceed the budget.
- Common random numbers: the instance (means, best-arm position) is drawn first from the env
  rng, so with one seed every policy faces the same instance; the reward draws then depend on
  what the policy asks for (they cannot be aligned pull by pull across policies here).

Policy (``SequentialHalving``, ``BracketingSH``, ``UniformAllocation``)
- Constructed from plain config values only.
- ``recommend(env, n_reps, budget, rng) -> int64[n_reps]``: spend at most ``budget`` pulls per
  rep through ``env.sample`` and return one arm per rep; ``rng`` is its only randomness.

``simulate.run_pure(env, policy, budget, n_reps, env_rng, policy_rng) -> PureOutput`` with the
returned ``arms``, the ``simple_regret`` ``max_a mu[a] - mu[arm]`` (exact, from the known means),
``pulls`` used per rep and the ``means``.
"""
