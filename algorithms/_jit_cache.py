"""Keep numba's on-disk cache honest about code compiled in from other modules.

Numba keys a cached kernel on its own source file only, but kernels here inline or call
helpers from other modules (``paging/_sort``, ``paging/_ds``, ``classic/_heap``,
``augmented/_bitset``, the ``_prefetch`` intrinsics ...): after an edit to a helper the old
machine code kept running, silently (a review caught a kernel still using a replaced sort).
``check()`` fingerprints every module that defines numba code and, when the fingerprint
differs from the one recorded beside the caches, deletes the package's numba cache files, so
kernels recompile on first use. The price: after any edit to a numba module every kernel of
the package recompiles once (numba alone would recompile only the edited module's). Cost per
import: reading ~100 small files (a few ms). Caches under ``NUMBA_CACHE_DIR`` are not managed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
STAMP = ROOT / "__pycache__" / "jit_helpers.sha256"
MARKERS = ("njit", "@intrinsic", "@loop")


def fingerprint(root: Path = ROOT) -> str:
    """sha256 over the paths and sources of the modules that define numba code."""
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        src = path.read_bytes()
        if any(m.encode() in src for m in MARKERS):
            h.update(str(path.relative_to(root)).encode() + b"\0" + src + b"\0")
    return h.hexdigest()


def check(root: Path = ROOT, stamp: Path = STAMP) -> bool:
    """Delete ``root``'s numba cache files if its numba modules changed; True if it did."""
    if os.environ.get("NUMBA_CACHE_DIR"):
        return False
    try:
        current = fingerprint(root)
        if stamp.is_file() and stamp.read_text() == current:
            return False
        for f in list(root.rglob("__pycache__/*.nbi")) + list(root.rglob("__pycache__/*.nbc")):
            f.unlink(missing_ok=True)
        stamp.parent.mkdir(exist_ok=True)
        tmp = stamp.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(current)
        os.replace(tmp, stamp)                    # atomic: concurrent importers see one stamp
        return True
    except OSError:                               # read-only install: nothing to manage
        return False
