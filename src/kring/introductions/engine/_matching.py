"""Maximum-weight matching on a dense symmetric weight matrix, with a certified bound.

W[i, j] is the weight of pair {i, j}; -inf marks a forbidden pair (diagonal, blocked,
excluded).  The method (details and proofs in docs/algorithms/introductions.md):

1. *Relaxation.*  The bipartite relaxation (assignment of every person to a "partner
   column", itself allowed = unmatched) is solved exactly on a candidate edge set with
   sparse LAPJV (scipy ``min_weight_full_bipartite_matching``); optimal duals come from a
   Bellman-Ford pass on the residual graph.  Symmetrised duals y (y_i + y_j >= w_ij) are
   priced against all n^2 pairs; violated pairs join the candidates (column generation)
   until none is violated or the round cap is reached.
2. *Primal.*  The optimal assignment is a union of cycles: 2-cycles are pairs, even cycles
   split into their better alternation, odd cycles lose one vertex each.  Free vertices are
   re-matched along least-reduced-cost alternating paths (Dijkstra), then 2-opt.
3. *Bound.*  Any y >= 0 is made feasible for every pair in one dense pass
   (y' = (y + pi) / 2); sum(y') bounds every matching.
4. *Certificate.*  If the gap delta = sum(y') - weight(M) is small, an exact MIP (HiGHS) on
   the pairs with reduced cost < delta either proves M optimal or finds the optimum:
   every matching using a pair of reduced cost >= delta weighs <= sum(y') - delta.

All work is capped by deterministic iteration limits; the wall-clock ``deadline`` is only a
safety net.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import dijkstra, min_weight_full_bipartite_matching

from ._sparse import SparseScores, unique_keys

#: Large rounds stop column generation when the relaxation gains less than this share.
SPARSE_MIN_GAIN = 3e-4
_CHUNK_ELEMS = 1 << 21  # elements per row block in dense passes (8 MB of float32)


@dataclass
class MatchingResult:
    mate: list[int]  # mate[i] = j, or -1 when i is unmatched
    u: np.ndarray  # y' >= 0 with u_i + u_j >= w_ij for every finite pair
    bound: float  # >= weight of every matching of W (may be tighter than sum(u))
    optimal: bool  # weight(mate) == bound (proven optimal)
    rounds: int  # column-generation rounds
    edges: int  # candidate pairs at the end
    priced: bool  # relaxation solved to optimality over all pairs
    timed_out: bool  # the deadline cut some work short
    adjacency: list[list[int]]

    @property
    def dual(self) -> float:
        """sum(u): the dual objective; the trio bound is built on it (not on ``bound``)."""
        return float(self.u.sum())

    @property
    def pairs(self) -> list[tuple[int, int]]:
        return [(a, b) for a, b in enumerate(self.mate) if b > a]


def _chunk_rows(n: int) -> int:
    return max(1, min(n, _CHUNK_ELEMS // max(n, 1)))


def _reduced_block(W: np.ndarray, u: np.ndarray, r0: int, r1: int) -> np.ndarray:
    """w_ij - u_i - u_j for rows r0:r1 (in W's precision)."""
    uu = u.astype(W.dtype, copy=False)
    block = W[r0:r1] - uu[r0:r1, None]
    block -= uu[None, :]
    return np.asarray(block)


def price(
    W: np.ndarray, u: np.ndarray, per_row: int, tol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One dense pass.  Returns the (up to) per_row most violated pairs of every row
    (w_ij - u_i - u_j > tol; ties: lowest column) and pi_i = max_j (w_ij - u_j).
    A :class:`~._sparse.SparseScores` prices itself (pi_i is then an upper bound)."""
    if isinstance(W, SparseScores):
        return W.price(u, per_row, tol)
    n = W.shape[0]
    step = _chunk_rows(n)
    new_i: list[np.ndarray] = []
    new_j: list[np.ndarray] = []
    pi = np.empty(n)
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        red = _reduced_block(W, u, r0, r1)
        rows = np.arange(r1 - r0)
        best = red.argmax(axis=1)
        bval = red[rows, best]
        pi[r0:r1] = bval.astype(np.float64) + u[r0:r1]
        active = bval > tol
        for _ in range(per_row):
            if not active.any():
                break
            ar = rows[active]
            new_i.append(ar + r0)
            new_j.append(best[active])
            red[ar, best[active]] = -np.inf
            best = red.argmax(axis=1)
            bval = red[rows, best]
            active &= bval > tol
    if new_i:
        return np.concatenate(new_i), np.concatenate(new_j), pi
    empty = np.zeros(0, dtype=np.int64)
    return empty, empty, pi


def top_k_edges(W: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best finite entries of every row (ties: lowest column index)."""
    if isinstance(W, SparseScores):
        return W.top_k(k)
    return price(W, np.zeros(W.shape[0]), k, -np.inf)[:2]


class EdgeSet:
    """Undirected pairs without duplicates, in insertion order (deterministic): each
    ``add`` appends its new pairs in increasing key order."""

    def __init__(self, n: int) -> None:
        self.n = n
        self._chunks: list[np.ndarray] = []
        self._sorted = np.zeros(0, dtype=np.int64)
        self._size = 0

    def add(self, ii: np.ndarray, jj: np.ndarray) -> int:
        ii = np.asarray(ii, dtype=np.int64)
        jj = np.asarray(jj, dtype=np.int64)
        lo, hi = np.minimum(ii, jj), np.maximum(ii, jj)
        keep = lo != hi
        keys = unique_keys(lo[keep] * self.n + hi[keep])
        if self._sorted.size and keys.size:
            pos = np.minimum(np.searchsorted(self._sorted, keys), self._sorted.size - 1)
            keys = keys[self._sorted[pos] != keys]
        if keys.size:
            self._chunks.append(keys)
            self._sorted = np.sort(np.concatenate([self._sorted, keys]), kind="stable")
            self._size += keys.size
        return int(keys.size)

    def __len__(self) -> int:
        return self._size

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        keys = np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.int64)
        return keys // self.n, keys % self.n

    @property
    def a(self) -> list[int]:
        return [int(x) for x in self.arrays()[0]]

    @property
    def b(self) -> list[int]:
        return [int(x) for x in self.arrays()[1]]


def _assignment_duals(
    n: int, ia: np.ndarray, ja: np.ndarray, cost: np.ndarray, sigma: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Optimal duals (u, v) of a min-cost assignment: u_i + v_j <= c_ij, equality on sigma.

    v = shortest distances over columns in the residual graph (arc sigma(i) -> j of length
    c_ij - c_{i sigma(i)} >= no negative cycle since sigma is optimal; every column is a
    source at 0), by vectorised Bellman-Ford; u_i = c_{i sigma(i)} - v_{sigma(i)}.
    """
    own = np.empty(n)
    on = ja == sigma[ia]
    own[ia[on]] = cost[on]
    keep = ~on
    src = sigma[ia[keep]]
    dst = ja[keep]
    length = cost[keep] - own[ia[keep]]
    d = np.zeros(n)
    for _ in range(n + 1):
        cand = d[src] + length
        better = cand < d[dst] - 1e-12
        if not better.any():
            break
        nd = d.copy()
        np.minimum.at(nd, dst[better], cand[better])
        d = nd
    return own - d[sigma], d


def _relaxation(
    W: np.ndarray, edges: EdgeSet, tol: float, per_row: int, max_rounds: int, deadline: float
) -> tuple[np.ndarray, np.ndarray, bool, int, bool]:
    """Column generation on the bipartite relaxation.

    Returns (sigma, y, priced, rounds, timed_out): sigma an optimal assignment on the
    candidate pairs (sigma[i] == i: unmatched); y >= 0 symmetric duals, feasible on the
    candidates (and on every pair when priced); sum(y) == weight(sigma) / 2.
    """
    n = W.shape[0]
    rounds = 0
    diag = np.arange(n)
    previous = -np.inf
    ea = eb = w = np.zeros(0, dtype=np.int64)
    while True:
        all_a, all_b = edges.arrays()
        if all_a.size > ea.size:  # weigh only the pairs added since the last round
            new_a, new_b = all_a[ea.size :], all_b[ea.size :]
            w = np.concatenate([w, np.asarray(W[new_a, new_b], dtype=np.float64)])
            ea, eb = all_a, all_b
        ia = np.concatenate([ea, eb, diag])
        ja = np.concatenate([eb, ea, diag])
        if isinstance(W, SparseScores):
            # Half-integer scores: an exact auction on the integers 2w (see _compiled;
            # imported here so that loading the engine does not load numba).
            from ._compiled import solve_assignment

            twice = np.concatenate([2 * w, 2 * w, np.zeros(n)])
            sigma, alpha, beta = solve_assignment(n, ia, ja, np.rint(twice).astype(np.int64))
            y = np.maximum((alpha + beta) / 4, 0.0)  # benefits were 2w: halve twice
        else:
            big = (float(w.max()) if w.size else 0.0) + 1.0  # costs > 0: zeros are dropped
            cost = np.concatenate([big - w, big - w, np.full(n, big)])
            rows, cols = min_weight_full_bipartite_matching(sp.csr_matrix((cost, (ia, ja)), (n, n)))
            sigma = np.empty(n, dtype=np.int64)
            sigma[rows] = cols
            u, v = _assignment_duals(n, ia, ja, cost, sigma)
            # alpha_i = big/2 - u_i, beta_j = big/2 - v_j satisfy alpha_i + beta_j >= w_ij;
            # y_i = (alpha_i + beta_i) / 2 then satisfies y_i + y_j >= w_ij (W symmetric).
            y = np.maximum((big - u - v) / 2, 0.0)
        rounds += 1
        if isinstance(W, SparseScores):
            # Large rounds: stop once the relaxation gains less than SPARSE_MIN_GAIN (the
            # bound is certified by the repair either way).
            total = float(y.sum())
            if total - previous < SPARSE_MIN_GAIN * total:
                return sigma, y, False, rounds, False
            previous = total
        ii, jj, _ = price(W, y, per_row, tol)
        if not ii.size or not edges.add(ii, jj):
            return sigma, y, True, rounds, False
        if rounds >= max_rounds:
            return sigma, y, False, rounds, False
        if time.monotonic() >= deadline:
            return sigma, y, False, rounds, True


def _split_cycles(W: np.ndarray, sigma: np.ndarray) -> tuple[list[int], list[list[int]]]:
    """Pairs from the cycles of an assignment (2-cycles; the better alternation of even
    cycles).  Returns the mate array and the odd cycles (length >= 3)."""
    n = sigma.size
    idx = np.arange(n)
    two = (sigma[sigma] == idx) & (sigma != idx)  # 2-cycles are pairs, all at once
    mate_arr = np.where(two, sigma, -1)
    mate = [int(x) for x in mate_arr]
    seen = two | (sigma == idx)
    odd: list[list[int]] = []
    for s in np.flatnonzero(~seen).tolist():
        if seen[s]:
            continue
        cyc = [s]
        seen[s] = True
        j = int(sigma[s])
        while j != s:
            cyc.append(j)
            seen[j] = True
            j = int(sigma[j])
        m = len(cyc)
        if m == 1:
            continue
        if m % 2 == 1:
            odd.append(cyc)
            continue
        if isinstance(W, SparseScores):
            e = _cycle_weights(W, cyc)
            w0, w1 = float(e[0::2].sum()), float(e[1::2].sum())
        else:
            w0 = sum(float(W[cyc[t], cyc[t + 1]]) for t in range(0, m, 2))
            w1 = sum(float(W[cyc[t], cyc[(t + 1) % m]]) for t in range(1, m, 2))
        for t in range(0 if w0 >= w1 else 1, m, 2):
            a, b = cyc[t], cyc[(t + 1) % m]
            mate[a], mate[b] = b, a
    return mate, odd


def _cycle_weights(W: np.ndarray, cyc: list[int]) -> np.ndarray:
    """e[t] = W[cyc[t], cyc[t + 1]] (cyclically), in one call."""
    c = np.asarray(cyc, dtype=np.int64)
    return np.asarray(W[c, np.roll(c, -1)], dtype=np.float64)


def _repair_odd_sparse(W: SparseScores, mate: list[int], odd: list[list[int]]) -> None:
    """``_repair_odd`` with every cycle's weights fetched at once and the rotations summed
    by alternating prefix sums (long odd cycles would cost O(m^2) single lookups)."""
    for cyc in odd:
        m = len(cyc)
        e = _cycle_weights(W, cyc)  # type: ignore[arg-type]  # pair (cyc[k], cyc[k + 1]) weighs e[k]
        finite = np.isfinite(e)
        # rotation s uses pairs k = s+1, s+3, ..., s+m-2 (mod m): (m - 1) / 2 of them
        e2 = np.where(finite, e, 0.0)
        bad2 = (~finite).astype(np.int64)
        doubled = np.concatenate([e2, e2])
        bad_doubled = np.concatenate([bad2, bad2])
        alt = np.zeros(2 * m + 2)
        alt_bad = np.zeros(2 * m + 2, dtype=np.int64)
        for parity in (0, 1):
            alt[2 + parity :: 2] = np.cumsum(doubled[parity::2])
            alt_bad[2 + parity :: 2] = np.cumsum(bad_doubled[parity::2])
        first = np.arange(m) + 1
        last = first + m - 3
        tot = alt[last + 2] - alt[first]
        bad = alt_bad[last + 2] - alt_bad[first]
        tot = np.where(bad > 0, -np.inf, tot)
        best_s = int(tot.argmax()) if np.isfinite(tot).any() else 0
        for t in range(0, m - 1, 2):
            k = (best_s + 1 + t) % m
            if finite[k]:
                a, b = cyc[k], cyc[(k + 1) % m]
                mate[a], mate[b] = b, a


def _repair_odd(W: np.ndarray, mate: list[int], odd: list[list[int]]) -> None:
    """Each odd cycle: its best near-perfect matching (one vertex left free)."""
    if isinstance(W, SparseScores):
        _repair_odd_sparse(W, mate, odd)
        return
    for cyc in odd:
        m = len(cyc)
        best, best_s = -np.inf, 0
        for s in range(m):
            tot = sum(
                float(W[cyc[(s + 1 + t) % m], cyc[(s + 2 + t) % m]]) for t in range(0, m - 1, 2)
            )
            if tot > best:
                best, best_s = tot, s
        for t in range(0, m - 1, 2):
            a, b = cyc[(best_s + 1 + t) % m], cyc[(best_s + 2 + t) % m]
            if W[a, b] > -np.inf:
                mate[a], mate[b] = b, a


def complete(W: np.ndarray, mate: list[int]) -> None:
    """Pair still-free vertices greedily (in index order) with their best free partner."""
    free = [i for i in range(len(mate)) if mate[i] < 0]
    if len(free) < 2:
        return
    fidx = np.asarray(free)
    sub = W[np.ix_(fidx, fidx)].astype(np.float64)
    np.fill_diagonal(sub, -np.inf)
    alive = np.ones(len(free), dtype=bool)
    for t in range(len(free)):
        if not alive[t]:
            continue
        row = np.where(alive, sub[t], -np.inf)
        row[t] = -np.inf
        j = int(row.argmax())
        if row[j] == -np.inf:
            continue
        alive[t] = alive[j] = False
        a, b = free[t], free[j]
        mate[a], mate[b] = b, a


def improve(
    W: np.ndarray, mate: list[int], adjacency: list[list[int]], deadline: float, sweeps: int = 4
) -> int:
    """2-opt on the candidate adjacency: re-pair (a,b),(c,d) as (a,c),(b,d) when that
    gains weight; pair two free neighbours.  At most `sweeps` passes.  Returns moves."""
    moves = 0
    for _ in range(sweeps):
        improved = False
        for a in range(len(mate)):
            row_a = W[a]
            for c in adjacency[a]:
                b, d = mate[a], mate[c]
                if c == b:
                    continue
                wac = float(row_a[c])
                if wac == -np.inf:
                    continue
                if b < 0 and d < 0:
                    mate[a], mate[c] = c, a
                    moves += 1
                    improved = True
                    break
                if b < 0 or d < 0:
                    continue
                gain = wac + float(W[b, d]) - float(row_a[b]) - float(W[c, d])
                if gain > 1e-9:
                    mate[a], mate[c], mate[b], mate[d] = c, a, d, b
                    moves += 1
                    improved = True
                    break
        if not improved or time.monotonic() >= deadline:
            break
    return moves


def _augment(
    W: np.ndarray,
    u: np.ndarray,
    mate: list[int],
    ea: np.ndarray,
    eb: np.ndarray,
    deadline: float,
    rounds: int = 8,
) -> int:
    """Re-match free vertices along alternating paths of least reduced cost.

    With r_e = u_i + u_j - w_e >= 0, an alternating path f ~ g between free vertices gains
    u_f + u_g - r(non-matched edges) + r(matched edges).  Shortest paths in the even/odd
    doubled graph (Dijkstra) propose paths; each is checked to be simple and its exact gain
    recomputed before it is applied.
    """
    n = W.shape[0]
    applied = 0
    r = np.maximum(u[ea] + u[eb] - W[ea, eb].astype(np.float64), 0.0) + 1e-7
    for rnd in range(rounds):
        free = [i for i in range(n) if mate[i] < 0 and u[i] > 1e-9]
        if len(free) < 2 or time.monotonic() >= deadline:
            break
        mt = np.asarray(mate)
        nonm = mt[ea] != eb
        src = np.concatenate([ea[nonm], eb[nonm]])
        dst = np.concatenate([eb[nonm], ea[nonm]]) + n
        wt = np.concatenate([r[nonm], r[nonm]])
        matched = np.flatnonzero(mt >= 0)
        src = np.concatenate([src, matched + n])
        dst = np.concatenate([dst, mt[matched]])
        wt = np.concatenate([wt, np.full(matched.size, 1e-7)])
        g = sp.csr_matrix((wt, (src, dst)), shape=(2 * n, 2 * n))
        fr = np.asarray(free)
        # a path longer than u_f + u_g gains nothing: no need to search beyond the largest
        limit = 2 * float(u[fr].max()) + 1e-6
        options: list[tuple[float, int, int, int]] = []
        if isinstance(W, SparseScores):
            # Large rounds: two searches from half of the free vertices each (a
            # shortest-path forest: every free vertex of the other half is proposed to its
            # nearest root), instead of one search per free vertex.  Halves differ by round.
            bit = rnd % max(1, (len(free) - 1).bit_length())
            side = (np.arange(fr.size) >> bit) & 1
            forests = []
            for part in (0, 1):
                sources, targets = fr[side == part], fr[side != part]
                if not sources.size or not targets.size:
                    continue
                dist1, pred1, root = dijkstra(
                    g,
                    directed=True,
                    indices=sources,
                    return_predecessors=True,
                    limit=limit,
                    min_only=True,
                )
                reach = root[targets + n]
                ok = reach >= 0
                gains = np.where(
                    ok, u[np.maximum(reach, 0)] + u[targets] - dist1[targets + n], -np.inf
                )
                for k in np.flatnonzero(gains > 1e-9).tolist():
                    options.append((-float(gains[k]), int(reach[k]), int(targets[k]), len(forests)))
                forests.append(pred1)
            pred = np.asarray(forests) if forests else np.zeros((0, 2 * n), dtype=np.int32)
        else:
            dist, pred = dijkstra(
                g, directed=True, indices=free, return_predecessors=True, limit=limit
            )
            for t, f in enumerate(free):
                gains = u[f] + u[fr] - dist[t, fr + n]
                for k in np.flatnonzero((gains > 1e-9) & (fr != f)).tolist():
                    options.append((-float(gains[k]), f, int(fr[k]), t))
        if not options:
            break
        options.sort()
        used = np.zeros(n, dtype=bool)
        changed = False
        for _g, f, g_, t in options:
            if used[f] or used[g_]:
                continue
            path = []
            node = g_ + n
            while node != f and node >= 0:
                path.append(node)
                node = int(pred[t, node])
            if node < 0:
                continue
            path.append(f)
            verts = [v % n for v in reversed(path)]
            if len(set(verts)) != len(verts) or used[verts].any():
                continue
            gain = 0.0
            for k in range(len(verts) - 1):
                wv = float(W[verts[k], verts[k + 1]])
                gain += wv if k % 2 == 0 else -wv
            if not gain > 1e-9:
                continue
            for k in range(0, len(verts) - 1, 2):
                a, b = verts[k], verts[k + 1]
                mate[a], mate[b] = b, a
            used[verts] = True
            applied += 1
            changed = True
        if not changed:
            break
    return applied


def edges_below(
    W: np.ndarray, u: np.ndarray, delta: float, cap: int
) -> tuple[np.ndarray, np.ndarray, float]:
    """Every pair i < j with reduced cost u_i + u_j - w_ij < delta; if more than `cap`,
    delta is lowered until at most cap remain.  Returns (i, j, delta used)."""
    n = W.shape[0]
    step = _chunk_rows(n)
    ii: list[np.ndarray] = []
    jj: list[np.ndarray] = []
    rr: list[np.ndarray] = []
    held = 0
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        red = -_reduced_block(W, u, r0, r1).astype(np.float64)
        a, b = np.nonzero(red < delta)
        up = b > a + r0
        a, b = a[up], b[up]
        ii.append(a + r0)
        jj.append(b)
        rr.append(red[a, b])
        held += a.size
        if held > 4 * cap:
            r = np.concatenate(rr)
            delta = float(np.partition(r, cap)[cap])
            keep = r < delta
            ii, jj, rr = [np.concatenate(ii)[keep]], [np.concatenate(jj)[keep]], [r[keep]]
            held = int(keep.sum())
    i = np.concatenate(ii).astype(np.int64)
    j = np.concatenate(jj).astype(np.int64)
    r = np.concatenate(rr)
    if r.size > cap:
        delta = float(np.partition(r, cap)[cap])
        keep = r < delta
        i, j = i[keep], j[keep]
    return i, j, delta


def exact_on_edges(
    n: int, ea: np.ndarray, eb: np.ndarray, w: np.ndarray, time_limit: float, nodes: int = 2000
) -> tuple[list[int] | None, float, bool]:
    """Maximum-weight matching on a sparse edge set by HiGHS MIP.
    Returns (mate or None, value, proven optimal)."""
    m = ea.size
    if m == 0:
        return [-1] * n, 0.0, True
    A = sp.csr_matrix(
        (np.ones(2 * m), (np.concatenate([ea, eb]), np.concatenate([np.arange(m)] * 2))),
        shape=(n, m),
    )
    res = milp(
        -w,
        constraints=LinearConstraint(A, -np.inf, 1),
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
        options={"time_limit": max(time_limit, 0.05), "node_limit": nodes, "disp": False},
    )
    if res.x is None:
        return None, -np.inf, False
    chosen = res.x > 0.5
    mate = [-1] * n
    for e in np.flatnonzero(chosen).tolist():
        a, b = int(ea[e]), int(eb[e])
        mate[a], mate[b] = b, a
    return mate, float(w[chosen].sum()), res.status == 0


def matching_weight(W: np.ndarray, mate: list[int]) -> float:
    if isinstance(W, SparseScores):
        a, b = _mate_edges(mate)
        return float(np.asarray(W[a, b], dtype=np.float64).sum())
    return float(sum(float(W[a, b]) for a, b in enumerate(mate) if b > a))


def dual_bound(W: np.ndarray, u: np.ndarray, passes: int = 1) -> tuple[float, np.ndarray]:
    """A certified bound from any u >= 0 (feasible or not).

    pi_i = max(0, max_j w_ij - u_j);  u' = (u + pi) / 2 satisfies u'_i + u'_j >= w_ij for
    every pair, so sum(u') bounds every matching.  Repeated `passes` times, the best kept.
    float32 matrices add a rounding margin (n * 16 * eps32 * scale).
    """
    cur = np.maximum(u, 0.0)
    best, best_u = np.inf, cur
    for _ in range(passes):
        if isinstance(W, SparseScores):
            pi = W.price(cur, 0, np.inf, refine=True)[2]
        else:
            pi = price(W, cur, 0, np.inf)[2]
        margin = 0.0
        if W.dtype != np.float64:
            scale = max(1.0, float(np.abs(pi[np.isfinite(pi)]).max(initial=0)), float(cur.max()))
            margin = 16 * float(np.finfo(np.float32).eps) * scale
        cur = (cur + np.maximum(pi + margin, 0.0)) / 2
        b = float(cur.sum())
        if b < best:
            best, best_u = b, cur
    return best, best_u


def trio_correction(W: np.ndarray, u: np.ndarray, k: int = 10) -> float:
    """An upper bound on max over triangles T of sum_{ij in T} e_ij, e_ij = w_ij - (u_i+u_j)/2.

    Two estimates, the smaller is returned (-inf if there is no triangle):

    * With top2(v) the sum of v's two largest e: sum_T e = 1/2 sum_{v in T} (v's two edges
      in T) <= 1/2 (three largest top2); and sum_T e <= top2(a) + max e.
    * (float64 only) Candidates = the k largest e of every row; kth(v) = v's k-th largest.
      A triangle whose three pairs are candidates is evaluated exactly (enumeration with
      pruning); one with a non-candidate pair (a, b) has e_ab <= kth(a), so its sum is
      <= max_a (kth(a) + top1(a)) + max top1.
    """
    if isinstance(W, SparseScores):
        return W.trio_bound(u)
    n = W.shape[0]
    if n < 3:
        return -np.inf
    step = _chunk_rows(n)
    kk = min(max(k, 2), n - 1)
    vals = np.full((n, kk), -np.inf)
    idx = np.zeros((n, kk), dtype=np.int64)
    half = u / 2
    for r0 in range(0, n, step):
        r1 = min(n, r0 + step)
        e = _reduced_block(W, half, r0, r1).astype(np.float64)
        rows = np.arange(r1 - r0)
        for t in range(kk):
            j = e.argmax(axis=1)
            vals[r0:r1, t] = e[rows, j]
            idx[r0:r1, t] = j
            e[rows, j] = -np.inf
    top1 = vals[:, 0]
    top2 = vals[:, 0] + vals[:, 1]
    ok = np.isfinite(top2)
    if ok.sum() < 3:
        return -np.inf
    three = np.sort(top2[ok])[-3:]
    estimate = float(min(three.sum() / 2, top2[ok].max() + top1[ok].max()))
    if W.dtype != np.float64:
        margin = (
            64
            * float(np.finfo(np.float32).eps)
            * max(1.0, float(np.abs(top1[ok]).max()), float(u.max()))
        )
        return estimate + margin
    max_top1 = float(top1[np.isfinite(top1)].max())
    kth = vals[:, kk - 1]
    with np.errstate(invalid="ignore"):
        b_bound = float(np.max(np.where(np.isfinite(kth), kth + top1, -np.inf))) + max_top1
    nbrs: list[dict[int, float]] = [{} for _ in range(n)]
    for a in range(n):
        for t in range(kk):
            v = float(vals[a, t])
            if v == -np.inf:
                break
            b = int(idx[a, t])
            nbrs[a][b] = v
            nbrs[b][a] = v
    edges = sorted(((v, a, b) for a in range(n) for b, v in nbrs[a].items() if a < b), reverse=True)
    best = -np.inf
    for v, a, b in edges:
        if v + 2 * max_top1 <= best:
            break
        na, nb = nbrs[a], nbrs[b]
        if len(na) > len(nb):
            na, nb = nb, na
        for c, vac in na.items():
            vbc = nb.get(c)
            if vbc is not None and c != a and c != b:
                best = max(best, v + vac + vbc)
    return float(min(estimate, max(best, b_bound)))


def solve_matching(
    W: np.ndarray,
    *,
    deadline: float,
    k_init: int = 6,
    per_row: int = 6,
    max_rounds: int | None = None,
    certify_edges: int = 1500,
    tol: float | None = None,
) -> MatchingResult:
    """Maximum-weight matching of the symmetric matrix W (-inf = forbidden).

    Deterministic for a given W unless the deadline is hit (then ``timed_out``).
    """
    n = W.shape[0]
    empty = MatchingResult([-1] * n, np.zeros(n), 0.0, True, 0, 0, True, False, [])
    if n < 2:
        return empty
    if tol is None and isinstance(W, SparseScores):
        tol = 1e-6  # exact half-integer scores; duals are float64
    if tol is None:
        tol = 1e-9 if W.dtype == np.float64 else 1e-4
        sample = W[:: max(1, n // 256)]
        finite_rows = np.isfinite(sample)
        if finite_rows.any():
            tol *= max(1.0, float(np.abs(sample[finite_rows]).max()))
    edges = EdgeSet(n)
    edges.add(*top_k_edges(W, k_init))
    if not len(edges):
        return empty
    if max_rounds is None:
        max_rounds = 12 if n <= 4096 or isinstance(W, SparseScores) else 3
    sigma, y, priced, rounds, timed_out = _relaxation(W, edges, tol, per_row, max_rounds, deadline)
    mate, odd = _split_cycles(W, sigma)
    adjacency: list[list[int]] = [[] for _ in range(n)]
    all_a, all_b = edges.arrays()
    for a, b in zip(all_a.tolist(), all_b.tolist(), strict=True):
        adjacency[a].append(b)
        adjacency[b].append(a)
    bound, u = dual_bound(W, y, passes=1 if priced else 2)
    exact_relaxation = priced and not odd
    if not exact_relaxation:
        _repair_odd(W, mate, odd)
        ea, eb = edges.arrays()
        _augment(W, y, mate, ea, eb, deadline)
        complete(W, mate)
        if n <= 4096 and not isinstance(W, SparseScores):  # above, 2-opt found nothing
            improve(W, mate, adjacency, deadline)
        complete(W, mate)
    value = matching_weight(W, mate)
    exact64 = W.dtype == np.float64
    optimal = exact_relaxation and exact64
    if optimal:
        bound = value  # weight(M) == sum(y) == LP optimum
    elif priced and exact64 and not isinstance(W, SparseScores) and time.monotonic() < deadline:
        total_u = float(u.sum())
        ia, ja, delta = edges_below(W, u, total_u - value, cap=certify_edges)
        both = EdgeSet(n)
        both.add(ia, ja)
        both.add(*_mate_edges(mate))
        ea, eb = both.arrays()
        if ea.size <= certify_edges + n // 2:
            mip_mate, mip_value, proven = exact_on_edges(
                n, ea, eb, W[ea, eb].astype(np.float64), deadline - time.monotonic()
            )
            if mip_mate is not None and mip_value > value + 1e-9:
                mate, value = mip_mate, mip_value
            if proven:
                # every matching weighs <= max(best on E_delta, sum(u') - delta)
                bound = min(bound, max(mip_value, total_u - delta))
                optimal = value >= bound - 1e-9
    if time.monotonic() >= deadline:
        timed_out = True
    return MatchingResult(
        mate=mate,
        u=u,
        bound=bound,
        optimal=optimal,
        rounds=rounds,
        edges=len(edges),
        priced=priced,
        timed_out=timed_out,
        adjacency=adjacency,
    )


def _mate_edges(mate: list[int]) -> tuple[np.ndarray, np.ndarray]:
    a = [i for i, j in enumerate(mate) if j > i]
    return np.asarray(a, dtype=np.int64), np.asarray([mate[i] for i in a], dtype=np.int64)
