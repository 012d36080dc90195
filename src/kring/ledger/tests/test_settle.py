"""Tests for kring.ledger.settle: golden cases, validation, properties, bounds."""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.ledger.allocation import canonical_key
from kring.ledger.settle import (
    EXACT_LIMIT,
    SettleError,
    Transfer,
    UnbalancedError,
    min_transfers,
    settle_greedy,
    settle_up,
)

# No example database: the tests must not write files into the checkout.
fast = settings(max_examples=150, deadline=None, database=None)


# ------------------------------------------------------------------------- helpers


def apply(balances: Mapping[Any, int], transfers: list[Transfer[Any]]) -> dict[Any, int]:
    """Balances after the transfers: paying raises your balance, receiving lowers it."""
    after = dict(balances)
    for t in transfers:
        after[t.payer] += t.cents
        after[t.payee] -= t.cents
    return after


def brute_force_min_transfers(values: list[int]) -> int:
    """Independent reference: exhaustive search over transfer sequences.

    Classic backtracking: the first unsettled person settles their whole balance with
    one other person of the opposite sign; try every such person. Some optimal plan
    always has this shape, and the search tries them all. Exponential; n <= 8 only.
    """
    debts = [v for v in values if v]

    def search(start: int) -> int:
        while start < len(debts) and debts[start] == 0:
            start += 1
        if start == len(debts):
            return 0
        best = len(debts)
        for other in range(start + 1, len(debts)):
            if debts[other] * debts[start] < 0:
                debts[other] += debts[start]
                best = min(best, 1 + search(start + 1))
                debts[other] -= debts[start]
        return best

    return search(0)


def check_plan(balances: Mapping[Any, int], transfers: list[Transfer[Any]]) -> None:
    """Invariants that every settle-up plan (exact or heuristic) must satisfy."""
    nonzero = sum(1 for v in balances.values() if v)
    assert all(v == 0 for v in apply(balances, transfers).values())
    assert len(transfers) <= max(nonzero - 1, 0)
    for t in transfers:
        assert isinstance(t.cents, int)
        assert t.cents > 0
        assert t.payer != t.payee
        assert balances[t.payer] < 0 < balances[t.payee]
    # Nobody both pays and receives, so only the minimum amount of money moves.
    assert sum(t.cents for t in transfers) == sum(v for v in balances.values() if v > 0)
    order = [(canonical_key(t.payer), canonical_key(t.payee)) for t in transfers]
    assert order == sorted(set(order))


KEYS = st.one_of(st.integers(-1000, 1000), st.text("abcdefgh", min_size=1, max_size=4))


@st.composite
def zero_sum_balances(
    draw: st.DrawFn, max_people: int, max_groups: int, amount: int = 50
) -> dict[Hashable, int]:
    """Balances built from small zero-sum groups (so that cleverness pays off), plus zeros,
    under keys of mixed types in a random insertion order."""
    group = st.lists(st.integers(-amount, amount), min_size=1, max_size=4).map(
        lambda g: [*g, -sum(g)]
    )
    values = [v for g in draw(st.lists(group, max_size=max_groups)) for v in g]
    values = values[: max_people - 1]
    values.append(-sum(values))
    values = draw(st.permutations(values))
    keys = draw(st.lists(KEYS, min_size=len(values), max_size=len(values), unique=True))
    return dict(zip(keys, values, strict=True))


# ------------------------------------------------------------------------- golden cases


def test_dinner_for_three() -> None:
    # Ann paid EUR 90 for a dinner for three: Bob and Cem each owe her EUR 30.
    assert settle_up({"ann": 6000, "bob": -3000, "cem": -3000}) == [
        Transfer("bob", "ann", 3000),
        Transfer("cem", "ann", 3000),
    ]


def test_debt_chain_collapses_to_one_transfer() -> None:
    # Ann owes Bob EUR 10 and Bob owes Cem EUR 10: Bob is even, Ann pays Cem directly.
    assert settle_up({"ann": -1000, "bob": 0, "cem": 1000}) == [Transfer("ann", "cem", 1000)]


