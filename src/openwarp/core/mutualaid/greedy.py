"""The baseline a coordinator would do by hand: highest priority first, nearest person first.

It is kept to show what the optimiser buys (the benchmark prints it beside the
default solver), not for use: it fills early needs with responders a later need
could only have had, and so loses coverage.
"""

from __future__ import annotations

import numpy as np

from openwarp.core.mutualaid.eligibility import Candidates
from openwarp.core.mutualaid.geo import IntArray


def solve_greedy(cands: Candidates) -> IntArray:
    """Visit needs by priority (then instance order); give each its nearest free responders."""
    order = np.lexsort((cands.dist_m, cands.need, -cands.need_priority[cands.need]))
    taken = np.zeros(cands.n_responders, dtype=bool)
    left = cands.need_people.copy()
    chosen: list[int] = []
    for arc in order.tolist():
        r, n = cands.responder[arc], cands.need[arc]
        if left[n] and not taken[r]:
            taken[r] = True
            left[n] -= 1
            chosen.append(arc)
    return np.array(chosen, dtype=np.int64)
