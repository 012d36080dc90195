"""Tests for kring.ledger.allocation: golden cases, input validation and properties."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.ledger.allocation import (
    AllocationError,
    AmountMismatchError,
    canonical_order,
    split_cents,
    split_exact,
)

# No example database: the tests must not write files into the checkout.
fast = settings(max_examples=200, deadline=None, database=None)

keys = st.one_of(st.integers(-50, 50), st.text(min_size=1, max_size=3))
weights_st = st.dictionaries(keys, st.integers(0, 1_000), min_size=1, max_size=12).filter(
    lambda w: sum(w.values()) > 0
)
totals = st.integers(-(10**9), 10**9)


# ------------------------------------------------------------------------- golden cases


def test_hundred_euros_three_ways_extra_cent_to_first_sorted_key() -> None:
    assert split_cents(10_000, {"cem": 1, "ann": 1, "bob": 1}) == {
        "ann": 3334,
        "bob": 3333,
        "cem": 3333,
    }


def test_result_is_in_sorted_key_order() -> None:
    assert list(split_cents(10_000, {"cem": 1, "ann": 1, "bob": 1})) == ["ann", "bob", "cem"]


def test_two_cents_left_over_go_to_the_first_two_keys() -> None:
    assert split_cents(200, {3: 1, 1: 1, 2: 1}) == {1: 67, 2: 67, 3: 66}


def test_weighted_leftover_goes_to_largest_remainder() -> None:
    # quotas 33.33 and 66.67: the cent goes to the larger remainder (b), not the first key.
    assert split_cents(100, {"a": 1, "b": 2}) == {"a": 33, "b": 67}


def test_shares_split_exactly_when_divisible() -> None:
    assert split_cents(12_345, {"a": 2, "b": 1, "c": 2}) == {"a": 4938, "b": 2469, "c": 4938}


def test_negative_total_mirrors_positive_split() -> None:
    original = split_cents(10_000, {"ann": 1, "bob": 1, "cem": 1})
    reversal = split_cents(-10_000, {"bob": 1, "cem": 1, "ann": 1})
    assert reversal == {"ann": -3334, "bob": -3333, "cem": -3333}
    assert all(original[k] + reversal[k] == 0 for k in original)


def test_zero_total_and_zero_weights() -> None:
    assert split_cents(0, {"a": 1, "b": 3}) == {"a": 0, "b": 0}
    assert split_cents(7, {"a": 0, "b": 1, "c": 0}) == {"a": 0, "b": 7, "c": 0}


def test_one_cent_among_many() -> None:
    assert split_cents(1, {"z": 1, "y": 1, "x": 1}) == {"x": 1, "y": 0, "z": 0}
    assert split_cents(-1, {"z": 1, "y": 1, "x": 1}) == {"x": -1, "y": 0, "z": 0}


def test_mixed_key_types_are_ordered_stably() -> None:
    assert list(split_cents(5, {"b": 1, 2: 1, "a": 1, 1: 1})) == [1, 2, "a", "b"]
    assert split_cents(5, {"b": 1, 2: 1, "a": 1, 1: 1}) == {1: 2, 2: 1, "a": 1, "b": 1}


def test_huge_amounts_stay_exact() -> None:
    total = 10**30 + 1
    parts = split_cents(total, {"a": 10**20, "b": 1, "c": 3})
    assert sum(parts.values()) == total


# ------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (True, {"a": 1}, "total must be an int"),
        (1.0, {"a": 1}, "total must be an int"),
        ("100", {"a": 1}, "total must be an int"),
        (None, {"a": 1}, "total must be an int"),
        (100, {}, "must not be empty"),
        (100, [("a", 1)], "must be a mapping"),
        (100, {"a": True}, "weight for 'a' must be an int"),
        (100, {"a": 1.5}, "weight for 'a' must be an int"),
        (100, {"a": 1, "b": -1}, "must not be negative"),
        (100, {"a": 0, "b": 0}, "all weights are zero"),
        (100, {"a": 1, (1, "x"): 1, (1, 2): 1}, "mutually orderable"),
    ],
)
def test_split_cents_rejects_bad_input(total: object, weights: object, message: str) -> None:
    with pytest.raises(AllocationError, match=message):
        split_cents(total, weights)  # type: ignore[arg-type]


def test_allocation_error_is_a_value_error() -> None:
    assert issubclass(AllocationError, ValueError)
    assert issubclass(AmountMismatchError, AllocationError)


def test_canonical_order() -> None:
    assert canonical_order(["b", 2, "a", 10, 1]) == [1, 2, 10, "a", "b"]


# ------------------------------------------------------------------------- split_exact


def test_split_exact_accepts_matching_amounts_in_sorted_order() -> None:
    result = split_exact(10_000, {"bob": 2_500, "ann": 7_500, "cem": 0})
    assert result == {"ann": 7_500, "bob": 2_500, "cem": 0}
    assert list(result) == ["ann", "bob", "cem"]


def test_split_exact_reversal() -> None:
    assert split_exact(-300, {"a": -100, "b": -200}) == {"a": -100, "b": -200}


def test_split_exact_reports_shortfall_in_cents() -> None:
    shortfall = r"instead of 10000 cents: 2 cent\(s\) too little"
    with pytest.raises(AmountMismatchError, match=shortfall) as info:
        split_exact(10_000, {"ann": 7_500, "bob": 2_498})
    assert (info.value.total, info.value.assigned, info.value.difference) == (10_000, 9_998, -2)


def test_split_exact_reports_excess_in_cents() -> None:
    with pytest.raises(AmountMismatchError, match=r"3 cent\(s\) too much") as info:
        split_exact(100, {"a": 50, "b": 53})
    assert info.value.difference == 3


def test_split_exact_reversal_mismatch_is_stated_in_magnitude() -> None:
    with pytest.raises(AmountMismatchError, match=r"5 cent\(s\) too much") as info:
        split_exact(-100, {"a": -105})
    assert info.value.difference == -5


@pytest.mark.parametrize(
    ("total", "amounts", "message"),
    [
        (False, {"a": 0}, "total must be an int"),
        (100, {}, "must not be empty"),
        (100, {"a": 100.0}, "amount for 'a' must be an int"),
        (100, {"a": True, "b": 99}, "amount for 'a' must be an int"),
        (100, {"a": 150, "b": -50}, "must be non-negative"),
        (-100, {"a": -150, "b": 50}, "must be non-positive"),
    ],
)
def test_split_exact_rejects_bad_input(total: object, amounts: object, message: str) -> None:
    with pytest.raises(AllocationError, match=message):
        split_exact(total, amounts)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- properties


def _quota(total: int, weights: dict[object, int], key: object) -> Fraction:
    return Fraction(total * weights[key], sum(weights.values()))


@fast
@given(total=totals, weights=weights_st)
def test_parts_sum_exactly_to_total(total: int, weights: dict[object, int]) -> None:
    assert sum(split_cents(total, weights).values()) == total


@fast
@given(total=totals, weights=weights_st)
def test_each_part_is_floor_or_ceil_of_its_quota(total: int, weights: dict[object, int]) -> None:
    parts = split_cents(total, weights)
    assert parts.keys() == weights.keys()
    for key, part in parts.items():
        quota = _quota(total, weights, key)
        assert part in (math.floor(quota), math.ceil(quota))


@fast
@given(total=totals, weights=weights_st)
def test_zero_weight_gets_zero(total: int, weights: dict[object, int]) -> None:
    parts = split_cents(total, weights)
    assert all(parts[k] == 0 for k, w in weights.items() if w == 0)


@fast
@given(total=totals, people=st.lists(keys, min_size=1, max_size=30, unique=True))
def test_equal_weights_differ_by_at_most_one_cent(total: int, people: list[object]) -> None:
    parts = split_cents(total, dict.fromkeys(people, 1))
    assert max(parts.values()) - min(parts.values()) <= 1
    # The extra cents go to the first keys in sorted order.
    in_order = [abs(parts[k]) for k in canonical_order(people)]
    assert in_order == sorted(in_order, reverse=True)


@fast
@given(total=totals, weights=weights_st)
def test_larger_weight_never_gets_less(total: int, weights: dict[object, int]) -> None:
    parts = split_cents(total, weights)
    for a in weights:
        for b in weights:
            if weights[a] > weights[b]:
                assert abs(parts[a]) >= abs(parts[b])


@fast
@given(total=totals, weights=weights_st, data=st.data())
def test_independent_of_insertion_order(
    total: int, weights: dict[object, int], data: st.DataObject
) -> None:
    shuffled = dict(data.draw(st.permutations(list(weights.items()))))
    first = split_cents(total, weights)
    second = split_cents(total, shuffled)
    assert first == second
    assert list(first) == list(second)


@fast
@given(total=totals, weights=weights_st)
def test_reversal_mirrors_original(total: int, weights: dict[object, int]) -> None:
    original = split_cents(total, weights)
    reversal = split_cents(-total, weights)
    assert all(original[k] == -reversal[k] for k in weights)


@fast
@given(amounts=st.dictionaries(keys, st.integers(0, 10**6), min_size=1, max_size=10))
def test_split_exact_round_trip_and_mismatch(amounts: dict[object, int]) -> None:
    total = sum(amounts.values())
    assert split_exact(total, amounts) == amounts
    with pytest.raises(AmountMismatchError) as info:
        split_exact(total + 3, amounts)
    assert info.value.difference == -3
