"""One round of introductions: pairs (and one trio when the count is odd).

Objective, lexicographic (see docs/algorithms/introductions.md):
  1. place as many people as possible (blocked pairs are never grouped);
  2. as few repeated pairs (pairs that met before) as possible;
  3. repeats as old as possible (smallest sum of recency ranks);
  4. the largest total score.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np
from threadpoolctl import threadpool_limits

from ._matching import complete, solve_matching, trio_correction
from ._scoring import Profile, Score, ScoreMatrix, score
from ._sparse import SPARSE_MIN_N, SparseScores

#: Up to this many people a round is solved exactly by dynamic programming.
EXACT_MAX_N = 10
#: Safety net on wall-clock time; normal work is bounded by deterministic iteration caps.
DEFAULT_TIME_BUDGET = 30.0
#: Above this many people the score matrix is float32 (4 bytes a pair) instead of float64.
FLOAT64_MAX_N = 4096


@dataclass(frozen=True, slots=True)
class Group[K: Hashable]:
    """A pair or the one trio.  ``score`` is the sum of its pair scores (a trio: three)."""

    members: tuple[K, ...]
    score: float
    reasons: tuple[str, ...]
    #: (a, b, score(profiles[a], profiles[b])) for every pair inside the group, for
    #: rendering translated reasons from ``Score.details``.
    pairs: tuple[tuple[K, K, Score], ...] = ()


@dataclass(frozen=True, slots=True)
class Round[K: Hashable]:
    groups: list[Group[K]]
    total: float
    #: Certified: no valid grouping of this round scores more (see the doc for the proof).
    upper_bound: float
    #: People who could not be placed without a blocked pair.
    unmatched: tuple[K, ...] = ()
    #: Pairs inside groups that had met before (only when unavoidable).
    repeats: tuple[frozenset[K], ...] = ()
    #: total == upper_bound: proven optimal.
    optimal: bool = False
    #: The time budget cut optional improvement short (results may then vary with load).
    timed_out: bool = False


def canonical_order[K: Hashable](keys: Iterable[K], seed: int) -> list[K]:
    """Keys sorted (by value, else by type name and repr), then shuffled by the seed."""
    keys = list(keys)
    try:
        ordered = sorted(keys)  # type: ignore[type-var]
    except TypeError:
        ordered = sorted(keys, key=lambda k: (type(k).__name__, repr(k)))
    perm = np.random.default_rng(seed).permutation(len(ordered))
    return [ordered[i] for i in perm.tolist()]


def _index_pairs[K: Hashable](
    coll: Iterable[Collection[K]], index: Mapping[K, int], what: str
) -> list[tuple[tuple[int, int], object]]:
    out: list[tuple[tuple[int, int], object]] = []
    for group in coll:
        if isinstance(group, str | bytes) or not isinstance(group, Collection):
            raise ValueError(f"{what}: expected frozensets of people, got {group!r}")
        members = set(group)
        if len(members) < 2:
            raise ValueError(f"{what}: every entry must name at least two people, got {group!r}")
        idx = sorted(index[m] for m in members if m in index)
        for a, b in combinations(idx, 2):
            out.append(((a, b), group))
    return out


def _met_ranks[K: Hashable](
    met: Iterable[Collection[K]],
    last_met: Mapping[frozenset[K], int] | None,
    index: Mapping[K, int],
) -> dict[tuple[int, int], int]:
    """Pair -> recency rank: 0 = met, date unknown (treated as oldest); 1.. = by last_met."""
    when: dict[tuple[int, int], int | None] = {}
    for p, _ in _index_pairs(met, index, "met"):
        when.setdefault(p, None)
    if last_met:
        for p, group in _index_pairs(last_met.keys(), index, "last_met"):
            v = last_met[group]  # type: ignore[index]
            old = when.get(p)
            when[p] = v if old is None else max(old, v)
    values = sorted({v for v in when.values() if v is not None})
    rank = {v: r + 1 for r, v in enumerate(values)}
    return {p: (0 if v is None else rank[v]) for p, v in when.items()}


# --------------------------------------------------------------------------- exact


def _exact(
    n: int,
    S: np.ndarray,
    blocked: set[tuple[int, int]],
    met_rank: dict[tuple[int, int], int],
) -> list[tuple[int, ...]]:
    """Lexicographically optimal grouping by DP over subsets (n <= EXACT_MAX_N)."""

    def rep(i: int, j: int) -> tuple[int, int]:
        r = met_rank.get((i, j) if i < j else (j, i))
        return (0, 0) if r is None else (1, r)

    @cache
    def best(
        mask: int, trio_ok: bool
    ) -> tuple[tuple[int, int, int, float], tuple[tuple[int, ...], ...]]:
        if mask == 0:
            return (0, 0, 0, 0.0), ()
        i = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << i)
        cand = best(rest, trio_ok)  # i left out
        js = [j for j in range(i + 1, n) if rest >> j & 1 and (i, j) not in blocked]
        for j in js:
            k, g = best(rest & ~(1 << j), trio_ok)
            r, rk = rep(i, j)
            key = (k[0] + 2, k[1] - r, k[2] - rk, k[3] + float(S[i, j]))
            if key > cand[0]:
                cand = (key, ((i, j), *g))
        if trio_ok:
            for t, j in enumerate(js):
                for m in js[t + 1 :]:
                    if (j, m) in blocked:
                        continue
                    k, g = best(rest & ~(1 << j) & ~(1 << m), False)
                    reps = (rep(i, j), rep(i, m), rep(j, m))
                    key = (
                        k[0] + 3,
                        k[1] - sum(x for x, _ in reps),
                        k[2] - sum(y for _, y in reps),
                        k[3] + float(S[i, j] + S[i, m] + S[j, m]),
                    )
                    if key > cand[0]:
                        cand = (key, ((i, j, m), *g))
        return cand

    return list(best((1 << n) - 1, True)[1])


# --------------------------------------------------------------------------- general


def _improve_lex(
    Wc: np.ndarray, S: np.ndarray, mate: list[int], adjacency: list[list[int]], sweeps: int = 4
) -> None:
    """2-opt accepting a move when it raises the structure weight Wc, or keeps it and
    raises the score S."""
    for _ in range(sweeps):
        improved = False
        for a in range(len(mate)):
            for c in adjacency[a]:
                b, d = mate[a], mate[c]
                if c == b or b < 0 or d < 0:
                    continue
                dc = float(Wc[a, c]) + float(Wc[b, d]) - float(Wc[a, b]) - float(Wc[c, d])
                if dc < 0 or not np.isfinite(dc):
                    continue
                ds = float(S[a, c]) + float(S[b, d]) - float(S[a, b]) - float(S[c, d])
                if dc > 0 or ds > 1e-9:
                    mate[a], mate[c], mate[b], mate[d] = c, a, d, b
                    improved = True
                    break
        if not improved:
            break


def _mate_key(
    mate: list[int], W: np.ndarray, met_rank: dict[tuple[int, int], int]
) -> tuple[int, int, int, float]:
    placed = reps = rec = 0
    sc = 0.0
    for a, b in enumerate(mate):
        if b > a:
            placed += 2
            r = met_rank.get((a, b))
            if r is not None:
                reps += 1
                rec += r
            sc += float(W[a, b])
    return placed, -reps, -rec, sc


def _lex_weights(
    W: np.ndarray, met_rank: dict[tuple[int, int], int], blocked: set[tuple[int, int]]
) -> tuple[np.ndarray, float]:
    """Weights whose maximum matchings are lexicographically best: most people placed,
    then fewest repeats, then oldest repeats, then most score.

    w = A - [met] * (B + Q * rank) + s, with Q > any total score, B > any total recency
    term, A > everything else.  Exact while the magnitudes fit float64 (2^50); beyond that
    recency is dropped, and in float32 (n > FLOAT64_MAX_N) score as well (documented)."""
    n = W.shape[0]
    half = n // 2 + 1
    finite = W[np.isfinite(W)]
    smax = float(finite.max()) if finite.size else 0.0
    ranks = max(met_rank.values(), default=0)
    if W.dtype == np.float32:
        Q, R, S = 0, 0, False
    else:
        Q, R, S = int(half * smax) + 1, ranks, True
        if half * half * (half * R * Q + Q) * 4 > 2**50:
            R = 0
    B = half * R * Q + max(Q, 1)
    A = half * (B + R * Q) + B
    Wc = np.where(np.isfinite(W), W + A if S else A, -np.inf).astype(W.dtype)
    for (i, j), r in met_rank.items():
        if (i, j) not in blocked:
            Wc[i, j] = Wc[j, i] = A - B - Q * (r if R else 0) + (W[i, j] if S else 0)
    tol = max(1e-9, 8 * float(np.finfo(np.float64).eps) * (A * 2))
    return Wc, tol


def _general(
    sm: ScoreMatrix,
    blocked: set[tuple[int, int]],
    met_rank: dict[tuple[int, int], int],
    deadline: float,
) -> tuple[list[tuple[int, ...]], float, bool]:
    """Returns (groups, upper bound, timed_out)."""
    n = sm.n
    dtype = np.float64 if n <= FLOAT64_MAX_N else np.float32
    W = sm.dense(dtype)
    np.fill_diagonal(W, -np.inf)
    for i, j in blocked:
        W[i, j] = W[j, i] = -np.inf
    saved: dict[tuple[int, int], float] = {}
    for i, j in met_rank:
        if (i, j) not in blocked:
            saved[(i, j)] = float(W[i, j])
            W[i, j] = W[j, i] = -np.inf
    # Phase 1: best grouping without any repeat.
    res = solve_matching(W, deadline=deadline)
    mate = res.mate
    complete(W, mate)
    timed_out = res.timed_out
    bound_w, bound_u, bound, dual = W, res.u, res.bound, res.dual
    free = [i for i in range(n) if mate[i] < 0]
    # Restore met pairs: from here on W is the allowed graph (blocked excluded).
    for (i, j), v in saved.items():
        W[i, j] = W[j, i] = v
    if len(free) >= 2:
        # Phase 2: someone is left over: lexicographic weights over the allowed graph
        # (placement >> repeats >> recency >> score), see the doc.
        Wc, tol = _lex_weights(W, met_rank, blocked)
        res_c = solve_matching(Wc, deadline=deadline, certify_edges=0, tol=tol)
        timed_out |= res_c.timed_out
        mate_c = res_c.mate
        complete(Wc, mate_c)
        adjacency = [
            sorted(set(x) | set(y))
            for x, y in zip(res.adjacency or [[]] * n, res_c.adjacency or [[]] * n, strict=True)
        ]
        _improve_lex(Wc, W, mate_c, adjacency)
        if _mate_key(mate_c, W, met_rank) > _mate_key(mate, W, met_rank):
            mate = mate_c
        del Wc
    groups: list[tuple[int, ...]] = [(a, b) for a, b in enumerate(mate) if b > a]
    free = [i for i in range(n) if mate[i] < 0]
    trio = _attach(W, groups, free, blocked, met_rank)
    if trio is None and free:
        trio = _attach_by_swap(W, groups, free, blocked, met_rank)
    if trio is not None:
        for g, new in trio:
            groups[g] = new
        if n <= FLOAT64_MAX_N:
            for i, j in saved:  # repeat-free moves only
                W[i, j] = W[j, i] = -np.inf
            _improve_trio(W, groups)
            for (i, j), v in saved.items():
                W[i, j] = W[j, i] = v
    repeats = _fix_repeats(W, groups, blocked, met_rank) > 0
    everyone = sum(len(g) for g in groups) == n
    if repeats or not everyone:
        # The repeat-free bound covers only repeat-free groupings; that is the valid set
        # only when the round itself places everyone without a repeat.  Otherwise bound
        # over every non-blocked grouping.
        bres = solve_matching(W, deadline=deadline, certify_edges=0)
        bound_w, bound_u, bound, dual = W, bres.u, bres.bound, bres.dual
        timed_out |= bres.timed_out
    elif bound_w is W and saved:
        # W now holds met pairs again; the phase-1 bound (no repeats) stays valid
        for i, j in saved:
            W[i, j] = W[j, i] = -np.inf
    if n % 2 == 1 or trio is not None:
        # pairs on V - T weigh <= sum(u) - u(T), so total <= sum(u) + max_T (t(T) - u(T))
        bound = max(bound, dual + max(0.0, trio_correction(bound_w, bound_u)))
    return groups, bound, timed_out


def _general_sparse(
    plist: list[Profile],
    blocked: set[tuple[int, int]],
    met_rank: dict[tuple[int, int], int],
    deadline: float,
) -> tuple[list[tuple[int, ...]], float, bool]:
    """Large rounds (n >= SPARSE_MIN_N) without an n x n matrix; see ``_sparse``.

    The same matching machinery on :class:`SparseScores`: phase 1 without repeats, free
    people then paired allowing old pairs (never blocked ones), the trio, the repeat
    repair.  The bound is taken over every pair, blocked and met ones included: a
    relaxation of the round's constraints, so valid whatever the round achieved.
    """
    n = len(plist)
    W = SparseScores(plist)
    W.forbid([*blocked, *met_rank])
    res = solve_matching(W, deadline=deadline, certify_edges=0)  # type: ignore[arg-type]  # SparseScores answers the dense matrix's lookups
    mate = res.mate
    complete(W, mate)  # type: ignore[arg-type]  # SparseScores answers the dense matrix's lookups
    W.forbid(list(blocked))
    if sum(1 for b in mate if b < 0) >= 2:
        complete(W, mate)  # type: ignore[arg-type]  # whoever met everyone left: the least bad pairs, blocked never
    groups: list[tuple[int, ...]] = [(a, b) for a, b in enumerate(mate) if b > a]
    free = [i for i in range(n) if mate[i] < 0]
    trio = _attach(W, groups, free, blocked, met_rank)  # type: ignore[arg-type]  # SparseScores answers the dense matrix's lookups
    if trio is None and free:
        trio = _attach_by_swap(W, groups, free, blocked, met_rank)  # type: ignore[arg-type]  # SparseScores answers the dense matrix's lookups
    if trio is not None:
        for g, new in trio:
            groups[g] = new
    if met_rank:
        _fix_repeats(W, groups, blocked, met_rank)  # type: ignore[arg-type]  # SparseScores answers the dense matrix's lookups
    bound = res.bound
    if n % 2 == 1 or trio is not None:
        bound = max(bound, res.dual + max(0.0, trio_correction(W, res.u)))  # type: ignore[arg-type]  # SparseScores answers the dense matrix's lookups
    return groups, bound, res.timed_out


def _improve_trio(W: np.ndarray, groups: list[tuple[int, ...]], passes: int = 3) -> None:
    """Re-choose the trio's third person: y leaves its pair (y, z), the current third x pairs
    with z, and y joins the pair where it adds most.  Only moves with finite weights (no
    blocked pair and, as W is passed, no repeat) and a positive gain are made."""
    for _ in range(passes):
        ti = next((k for k, g in enumerate(groups) if len(g) == 3), None)
        if ti is None:
            return
        a, b, x = groups[ti]
        pair_idx = [k for k, g in enumerate(groups) if len(g) == 2]
        if not pair_idx:
            return
        pa = np.asarray([groups[k][0] for k in pair_idx] + [a], dtype=np.int64)
        pb = np.asarray([groups[k][1] for k in pair_idx] + [b], dtype=np.int64)
        m = pa.size
        ys = np.concatenate([pa[:-1], pb[:-1]])
        zs = np.concatenate([pb[:-1], pa[:-1]])
        own = np.concatenate([np.arange(m - 1), np.arange(m - 1)])
        attach = W[np.ix_(ys, pa)].astype(np.float64) + W[np.ix_(ys, pb)]
        attach[np.arange(ys.size), own] = -np.inf
        col = attach.argmax(axis=1)
        best_attach = attach[np.arange(ys.size), col]
        current = float(W[a, x]) + float(W[b, x])
        with np.errstate(invalid="ignore"):
            gain = W[x, zs].astype(np.float64) - W[ys, zs] + best_attach - current
        gain[~np.isfinite(gain)] = -np.inf
        k = int(gain.argmax())
        if not gain[k] > 1e-9:
            return
        y, z, c = int(ys[k]), int(zs[k]), int(col[k])
        groups[pair_idx[own[k]]] = (x, z)
        if c == m - 1:  # y joins the old trio's base pair
            groups[ti] = (a, b, y)
        else:
            groups[ti] = (a, b)
            groups[pair_idx[c]] = (int(pa[c]), int(pb[c]), y)


def _group_cost(
    g: tuple[int, ...],
    W: np.ndarray,
    blocked: set[tuple[int, int]],
    met_rank: dict[tuple[int, int], int],
) -> tuple[int, int, int, float]:
    """(blocked pairs, repeats, recency sum, -score) of a group; smaller is better."""
    nb = nr = rk = 0
    sc = 0.0
    for a, b in combinations(g, 2):
        p = (a, b) if a < b else (b, a)
        if p in blocked:
            nb += 1
        r = met_rank.get(p)
        if r is not None:
            nr += 1
            rk += r
        sc += float(W[a, b])
    return nb, nr, rk, -sc


def _fix_repeats(
    W: np.ndarray,
    groups: list[tuple[int, ...]],
    blocked: set[tuple[int, int]],
    met_rank: dict[tuple[int, int], int],
    max_passes: int = 10,
    max_work: int = 300_000,
) -> int:
    """Swap two people between a group with a repeat and any other group when that lowers
    (repeats, recency) without creating a blocked pair; best score among such swaps.
    Afterwards no single swap reduces the repeats (unless the deterministic work cap of
    `max_work` group pairs was reached).  Returns the number of groups with a repeat."""

    def has_repeat(g: tuple[int, ...]) -> bool:
        return any(((a, b) if a < b else (b, a)) in met_rank for a, b in combinations(g, 2))

    work = 0
    for _ in range(max_passes):
        changed = False
        for gi in range(len(groups)):
            g = groups[gi]
            if not has_repeat(g):
                continue
            best = None
            for hi in range(len(groups)):
                work += 1
                if hi == gi or work > max_work:
                    continue
                h = groups[hi]
                old = [
                    sum(x)
                    for x in zip(
                        _group_cost(g, W, blocked, met_rank)[:3],
                        _group_cost(h, W, blocked, met_rank)[:3],
                        strict=True,
                    )
                ]
                for x in range(len(g)):
                    for y in range(len(h)):
                        g2 = (*g[:x], h[y], *g[x + 1 :])
                        h2 = (*h[:y], g[x], *h[y + 1 :])
                        cg = _group_cost(g2, W, blocked, met_rank)
                        ch = _group_cost(h2, W, blocked, met_rank)
                        if cg[0] or ch[0]:
                            continue
                        new = (cg[1] + ch[1], cg[2] + ch[2])
                        if new >= (old[1], old[2]):
                            continue
                        key = (new, cg[3] + ch[3])
                        if best is None or key < best[0]:
                            best = (key, hi, g2, h2)
            if best is not None:
                _, hi, g2, h2 = best
                groups[gi], groups[hi] = g2, h2
                changed = True
        if not changed:
            break
    return sum(1 for g in groups if has_repeat(g))


def _attach(
    W: np.ndarray,
    groups: list[tuple[int, ...]],
    free: list[int],
    blocked: set[tuple[int, int]],
    met_rank: dict[tuple[int, int], int],
    max_candidates: int = 64,
) -> list[tuple[int, tuple[int, ...]]] | None:
    """Best pair for one free person to join as the trio: fewest new repeats, oldest,
    then most score.  Returns [(group index, trio)] or None."""
    if not free or not groups:
        return None
    pairs = np.asarray(groups, dtype=np.int64)
    best_key: tuple[int, int, float] | None = None
    best: list[tuple[int, tuple[int, ...]]] | None = None
    for x in free[:max_candidates]:
        sx = W[x, pairs[:, 0]].astype(np.float64) + W[x, pairs[:, 1]].astype(np.float64)
        for g in np.argsort(-sx, kind="stable").tolist():
            a, b = int(pairs[g, 0]), int(pairs[g, 1])
            pa, pb = (min(a, x), max(a, x)), (min(b, x), max(b, x))
            if pa in blocked or pb in blocked:
                continue
            ra, rb = met_rank.get(pa), met_rank.get(pb)
            key = (
                -((ra is not None) + (rb is not None)),
                -((ra or 0) + (rb or 0)),
                float(sx[g]) if np.isfinite(sx[g]) else -np.inf,
            )
            if best_key is None or key > best_key:
                best_key, best = key, [(g, (a, b, x))]
            if key[0] == 0:
                break  # sorted by score: the first repeat-free fit is the best for x
    return best


def _attach_by_swap(
    W: np.ndarray,
    groups: list[tuple[int, ...]],
    free: list[int],
    blocked: set[tuple[int, int]],
    met_rank: dict[tuple[int, int], int],
    max_work: int = 2_000_000,
) -> list[tuple[int, tuple[int, ...]]] | None:
    """When no pair can take the free person x directly: x replaces y in a pair (a, y) and
    y joins another pair as the trio.  Best by (fewest repeats, oldest, most score)."""

    def allowed(i: int, j: int) -> bool:
        return ((i, j) if i < j else (j, i)) not in blocked

    def cost(*pairs: tuple[int, int]) -> tuple[int, int, float]:
        reps = rec = 0
        sc = 0.0
        for i, j in pairs:
            r = met_rank.get((i, j) if i < j else (j, i))
            if r is not None:
                reps += 1
                rec += r
            sc += float(W[i, j])
        return -reps, -rec, sc

    best_key = None
    best = None
    work = 0
    for x in free[:8]:
        for g, grp in enumerate(groups):
            for y, a in ((grp[0], grp[1]), (grp[1], grp[0])):
                if not allowed(x, a):
                    continue
                for h, (c, d) in enumerate(groups):
                    work += 1
                    if h == g or not (allowed(y, c) and allowed(y, d)):
                        continue
                    key = cost((x, a), (y, c), (y, d), (c, d))
                    if best_key is None or key > best_key:
                        best_key, best = key, [(g, (a, x)), (h, (c, d, y))]
                if work > max_work:
                    return best
    return best


# --------------------------------------------------------------------------- API


def pair_round[K: Hashable](
    profiles: Mapping[K, Profile],
    met: Collection[frozenset[K]] = (),
    *,
    seed: int = 0,
    blocked: Collection[frozenset[K]] = (),
    last_met: Mapping[frozenset[K], int] | None = None,
    time_budget: float = DEFAULT_TIME_BUDGET,
) -> Round[K]:
    """Group everyone into pairs (plus one trio when the count is odd) for one round.

    Hard rules: nobody twice; blocked pairs never grouped (a person who cannot be placed
    without one is left out and listed in ``Round.unmatched``); a pair that met before
    (``met``, or a key of ``last_met``) only when unavoidable, the least recent first
    (``last_met`` values: larger = more recent; met pairs without a value count as oldest).
    Deterministic for a given seed (ties follow a seed-shuffled order of the sorted keys).
    """
    if time_budget <= 0:
        raise ValueError("time_budget must be positive")
    deadline = time.monotonic() + time_budget
    for k, p in profiles.items():
        if not isinstance(p, Profile):
            raise TypeError(f"profiles[{k!r}] is not a Profile")
    keys = canonical_order(profiles.keys(), seed)
    n = len(keys)
    index = {k: i for i, k in enumerate(keys)}
    blocked_ix = {p for p, _ in _index_pairs(blocked, index, "blocked")}
    met_rank = _met_ranks(met, last_met, index)
    plist = [profiles[k] for k in keys]
    timed_out = False
    with threadpool_limits(limits=1):
        if n <= EXACT_MAX_N:
            S = ScoreMatrix(plist).dense(np.float64)
            groups_ix = _exact(n, S, blocked_ix, met_rank)
            bound = None
        elif n >= SPARSE_MIN_N:
            groups_ix, bound, timed_out = _general_sparse(plist, blocked_ix, met_rank, deadline)
        else:
            groups_ix, bound, timed_out = _general(
                ScoreMatrix(plist), blocked_ix, met_rank, deadline
            )
    placed = {i for g in groups_ix for i in g}
    groups: list[Group[K]] = []
    repeats: list[frozenset[K]] = []
    for g in groups_ix:
        g = tuple(sorted(g))
        pair_scores = []
        reasons: list[str] = []
        value = 0.0
        for a, b in combinations(g, 2):
            sc = score(plist[a], plist[b])
            pair_scores.append((keys[a], keys[b], sc))
            value += sc.value
            reasons.extend(r for r in sc.reasons if r not in reasons)
            if (a, b) in met_rank:
                repeats.append(frozenset((keys[a], keys[b])))
        groups.append(Group(tuple(keys[i] for i in g), value, tuple(reasons), tuple(pair_scores)))
    order = sorted(range(len(groups)), key=lambda t: (-groups[t].score, min(groups_ix[t])))
    groups = [groups[t] for t in order]
    total = float(sum(g.score for g in groups))
    upper = total if bound is None else float(bound)
    return Round(
        groups=groups,
        total=total,
        upper_bound=upper,
        unmatched=tuple(keys[i] for i in range(n) if i not in placed),
        repeats=tuple(repeats),
        optimal=total >= upper - 1e-9,
        timed_out=timed_out,
    )
