"""``algorithms._jit_cache``: numba cache files are dropped exactly when a module defining
numba code changes (real files in a temporary package; numba itself not involved)."""

from pathlib import Path

from algorithms import _jit_cache


def _cache_files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("__pycache__/*.nb*"))


def test_caches_are_dropped_when_a_numba_module_changes(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    root = tmp_path / "pkg"
    (root / "sub" / "__pycache__").mkdir(parents=True)
    helper = root / "sub" / "_helper.py"
    helper.write_text('@njit(inline="always")\ndef f(x):\n    return x\n')
    kernel = root / "kernel.py"
    kernel.write_text("@njit(cache=True)\ndef g(x):\n    return f(x)\n")
    plain = root / "plain.py"
    plain.write_text("X = 1\n")
    stamp = root / "__pycache__" / "stamp"

    def plant():
        for name in ("kernel.g-3.py311.nbi", "kernel.g-3.py311.1.nbc"):
            (root / "sub" / "__pycache__" / name).write_bytes(b"stale")

    plant()
    assert _jit_cache.check(root, stamp) and _cache_files(root) == []   # no stamp yet
    plant()
    assert not _jit_cache.check(root, stamp) and len(_cache_files(root)) == 2
    plain.write_text("X = 2\n")                            # no numba code: caches kept
    assert not _jit_cache.check(root, stamp) and len(_cache_files(root)) == 2
    helper.write_text(helper.read_text().replace("return x", "return x + 1"))
    assert _jit_cache.check(root, stamp) and _cache_files(root) == []
    assert stamp.read_text() == _jit_cache.fingerprint(root)
