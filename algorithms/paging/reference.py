"""Plain-Python reference simulators for the classic policies (slow, obviously correct).

Each function takes a sequence of page ids and the cache size k and returns
``(hits, evicted)``: lists with one entry per request (evicted page or -1). They follow the
definitions and tie-breaks documented in ``algorithms/paging/classic/*.py`` with dicts, sets
and ``OrderedDict`` and full scans instead of the kernels' linked lists, rings and heaps, so
the tests compare two independent implementations of one rule.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Sequence

Result = tuple[list[bool], list[int]]


def lru(ids: Sequence[int], k: int) -> Result:
    cache: OrderedDict[int, None] = OrderedDict()          # last item = most recent
    hits, evicted = [], []
    for p in ids:
        ev = -1
        if p in cache:
            cache.move_to_end(p)
            hits.append(True)
        else:
            if len(cache) == k:
                ev, _ = cache.popitem(last=False)
            cache[p] = None
            hits.append(False)
        evicted.append(ev)
    return hits, evicted


def fifo(ids: Sequence[int], k: int) -> Result:
    cache: OrderedDict[int, None] = OrderedDict()          # insertion order
    hits, evicted = [], []
    for p in ids:
        ev = -1
        if p in cache:
            hits.append(True)
        else:
            if len(cache) == k:
                ev, _ = cache.popitem(last=False)
            cache[p] = None
            hits.append(False)
        evicted.append(ev)
    return hits, evicted


def lfu(ids: Sequence[int], k: int) -> Result:
    """In-cache frequency; ties by the oldest latest request."""
    freq: dict[int, int] = {}
    last: dict[int, int] = {}
    hits, evicted = [], []
    for t, p in enumerate(ids):
        ev = -1
        if p in freq:
            freq[p] += 1
            hits.append(True)
        else:
            if len(freq) == k:
                ev = min(freq, key=lambda q: (freq[q], last[q]))
                del freq[ev], last[ev]
            freq[p] = 1
            hits.append(False)
        last[p] = t
        evicted.append(ev)
    return hits, evicted


def clock(ids: Sequence[int], k: int) -> Result:
    """Second chance as a queue: a referenced page at the front is cleared and re-queued."""
    queue: list[int] = []                                   # front = where the hand points
    ref: dict[int, bool] = {}
    hits, evicted = [], []
    for p in ids:
        ev = -1
        if p in ref:
            ref[p] = True
            hits.append(True)
        else:
            if len(queue) == k:
                while ref[queue[0]]:
                    ref[queue[0]] = False
                    queue.append(queue.pop(0))
                ev = queue.pop(0)
                del ref[ev]
            queue.append(p)
            ref[p] = False
            hits.append(False)
        evicted.append(ev)
    return hits, evicted


def belady(ids: Sequence[int], k: int) -> Result:
    """Furthest next request; pages never requested again first, lowest id among them."""
    n = len(ids)

    def next_use(q: int, t: int) -> int:
        for s in range(t + 1, n):
            if ids[s] == q:
                return s
        return n

    cache: set[int] = set()
    hits, evicted = [], []
    for t, p in enumerate(ids):
        ev = -1
        if p in cache:
            hits.append(True)
        else:
            if len(cache) == k:
                ev = max(cache, key=lambda q: (next_use(q, t), -q))
                cache.remove(ev)
            cache.add(p)
            hits.append(False)
        evicted.append(ev)
    return hits, evicted


def _marking(ids: Sequence[int], k: int, choose) -> Result:
    """Generic marking algorithm; ``choose(t, unmarked, loaded, last)`` picks the victim.

    Cached pages sit in slots: filled in order, a loaded page takes the slot of the page it
    evicts. ``unmarked`` is a list of the unmarked pages: the cached pages in slot order at a
    phase start; marking or evicting a page moves the list's last entry into its place.
    """
    slots: list[int] = []
    unmarked: list[int] = []
    loaded: dict[int, int] = {}
    last: dict[int, int] = {}
    hits, evicted = [], []

    def unlist(q):
        i = unmarked.index(q)
        tail = unmarked.pop()
        if i < len(unmarked):
            unmarked[i] = tail

    for t, p in enumerate(ids):
        ev = -1
        if p in slots:
            hits.append(True)
            if p in unmarked:
                unlist(p)                                   # mark
        else:
            if len(slots) == k:
                if not unmarked:                            # all marked: new phase
                    unmarked = list(slots)
                ev = choose(t, unmarked, loaded, last)
                unlist(ev)
                slots[slots.index(ev)] = p
            else:
                slots.append(p)
            loaded[p] = t
            hits.append(False)
        last[p] = t
        evicted.append(ev)
    return hits, evicted


def marker(ids: Sequence[int], k: int, victim: str = "oldest_loaded") -> Result:
    def choose(t, unmarked, loaded, last):
        times = loaded if victim == "oldest_loaded" else last
        return min(unmarked, key=lambda q: times[q])

    return _marking(ids, k, choose)


def random_marker(ids: Sequence[int], k: int, u: Sequence[float]) -> Result:
    """Evict entry floor(u[t] * m) of the unmarked list (m = its length)."""

    def choose(t, unmarked, loaded, last):
        return unmarked[min(int(u[t] * len(unmarked)), len(unmarked) - 1)]

    return _marking(ids, k, choose)
