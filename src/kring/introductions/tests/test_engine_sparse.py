"""The large-round path of the engine: scores without an n x n matrix, priced by structure.

The path normally starts at ``SPARSE_MIN_N`` people; these tests lower that threshold so the
same code runs on rounds small enough to check against the dense matrix and networkx.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from kring.introductions.engine import Profile, ScoreMatrix, _pairing, pair_round, score
from kring.introductions.engine._sparse import SparseScores
from kring.introductions.tests.test_engine import check_round, random_profiles


@pytest.fixture
def sparse_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_pairing, "SPARSE_MIN_N", 11)


def dense(plist: list[Profile]) -> np.ndarray:
    W = ScoreMatrix(plist).dense(np.float64)
    np.fill_diagonal(W, -np.inf)
    return W


def test_scores_equal_the_dense_matrix_and_forbidden_pairs_are_minus_infinity() -> None:
    plist = list(random_profiles(150, 3).values())
    W = SparseScores(plist)
    rows, cols = np.meshgrid(np.arange(150), np.arange(150), indexing="ij")
    assert np.array_equal(W[rows, cols], dense(plist))
    assert W[4, 9] == score(plist[4], plist[9]).value
    W.forbid([(9, 4)])
    assert W[4, 9] == -np.inf and W[9, 4] == -np.inf
    assert W[4, 10] == score(plist[4], plist[10]).value


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_price_bounds_every_row_over_all_partners(seed: int) -> None:
    plist = list(random_profiles(200, seed).values())
    D = dense(plist)
    W = SparseScores(plist)
    rng = np.random.default_rng(seed)
    u = rng.uniform(0, 6, 200) * (rng.random(200) < 0.9)
    exact = (D - u[None, :]).max(axis=1)
    ii, jj, pi = W.price(u, 3, 1e-9)
    assert (pi >= exact - 1e-9).all()
    assert (D[ii, jj] - u[ii] - u[jj] > 1e-9).all()  # what it calls violated, is
    assert np.bincount(ii, minlength=200).max() <= 3
    _, _, refined = W.price(u, 0, np.inf, refine=True)
    assert (refined >= exact - 1e-9).all()
    # refined, the talent term counts only where it is real: no row is above both its
    # true maximum and u_i
    assert (refined <= np.maximum(exact, u) + 1e-6).all()


def test_big_passion_sets_are_priced_exactly() -> None:
    plist = list(random_profiles(60, 4, vocab=20).values())
    many = frozenset(f"t{t}" for t in range(12))  # more than MAX_SUBSET_TAGS passions
    plist[5] = Profile(many, plist[5].talents, plist[5].offers, plist[5].seeks)
    D = dense(plist)
    u = np.full(60, 1.5)
    _, _, pi = SparseScores(plist).price(u, 0, np.inf, refine=True)
    assert (pi >= (D - u[None, :]).max(axis=1) - 1e-9).all()


def test_sparse_round_bound_is_certified_against_networkx(sparse_rounds: None) -> None:
    nx = pytest.importorskip("networkx")
    profs = random_profiles(80, 11)
    rnd = pair_round(profs)
    check_round(rnd, profs, (), (), {}, 0)
    g = nx.Graph()
    for a, b in combinations(list(profs), 2):
        g.add_edge(a, b, weight=score(profs[a], profs[b]).value)
    optimum = sum(g[a][b]["weight"] for a, b in nx.max_weight_matching(g))
    assert rnd.upper_bound >= optimum - 1e-9
    assert rnd.total >= 0.98 * optimum


def test_sparse_round_with_a_trio_blocks_and_old_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    profs = random_profiles(151, 5)
    first = pair_round(profs, seed=1)
    met = [frozenset(p) for grp in first.groups for p in combinations(grp.members, 2)]
    blocked = [frozenset((0, 1)), frozenset((2, 3)), frozenset((0, 4))]
    on_dense = pair_round(profs, met, seed=2, blocked=blocked)
    monkeypatch.setattr(_pairing, "SPARSE_MIN_N", 11)
    rnd = pair_round(profs, met, seed=2, blocked=blocked)
    check_round(rnd, profs, met, blocked, {}, 2)
    assert rnd.repeats == ()
    assert [len(grp.members) for grp in rnd.groups].count(3) == 1
    # the sparse bound also admits the old pairs (a relaxation): compare with the dense path
    assert rnd.upper_bound >= on_dense.total
    assert rnd.total >= 0.98 * on_dense.total


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_auction_assignment_is_optimal_with_feasible_duals(seed: int) -> None:
    from scipy.optimize import linear_sum_assignment

    from kring.introductions.engine._compiled import solve_assignment

    rng = np.random.default_rng(seed)
    n = 60
    benefit = rng.integers(0, 12, (n, n))
    benefit = benefit + benefit.T  # symmetric and full of ties, like twice the scores
    present = rng.random((n, n)) < 0.3
    present |= present.T
    np.fill_diagonal(present, True)
    np.fill_diagonal(benefit, 0)
    ia, ja = np.nonzero(present)
    sigma, alpha, beta = solve_assignment(n, ia, ja, benefit[ia, ja])
    assert sorted(sigma.tolist()) == list(range(n))  # a permutation on the edges
    assert present[np.arange(n), sigma].all()
    value = benefit[np.arange(n), sigma].sum()
    cost = np.where(present, -benefit, 10**6)
    rows, cols = linear_sum_assignment(cost)
    assert value == -cost[rows, cols].sum()  # optimal
    assert (alpha[ia] + beta[ja] >= benefit[ia, ja] - 1e-9).all()  # feasible duals
    assert value <= alpha.sum() + beta.sum() < value + 1


def test_pairs_sharing_two_complementary_tags_are_all_found() -> None:
    plist = list(random_profiles(300, 7, vocab=12).values())  # small vocabulary: many
    W = SparseScores(plist)
    n = len(plist)
    comp = np.zeros((n, n), dtype=int)
    for i, a in enumerate(plist):
        for j, b in enumerate(plist):
            if i != j:
                comp[i, j] = len(a._norm[2].keys() & b._norm[3].keys()) + len(
                    a._norm[3].keys() & b._norm[2].keys()
                )
    want = set(zip(*np.nonzero(comp >= 2), strict=True))
    assert len(want) > 1000
    assert set(zip(W._ei.tolist(), W._ej.tolist(), strict=True)) == want
    assert np.array_equal(W._ew, dense(plist)[W._ei, W._ej])
    # each row's pairs best first, ties by partner
    for i in range(0, n, 37):
        row = W._ei == i
        order = np.lexsort((W._ej[row], -W._ew[row]))
        assert np.array_equal(order, np.arange(row.sum()))


def test_unique_keys_is_numpy_unique() -> None:
    from kring.introductions.engine._sparse import unique_keys

    keys = np.random.default_rng(3).integers(0, 500, 2000)
    assert np.array_equal(unique_keys(keys), np.unique(keys))
    assert unique_keys(np.zeros(0, dtype=np.int64)).size == 0


def test_sparse_round_even_is_a_matching_within_the_bound(sparse_rounds: None) -> None:
    nx = pytest.importorskip("networkx")
    profs = random_profiles(120, 21)
    rnd = pair_round(profs)
    check_round(rnd, profs, (), (), {}, 0)
    assert all(len(grp.members) == 2 for grp in rnd.groups)
    members = [m for grp in rnd.groups for m in grp.members]
    assert sorted(members) == sorted(profs)  # everyone once
    g = nx.Graph()
    for a, b in combinations(list(profs), 2):
        g.add_edge(a, b, weight=score(profs[a], profs[b]).value)
    optimum = sum(g[a][b]["weight"] for a, b in nx.max_weight_matching(g))
    assert rnd.total <= optimum <= rnd.upper_bound + 1e-9
    assert rnd.total >= 0.98 * optimum
