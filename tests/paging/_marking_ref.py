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


class _Cache:
    """Slots (filled in order, a loaded page takes its victim's slot), the unmarked list and
    the prediction made at each slot's latest request."""

    def __init__(self):
        self.slots, self.where, self.key, self.unmarked = [], {}, {}, []

    def hit(self, p, pred_t):
        """Serve p if cached (marking it, recording its prediction); True on a hit."""
        if p not in self.where:
            return False
        s = self.where[p]
        _remove(self.unmarked, s)
        self.key[s] = pred_t
        return True

    def unmark_all(self):
        self.unmarked = list(range(len(self.slots)))

    def largest(self):
        return max(self.unmarked, key=lambda s: (self.key[s], s))

    def load(self, p, pred_t, s=None):
        """Load p into slot s, evicting its page (returned), or into a new slot (-1)."""
        ev = -1
        if s is None:
            s = len(self.slots)
            self.slots.append(None)
        else:
            ev = self.slots[s]
            _remove(self.unmarked, s)
            del self.where[ev]
        self.slots[s] = p
        self.where[p] = s
        self.key[s] = pred_t
        return ev


def pred_marking(ids, pred, k, u, cap):
    """(hits, evicted) of marking with chains (Predictive Marker: cap = H_k; LMarker: 0)."""
    c = _Cache()
    stale, chain_of, chains = set(), {}, []
    hits, evicted = [], []
    for t, p in enumerate(ids):
        hits.append(c.hit(p, pred[t]))
        if hits[-1]:
            evicted.append(-1)
            continue
        s = None
        if len(c.slots) == k:
            if not c.unmarked:                            # new phase
                c.unmark_all()
                stale = set(c.slots)
                chains = []
            if p not in stale:                            # clean miss: a new chain
                chain = len(chains)
                chains.append(1)
                random = False
            else:
                chain = chain_of[p]
                chains[chain] += 1
                random = chains[chain] > cap
            s = _pick(c.unmarked, u[t]) if random else c.largest()
            chain_of[c.slots[s]] = chain
        evicted.append(c.load(p, pred[t], s))
    return hits, evicted


def lnonmarker(ids, pred, k, u):
    """(hits, evicted) of Rohatgi's raw LNonMarker rule on the k-phase partition."""
    c = _Cache()
    stale, phase_pages, evictor = set(), set(), {}
    hits, evicted = [], []
    for t, p in enumerate(ids):
        if p not in phase_pages and len(phase_pages) == k:   # (k+1)-th distinct page
            phase_pages = set()
            stale = set(c.slots)
            c.unmark_all()
            evictor = {}
        phase_pages.add(p)
        hits.append(c.hit(p, pred[t]))
        if hits[-1]:
            evicted.append(-1)
            continue
        s = None
        if len(c.slots) == k:
            if p in stale:
                q = evictor.get(p)
                whole = (q is not None and q not in stale) or not c.unmarked
                s = None if whole else _pick(c.unmarked, u[t])
            elif c.unmarked:
                whole, s = False, c.largest()
            else:
                whole = True
            if whole:
                s = min(int(u[t] * k), k - 1)
            evictor[c.slots[s]] = p
        evicted.append(c.load(p, pred[t], s))
    return hits, evicted
