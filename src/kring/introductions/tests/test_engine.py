"""Tests of the pure introductions engine (no database, no Django needed)."""

from __future__ import annotations

import time
from itertools import combinations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.introductions import engine
from kring.introductions.engine import (
    Profile,
    ScoreMatrix,
    _matching,
    _pairing,
    normalise_tag,
    pair_round,
    score,
    seat_tables,
)

TAGS = ["Web", "web ", "design", "Python", "garden", "Zorg", "zorg", "music", "law", "data"]

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def P(passions=(), talents=(), offers=(), seeks=(), name=""):
    return Profile(
        frozenset(passions), frozenset(talents), frozenset(offers), frozenset(seeks), name=name
    )


tagsets = st.frozensets(st.sampled_from(TAGS), max_size=3)
profiles_st = st.builds(Profile, tagsets, tagsets, tagsets, tagsets)


@st.composite
def instances(draw, min_n=0, max_n=8, history=True):
    n = draw(st.integers(min_n, max_n))
    profs = {i: draw(profiles_st) for i in range(n)}
    pairs = [frozenset(p) for p in combinations(range(n), 2)]
    met, blocked, last = [], [], {}
    if history and pairs:
        met = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
        blocked = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=max(1, n // 2)))
        for p in met:
            if draw(st.booleans()):
                last[p] = draw(st.integers(0, 5))
    seed = draw(st.integers(0, 3))
    return profs, met, blocked, last, seed


# ------------------------------------------------------------------ brute force oracle


def _context(profs, met, blocked, last, seed):
    keys = engine.canonical_order(profs, seed)
    ix = {k: i for i, k in enumerate(keys)}
    S = ScoreMatrix([profs[k] for k in keys]).dense()
    bl = {tuple(sorted(ix[m] for m in p)) for p in blocked}
    ranks = _pairing._met_ranks(met, last, ix)
    return keys, ix, S, bl, ranks


def group_key(groups, S, bl, ranks):
    """(placed, -repeats, -recency, score) -- larger is better; None if a blocked pair."""
    placed = reps = rec = 0
    sc = 0.0
    for g in groups:
        placed += len(g)
        for a, b in combinations(sorted(g), 2):
            if (a, b) in bl:
                return None
            if (a, b) in ranks:
                reps += 1
                rec += ranks[(a, b)]
            sc += S[a, b]
    return placed, -reps, -rec, sc


def brute(n, S, bl, ranks):
    """Best key over every grouping: pairs, at most one trio, anyone may be left out.
    Plain enumeration (no memoisation), keys accumulated along the way."""
    best = [None]

    def add(key, g):
        k = group_key([g], S, bl, ranks)
        return None if k is None else tuple(x + y for x, y in zip(key, k, strict=True))

    def rec(rest, trio_used, key):
        if not rest:
            if best[0] is None or key > best[0]:
                best[0] = key
            return
        i, others = rest[0], rest[1:]
        rec(others, trio_used, key)
        for j in others:
            k = add(key, (i, j))
            if k is not None:
                rec([x for x in others if x != j], trio_used, k)
        if not trio_used:
            for j, m in combinations(others, 2):
                k = add(key, (i, j, m))
                if k is not None:
                    rec([x for x in others if x not in (j, m)], True, k)

    rec(list(range(n)), False, (0, 0, 0, 0.0))
    return best[0]


def result_key(rnd, profs, met, blocked, last, seed):
    _keys, ix, S, bl, ranks = _context(profs, met, blocked, last, seed)
    return group_key([tuple(ix[m] for m in g.members) for g in rnd.groups], S, bl, ranks)


def check_round(rnd, profs, met, blocked, last, seed):
    """Hard rules every round must satisfy."""
    seen = [m for g in rnd.groups for m in g.members]
    assert len(seen) == len(set(seen)), "someone placed twice"
    assert set(seen) | set(rnd.unmatched) == set(profs)
    assert not set(seen) & set(rnd.unmatched)
    trios = [g for g in rnd.groups if len(g.members) == 3]
    assert all(len(g.members) in (2, 3) for g in rnd.groups)
    assert len(trios) == (len(seen) % 2), "exactly one trio iff the placed count is odd"
    blocked_set = {frozenset(p) for p in blocked}
    met_set = {frozenset(p) for p in met} | {frozenset(p) for p in last}
    reps = []
    for g in rnd.groups:
        assert g.score >= 0
        pair_sum = 0.0
        for a, b in combinations(g.members, 2):
            assert frozenset((a, b)) not in blocked_set, "blocked pair grouped"
            pair_sum += score(profs[a], profs[b]).value
            if frozenset((a, b)) in met_set:
                reps.append(frozenset((a, b)))
        assert g.score == pytest.approx(pair_sum)
    assert sorted(map(sorted, reps)) == sorted(map(sorted, rnd.repeats))
    assert rnd.total == pytest.approx(sum(g.score for g in rnd.groups))
    assert rnd.upper_bound >= rnd.total - 1e-6


# ------------------------------------------------------------------ scores


@given(profiles_st, profiles_st)
@SETTINGS
def test_score_symmetric_and_nonnegative(a, b):
    ab, ba = score(a, b), score(b, a)
    assert ab.value == ba.value >= 0
    assert len(ab.reasons) == len(ab.details)
    assert {d[0] for d in ab.details} == {d[0] for d in ba.details}


def test_score_components_and_reasons():
    anna = P(passions={"Duurzaamheid"}, talents={"design"}, offers={"Webdesign"}, name="Anna")
    bram = P(passions={"duurzaamheid "}, talents={"code"}, seeks={"WEBDESIGN"}, name="Bram")
    s = score(anna, bram)
    # 3 (offer) + 1 (passion) + 0.5 (one different talent each)
    assert s.value == 4.5
    assert ("offers", "Anna", "Bram", ("Webdesign",)) in s.details
    assert ("shared_passions", ("Duurzaamheid",)) in s.details
    assert ("different_talents", "Anna", ("design",), "Bram", ("code",)) in s.details
    assert s.reasons[0] == "Anna offers Webdesign, which Bram is looking for"
    assert score(P(), P()).value == 0 and score(P(), P()).reasons == ()
    # same talents: no "different talents" points; capped at two units
    assert score(P(talents={"a"}), P(talents={"A"})).value == 0
    assert score(P(talents=set("abcde")), P(talents=set("vwxyz"))).value == 1.0


def test_normalise_and_profile_validation():
    assert normalise_tag("  Web\u00a0 Design ") == "web design"
    with pytest.raises(TypeError):
        Profile("abc", frozenset(), frozenset(), frozenset())
    p = Profile(["x"], (), (), ())  # any iterable becomes a frozenset
    assert p.passions == frozenset({"x"})


@given(st.lists(profiles_st, max_size=12))
@SETTINGS
def test_score_matrix_equals_pair_scores(plist):
    S = ScoreMatrix(plist).dense()
    for i, j in combinations(range(len(plist)), 2):
        assert S[i, j] == S[j, i] == score(plist[i], plist[j]).value


# ------------------------------------------------------------------ pairing


@given(instances(max_n=8))
@SETTINGS
def test_exact_rounds_match_brute_force(inst):
    profs, met, blocked, last, seed = inst
    rnd = pair_round(profs, met, seed=seed, blocked=blocked, last_met=last)
    check_round(rnd, profs, met, blocked, last, seed)
    _keys, _ix, S, bl, ranks = _context(*inst)
    best = brute(len(profs), S, bl, ranks)
    assert result_key(rnd, *inst) == best
    assert rnd.upper_bound == pytest.approx(best[3])
    assert rnd.optimal


def test_golden_hand_computed_round():
    profs = {
        "anna": P(offers={"web"}, passions={"tuin"}, name="Anna"),
        "bram": P(seeks={"Web"}, passions={"zorg"}, name="Bram"),
        "cas": P(offers={"law"}, passions={"tuin"}, name="Cas"),
        "dirk": P(seeks={"LAW"}, passions={"zorg"}, name="Dirk"),
    }
    rnd = pair_round(profs)
    # anna-bram 3 + cas-dirk 3 = 6 beats anna-cas 1 + bram-dirk 1 = 2 and the crossings 0
    assert sorted(sorted(g.members) for g in rnd.groups) == [["anna", "bram"], ["cas", "dirk"]]
    assert rnd.total == rnd.upper_bound == 6.0
    (anna_group,) = [g for g in rnd.groups if "anna" in g.members]
    assert anna_group.reasons == ("Anna offers web, which Bram is looking for",)
    assert anna_group.pairs[0][2].details[0][0] == "offers"
    # anna and bram met: the other repeat-free pairings score 2 (shared passions) or 0
    rnd2 = pair_round(profs, met=[frozenset({"anna", "bram"})])
    assert sorted(sorted(g.members) for g in rnd2.groups) == [["anna", "cas"], ["bram", "dirk"]]
    assert rnd2.total == 2.0 and rnd2.repeats == ()


@pytest.mark.parametrize("case", range(12))
def test_golden_cases_against_brute_force(case):
    rng = np.random.default_rng(case)
    n = 4 + case % 5
    profs = {
        i: Profile(*(frozenset(rng.choice(TAGS, size=2, replace=False)) for _ in range(4)))
        for i in range(n)
    }
    pairs = [frozenset(p) for p in combinations(range(n), 2)]
    picks = rng.permutation(len(pairs))
    met = [pairs[k] for k in picks[: n // 2]]
    blocked = [pairs[k] for k in picks[n // 2 : n // 2 + case % 3]]
    last = {p: int(rng.integers(0, 4)) for p in met[::2]}
    inst = (profs, met, blocked, last, case)
    rnd = pair_round(profs, met, seed=case, blocked=blocked, last_met=last)
    check_round(rnd, *inst)
    _keys, _ix, S, bl, ranks = _context(*inst)
    assert result_key(rnd, *inst) == brute(n, S, bl, ranks)


@pytest.fixture
def general_path(monkeypatch):
    """Force the large-n machinery (LP relaxation, repair, certificate) on small inputs."""
    monkeypatch.setattr(_pairing, "EXACT_MAX_N", 0)


@given(instances(min_n=2, max_n=8))
@SETTINGS
def test_general_path_against_brute_force(general_path, inst):
    profs, met, blocked, last, seed = inst
    rnd = pair_round(profs, met, seed=seed, blocked=blocked, last_met=last)
    check_round(rnd, profs, met, blocked, last, seed)
    _keys, _ix, S, bl, ranks = _context(*inst)
    best = brute(len(profs), S, bl, ranks)
    got = result_key(rnd, *inst)
    assert got <= best
    # the certified bound is above the best score of any valid grouping
    assert rnd.upper_bound >= best[3] - 1e-9
    if not met and not blocked:
        assert got[0] == best[0]  # everyone placed
        if len(profs) % 2 == 0:
            assert rnd.total == best[3]  # even count, no history: exact
            assert rnd.optimal


@given(instances(min_n=9, max_n=16))
@SETTINGS
def test_round_rules_on_larger_inputs(inst):
    profs, met, blocked, last, seed = inst
    rnd = pair_round(profs, met, seed=seed, blocked=blocked, last_met=last)
    check_round(rnd, profs, met, blocked, last, seed)
    # no single swap of two people between groups lowers the repeats (no avoidable repeat)
    _keys, ix, S, bl, ranks = _context(*inst)
    groups = [tuple(ix[m] for m in g.members) for g in rnd.groups]
    for x, y in combinations(range(len(groups)), 2):
        g, h = groups[x], groups[y]
        before = group_key([g, h], S, bl, ranks)
        for a in range(len(g)):
            for b in range(len(h)):
                g2 = (*g[:a], h[b], *g[a + 1 :])
                h2 = (*h[:b], g[a], *h[b + 1 :])
                after = group_key([g2, h2], S, bl, ranks)
                if after is not None:
                    assert after[1] <= before[1], "an avoidable repeat was left in"


@given(instances(min_n=0, max_n=14))
@SETTINGS
def test_deterministic_by_seed_not_by_dict_order(inst):
    profs, met, blocked, last, seed = inst
    r1 = pair_round(profs, met, seed=seed, blocked=blocked, last_met=last)
    shuffled = dict(reversed(list(profs.items())))
    r2 = pair_round(shuffled, list(reversed(met)), seed=seed, blocked=blocked, last_met=last)
    assert [g.members for g in r1.groups] == [g.members for g in r2.groups]
    assert r1.upper_bound == r2.upper_bound


@given(st.integers(3, 22), st.integers(0, 2**32 - 1), st.integers(1, 6), st.booleans())
@SETTINGS
def test_trio_correction_bounds_every_triangle(n, seed, k, f32):
    """The trio term of the bound: >= max over triangles of sum (w_ij - (u_i + u_j) / 2),
    also when few candidate pairs per row are kept (k small) and in float32."""
    rng = np.random.default_rng(seed)
    S = np.triu(rng.integers(0, 24, (n, n)) / 2, 1)
    W = S + S.T
    np.fill_diagonal(W, -np.inf)
    if rng.random() < 0.3:
        W[0, 1:] = W[1:, 0] = -np.inf  # a person who can be grouped with nobody
    u = rng.random(n) * 8
    best = max(
        sum(W[a, b] - (u[a] + u[b]) / 2 for a, b in combinations(t, 2))
        for t in combinations(range(n), 3)
    )
    got = _matching.trio_correction(W.astype(np.float32) if f32 else W, u, k=k)
    assert got >= best - 1e-9 or best == -np.inf


def test_seed_changes_tie_breaks():
    profs = {i: P() for i in range(12)}  # all scores 0: every grouping ties
    groupings = {tuple(g.members for g in pair_round(profs, seed=s).groups) for s in range(6)}
    assert len(groupings) > 1


def test_blocked_person_left_out_and_reported():
    profs = {k: P(offers={"x"}, seeks={"x"}) for k in "abcd"}
    blocked = [frozenset("ab"), frozenset("ac"), frozenset("ad")]
    rnd = pair_round(profs, blocked=blocked)
    assert rnd.unmatched == ("a",)
    assert [sorted(g.members) for g in rnd.groups] == [["b", "c", "d"]]


def test_repeat_only_as_last_resort_and_least_recent():
    profs = {k: P() for k in "abcd"}
    # a met everyone; b-c, b-d, c-d unmet: a must repeat, with the least recent partner
    met = [frozenset("ab"), frozenset("ac"), frozenset("ad")]
    last = {frozenset("ab"): 5, frozenset("ac"): 1, frozenset("ad"): 3}
    rnd = pair_round(profs, met, last_met=last)
    assert rnd.repeats == (frozenset("ac"),)
    assert sorted(map(sorted, (g.members for g in rnd.groups))) == [["a", "c"], ["b", "d"]]


def test_invalid_inputs():
    profs = {1: P(), 2: P()}
    with pytest.raises(ValueError):
        pair_round(profs, met=[frozenset({1})])
    with pytest.raises(ValueError):
        pair_round(profs, time_budget=0)
    with pytest.raises(TypeError):
        pair_round({1: "not a profile"})


def test_tiny_rounds():
    assert pair_round({}).groups == []
    one = pair_round({"x": P()})
    assert one.groups == [] and one.unmatched == ("x",)
    three = pair_round({k: P() for k in "xyz"})
    assert [len(g.members) for g in three.groups] == [3]


def random_profiles(n, seed, vocab=60):
    rng = np.random.default_rng(seed)
    pop = 1 / np.arange(1, vocab + 1) ** 1.1
    pop /= pop.sum()

    def tags(k):
        return frozenset(f"t{t}" for t in rng.choice(vocab, size=k, replace=False, p=pop))

    return {
        i: Profile(tags(2), tags(3), tags(rng.integers(1, 4)), tags(rng.integers(1, 3)))
        for i in range(n)
    }


def test_successive_rounds_never_repeat_and_stay_near_optimal():
    profs = random_profiles(120, 1)
    met: list[frozenset[int]] = []
    for r in range(8):
        rnd = pair_round(profs, met, seed=r)
        check_round(rnd, profs, met, (), {}, r)
        assert rnd.repeats == ()
        assert rnd.total >= 0.995 * rnd.upper_bound
        met += [frozenset(p) for g in rnd.groups for p in combinations(g.members, 2)]


@pytest.mark.parametrize("seed", [0, 1])
def test_odd_round_has_one_trio_and_a_small_gap(seed):
    profs = random_profiles(121, seed)
    rnd = pair_round(profs)
    check_round(rnd, profs, (), (), {}, seed)
    assert [len(g.members) for g in rnd.groups].count(3) == 1
    # the bound's trio term is loose by design; the gap stays small all the same
    assert rnd.total >= 0.98 * rnd.upper_bound


def test_large_even_round_is_exact_against_networkx():
    nx = pytest.importorskip("networkx")
    profs = random_profiles(60, 7)
    rnd = pair_round(profs)
    g = nx.Graph()
    keys = list(profs)
    for a, b in combinations(keys, 2):
        g.add_edge(a, b, weight=score(profs[a], profs[b]).value)
    ref = sum(g[a][b]["weight"] for a, b in nx.max_weight_matching(g))
    assert rnd.total == ref
    assert rnd.upper_bound >= ref - 1e-9


# ------------------------------------------------------------------ tables


def check_plan(plan, members, table_size, rounds):
    assert len(plan) == rounds
    for rotation in plan:
        seated = [m for t in rotation for m in t]
        assert sorted(seated, key=repr) == sorted(members, key=repr)
        sizes = [len(t) for t in rotation]
        assert max(sizes) - min(sizes) <= 1
        assert max(sizes) <= table_size


def pair_counts(plan, met=()):
    counts: dict[frozenset, int] = {frozenset(p): 1 for p in met}
    for rotation in plan:
        for t in rotation:
            for p in combinations(t, 2):
                counts[frozenset(p)] = counts.get(frozenset(p), 0) + 1
    return counts


@pytest.mark.parametrize(
    ("n", "size", "rounds"),
    [
        (16, 4, 5),
        (12, 3, 4),
        (25, 5, 6),
        (20, 4, 5),
        (24, 4, 5),
        (30, 5, 4),
        (36, 6, 3),
        (90, 6, 5),
        (48, 6, 5),
        (100, 5, 5),
        (100, 4, 5),
        (100, 6, 5),
        (61, 6, 4),
    ],
)
def test_tables_without_repeats(n, size, rounds):
    members = [f"m{i}" for i in range(n)]
    start = time.process_time()  # CPU time: robust to other load on the machine
    plan = seat_tables(members, size, rounds, seed=1)
    assert time.process_time() - start < 1.0
    check_plan(plan, members, size, rounds)
    assert max(pair_counts(plan).values()) == 1


@pytest.mark.parametrize("n", [25, 26, 27, 28, 29, 30])
def test_tables_of_5_for_5_rounds_without_repeats(n):
    # 26..30 people sit at 6 tables (no prime-power construction: social golfer 6-5-5)
    members = list(range(n))
    start = time.process_time()
    plan = seat_tables(members, 5, 5, seed=n)
    assert time.process_time() - start < 1.0
    check_plan(plan, members, 5, 5)
    assert max(pair_counts(plan).values()) == 1


def test_stored_golfer_6_5_5_design_is_repeat_free():
    from kring.introductions.engine._tables import _golfer_6_5_5

    plan = _golfer_6_5_5(30, [5] * 6, 5)
    assert plan is not None and len(plan) == 5
    for rotation in plan:
        assert sorted(m for t in rotation for m in t) == list(range(30))
        assert [len(t) for t in rotation] == [5] * 6
    assert max(pair_counts(plan).values()) == 1
    # people 26..29 never share a table, so dropping any suffix keeps sizes within one
    assert all(len([m for m in t if m >= 26]) <= 1 for rotation in plan for t in rotation)


def test_stored_golfer_6_6_4_design_is_repeat_free():
    from kring.introductions.engine._tables import _GOLFER_6_6_4_MIN, _golfer_6_6_4

    for n in range(_GOLFER_6_6_4_MIN, 35):
        plan = _golfer_6_6_4(n, [6] * 6, 4)
        assert plan is not None and len(plan) == 4
        for rotation in plan:
            assert sorted(m for t in rotation for m in t) == list(range(n))
            sizes = [len(t) for t in rotation]
            assert len(sizes) == 6 and max(sizes) - min(sizes) <= 1 and max(sizes) == 6
        assert max(pair_counts(plan).values()) == 1


@pytest.mark.parametrize("n", [32, 33, 34])
def test_tables_of_6_for_4_rounds_without_repeats(n):
    # 6 tables of 6: no algebraic construction (two orthogonal Latin squares of order 6
    # do not exist); 32..34 people come from the stored 34-person plan
    members = list(range(n))
    start = time.process_time()
    plan = seat_tables(members, 6, 4, seed=n)
    assert time.process_time() - start < 1.0
    check_plan(plan, members, 6, 4)
    assert max(pair_counts(plan).values()) == 1


def test_social_golfer_32_in_8_tables_of_4_for_9_rounds():
    start = time.process_time()
    plan = seat_tables(list(range(32)), 4, 9)
    assert time.process_time() - start < 10.0
    check_plan(plan, list(range(32)), 4, 9)
    assert max(pair_counts(plan).values()) == 1


def test_tables_respect_earlier_meetings_and_complementarity():
    profs = random_profiles(24, 3)
    members = list(profs)
    met = [frozenset((i, i + 1)) for i in range(0, 24, 2)]
    plan = seat_tables(members, 4, 3, met=met, profiles=profs, seed=2)
    check_plan(plan, members, 4, 3)
    assert max(pair_counts(plan, met).values()) == 1


def test_tables_infeasible_minimise_the_maximum():
    # 6 people, tables of 3, 4 rotations: 4*6 = 24 pair-slots > 15 pairs, repeats needed
    plan = seat_tables(list("abcdef"), 3, 4)
    counts = pair_counts(plan)
    assert max(counts.values()) == 2
    check_plan(plan, list("abcdef"), 3, 4)


@given(st.integers(2, 18), st.integers(2, 6), st.integers(1, 3), st.integers(0, 5))
@settings(max_examples=12, deadline=None)
def test_tables_properties(n, size, rounds, seed):
    members = list(range(n))
    plan = seat_tables(members, size, rounds, seed=seed)
    check_plan(plan, members, size, rounds)
    assert plan == seat_tables(members, size, rounds, seed=seed)


def _partitions(people, sizes):
    """Every way to seat ``people`` at tables of ``sizes`` (tables of one size unordered)."""
    if not sizes:
        yield []
        return
    first, rest = people[0], people[1:]
    for mates in combinations(rest, sizes[0] - 1):
        left = [m for m in rest if m not in mates]
        for tail in _partitions(left, sizes[1:]):
            yield [(first, *mates), *tail]


def _key(plan, newcomers):
    counts = pair_counts(plan, met=list(combinations(newcomers, 2)))
    return max(counts.values(), default=0), sum(c - 1 for c in counts.values() if c > 1)


@pytest.mark.parametrize(
    ("n", "size", "rounds", "newcomers"),
    [(6, 3, 3, 0), (6, 3, 3, 2), (8, 4, 3, 0), (8, 4, 2, 3), (7, 3, 2, 0), (9, 3, 2, 3)],
)
def test_table_lower_bound_never_exceeds_the_exact_optimum(n, size, rounds, newcomers):
    """Every plan is enumerated on small cases: the bound the search stops at is at most the
    best (max, total repeats) any plan reaches, and the search finds that best."""
    from itertools import product

    from kring.introductions.engine._tables import _lower_bound, _Plan, _table_sizes

    people = list(range(n))
    sizes = _table_sizes(n, size)
    rotations = list(_partitions(people, sizes))
    guests = people[:newcomers]
    best = min(_key(list(plan), guests) for plan in product(rotations, repeat=rounds))
    base = np.zeros((n, n), dtype=np.int64)
    for a, b in combinations(guests, 2):
        base[a, b] = base[b, a] = 1
    bound = _lower_bound(_Plan(n, sizes, rounds, base, n * n + 1), base, newcomers)
    assert bound <= best
    found = seat_tables(people, size, rounds, newcomers=guests, seed=1)
    assert _key(found, guests) == best


@pytest.mark.parametrize(
    ("n", "size", "rounds", "newcomers", "repeats"),
    [(30, 6, 3, 0, 15), (30, 6, 3, 12, 42), (18, 5, 3, 6, 12)],
)
def test_table_lower_bound_is_met_where_tables_outnumber_rotations(
    n, size, rounds, newcomers, repeats
):
    """Five tables of six: every later rotation must seat two people of one earlier table
    together (pigeonhole). The bound counts those repeats, so the search stops as soon as it
    reaches them instead of searching until its time budget runs out."""
    from kring.introductions.engine._tables import _lower_bound, _Plan, _table_sizes

    people = list(range(n))
    guests = people[:newcomers]
    base = np.zeros((n, n), dtype=np.int64)
    for a, b in combinations(guests, 2):
        base[a, b] = base[b, a] = 1
    sizes = _table_sizes(n, size)
    assert _lower_bound(_Plan(n, sizes, rounds, base, n * n + 1), base, newcomers) == (2, repeats)
    plan = seat_tables(people, size, rounds, newcomers=guests, seed=1)
    assert _key(plan, guests) == (2, repeats)


def test_tables_validation():
    with pytest.raises(ValueError):
        seat_tables([1, 2, 3], 1, 1)
    with pytest.raises(ValueError):
        seat_tables([1, 2, 3], 2, 0)
    with pytest.raises(ValueError):
        seat_tables([1, 1, 2], 2, 1)
    assert seat_tables([], 3, 2) == [[], []]


# --- newcomers (guests and walk-ins: no history) ----------------------------------------


def _newcomers_per_table(rotation, newcomers):
    return [sum(1 for m in t if m in newcomers) for t in rotation]


@given(
    st.integers(2, 16),
    st.integers(2, 5),
    st.integers(1, 3),
    st.integers(0, 6),
    st.integers(0, 5),
    st.booleans(),
)
@settings(max_examples=25, deadline=None)
def test_newcomers_never_all_at_one_table(n, size, rounds, k, seed, everyone_met):
    """A hard rule, whatever the search reached (a short time budget keeps this fast)."""
    members = [f"m{i}" for i in range(n)]
    guests = [f"g{i}" for i in range(k)]
    met = [frozenset(p) for p in combinations(members, 2)] if everyone_met else []
    plan = seat_tables(
        members + guests, size, rounds, met=met, newcomers=guests, seed=seed, time_budget=0.3
    )
    check_plan(plan, members + guests, size, rounds)
    for rotation in plan:
        per_table = _newcomers_per_table(rotation, set(guests))
        if len(rotation) > 1 and k >= 2:
            assert max(per_table) < k, (rotation, guests)


@pytest.mark.parametrize(
    ("members", "guests", "size", "everyone_met"),
    [(8, 4, 4, False), (9, 3, 4, True), (9, 3, 4, False), (6, 6, 4, False), (10, 2, 3, True)],
)
def test_newcomers_spread_evenly_over_the_tables(members, guests, size, everyone_met):
    ms = list(range(members))
    gs = [f"guest {i}" for i in range(guests)]
    met = [frozenset(p) for p in combinations(ms, 2)] if everyone_met else []
    profs = {**random_profiles(members, 4), **{g: Profile(*[frozenset()] * 4) for g in gs}}
    (rotation,) = seat_tables(ms + gs, size, 1, met=met, profiles=profs, newcomers=gs, seed=3)
    per_table = _newcomers_per_table(rotation, set(gs))
    assert max(per_table) - min(per_table) <= 1, rotation


def test_without_newcomers_guests_may_sit_together():
    """What the newcomers rule changes: for people who never met, every seating is as good
    as any other, and the plain plan leaves two of the three guests at one table."""
    people = [0, 1, 2, 3, 4, 5, "g1", "g2", "g3"]
    guests = {"g1", "g2", "g3"}
    (plain,) = seat_tables(people, 3, 1, seed=0)
    (spread,) = seat_tables(people, 3, 1, newcomers=sorted(guests), seed=0)
    assert max(_newcomers_per_table(plain, guests)) == 2
    assert _newcomers_per_table(spread, guests) == [1, 1, 1]


def test_one_table_seats_every_newcomer_and_unknown_newcomers_are_refused():
    (rotation,) = seat_tables([1, 2, "g1", "g2"], 4, 1, newcomers=["g1", "g2"])
    assert sorted(map(str, rotation[0])) == ["1", "2", "g1", "g2"]
    with pytest.raises(ValueError, match="newcomers"):
        seat_tables([1, 2, 3], 2, 1, newcomers=["g1"])
