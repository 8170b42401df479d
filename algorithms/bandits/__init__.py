"""Stochastic and adversarial multi-armed bandits: the base set (environments, policies, a loop).

Every array carries a leading replication axis of length ``n_reps``: one job simulates ``n_reps``
independent bandit problems at once, vectorised with numpy per step (no Python loop over reps).

Environment protocol (``BernoulliEnv``, ``GaussianEnv``, ``ObliviousEnv``)
-------------------------------------------------------------------------
- Constructed from plain config values only (see each class for its params).
- ``n_arms: int`` attribute.
- ``adversarial: bool`` class attribute. False: a stochastic env; ``means`` stays fixed after
  ``reset`` and the loop measures pseudo-regret ``sum_t (max_a mu[a] - mu[a_t])``.
  True: an oblivious adversarial env; ``means`` holds the reward row of the step about to be
  played (it changes after every ``pull``), and the loop measures regret against the best fixed
  arm in hindsight, ``max_a sum_{s<=t} x_s[a] - sum_{s<=t} x_s[a_s]`` (can be negative).
- ``reset(n_reps: int, rng: np.random.Generator) -> None`` draws the instance when it is random
  (e.g. means per rep) and sets ``self.means``, float64 of shape (n_reps, n_arms). The env keeps
  ``rng`` and draws all its rewards from it.
- ``pull(arms: int64[n_reps]) -> float64[n_reps]``: rewards of the chosen arms.
- Common random numbers: exactly ONE variate is drawn per (step, rep), shared by all arms
  (Bernoulli: ``reward = U < mu[arm]``; Gaussian: ``mu[arm] + sigma * Z``), so the env's random
  stream never depends on which arms a policy picks: with one seed every policy faces the same
  draws, and differences between policies are not noise from different reward draws.

Policy protocol (``Uniform``, ``ExploreThenCommit``, ``EpsilonGreedy``, ``UCB1``, ``KLUCB``,
``ThompsonBeta``, ``ThompsonGaussian``, ``Exp3``)
-----------------------------------------------------------------------------------------------
- Constructed from plain config values only; constructors are cheap and only validate.
- ``reset(n_arms: int, n_reps: int, horizon: int, rng: np.random.Generator) -> None``: fresh state;
  ``rng`` is the policy's only source of randomness (exploration, posterior samples, tie-breaks).
- ``select(t: int) -> int64[n_reps]``: the arm of each rep at 0-based step ``t`` (may be a view
  of policy state: callers must not modify it).
- ``update(arms: int64[n_reps], rewards: float64[n_reps]) -> None``: feedback of that step.
- State is arrays with a leading rep axis, updated with vectorised numpy per step.
- Ties: each policy keeps its per-arm state in a private per-rep random order of the arms
  (``arm_order.ArmOrder``, drawn from the policy rng at reset) and takes ``argmax`` in that order,
  so an exact tie goes to a uniformly random arm of the tie (a fixed random priority per rep);
  there is no systematic preference for arm 0.
- Policies that assume rewards in [0, 1] (KL-UCB, Thompson-Beta, Exp3) clip rewards to [0, 1].
  On a Gaussian env this is a monotone transform of each arm's reward law (same sigma for all
  arms), so the best arm is unchanged; the regret is still measured on the env's true means.

Simulation: ``simulate.simulate(env, policy, horizon, n_reps, env_rng, policy_rng, checkpoints,
record_arms=False) -> SimOutput`` with ``checkpoints`` (1-based steps), ``regret`` (n_reps,
n_checkpoints), ``counts`` (n_reps, n_arms) final pulls, ``means`` (the stochastic env's means),
and with ``record_arms`` every ``arms`` / ``rewards`` (n_reps, horizon). Per step it calls
``select``, ``pull``, ``update`` once and counts pulls; pseudo-regret is evaluated only at the
checkpoints as ``counts @ gaps`` (exact). Seeding (experiments/seeding.py) gives the env and the
policy separate streams, so common random numbers hold across policies for one seed.

Modules: ``bernoulli_env``, ``gaussian_env`` (``instances`` picks their means),
``oblivious_env``; ``uniform``, ``etc``, ``epsilon_greedy``, ``ucb1``, ``kl_ucb``,
``thompson_beta``, ``thompson_gaussian``, ``exp3``; ``arm_order`` (tie-breaking); ``simulate``.

Settings with their own small protocols, in subpackages (each written down in its ``__init__``):
``streaming`` (single-pass streaming arms with bounded arm memory, Wang ICML'23), ``linear``
(misspecified linear bandits, Zhang et al. ICML'23), ``pure`` (fixed-budget pure exploration:
Sequential Halving, Bracketing SH, Zhao et al. ICML'23) and ``switching`` (switching costs with
a budget of extra / total observations, Cheng, Zhou & Ji ICML'23).

Non-stationary, in the base protocol: ``piecewise_env`` (piecewise-stationary Bernoulli arms, an
oblivious adversary that also tracks the regret w.r.t. the current best arm), ``sw_ucb`` and
``d_ucb`` (Garivier & Moulines 2011).
"""
