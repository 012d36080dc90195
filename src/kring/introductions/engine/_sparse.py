"""Scores for rounds too large for a dense n x n matrix: exact on demand, priced by structure.

Above ``SPARSE_MIN_N`` people the round never materialises the score matrix (at 50,000
people it would hold 2.5 billion pairs).  :class:`SparseScores` stands in for it:

* ``W[i, j]`` (scalars, index arrays, ``np.ix_`` grids) computes exact scores from bitsets
  of every person's tags, so the matching code reads it like the dense matrix;
* ``price(u)`` bounds ``max_j (s_ij - u_j)`` for every i over **all** n - 1 partners, which
  is what makes the round's upper bound certified (Lemma 2 of the doc needs only an upper
  bound on that maximum), and returns the most violated pairs for column generation.

How ``price`` covers every pair without visiting it (proof in docs/algorithms/introductions.md,
"Sparse rounds"): write ``s_ij = 3 c_ij + p_ij + t_ij`` with c the complementary tags both
ways, p the shared passions and ``t_ij <= tb_i = min(1, |T_i| / 2)`` the talent term.

1. Pairs with ``c_ij >= 2`` are few (about 3 % of the pairs that share any complementary
   tag); they are enumerated once by sparse products and kept with their exact score.
2. Pairs with ``c_ij = 1`` are covered by an index keyed by (the one complementary tag,
   a subset C of passions): every j files itself under each of its (tag, subset) keys, so
   for the key (x, P_i & P_j) the minimum u over the key is at most u_j, and
   ``3 + |C| + tb_i - min u`` bounds ``s_ij - u_j``.
3. Every other pair (no complementary tag) is covered the same way by an index keyed by
   passion subsets alone: ``|C| + tb_i - min u``.

Each index keeps the smallest and second smallest u per key, so i never counts itself.
People with more than ``MAX_SUBSET_TAGS`` passions would file too many subsets; their rows
and columns are priced exactly instead (vectorised over all n).  Work per pricing pass is
linear in the index sizes (about 35 entries per person), not in n^2.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import scipy.sparse as sp

from ._scoring import CAP_TALENTS, W_OFFER, W_PASSION, W_TALENT, Profile

#: Above this many people a round uses :class:`SparseScores` instead of a dense matrix.
SPARSE_MIN_N = 20_000
#: People with more passions than this are priced exactly instead of through the indexes.
MAX_SUBSET_TAGS = 6


def unique_keys(keys: np.ndarray) -> np.ndarray:
    """``np.unique`` of int64 keys by sorting (numpy 2.5's hash-based unique is about
    80 times slower on millions of keys)."""
    keys = np.sort(np.asarray(keys, dtype=np.int64).ravel())
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if keys.size else keys


def _bitsets(rows: np.ndarray, cols: np.ndarray, n: int, vocab: int) -> np.ndarray:
    words = max(1, (vocab + 63) // 64)
    bits = np.zeros((n, words), dtype=np.uint64)
    if rows.size:
        np.bitwise_or.at(
            bits, (rows, cols // 64), np.left_shift(np.uint64(1), (cols % 64).astype(np.uint64))
        )
    return bits


class _MinIndex:
    """For keys filed by people: the smallest and second smallest u per key, with who.

    ``query`` answers, for (person i, key k, value v) triples, ``v - min u`` over the people
    filed under k other than i (``-inf`` when there is nobody else), and who that is.
    """

    def __init__(self, person: np.ndarray, key: np.ndarray) -> None:
        order = np.argsort(key, kind="stable")
        self.person = person[order]
        sorted_keys = key[order]
        self.starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        self.keys = sorted_keys[self.starts]
        self.lengths = np.diff(np.r_[self.starts, sorted_keys.size])

    def _mins(self, u: np.ndarray) -> tuple[np.ndarray, ...]:
        from ._compiled import two_smallest

        return two_smallest(self.person, np.asarray(u, dtype=np.float64), self.starts, self.lengths)

    def by_u(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Everyone filed, ordered by key and then by u: (person, their u)."""
        from ._compiled import sort_segments

        return sort_segments(
            self.person, np.asarray(u, dtype=np.float64), self.starts, self.lengths
        )

    def locate(self, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos = np.minimum(np.searchsorted(self.keys, key), max(self.keys.size - 1, 0))
        found = self.keys[pos] == key if self.keys.size else np.zeros(key.size, dtype=bool)
        return pos, found

    def query(
        self,
        u: np.ndarray,
        q_person: np.ndarray,
        q_pos: np.ndarray,
        q_found: np.ndarray,
        q_value: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        if not self.keys.size:
            return np.full(q_person.size, -np.inf), np.full(q_person.size, -1)
        min1, who1, min2, who2 = self._mins(u)
        own = who1[q_pos] == q_person
        m = np.where(own, min2[q_pos], min1[q_pos])
        who = np.where(own, who2[q_pos], who1[q_pos])
        val = q_value - m
        val[~q_found | (who < 0)] = -np.inf
        return val, who


class SparseScores:
    """The score matrix of ``profiles`` without storing it (see the module docstring)."""

    sparse = True
    dtype = np.dtype(np.float64)

    def __init__(self, profiles: Sequence[Profile]) -> None:
        n = len(profiles)
        self.n = n
        self.shape = (n, n)
        vocab: list[dict[str, int]] = [{}, {}, {}]  # passions, talents, skills (O and S)
        rows: list[list[int]] = [[], [], [], []]
        cols: list[list[int]] = [[], [], [], []]
        for i, p in enumerate(profiles):
            for f, v in ((0, 0), (1, 1), (2, 2), (3, 2)):
                for t in p._norm[f]:
                    rows[f].append(i)
                    cols[f].append(vocab[v].setdefault(t, len(vocab[v])))
        r = [np.asarray(x, dtype=np.int64) for x in rows]
        c = [np.asarray(x, dtype=np.int64) for x in cols]
        sizes = [len(vocab[0]), len(vocab[1]), len(vocab[2]), len(vocab[2])]
        self._P, self._T, self._O, self._S = (_bitsets(r[f], c[f], n, sizes[f]) for f in range(4))
        self._tcount = np.bincount(r[1], minlength=n).astype(np.int64)
        self._talent_cap = np.minimum(W_TALENT * CAP_TALENTS, W_TALENT * self._tcount)
        self._weights = np.asarray([W_OFFER, W_PASSION, W_TALENT], dtype=np.float64)
        mats = [
            sp.csr_matrix((np.ones(r[f].size, np.int32), (r[f], c[f])), shape=(n, max(sizes[f], 1)))
            for f in range(4)
        ]
        pas, _tal, off, seek = mats
        self._forbidden: np.ndarray = np.zeros(0, dtype=np.int64)
        self._build_exact(off, seek)
        self._build_indexes(pas, off, seek)

    # ------------------------------------------------------------------ exact scores

    def scores(self, ia: np.ndarray, ja: np.ndarray) -> np.ndarray:
        """Exact scores of the pairs (ia[k], ja[k]) (diagonal and forbidden not masked)."""
        from ._compiled import pair_scores  # numba loads with the first large round

        ia = np.ascontiguousarray(ia, dtype=np.int64).ravel()
        ja = np.ascontiguousarray(ja, dtype=np.int64).ravel()
        return pair_scores(
            self._P, self._T, self._O, self._S, self._tcount, ia, ja, self._weights, CAP_TALENTS
        )

    def forbid(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Mark pairs as forbidden (-inf), replacing the previous set."""
        keys = [min(a, b) * self.n + max(a, b) for a, b in pairs]
        self._forbidden = unique_keys(np.asarray(keys, dtype=np.int64))

    def _is_forbidden(self, ia: np.ndarray, ja: np.ndarray) -> np.ndarray:
        if not self._forbidden.size:
            return np.zeros(ia.shape, dtype=bool)
        keys = np.minimum(ia, ja) * self.n + np.maximum(ia, ja)
        return np.isin(keys, self._forbidden)

    def __getitem__(self, index: tuple[object, object]) -> np.ndarray | np.float64:
        ia, ja = np.broadcast_arrays(np.asarray(index[0]), np.asarray(index[1]))
        flat_a = ia.ravel().astype(np.int64)
        flat_b = ja.ravel().astype(np.int64)
        out = self.scores(flat_a, flat_b)
        out[(flat_a == flat_b) | self._is_forbidden(flat_a, flat_b)] = -np.inf
        if ia.ndim == 0:
            return np.float64(out[0])
        return out.reshape(ia.shape)

    # ------------------------------------------------------------------ structure

    def _build_exact(self, off: sp.csr_matrix, seek: sp.csr_matrix) -> None:
        """Every pair sharing at least two complementary tags, with its exact score.

        Person i's items are its offers t and its seeks (vocab + t); j's mirrored items
        swap the two halves, so c_ij = |items_i & mirrored_j|.  c_ij >= 2 exactly when a
        2-subset of i's items equals a 2-subset of j's mirrored items: a join on those
        keys finds every such pair (each once per shared 2-subset, so the work follows
        the output, not n^2)."""
        from ._compiled import item_pairs, join_keys

        vocab = max(off.shape[1], 1)
        items = sp.hstack([off, seek], format="csr")
        items.sort_indices()
        indptr = items.indptr.astype(np.int64)
        indices = items.indices.astype(np.int64)
        a_person, a_key = item_pairs(indptr, indices, vocab, False)
        b_person, b_key = item_pairs(indptr, indices, vocab, True)
        oa = np.argsort(a_key, kind="stable")
        ob = np.argsort(b_key, kind="stable")
        ei, ej = join_keys(a_key[oa], a_person[oa], b_key[ob], b_person[ob])
        pairs = unique_keys(ei * self.n + ej)
        ei, ej = pairs // self.n, pairs % self.n
        w = self.scores(ei, ej)
        # by row, best first, ties by column (ej is sorted within a row: a stable sort on
        # one integer key; w is a multiple of 1/2)
        top = float(w.max()) if w.size else 0.0
        rank = np.rint(2 * (top - w)).astype(np.int64)
        order = np.argsort(ei * (int(2 * top) + 2) + rank, kind="stable")
        self._ei, self._ej, self._ew = ei[order], ej[order], w[order]
        self._e_starts = np.searchsorted(self._ei, np.arange(self.n))
        self._e_has = np.bincount(self._ei, minlength=self.n) > 0

    def _build_indexes(self, pas: sp.csr_matrix, off: sp.csr_matrix, seek: sp.csr_matrix) -> None:
        n = self.n
        subset_id: dict[tuple[int, ...], int] = {}
        sub_person: list[int] = []
        sub_key: list[int] = []
        sub_size: list[int] = []
        big: list[int] = []
        for i in range(n):
            tags = pas.indices[pas.indptr[i] : pas.indptr[i + 1]].tolist()
            if len(tags) > MAX_SUBSET_TAGS:
                big.append(i)
                continue
            tags.sort()
            for size in range(len(tags) + 1):
                for subset in combinations(tags, size):
                    sub_person.append(i)
                    sub_key.append(subset_id.setdefault(subset, len(subset_id)))
                    sub_size.append(size)
        person = np.asarray(sub_person, dtype=np.int64)
        key = np.asarray(sub_key, dtype=np.int64)
        sizes = np.asarray(sub_size, dtype=np.float64)
        self._big = np.asarray(big, dtype=np.int64)
        # Passion index: every person under every subset of their passions.
        self._pindex = _MinIndex(person, key)
        self._pq = self._queries(self._pindex, person, key, W_PASSION * sizes)
        # Complementary index: j under (x, C) for x "j seeks t" / "j offers t", C subset.
        # i asks (x, C) for x "someone seeks t" with t in O_i / "offers t" with t in S_i.
        n_sub = max(len(subset_id), 1)
        vocab = max(off.shape[1], 1)
        per_person_sub = np.bincount(person, minlength=n)
        sub_start = np.r_[0, np.cumsum(per_person_sub)[:-1]]

        def expand(items: sp.csr_matrix, kind: int) -> tuple[np.ndarray, ...]:
            counts = np.diff(items.indptr)
            owners = np.repeat(np.arange(n), counts)
            item = items.indices.astype(np.int64) + kind * vocab
            k = per_person_sub[owners]
            rep_owner = np.repeat(owners, k)
            rep_item = np.repeat(item, k)
            first = np.repeat(sub_start[owners], k)
            offset = np.arange(rep_owner.size) - np.repeat(np.cumsum(k) - k, k)
            sub = first + offset
            return rep_owner, rep_item * n_sub + key[sub], sizes[sub]

        s_owner, s_key, _ = expand(seek, 0)  # j files "seeks t" under item t
        o_owner, o_key, _ = expand(off, 1)  # j files "offers t" under item vocab + t
        self._cindex = _MinIndex(np.r_[s_owner, o_owner], np.r_[s_key, o_key])
        qo_owner, qo_key, qo_size = expand(off, 0)  # i offers t: asks who seeks t
        qs_owner, qs_key, qs_size = expand(seek, 1)  # i seeks t: asks who offers t
        self._cq = self._queries(
            self._cindex,
            np.r_[qo_owner, qs_owner],
            np.r_[qo_key, qs_key],
            W_OFFER + W_PASSION * np.r_[qo_size, qs_size],
        )

    @staticmethod
    def _queries(
        index: _MinIndex, person: np.ndarray, key: np.ndarray, value: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        order = np.argsort(person, kind="stable")
        person, key, value = person[order], key[order], value[order]
        pos, found = index.locate(key)
        starts = np.flatnonzero(np.r_[True, person[1:] != person[:-1]]) if person.size else person
        return person, pos, found, value, starts

    # ------------------------------------------------------------------ pricing

    def _row_max(self, person: np.ndarray, val: np.ndarray) -> np.ndarray:
        """Per person the largest val; ``person`` is sorted."""
        out = np.full(self.n, -np.inf)
        if person.size:
            starts = np.flatnonzero(np.r_[True, person[1:] != person[:-1]])
            out[person[starts]] = np.maximum.reduceat(val, starts)
        return out

    def _exact_rows(self, rows: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """max_j (s_ij - u_j) and its argmax over all j, for a few rows (vectorised)."""
        best = np.full(rows.size, -np.inf)
        arg = np.full(rows.size, -1, dtype=np.int64)
        everyone = np.arange(self.n)
        for t, i in enumerate(rows.tolist()):
            vals = self.scores(np.full(self.n, i), everyone) - u
            vals[i] = -np.inf
            arg[t] = int(vals.argmax())
            best[t] = vals[arg[t]]
        return best, arg

    def price(
        self, u: np.ndarray, per_row: int, tol: float, *, refine: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ii, jj, pi): up to per_row violated pairs (s_ij - u_i - u_j > tol, not
        forbidden) of every row, and pi_i >= max over all j != i of (s_ij - u_j).

        With ``refine``, every index bound above u_i is tightened by scoring the people
        of that key exactly, smallest u first, until the rest cannot exceed what was found
        (or u_i): the talent term's cap then only counts where it is real.
        """
        u = np.asarray(u, dtype=np.float64)
        cand_i: list[np.ndarray] = []
        cand_j: list[np.ndarray] = []
        # 1. exact pairs (c >= 2)
        ev = self._ew - u[self._ej]
        pi = self._row_max(self._ei, ev)
        hot = ev - u[self._ei] > tol
        cand_i.append(self._ei[hot])
        cand_j.append(self._ej[hot])
        # 2., 3. the indexes (plus the talent term's cap on i's side)
        for index, (qp, qpos, qfound, qval, starts) in (
            (self._cindex, self._cq),
            (self._pindex, self._pq),
        ):
            if not qp.size:
                continue
            val, who = index.query(u, qp, qpos, qfound, qval)
            val = val + self._talent_cap[qp]
            if refine:
                found_i, found_j = self._refine(
                    index, u, qp, qpos, qval, val, tol if np.isfinite(tol) else 1e-9
                )
                cand_i.append(found_i)
                cand_j.append(found_j)
            best = np.maximum.reduceat(val, starts)
            np.maximum.at(pi, qp[starts], best)
            hot = val - u[qp] > tol
            cand_i.append(qp[hot])
            cand_j.append(who[hot])
        # people outside the indexes: exact rows, and as columns of everyone else
        if self._big.size:
            best, arg = self._exact_rows(self._big, u)
            np.maximum.at(pi, self._big, best)
            cand_i.append(self._big)
            cand_j.append(arg)
            for j in self._big.tolist():
                col = self.scores(np.arange(self.n), np.full(self.n, j)) - u[j]
                col[j] = -np.inf
                np.maximum(pi, col, out=pi)
                hot_rows = np.flatnonzero(col - u > tol)
                cand_i.append(hot_rows)
                cand_j.append(np.full(hot_rows.size, j))
        if self.n:
            # no partner at all is never better than being alone
            pi[~np.isfinite(pi)] = 0.0
        ii = np.concatenate(cand_i)
        jj = np.concatenate(cand_j)
        return (*self._violated(ii, jj, u, per_row, tol), pi)

    def _refine(
        self,
        index: _MinIndex,
        u: np.ndarray,
        qp: np.ndarray,
        qpos: np.ndarray,
        qval: np.ndarray,
        val: np.ndarray,
        tol: float,
        max_depth: int = 48,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Tighten ``val`` (in place) for the queries above u_i; returns violated pairs.

        For query q of person i on key k, everyone j filed under k has
        s_ij - u_j <= base_q - u_j with base_q = value of the key + i's talent cap.  Walking
        the key's people by increasing u, each is scored exactly; once base_q - u_next is
        at most the best exact value found (or u_i), no one further can matter.
        """
        active = np.flatnonzero(val > u[qp] + tol)
        found_i: list[np.ndarray] = []
        found_j: list[np.ndarray] = []
        if not active.size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        person, u_sorted = index.by_u(u)
        start = index.starts[qpos[active]]
        length = index.lengths[qpos[active]]
        who_i = qp[active]
        base = qval[active] + self._talent_cap[who_i]
        best = np.full(active.size, -np.inf)
        step = np.zeros(active.size, dtype=np.int64)
        for _ in range(max_depth):
            at = start + step
            j = person[np.minimum(at, person.size - 1)]
            real = (step < length) & (j != who_i)
            if real.any():
                exact = self.scores(who_i[real], j[real]) - u_sorted[at[real]]
                best[real] = np.maximum(best[real], exact)
                hit = exact - u[who_i[real]] > tol
                found_i.append(who_i[real][hit])
                found_j.append(j[real][hit])
            step += 1
            nxt = np.where(
                step < length, u_sorted[np.minimum(start + step, u_sorted.size - 1)], np.inf
            )
            rest = base - nxt
            val[active] = np.maximum(best, rest)
            going = rest > np.maximum(best, u[who_i] + tol)
            if not going.any():
                break
            active, start, length, who_i = active[going], start[going], length[going], who_i[going]
            base, best, step = base[going], best[going], step[going]
        empty = [np.zeros(0, dtype=np.int64)]
        return np.concatenate(found_i or empty), np.concatenate(found_j or empty)

    def _violated(
        self, ii: np.ndarray, jj: np.ndarray, u: np.ndarray, per_row: int, tol: float
    ) -> tuple[np.ndarray, np.ndarray]:
        keep = (jj >= 0) & (ii != jj)
        ii, jj = ii[keep], jj[keep]
        if per_row <= 0 or not ii.size:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        red = self.scores(ii, jj) - u[ii] - u[jj]  # exact: keep the violated ones first
        keep = red > tol
        keys = unique_keys(ii[keep] * self.n + jj[keep])
        ii, jj = keys // self.n, keys % self.n
        red = self.scores(ii, jj) - u[ii] - u[jj]  # the same values, for the unique pairs
        keep = ~self._is_forbidden(ii, jj)
        ii, jj, red = ii[keep], jj[keep], red[keep]
        order = np.lexsort((jj, -red, ii))
        ii, jj = ii[order], jj[order]
        rank = np.arange(ii.size) - np.searchsorted(ii, ii)
        keep = rank < per_row
        return ii[keep], jj[keep]

    def top_k(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Good starting pairs: every row's k best exact pairs, and partners the indexes
        name."""
        rank = np.arange(self._ei.size) - self._e_starts[self._ei]
        first = rank < k
        ii, jj = self._ei[first], self._ej[first]
        # Index partners priced at a quarter of everyone's best score: good pairs with
        # people who have few good options come first (at u = 0 every key would name the
        # same person).
        best = self.price(np.zeros(self.n), 0, np.inf)[2]
        more_i, more_j, _ = self.price(best / 4, k, 0.0)
        ii, jj = np.r_[ii, more_i], np.r_[jj, more_j]
        ok = ~self._is_forbidden(ii, jj)
        return ii[ok], jj[ok]

    def trio_bound(self, u: np.ndarray) -> float:
        """An upper bound on max over triangles of sum e_ij, e_ij = s_ij - (u_i + u_j) / 2.

        e over a triangle = 1/2 sum over its vertices of their two edges in it, and each
        edge of v is at most top1(v) = max_j e_vj, so the sum is at most the three largest
        top1; top1(v) <= pi_v(u / 2) - u_v / 2 by ``price``.
        """
        if self.n < 3:
            return -np.inf
        half = np.asarray(u, dtype=np.float64) / 2
        top1 = self.price(half, 0, np.inf, refine=True)[2] - half
        return float(np.sort(top1)[-3:].sum())
