"""Online learning with switching costs and a budget of observations (Cheng, Zhou & Ji,
"Understanding the Role of Feedback in Online Learning with Switching Costs", ICML 2023).

K actions, T rounds, an oblivious adversary's losses l_t in [0, 1]^K, and a cost ``lambda`` for
every switch of action. Regret (``simulate.simulate_switching``):

    R_T = sum_t l_t(A_t) + lambda * #{t >= 2 : A_t != A_{t-1}} - min_a sum_t l_t(a).

Two feedback models (the paper's two settings):
- ``feedback="extra"``: bandit feedback (the played action's loss, free) plus at most ``budget``
  = B_ex extra observations in total, each revealing l_t(a) of one other action a at the
  current round t.
- ``feedback="total"``: at most ``budget`` = B observations of any kind, the played action's
  own loss included (nothing is free).

Protocol (this small one, beside the base protocol of ``algorithms.bandits``)

Loss sequence (``losses.RandomWalkLosses``, ``losses.IIDLosses``)
- ``n_arms: int``; ``reset(n_reps, horizon, rng)``; ``row(t) -> float64[n_reps, n_arms]`` the
  losses of round t, called once per t in increasing order. Oblivious: the rows depend only on
  the env rng, never on the learner, so every policy faces the same losses at one seed (common
  random numbers).

Policy (``batched_exp3.BatchedExp3``, ``extra_obs.ExtraObservations``,
``total_budget.TotalBudget``, ``uniform.UniformSwitching``)
- ``feedbacks``: class attribute, the feedback models it supports (``"extra"``, ``"total"``).
- ``regime`` / ``tau`` after reset: which regime it runs (``"bandit"``, ``"full"``, ...) and its
  batch length, for reporting.
- ``reset(n_arms, n_reps, horizon, budget, feedback, rng)``; ``rng`` is its only randomness.
- ``select(t) -> int64[n_reps]``: the action of round t.
- ``request(t) -> bool[n_reps, n_arms] | None``: which losses of round t it wants to see, asked
  after ``select(t)`` and before anything of round t is revealed. Under ``"extra"`` the played
  action's entry is free (ignored when counting); under ``"total"`` it is seen only if requested.
- ``update(t, arms, obs)``: ``obs`` float64[n_reps, n_arms], the observed losses of round t and
  NaN elsewhere.
The loop counts observations per rep and raises ``BudgetExceeded`` when a request would exceed
the budget (the budget is enforced, not trusted).

Modules: ``losses`` (adversaries), ``simulate`` (the loop and the regret), ``exp_weights``
(shared sampling / update helpers), ``batched_exp3``, ``extra_obs``, ``total_budget``, ``uniform``.
"""
