"""Second, straightforward implementation of the streaming level tournament (tests only).

Written from the algorithm's description (algorithms/bandits/streaming/levels.py docstring), in
plain Python over one rep at a time, touching the env only through its Python methods
(read / pull / discard / remaining). Levels are a dict level -> [slot, mean], and an arriving or
promoted arm is handled by a recursive ``enter``. With the same env seed it makes the same env
calls in the same order as the numba kernel, so results must agree exactly.
"""

from __future__ import annotations


def play_reference(env, batch, cap, final):
    for r in range(env.state.means.shape[0]):
        kings: dict[int, list] = {}
        spent = {l: 0 for l in range(len(batch))}
        top = len(batch) - 1

        def enter(slot, level):
            n = min(int(batch[level]), env.remaining(r))
            if n == 0:
                if level in kings:
                    env.discard(r, slot)
                else:
                    kings[level] = [slot, -1.0]
                return
            mean = env.pull(r, slot, n) / n
            spent[level] += n
            if level not in kings:
                kings[level] = [slot, mean]
            elif mean > kings[level][1]:
                env.discard(r, kings[level][0])
                kings[level] = [slot, mean]
            else:
                env.discard(r, slot)
            if level < top and cap[level] >= 0 and spent[level] > cap[level]:
                promoted = kings.pop(level)[0]
                spent[level] = 0
                enter(promoted, level + 1)

        while env.remaining(r) > 0:
            slot = env.read(r)
            if slot < 0:
                break
            enter(slot, 0)
        if not kings:
            continue
        winner = max(kings)
        if len(kings) > 1 and env.remaining(r) >= len(kings) * final:
            best = -1.0
            for level in sorted(kings, reverse=True):
                fresh = env.pull(r, kings[level][0], final) / final
                if fresh > best:
                    best, winner = fresh, level
        for level, (slot, _) in kings.items():
            if level != winner:
                env.discard(r, slot)
        env.pull(r, kings[winner][0], env.remaining(r))
        env.discard(r, kings[winner][0])
