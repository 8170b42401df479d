"""How the paging kernels' request loops are compiled: numba without reference counting.

Numba counts references to the arrays passed into inlined helpers whenever its pruning pass
cannot pair the increments with the decrements (a branch that touches two arrays is enough).
Each count is an atomic call; in a kernel doing a few heap or set operations per request they
took half the run time (perf: 52% in ``NRT_incref``/``NRT_decref`` for Predictive Marker). A
loop compiled with ``_nrt=False`` has none. It cannot allocate, so its Python wrapper allocates
every array (``np.full`` costs the same there) and the loop only reads and writes them; an
allocation inside the loop is a compile error, not a silent slowdown.
"""

from __future__ import annotations

from numba import njit

loop = njit(cache=True, _nrt=False)
