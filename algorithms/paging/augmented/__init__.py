"""Learning-augmented paging policies (next-arrival and action predictions) and combiners.

Every policy follows ``algorithms.paging.core.PagingPolicy``: ``requires`` names the prediction
kinds it reads and ``run(trace, k, predictions, rng)`` returns a ``PagingOutcome``. Kernels are
numba loops over array data structures (``paging/_ds``); randomness is pre-drawn from ``rng``.
"""
