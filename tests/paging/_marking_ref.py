"""Plain-Python simulators of the prediction-driven marking rules (Predictive Marker, LMarker,
raw LNonMarker), making the choices the kernels' docstrings specify, for exact comparison.

They share nothing with the kernels: dicts and lists, a linear ``max`` over the unmarked
slots, phases and staleness recomputed from sets. Specified choices: slots 0..k-1 filled in
order, a loaded page takes its victim's slot; the largest prediction is the one made at a
page's latest request, ties to the highest slot; the unmarked slots are a list (slots in order
at a phase start, removal moves the last entry into the hole) and a random unmarked page is
entry floor(u_t * size); a random cached page is slot floor(u_t * k).
"""

from __future__ import annotations


def _remove(lst, x):
    """Swap-remove x from lst if present."""
    if x in lst:
        i = lst.index(x)
        last = lst.pop()
        if i < len(lst):
            lst[i] = last


def _pick(lst, u):
    return lst[min(int(u * len(lst)), len(lst) - 1)]


def _max_pred(unmarked, key):
    return max(unmarked, key=lambda s: (key[s], s))


def pred_marking(ids, pred, k, u, cap):
    """(hits, evicted) of marking with chains (Predictive Marker: cap = H_k; LMarker: 0)."""
    slots, where, key = [], {}, {}
    unmarked, stale, chain_of, chains = [], set(), {}, []
    hits, evicted = [], []
    for t, p in enumerate(ids):
        if p in where:
            s = where[p]
            _remove(unmarked, s)
            key[s] = pred[t]
            hits.append(True)
            evicted.append(-1)
            continue
        hits.append(False)
        ev = -1
        if len(slots) == k:
            if not unmarked:                              # new phase
                unmarked = list(range(k))
                stale = set(slots)
                chains = []
            if p not in stale:                            # clean miss: a new chain
                c = len(chains)
                chains.append(1)
                random = False
            else:
                c = chain_of[p]
                chains[c] += 1
                random = chains[c] > cap
            s = _pick(unmarked, u[t]) if random else _max_pred(unmarked, key)
            ev = slots[s]
            chain_of[ev] = c
            _remove(unmarked, s)
            del where[ev]
        else:
            s = len(slots)
            slots.append(None)
        evicted.append(ev)
        slots[s] = p
        where[p] = s
        key[s] = pred[t]
    return hits, evicted


def lnonmarker(ids, pred, k, u):
    """(hits, evicted) of Rohatgi's raw LNonMarker rule on the k-phase partition."""
    slots, where, key = [], {}, {}
    unmarked, stale, phase_pages, evictor = [], set(), set(), {}
    hits, evicted = [], []
    for t, p in enumerate(ids):
        if p not in phase_pages and len(phase_pages) == k:   # (k+1)-th distinct page
            phase_pages = set()
            stale = set(slots)
            unmarked = list(range(len(slots)))
            evictor = {}
        phase_pages.add(p)
        if p in where:
            s = where[p]
            _remove(unmarked, s)
            key[s] = pred[t]
            hits.append(True)
            evicted.append(-1)
            continue
        hits.append(False)
        ev = -1
        if len(slots) == k:
            if p in stale:
                q = evictor.get(p)
                whole = (q is not None and q not in stale) or not unmarked
                s = None if whole else _pick(unmarked, u[t])
            elif unmarked:
                whole, s = False, _max_pred(unmarked, key)
            else:
                whole = True
            if whole:
                s = min(int(u[t] * k), k - 1)
            _remove(unmarked, s)
            ev = slots[s]
            evictor[ev] = p
            del where[ev]
        else:
            s = len(slots)
            slots.append(None)
        evicted.append(ev)
        slots[s] = p
        where[p] = s
        key[s] = pred[t]
    return hits, evicted
