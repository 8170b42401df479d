"""Plain-Python Trust&Doubt (sets and linear scans), written from the rule list in
``algorithms/paging/augmented/trust_doubt.py``'s docstring, independently of its numba kernel.

Inputs: ``ids`` (list of pages), ``k``, ``pred_ev`` (the predicted schedule's eviction at each
request, -1 = none) and ``prio_u`` (the uniforms the kernel uses for priorities: at each phase
start the stale pages, in increasing page id, take the next ones in order).
Returns (hits, evicted, virtual_loads).
"""

from __future__ import annotations


def trust_doubt_reference(ids, k, pred_ev, prio_u, trace_state=None):
    P, V, R = set(), set(), set()            # predictor's state, virtual cache, real cache
    load, last, prio = {}, {}, {}
    M, S, A = set(), set(), set()            # requested this phase, stale, ancient
    cold = True
    arrivals, C, pq, trusted, L, ia = 0, [], {}, {}, {}, {}
    ui = 0
    hits, evicted = [], []
    vloads = 0

    def pick():
        used = {v for v in pq.values() if v is not None}
        X = ((S | M) - P) - used
        return min(X, key=lambda p: last[p]) if X else None

    for t, r in enumerate(ids):
        P.add(r)
        if pred_ev[t] >= 0:
            P.discard(pred_ev[t])
        if r not in M and len(M) == k:          # (k+1)-th distinct page: new phase
            prev, M, cold = M, set(), False
            S = {p for p in V if p in prev or p == r}
            A = V - S
            for p in sorted(S):
                prio[p] = prio_u[ui]
                ui += 1
            arrivals, C, pq, trusted, L, ia = 0, [], {}, {}, {}, {}
        first = r not in M
        before = arrivals
        if first:
            M.add(r)
            arrivals += 1
        last[r] = t
        if cold:
            if r not in V:
                V.add(r)
                vloads += 1
        elif A:
            A.discard(r)
            if r not in V:
                cand = (A - P) or A
                v = min(cand, key=lambda p: last[p])
                A.remove(v)
                V.remove(v)
                V.add(r)
                vloads += 1
        else:
            clean = first and r not in S
            if clean:
                C.append(r)
            if r not in V:
                cand = [p for p in S - M if p in V]
                assert cand, "no unmarked stale page in the cache"
                V.remove(min(cand, key=lambda p: prio[p]))
                V.add(r)
                vloads += 1
            if clean:
                pq[r], trusted[r], L[r], ia[r] = pick(), True, 1, before
            for q in C:
                if pq[q] == r:
                    new = pick()
                    assert new is not None, "no candidate to re-pick"
                    pq[q], trusted[q], ia[q] = new, False, arrivals
                    break
            if first:
                for q in C:
                    if arrivals - ia[q] == L[q]:
                        ia[q] = arrivals
                        if not trusted[q]:
                            L[q] *= 2
                            trusted[q] = True
                        if pq[q] is not None and pq[q] in V:
                            V.remove(pq[q])
                            T = {pq[x] for x in C if trusted[x]}
                            cand = ((S - M) - V) - T
                            assert cand, "no unmarked stale page to reload"
                            V.add(max(cand, key=lambda p: prio[p]))
                            vloads += 1
        assert r in V and len(V) <= k
        if trace_state is not None:
            trace_state.append(dict(t=t, r=r, V=sorted(V), S=sorted(S), M=sorted(M), A=sorted(A), P=sorted(P), pq=dict(pq), trusted=dict(trusted), L=dict(L), ia=dict(ia), arrivals=arrivals))
        if r in R:
            hits.append(True)
            evicted.append(-1)
            continue
        hits.append(False)
        ev = -1
        if len(R) == k:
            ev = min(R - V, key=lambda p: load[p])
            R.remove(ev)
        evicted.append(ev)
        R.add(r)
        load[r] = t
    return hits, evicted, vloads
