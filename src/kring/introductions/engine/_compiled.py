"""Compiled kernels of large rounds (numba): exact pair scores and the assignment relaxation.

This module is imported only by the large-round path (``SparseScores``), so loading the
engine (and Django) does not load numba.  Functions are compiled on first use and cached
next to this file.

**Pair scores.**  ``pair_scores`` computes ``score(a, b).value`` from the people's tag
bitsets (one popcount per 64 tags), the same arithmetic as ``SparseScores.scores``.

**Assignment.**  Large rounds solve the bipartite relaxation of the matching (every
person gets a "partner column", itself = unmatched) once per column-generation round.
scipy's sparse LAPJV spent seconds per solve there (its ties on half-integer scores make
it search widely); Bertsekas' forward auction with epsilon-scaling solves the same problem
exactly in a fraction of that (figures in docs/algorithms/introductions.md).

Exactness: benefits are integers (twice the half-integer scores), multiplied by n + 1.
The last scaling phase runs with epsilon = 1, so the assignment satisfies
1-complementary slackness, which puts it within n * 1 of the optimum in scaled units
(the classical auction bound), i.e. within n / (n + 1) < 1 in integer benefit units: it
is optimal.  The duals returned are feasible by construction (each row's dual is the
maximum of its benefits minus prices); their sum exceeds the value by less than 1.

Deterministic: Gauss-Seidel bidding in a first-in first-out queue, ties to the first
edge in column order; no clock, no threads.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numba import njit

_NEG = -(1 << 60)
_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)
#: Epsilon is divided by this factor between scaling phases.
SCALING = 8


@njit(cache=True, inline="always")
def _popcount(x: np.uint64) -> int:  # pragma: no cover - compiled
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return int((x * _H01) >> np.uint64(56))


@njit(cache=True)
def pair_scores(  # pragma: no cover - compiled; tested against score() through SparseScores
    passions: np.ndarray,
    talents: np.ndarray,
    offers: np.ndarray,
    seeks: np.ndarray,
    tcount: np.ndarray,
    ia: np.ndarray,
    ja: np.ndarray,
    weights: np.ndarray,
    cap: int,
) -> np.ndarray:
    """score(i, j).value for the pairs (ia[k], ja[k]); weights = (offer, passion, talent)."""
    out = np.empty(ia.size, dtype=np.float64)
    for k in range(ia.size):
        a = ia[k]
        b = ja[k]
        comp = 0
        for w in range(offers.shape[1]):
            comp += _popcount(offers[a, w] & seeks[b, w]) + _popcount(seeks[a, w] & offers[b, w])
        shared = 0
        for w in range(passions.shape[1]):
            shared += _popcount(passions[a, w] & passions[b, w])
        overlap = 0
        for w in range(talents.shape[1]):
            overlap += _popcount(talents[a, w] & talents[b, w])
        talent = min(cap, min(tcount[a], tcount[b]) - overlap)
        if talent < 0:
            talent = 0
        out[k] = weights[0] * comp + weights[1] * shared + weights[2] * talent
    return out


@njit(cache=True)
def two_smallest(  # pragma: no cover - compiled; tested through SparseScores.price
    person: np.ndarray, u: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per segment of ``person``: the smallest u and who (first in order), the second
    smallest and who (-1 and inf when the segment has one person)."""
    k = starts.size
    min1 = np.empty(k, dtype=np.float64)
    min2 = np.empty(k, dtype=np.float64)
    who1 = np.empty(k, dtype=np.int64)
    who2 = np.empty(k, dtype=np.int64)
    for s in range(k):
        m1 = np.inf
        m2 = np.inf
        p1 = -1
        p2 = -1
        for t in range(starts[s], starts[s] + lengths[s]):
            x = u[person[t]]
            if x < m1:
                m2 = m1
                p2 = p1
                m1 = x
                p1 = person[t]
            elif x < m2:
                m2 = x
                p2 = person[t]
        min1[s] = m1
        min2[s] = m2
        who1[s] = p1
        who2[s] = p2
    return min1, who1, min2, who2


