"""Update streams: validity, exact lengths, determinism and each workload's defining shape.

References are direct replays of the signed updates with a plain Python set (independent of
the generators' internal pools)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from algorithms.submodular import streams as S

OBLIVIOUS = [S.InsertThenDelete("random"), S.InsertThenDelete("fifo"), S.InsertThenDelete("lifo"),
             S.SlidingWindow(1), S.SlidingWindow(7), S.SlidingWindow(1000),
             S.RandomMixed(0.6, 2.0), S.RandomMixed(1.0, 0.5), S.RandomMixed(0.1, 3.0)]


def drive(stream, n, seed, solution_of=lambda present: []):
    """Replay a stream with a set; the sent 'solution' is computed by ``solution_of``."""
    gen = stream.generator(n, np.random.default_rng(seed))
    present, out = set(), []
    try:
        u = next(gen)
        while True:
            ins, e = S.decode(u)
            assert 0 <= e < n
            if ins:
                assert e not in present, "insert of a present element"
                present.add(e)
            else:
                assert e in present, "delete of an absent element"
                present.remove(e)
            out.append(u)
            u = gen.send(solution_of(present))
    except StopIteration:
        pass
    return out


ALL = OBLIVIOUS + [S.AdversarialDeletion(1.0, True), S.AdversarialDeletion(2.0, False),
                   S.AdversarialDeletion(0.3, True)]


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 60), seed=st.integers(0, 10**6), which=st.integers(0, len(ALL) - 1))
def test_streams_are_valid_with_exact_length(n, seed, which):
    """Every stream only inserts absent / deletes present elements (set replay) and has
    exactly ``length(n)`` updates."""
    stream = ALL[which]
    ups = drive(stream, n, seed, solution_of=lambda p: sorted(p)[:3])
    assert len(ups) == stream.length(n)


@pytest.mark.parametrize("stream", OBLIVIOUS)
def test_oblivious_generate_matches_generator_and_is_deterministic(stream):
    """``generate`` equals the generator's output; same seed -> same array, other seed differs."""
    a = stream.generate(50, np.random.default_rng(3))
    b = stream.generate(50, np.random.default_rng(3))
    assert np.array_equal(a, b)
    assert a.tolist() == drive(stream, 50, 3)
    assert not np.array_equal(a, stream.generate(50, np.random.default_rng(4)))


def test_insert_then_delete_orders():
    """Inserts form a permutation; fifo deletes in insertion order, lifo in reverse."""
    for order in ("fifo", "lifo"):
        u = S.InsertThenDelete(order).generate(30, np.random.default_rng(0))
        ins, dele = u[:30] - 1, -u[30:] - 1
        assert sorted(ins.tolist()) == list(range(30))
        assert dele.tolist() == (ins.tolist() if order == "fifo" else ins[::-1].tolist())


def test_sliding_window_lifetimes():
    """Each element is deleted exactly ``width`` arrivals after its own; <= width present."""
    w, n = 5, 40
    u = S.SlidingWindow(w).generate(n, np.random.default_rng(1))
    arrival, present, t = {}, set(), 0
    for x in u:
        ins, e = S.decode(x)
        if ins:
            arrival[e] = t
            t += 1
            present.add(e)
        else:
            assert t - 1 - arrival[e] == w
            present.remove(e)
        assert len(present) <= w + 1
    assert len(present) == w


def test_random_mixed_insert_fraction():
    """While both moves are possible, the insert fraction matches insert_prob (5 sigma)."""
    p, n = 0.3, 4000
    u = S.RandomMixed(p, 0.5).generate(n, np.random.default_rng(2))
    present, free, ins_count = 0, 0, 0
    for x in u:
        if present > 0:  # absent is never empty here (length 0.5 n)
            free += 1
            ins_count += x > 0
        present += 1 if x > 0 else -1
    sd = np.sqrt(p * (1 - p) / free)
    assert abs(ins_count / free - p) < 5 * sd


def test_adversarial_deletes_from_sent_solution():
    """After the insertion phase every deletion hits the solution that was sent, when it has
    present elements; with reinsert each deletion is followed by an insertion."""
    n = 30
    stream = S.AdversarialDeletion(1.0, True)
    gen = stream.generator(n, np.random.default_rng(5))
    present, u, t = set(), next(gen), 0
    sent: list[int] = []
    hits = 0
    while True:
        ins, e = S.decode(u)
        if t >= n and not ins:
            assert e in sent
            hits += 1
        present.add(e) if ins else present.remove(e)
        t += 1
        sent = sorted(present)[:4]  # an arbitrary "solution": the 4 smallest ids
        try:
            u = gen.send(sent)
        except StopIteration:
            break
    assert hits == n and t == stream.length(n) == 3 * n


def test_random_mixed_rejects_zero_insert_prob():
    with pytest.raises(ValueError, match="insert_prob"):
        S.RandomMixed(0.0, 1.0)


@pytest.mark.parametrize("n,fraction,window", [(40, 0.1, 4), (40, 0.5, 20), (7, 0.01, 1), (10, 1.0, 10)])
def test_sliding_window_fraction_scales_with_n(n, fraction, window):
    """fraction gives a window of max(1, round(fraction * n)) arrivals: length 2n - min(w, n),
    at most w present, w present at the end (set replay); an explicit width wins."""
    s = S.SlidingWindow(fraction=fraction)
    assert s.window(n) == window and s.length(n) == 2 * n - min(window, n)
    present, most = set(), 0
    for u in s.generate(n, np.random.default_rng(2)):
        ins, e = S.decode(u)
        (present.add if ins else present.remove)(e)
        most = max(most, len(present))
    assert len(present) == min(window, n) and most <= window + 1
    assert S.SlidingWindow(width=3, fraction=fraction).window(n) == 3
