"""Optimizers, learning-rate schedules and test problems, in pure numpy (+ numba).

Protocol of the family (optax style; Babuschkin et al. 2020):

**Trees.** Parameters, gradients and updates are dicts ``name -> np.ndarray`` (one entry per
parameter block). Optionally every array carries a leading *seed axis* (independent
replications, vectorised). Elementwise optimizers do not care; block-wise operations (Adam-mini's
per-block mean, quantisation blocks and scales, Top-K, sign scales, global norms) are told by
the constructor flag ``seed_axis=True`` and then reduce over all axes except the seed axis, so
replications never mix.

**Transformations** (``algorithms.optim.transforms``; ``base.GradientTransformation``)::

    opt = Adam(lr=1e-3)                          # plain config values only
    state = opt.init(params, rng=None)           # rng: np.random.Generator for stochastic
                                                 # compressors (kept in the state), else unused
    updates, state = opt.update(grads, state, params)
    params = apply_updates(params, updates)      # params + updates
    opt.state_bytes(state) -> int                # optimizer memory: arrays at their storage
                                                 # width (4-bit codes = 1/2 byte) + 8 bytes counter;
                                                 # with a seed axis: all replications together

``update`` is pure (inputs untouched, fresh outputs), so states can be replayed; the only
mutable object a state may hold is a ``np.random.Generator``. ``chain(*transforms)`` composes.
Distributed optimizers (``OneBitAdam``, ``EF21``, ``EF21W``) simulate ``n_workers`` workers:
their grads carry a worker axis right after the seed axis -- (n_seeds, n_workers, *block) or
(n_workers, *block) -- e.g. ``problem.worker_grads(params)``; they expose
``state.bits_communicated`` (bits per replication, summed over steps), and their
``state_bytes`` counts what one machine holds (server state plus one worker's buffers).

**Learning rate and schedules.** Every optimizer takes ``lr: float`` and an optional
``schedule`` callable ``step -> lr`` (``algorithms.optim.schedules``: plain callables,
vectorised over step arrays; 0-based, step t is the lr of the t-th update). The schedule is
not a config value: the experiment receives the optimizer node as a factory (the preset sets
``optimizer._partial_: true``) and calls it with ``schedule=...``; the schedule then *replaces*
``lr`` (``lr`` stays the base value that AdaBound's ``final_lr`` is scaled against). The YAMLs
carry ``schedule: null``. Likewise ``seed_axis`` (and EF21-W's ``smoothness``, the workers' L_i)
are set by the experiment to match the problem (``experiments/optim.py``).

**Problems** (``algorithms.optim.problems``): ``loss(params, batch)`` and
``grad(params, batch)`` with closed-form numpy gradients, ``build(rng)``,
``init_params(rng, n_reps)``, ``sample_batch(...)``, ``optimum`` / ``f_star`` where known.

Modules: ``base`` (types, ``chain``, tree helpers, ``apply_updates``), ``quantize`` (4-bit
block-wise quantisers), ``compress`` (Top-K / sign / Rand-K with bit counts), ``transforms/``,
``schedules/``, ``problems/``, ``convex_bound``.
"""

from algorithms.optim.base import GradientTransformation, apply_updates, chain

__all__ = ["GradientTransformation", "apply_updates", "chain"]