@njit(cache=True)
def sort_segments(  # pragma: no cover - compiled; tested through SparseScores.price
    person: np.ndarray, u: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every segment of ``person`` ordered by u (stable): (person, their u)."""
    out = np.empty(person.size, dtype=np.int64)
    vals = np.empty(person.size, dtype=np.float64)
    for s in range(starts.size):
        a = starts[s]
        b = a + lengths[s]
        seg = person[a:b]
        su = u[seg]
        order = np.argsort(su, kind="mergesort")
        for t in range(b - a):
            out[a + t] = seg[order[t]]
            vals[a + t] = su[order[t]]
    return out, vals


@njit(cache=True)
def item_pairs(  # pragma: no cover - compiled; tested through SparseScores
    indptr: np.ndarray, indices: np.ndarray, half: int, mirror: bool
) -> tuple[np.ndarray, np.ndarray]:
    """(person, key) for every 2-subset {x < y} of each person's items, key = x * 2half + y.

    Items below ``half`` and from ``half`` on are swapped first when ``mirror``."""
    n = indptr.size - 1
    total = 0
    for i in range(n):
        k = indptr[i + 1] - indptr[i]
        total += k * (k - 1) // 2
    person = np.empty(total, dtype=np.int64)
    key = np.empty(total, dtype=np.int64)
    t = 0
    for i in range(n):
        for p in range(indptr[i], indptr[i + 1]):
            x = indices[p]
            if mirror:
                x = x + half if x < half else x - half
            for q in range(p + 1, indptr[i + 1]):
                y = indices[q]
                if mirror:
                    y = y + half if y < half else y - half
                lo = min(x, y)
                hi = max(x, y)
                person[t] = i
                key[t] = lo * 2 * half + hi
                t += 1
    return person, key


@njit(cache=True)
def join_keys(  # pragma: no cover - compiled; tested through SparseScores
    a_key: np.ndarray, a_person: np.ndarray, b_key: np.ndarray, b_person: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every (a_person, b_person) with equal keys, a != b; both inputs sorted by key."""
    total = 0
    p = 0
    q = 0
    while p < a_key.size and q < b_key.size:
        if a_key[p] < b_key[q]:
            p += 1
        elif a_key[p] > b_key[q]:
            q += 1
        else:
            p2 = p
            while p2 < a_key.size and a_key[p2] == a_key[p]:
                p2 += 1
            q2 = q
            while q2 < b_key.size and b_key[q2] == b_key[q]:
                q2 += 1
            total += (p2 - p) * (q2 - q)
            p = p2
            q = q2
    ii = np.empty(total, dtype=np.int64)
    jj = np.empty(total, dtype=np.int64)
    t = 0
    p = 0
    q = 0
    while p < a_key.size and q < b_key.size:
        if a_key[p] < b_key[q]:
            p += 1
        elif a_key[p] > b_key[q]:
            q += 1
        else:
            p2 = p
            while p2 < a_key.size and a_key[p2] == a_key[p]:
                p2 += 1
            q2 = q
            while q2 < b_key.size and b_key[q2] == b_key[q]:
                q2 += 1
            for x in range(p, p2):
                for y in range(q, q2):
                    if a_person[x] != b_person[y]:
                        ii[t] = a_person[x]
                        jj[t] = b_person[y]
                        t += 1
            p = p2
            q = q2
    return ii[:t], jj[:t]


@njit(cache=True)
def _auction(  # pragma: no cover - compiled; covered through solve_assignment
    indptr: np.ndarray,
    indices: np.ndarray,
    benefit: np.ndarray,
    price: np.ndarray,
    col4row: np.ndarray,
    row4col: np.ndarray,
    eps0: int,
    scaling: int,
) -> int:
    n = indptr.size - 1
    neg = np.int64(_NEG)
    queue = np.empty(max(n, 1), dtype=np.int64)
    eps = np.int64(max(eps0, 1))
    bids = 0
    while True:
        for i in range(n):
            col4row[i] = -1
            row4col[i] = -1
            queue[i] = i
        head = 0
        tail = 0
        waiting = n
        while waiting > 0:
            i = queue[head]
            head += 1
            if head == n:
                head = 0
            waiting -= 1
            v1 = neg
            v2 = neg
            j1 = -1
            for e in range(indptr[i], indptr[i + 1]):
                val = benefit[e] - price[indices[e]]
                if val > v1:
                    v2 = v1
                    v1 = val
                    j1 = indices[e]
                elif val > v2:
                    v2 = val
            if j1 < 0:
                return -1  # a row without edges: no full assignment
            if v2 == neg:  # one option only: any raise will do
                v2 = v1 - eps
            price[j1] += v1 - v2 + eps
            bids += 1
            old = row4col[j1]
            row4col[j1] = i
            col4row[i] = j1
            if old >= 0:
                col4row[old] = -1
                queue[tail] = old
                tail += 1
                if tail == n:
                    tail = 0
                waiting += 1
        if eps == 1:
            return bids
        eps = max(np.int64(1), eps // scaling)


def solve_assignment(
    n: int, ia: np.ndarray, ja: np.ndarray, benefit: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum-benefit assignment of rows to columns on the edges (ia[k], ja[k]).

    ``benefit`` holds non-negative integers; every row must have an edge (the caller
    includes the diagonal).  Returns (sigma, alpha, beta): sigma[i] the column of row i,
    optimal; alpha_i + beta_j >= benefit_ij on every edge (float64, in benefit units)
    and sum(alpha) + sum(beta) < value(sigma) + 1.
    """
    b = np.asarray(benefit, dtype=np.int64)
    scale = n + 1
    mat = sp.csr_matrix(
        (b * scale + 1, (np.asarray(ia, dtype=np.int64), np.asarray(ja, dtype=np.int64))),
        shape=(n, n),
    )  # + 1: explicit entries survive even at benefit 0 (the edges must be distinct)
    mat.sort_indices()
    indptr = mat.indptr.astype(np.int64)
    indices = mat.indices.astype(np.int64)
    scaled = mat.data.astype(np.int64) - 1
    price = np.zeros(n, dtype=np.int64)
    col4row = np.full(n, -1, dtype=np.int64)
    row4col = np.full(n, -1, dtype=np.int64)
    spread = int(scaled.max() - min(int(scaled.min()), 0)) if scaled.size else 0
    if _auction(indptr, indices, scaled, price, col4row, row4col, spread // SCALING, SCALING) < 0:
        raise ValueError("no full assignment: a row has no edge")
    profit = np.maximum.reduceat(scaled - price[indices], indptr[:-1])  # rows are not empty
    return col4row, profit.astype(np.float64) / scale, price.astype(np.float64) / scale