def test_weekend_trip_beats_greedy() -> None:
    # Fay paid EUR 130 and Eve EUR 50 of shared costs; the others owe what they owe.
    balances = {
        "amy": -9000,
        "ben": -4000,
        "cal": -3000,
        "dan": -2000,
        "eve": 5000,
        "fay": 13000,
    }
    # Two independent zero-sum subgroups: {amy, ben, fay} and {cal, dan, eve}.
    assert settle_up(balances) == [
        Transfer("amy", "fay", 9000),
        Transfer("ben", "fay", 4000),
        Transfer("cal", "eve", 3000),
        Transfer("dan", "eve", 2000),
    ]
    assert min_transfers(balances) == 4
    # Largest debtor to largest creditor needs one more.
    assert settle_greedy(balances) == [
        Transfer("amy", "fay", 9000),
        Transfer("ben", "eve", 4000),
        Transfer("cal", "fay", 3000),
        Transfer("dan", "eve", 1000),
        Transfer("dan", "fay", 1000),
    ]


def test_exact_opposites_are_paired() -> None:
    balances = {"a": 5000, "b": -2000, "c": -3000, "d": 1000, "e": -1000}
    assert settle_up(balances) == [
        Transfer("b", "a", 2000),
        Transfer("c", "a", 3000),
        Transfer("e", "d", 1000),
    ]


def test_equal_amounts_tie_break_on_sorted_keys() -> None:
    balances = {"z": 100, "y": 100, "x": -100, "w": -100}
    assert settle_up(balances) == [Transfer("w", "y", 100), Transfer("x", "z", 100)]


def test_nothing_to_settle() -> None:
    assert settle_up({}) == []
    assert settle_up({"a": 0, "b": 0}) == []
    assert min_transfers({}) == 0


def test_int_and_str_keys_mix() -> None:
    assert settle_up({"guest": -250, 7: 500, 3: -250}) == [
        Transfer(3, 7, 250),
        Transfer("guest", 7, 250),
    ]


def test_transfer_is_a_frozen_value() -> None:
    t = Transfer("a", "b", 1)
    assert t == Transfer("a", "b", 1)
    assert hash(t) == hash(Transfer("a", "b", 1))
    with pytest.raises(AttributeError):
        t.cents = 2  # type: ignore[misc]


def test_huge_balances_take_the_python_int_path() -> None:
    big = 10**18
    # Six people, no opposites, two zero-sum triples: sums overflow int64 at this size.
    balances = {"a": 3 * big, "b": -big, "c": -2 * big, "d": 5 * big, "e": -4 * big, "f": -big}
    plan = settle_up(balances)
    check_plan(balances, plan)
    assert len(plan) == 4


# ------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("balances", "message"),
    [
        ({"a": 100, "b": -99}, r"sum to \+1 cents \(off by 1 cents"),
        ({"a": -100, "b": 99}, r"sum to -1 cents \(off by 1 cents"),
        ({"a": 5}, "off by 5 cents"),
    ],
)
def test_rejects_unbalanced(balances: dict[str, int], message: str) -> None:
    with pytest.raises(UnbalancedError, match=message) as info:
        settle_up(balances)
    assert info.value.imbalance == sum(balances.values())


@pytest.mark.parametrize(
    ("balances", "message"),
    [
        ({"a": True, "b": -1}, "balance for 'a' must be an int"),
        ({"a": 1.0, "b": -1}, "balance for 'a' must be an int"),
        ([("a", 1), ("b", -1)], "must be a mapping"),
        ({(1, "x"): 1, (1, 2): -1}, "mutually orderable"),
    ],
)
def test_rejects_bad_input(balances: Any, message: str) -> None:
    for function in (settle_up, settle_greedy, min_transfers):
        with pytest.raises(SettleError, match=message):
            function(balances)


def test_rejects_bad_exact_limit() -> None:
    with pytest.raises(SettleError, match="between 0 and"):
        settle_up({"a": 1, "b": -1}, exact_limit=EXACT_LIMIT + 1)
    with pytest.raises(SettleError, match="must be an int"):
        settle_up({"a": 1, "b": -1}, exact_limit=True)


def test_errors_are_value_errors() -> None:
    assert issubclass(SettleError, ValueError)
    assert issubclass(UnbalancedError, SettleError)


def test_min_transfers_refuses_large_groups() -> None:
    values = list(range(1, 2 * EXACT_LIMIT))
    values.append(-sum(values))
    with pytest.raises(SettleError, match="only computed for up to"):
        min_transfers(dict(enumerate(values)))


# ------------------------------------------------------------------------- properties


