"""Pure simulations (numpy / numba only). Nothing here imports from experiments/, runners/ or analysis/."""

from algorithms import _jit_cache

_jit_cache.check()          # drop numba caches compiled against since-edited inlined helpers
