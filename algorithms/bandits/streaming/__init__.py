"""Single-pass streaming multi-armed bandits with bounded arm memory (Wang, ICML 2023).

Setting (Wang, "Tight Regret Bounds for Single-pass Streaming Multi-armed Bandits", ICML 2023,
PMLR 202:35525-35547, arXiv 2306.02208, Sec. 1-2): K arms arrive one at a time in a fixed order,
once (a single pass). The learner may pull only arms it currently stores, and it stores at most
``memory`` arms at once, the arriving arm included. It has T pulls in total; the regret is
``T mu* - sum_pulls mu`` (pseudo-regret, exact from the known means).

This setting has its own small protocol beside the base one (``algorithms.bandits``), because a
streaming learner does not pick from all K arms each step: it reads, pulls and forgets arms.

Environment protocol (``env.BernoulliStream``)
---------------------------------------------
- Constructed from plain config values; ``n_arms`` (K) and ``memory`` (the slot bound).
- ``reset(n_reps, horizon, rng, checkpoints=None)``: draws the instance per rep (means in arrival
  order) from ``rng`` and keeps ``rng`` for the rewards; ``checkpoints`` are 1-based pull counts
  at which the regret curve is recorded (default: [horizon]).
- The state lives in ``env.state`` (a ``kernels.StreamState`` namedtuple of arrays with a leading rep
  axis) and is changed ONLY by four primitives, numba functions usable from compiled policy
  kernels and wrapped as methods for Python code (``env.read(r)`` etc.):
  * ``stream_read(st, r) -> slot``: the next arriving arm of rep r is stored in a free slot; -1
    when the stream is over. Raises ``StreamMemoryError`` if all ``memory`` slots are occupied.
    There is no way back: an arm that is discarded, or never read, can never be pulled again.
  * ``stream_pull(st, r, slot, n, rng) -> successes``: n pulls of the stored arm (a Binomial(n,
    mu) draw, which is exactly the sum of n Bernoulli rewards); regret n * (mu* - mu) is charged.
    Raises ``StreamProtocolError`` for an empty slot or when pulls would exceed T.
  * ``stream_discard(st, r, slot)``: forget an arm (frees its slot).
  * ``stream_remaining(st, r) -> int``: pulls left of the budget T.
- The env records per rep: ``peak`` (most slots ever occupied), ``used`` (pulls), ``regret`` and
  ``ck_regret`` (regret at the checkpoints; a batch of pulls of one arm has a constant per-pull
  regret, so the curve inside a batch is linear and recorded exactly).

Policy protocol (``uniform.StreamUniform``, ``eps_best.StreamEpsBest``)
----------------------------------------------------------------------
- Constructed from plain config values; cheap.
- ``slots(n_arms, horizon) -> int``: the arm slots it will use (checked against ``env.memory``
  before anything runs; the env enforces it again at every read).
- ``play(env, rng) -> None``: runs the whole single pass and the commit phase on all reps,
  touching the env only through the primitives; it must spend exactly T pulls per rep.
  ``rng`` is the policy's own stream (the algorithms here are deterministic given the rewards).

Common random numbers: the instance of each rep (means and arrival order) is drawn at reset from
the env stream, so for one seed every policy faces the same instances. Reward draws come from
the same stream afterwards, in an order that depends on the policy's batch sizes.

Modules: ``env`` (environment), ``kernels`` (every numba kernel: state, primitives, the level
tournament), ``levels`` (the tournament's description and each algorithm's budget table),
``uniform``, ``eps_best``.
"""