@fast
@given(
    balances=st.dictionaries(KEYS, st.integers(-(10**6), 10**6), min_size=1, max_size=12).filter(
        lambda b: sum(b.values()) != 0
    )
)
def test_property_rejects_non_zero_sum(balances: dict[Hashable, int]) -> None:
    with pytest.raises(UnbalancedError, match=f"off by {abs(sum(balances.values()))} cents"):
        settle_up(balances)


@fast
@given(balances=zero_sum_balances(max_people=8, max_groups=4, amount=9))
def test_property_exactly_minimal_against_brute_force(balances: dict[Hashable, int]) -> None:
    plan = settle_up(balances)
    check_plan(balances, plan)
    minimum = brute_force_min_transfers(list(balances.values()))
    assert len(plan) == minimum
    assert min_transfers(balances) == minimum
    assert len(settle_greedy(balances)) >= minimum


@fast
@given(
    values=st.lists(st.integers(-6, 6), min_size=1, max_size=7).map(lambda v: [*v, -sum(v)]),
    data=st.data(),
)
def test_property_minimal_on_dense_small_values(values: list[int], data: st.DataObject) -> None:
    # A small value range makes coincidental zero-sum subgroups (and ties) common.
    keys = data.draw(st.lists(KEYS, min_size=len(values), max_size=len(values), unique=True))
    balances = dict(zip(keys, values, strict=True))
    plan = settle_up(balances)
    check_plan(balances, plan)
    assert len(plan) == brute_force_min_transfers(values)


@fast
@given(balances=zero_sum_balances(max_people=EXACT_LIMIT, max_groups=6))
def test_property_exact_path_invariants(balances: dict[Hashable, int]) -> None:
    plan = settle_up(balances)
    check_plan(balances, plan)
    assert len(plan) == min_transfers(balances)
    assert len(plan) <= len(settle_greedy(balances))


@fast
@given(balances=zero_sum_balances(max_people=150, max_groups=40), exact=st.integers(0, 20))
def test_property_heuristic_path_invariants(balances: dict[Hashable, int], exact: int) -> None:
    plan = settle_up(balances, exact_limit=exact)
    greedy = settle_greedy(balances)
    check_plan(balances, plan)
    check_plan(balances, greedy)
    assert len(plan) <= len(greedy)


@fast
@given(
    balances=st.one_of(
        zero_sum_balances(max_people=12, max_groups=4),
        zero_sum_balances(max_people=80, max_groups=30, amount=1000),
    ),
    data=st.data(),
)
def test_property_independent_of_insertion_order(
    balances: dict[Hashable, int], data: st.DataObject
) -> None:
    shuffled = dict(data.draw(st.permutations(list(balances.items()))))
    assert settle_up(shuffled) == settle_up(balances)
    assert settle_up(shuffled, exact_limit=0) == settle_up(balances, exact_limit=0)
    assert settle_greedy(shuffled) == settle_greedy(balances)


# ------------------------------------------------------------------------- bounds


def _random_balances(n: int, seed: int, spread: int = 10**7) -> dict[str, int]:
    rng = random.Random(seed)
    values = [rng.randint(-spread, spread) for _ in range(n - 1)]
    values.append(-sum(values))
    return {f"p{i:05d}": v for i, v in enumerate(values)}


def test_twenty_people_exact_worst_case() -> None:
    # Worst case for the DP: 20 distinct balances, no exact opposites to pair off.
    values = [3 * i + 1 for i in range(19)]
    values.append(-sum(values))
    balances = {f"p{i:02d}": v for i, v in enumerate(values)}
    plan = settle_up(balances)  # timed in benchmarks/settle_up.py, not here
    check_plan(balances, plan)
    assert len(plan) == min_transfers(balances) == 19


def test_ten_thousand_people_beat_the_greedy() -> None:
    balances = _random_balances(10_000, seed=1)
    plan = settle_up(balances)  # 0.4 s in benchmarks/settle_up.py; the work is capped
    check_plan(balances, plan)
    assert len(plan) < len(settle_greedy(balances))


def test_triple_search_on_adversarial_input() -> None:
    # Every pair of the 8,000 debtors sums to a creditor amount that runs out at once.
    balances = {f"d{i:04d}": -100 for i in range(8_000)}
    balances |= {"c-a": 200, "c-b": 200} | {f"c{i:04d}": 400 for i in range(1_999)}
    plan = settle_up(balances)  # capped work: TRIPLE_PAIR_BUDGET pair sums per side
    check_plan(balances, plan)
