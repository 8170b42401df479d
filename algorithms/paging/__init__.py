"""Paging and caching: traces, predictors, and policies that serve a trace with a cache of k pages.

Protocol (shared types in ``core.py``; checked for every ``conf/paging/policy/*.yaml`` by
``tests/paging/test_conformance.py``):

* **Trace** (``core.Trace``): ``ids`` int64[n] in 0..n_objects-1 (re-mapped by first appearance),
  optional ``sizes`` (classic policies ignore them: unit-size paging), and the oracle array
  ``next_arrival[t]`` = index of the next request to the same page, or n if none (O(n)).
  Trace *specs* (``traces.py``, ``conf/paging/trace/*.yaml``) are built from plain values and
  expose ``generate(rng) -> Trace``; file loaders ignore rng (and also offer ``load()``).
* **Predictor** (part B): ``kind: str`` and ``predict(trace, k, rng) -> ndarray`` aligned with
  the trace; ``conf/paging/predictor/*.yaml``.
* **Policy**: ``requires: tuple[str, ...]`` (prediction kinds it reads; ``()`` for classic
  ones) and ``run(trace, k, predictions, rng) -> PagingOutcome`` where ``predictions`` maps each
  required kind to its array and ``rng`` is the policy's own stream (used only by randomized
  policies; the same seed gives the same outcome).
* **Outcome** (``core.PagingOutcome``): ``hits`` bool[n], ``evicted`` int64[n] = page evicted
  while serving request t, or -1. Demand paging: a hit evicts nothing; a miss loads the page and
  evicts exactly one cached page iff the cache already holds k pages. Every request counts,
  cold misses included (as in libCacheSim and the learning-augmented paging papers).

Modules: ``core`` (types), ``traces`` (generators and loaders), ``classic/`` (LRU, FIFO, LFU,
CLOCK, Marker, RandomMarker, Belady as numba kernels), ``reference`` (plain-Python twins),
``predictors/`` (next arrival, bits, actions; ``with_kind`` siblings), ``augmented/``
(BlindOracle, Predictive Marker, LMarker, LNonMarker, Trust&Doubt, robust combiners),
``succinct/`` (discard / phase bits), ``parsimonious`` (F&R with a query budget) and
``cost_aware/`` (its own protocol: per-query model costs, LFU / LEC / GDSF, multiplexers).
Experiments: ``experiments/paging.py`` (this protocol) and ``experiments/caching.py``.
"""
