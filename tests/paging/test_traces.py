"""Trace generators, loaders and the O(n) helpers in core.py.

References: brute-force loops written here (next arrival, first-appearance re-mapping),
np.searchsorted (inverse CDF), scipy's chi-square test (Zipf frequencies), and files written
byte by byte with ``struct`` (oracleGeneral), independent of the code under test.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import pytest
from hydra.utils import instantiate
from hypothesis import given, settings, strategies as st
from omegaconf import OmegaConf
from scipy import stats

from algorithms.paging import reference as ref
from algorithms.paging.core import Trace, next_arrivals, remap_ids
from algorithms.paging.traces import (
    PROJECT_ROOT, CsvTrace, Loop, LRUAdversarial, OracleGeneralTrace, ShiftingWorkingSet,
    TextTrace, Zipf, _inverse_cdf, resolve_path, write_oracle_general, zipf_cdf,
)

TRACE_YAMLS = sorted((PROJECT_ROOT / "conf" / "paging" / "trace").glob("*.yaml"))


def brute_next(ids):
    n = len(ids)
    return [next((s for s in range(t + 1, n) if ids[s] == ids[t]), n) for t in range(n)]


def brute_remap(raw):
    table = {}
    return [table.setdefault(x, len(table)) for x in raw], len(set(raw))


ids_lists = st.lists(st.integers(0, 12), max_size=60)


@settings(max_examples=60, deadline=None)
@given(ids_lists, st.sampled_from([0, 2**40, -7]))
def test_next_arrivals_and_remap_match_brute_force(raw, offset):
    """Dense (small ids) and sparse (ids offset by 2^40) paths vs. brute-force loops."""
    raw = [x + offset for x in raw]
    arr = np.array(raw, dtype=np.int64)
    assert next_arrivals(arr).tolist() == brute_next(raw)
    ids, n = remap_ids(arr)
    exp_ids, exp_n = brute_remap(raw)
    assert ids.tolist() == exp_ids and n == exp_n
    assert Trace.from_raw(arr).next_arrival.tolist() == brute_next(raw)


def test_remap_handles_unsigned_ids_beyond_int64():
    raw = np.array([2**64 - 1, 5, 2**64 - 1, 2**63], dtype=np.uint64)
    ids, n = remap_ids(raw)
    assert ids.tolist() == [0, 1, 0, 2] and n == 3
    assert next_arrivals(raw).tolist() == [2, 4, 4, 4]


def test_inverse_cdf_equals_searchsorted():
    """The guide-table search returns exactly np.searchsorted(cdf, u, side='right')."""
    rng = np.random.default_rng(3)
    for alpha, m in [(0.9, 1000), (0.0, 7), (2.5, 50), (1.0, 1)]:
        cdf = zipf_cdf(alpha, m)
        u = np.concatenate([rng.random(20000), cdf[:-1], np.nextafter(cdf[:-1], 0),
                            [0.0, np.nextafter(1.0, 0)]])
        expected = np.minimum(np.searchsorted(cdf, u, side="right"), m - 1)
        np.testing.assert_array_equal(_inverse_cdf(cdf, u), expected)


def test_zipf_frequencies_follow_the_power_law():
    """Chi-square goodness of fit against P(r) ∝ r^-alpha (scipy); fixed seed."""
    alpha, m, n = 0.8, 20, 200_000
    rng = np.random.default_rng(11)
    cdf = zipf_cdf(alpha, m)
    raw = _inverse_cdf(cdf, rng.random(n))                 # ranks before re-mapping
    w = np.arange(1, m + 1, dtype=float) ** -alpha
    counts = np.bincount(raw, minlength=m)
    assert stats.chisquare(counts, n * w / w.sum()).pvalue > 1e-4
    tr = Zipf(alpha, m, n).generate(np.random.default_rng(11))
    assert len(tr) == n and tr.n_objects == m
    np.testing.assert_array_equal(np.sort(np.bincount(tr.ids)), np.sort(counts))


def test_loop_and_lru_adversarial_cycle():
    """Loop is the cyclic scan; on the k+1 cycle the reference LRU and FIFO miss every time."""
    assert Loop(3, 7).generate(None).ids.tolist() == [0, 1, 2, 0, 1, 2, 0]
    k = 4
    tr = LRUAdversarial(k, 50, "cycle").generate(np.random.default_rng(0))
    assert tr.n_objects == k + 1
    assert not any(ref.lru(tr.ids.tolist(), k)[0])
    assert not any(ref.fifo(tr.ids.tolist(), k)[0])


def test_lru_adversarial_random_never_repeats():
    tr = LRUAdversarial(5, 2000, "random").generate(np.random.default_rng(1))
    assert tr.n_objects == 6
    assert np.all(tr.ids[1:] != tr.ids[:-1])
    counts = np.bincount(tr.ids)                             # roughly uniform over 6 pages
    assert stats.chisquare(counts).pvalue > 1e-4


def test_shifting_working_set_stays_in_window():
    spec = ShiftingWorkingSet(n_objects=100, working_set=8, phase_length=50, shift=5, length=1000)
    rng = np.random.default_rng(2)
    # re-mapping hides the raw window positions, so check what it preserves: each phase of
    # 50 requests touches at most working_set distinct pages, and the set moves over time
    tr = spec.generate(rng)
    phases = tr.ids.reshape(-1, 50)
    assert all(len(set(p)) <= 8 for p in phases)
    assert len(set(tr.ids.tolist())) > 8                      # the window moved
    with pytest.raises(ValueError, match="working_set"):
        ShiftingWorkingSet(n_objects=5, working_set=6)


# ---------------------------------------------------------------- loaders

def test_text_loader_roundtrip_and_comments(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("# header\n10\n\n20\n10\n 30 \n")
    tr = TextTrace(str(f)).load()
    assert tr.ids.tolist() == [0, 1, 0, 2] and tr.sizes is None
    assert TextTrace(str(f)).generate(np.random.default_rng(0)).ids.tolist() == [0, 1, 0, 2]


def test_text_loader_errors_name_file_and_line(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_text("1\n2\nabc\n4\n")
    with pytest.raises(ValueError, match=r"bad\.txt: line 3: id 'abc'"):
        TextTrace(str(f)).load()
    e = tmp_path / "empty.txt"
    e.write_text("\n# nothing\n")
    with pytest.raises(ValueError, match=r"empty\.txt: empty trace"):
        TextTrace(str(e)).load()
    with pytest.raises(ValueError, match="no such file"):
        TextTrace(str(tmp_path / "missing.txt"))


def test_csv_loader_by_column_name(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("time,obj,bytes\n1,7,100\n2,9,200\n3,7,100\n")
    tr = CsvTrace(str(f), id_column="obj", size_column="bytes").load()
    assert tr.ids.tolist() == [0, 1, 0] and tr.sizes.tolist() == [100, 200, 100]
    s = tmp_path / "s.csv"
    s.write_text("station;x\nHB101;1\nJC2;2\nHB101;3\n")
    tr = CsvTrace(str(s), id_column="station", delimiter=";", id_type="str").load()
    assert tr.ids.tolist()[0] == tr.ids.tolist()[2] != tr.ids.tolist()[1]


def test_csv_loader_errors(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("time,obj\n1,7\n2,x9\n")
    with pytest.raises(ValueError, match=r"no column 'id'; columns present: \['time', 'obj'\]"):
        CsvTrace(str(f)).load()
    with pytest.raises(ValueError, match=r"t\.csv: line 3: id 'x9' is not an integer"):
        CsvTrace(str(f), id_column="obj").load()
    h = tmp_path / "h.csv"
    h.write_text("id\n")
    with pytest.raises(ValueError, match="empty trace"):
        CsvTrace(str(h)).load()


def _oracle_bytes(records):
    return b"".join(struct.pack("<IQIq", *r) for r in records)


def test_oracle_general_reads_struct_packed_file(tmp_path):
    """A file packed with struct (independent of numpy's dtype) loads with ids and sizes."""
    f = tmp_path / "t.oracleGeneral"
    f.write_bytes(_oracle_bytes([(0, 2**40, 512, 2), (1, 5, 8, -1), (2, 2**40, 512, -1)]))
    tr = OracleGeneralTrace(str(f)).load()
    assert tr.ids.tolist() == [0, 1, 0] and tr.sizes.tolist() == [512, 8, 512]
    assert OracleGeneralTrace(str(f), use_sizes=False).load().sizes is None


@settings(max_examples=25, deadline=None)
@given(ids_lists.filter(len))
def test_write_oracle_general_fields(tmp_path_factory, raw):
    """Written records unpack (struct) to time=t, the id, size 1 and next_vtime (-1 if none)."""
    f = tmp_path_factory.mktemp("og") / "t.bin"
    write_oracle_general(f, np.array(raw))
    data = f.read_bytes()
    assert len(data) == 24 * len(raw)
    nxt = brute_next(raw)
    for t in range(len(raw)):
        time, oid, size, nv = struct.unpack_from("<IQIq", data, 24 * t)
        assert (time, oid, size, nv) == (t, raw[t], 1, -1 if nxt[t] == len(raw) else nxt[t])
    assert OracleGeneralTrace(str(f)).load().ids.tolist() == brute_remap(raw)[0]


def test_oracle_general_errors(tmp_path):
    f = tmp_path / "trunc.bin"
    f.write_bytes(_oracle_bytes([(0, 1, 1, -1), (1, 2, 1, -1)]) + b"\x00" * 10)
    with pytest.raises(ValueError, match=r"trunc\.bin: truncated record 2 at byte offset 48"):
        OracleGeneralTrace(str(f)).load()
    e = tmp_path / "empty.bin"
    e.write_bytes(b"")
    with pytest.raises(ValueError, match=r"empty\.bin: empty trace"):
        OracleGeneralTrace(str(e)).load()


def test_relative_paths_are_taken_from_the_project_root(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("3\n4\n")
    rel = os.path.relpath(f, PROJECT_ROOT)
    assert not Path(rel).is_absolute()
    with pytest.raises(ValueError, match="outside the project"):   # relative paths stay inside
        resolve_path(rel)
    assert TextTrace(str(f)).load().ids.tolist() == [0, 1]           # absolute: taken as given
    inside = "tests/data/good/trace.txt"
    assert resolve_path(inside) == PROJECT_ROOT.resolve() / inside
    assert TextTrace(inside).load().ids.tolist() == [0, 1, 0, 2]


# ---------------------------------------------------------------- YAML discovery

def _sample_file(target: str, tmp_path: Path) -> dict:
    """Overrides giving a loader YAML a small file of its format."""
    if target.endswith("TextTrace"):
        (tmp_path / "s.txt").write_text("1\n2\n1\n")
        return {"path": str(tmp_path / "s.txt")}
    if target.endswith("CsvTrace"):
        (tmp_path / "s.csv").write_text("id,size\n1,1\n2,1\n1,1\n")
        return {"path": str(tmp_path / "s.csv")}
    if target.endswith("OracleGeneralTrace"):
        write_oracle_general(tmp_path / "s.bin", np.array([1, 2, 1]))
        return {"path": str(tmp_path / "s.bin")}
    return {}


@pytest.mark.parametrize("path", TRACE_YAMLS, ids=[p.stem for p in TRACE_YAMLS])
def test_every_trace_yaml_generates_a_valid_deterministic_trace(path, tmp_path):
    cfg = OmegaConf.load(path)
    for key, value in _sample_file(cfg._target_, tmp_path).items():
        cfg[key] = value
    if "length" in cfg:
        cfg.length = min(int(cfg.length), 5000)
    spec = instantiate(cfg)
    a = spec.generate(np.random.default_rng(5))
    b = instantiate(cfg).generate(np.random.default_rng(5))
    assert isinstance(a, Trace) and len(a) > 0
    assert a.ids.dtype == np.int64 and a.ids.min() == 0 and a.ids.max() == a.n_objects - 1
    np.testing.assert_array_equal(a.ids, b.ids)


@pytest.mark.parametrize("path", TRACE_YAMLS, ids=[p.stem for p in TRACE_YAMLS])
def test_trace_yaml_lists_every_annotated_constructor_parameter(path):
    import inspect

    from hydra.utils import get_class

    cfg = OmegaConf.load(path)
    params = {n: p for n, p in inspect.signature(get_class(cfg._target_).__init__).parameters.items()
              if n != "self"}
    assert set(cfg.keys()) - {"_target_"} == set(params)
    for name, p in params.items():
        assert p.annotation is not inspect.Parameter.empty, name
        if p.default is not inspect.Parameter.empty:
            assert cfg[name] == p.default, name
        else:
            assert OmegaConf.is_missing(cfg, name), f"{name}: required, so the YAML says ???"
