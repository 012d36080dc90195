"""Cent-exact splitting of an amount between participants.

This module is the pure money core used by the ledger's split methods. It knows nothing
about Django, currencies or people: amounts are integer *cents* (the smallest unit of the
currency) and participants are arbitrary hashable, orderable keys (user ids, usernames...).

Two functions:

* :func:`split_cents` -- split a total proportionally to integer weights with the
  largest-remainder method ("equal shares" is simply all weights ``1``).
* :func:`split_exact` -- validate amounts that the user typed in ("exact amounts" split
  method) against the total.

Both return a new ``dict`` whose keys are in *canonical order* (see :func:`canonical_key`),
so the result never depends on the insertion order of the mapping that was passed in.

See ``docs/algorithms/splitting.md`` for the algorithm, its guarantees and its limits.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

__all__ = [
    "AllocationError",
    "AmountMismatchError",
    "canonical_key",
    "canonical_order",
    "split_cents",
    "split_exact",
]


class AllocationError(ValueError):
    """Raised when a split cannot be computed because its input is invalid."""


class AmountMismatchError(AllocationError):
    """Raised by :func:`split_exact` when the exact amounts do not add up to the total.

    ``difference`` is ``assigned - total`` in cents (signed). The message states the gap
    in absolute cents and whether the amounts are too large or too small in magnitude,
    which reads the same for an expense and for its (negative) reversal.
    """

    def __init__(self, total: int, assigned: int) -> None:
        self.total = total
        self.assigned = assigned
        self.difference = assigned - total
        how = "too much" if abs(assigned) > abs(total) else "too little"
        super().__init__(
            f"exact amounts add up to {assigned} cents instead of {total} cents: "
            f"{abs(self.difference)} cent(s) {how}"
        )


def canonical_key(key: Hashable) -> tuple[str, str, Any]:
    """Sort key giving a stable, total order over participant keys.

    Keys of one type are ordered naturally (``sorted`` order for ints, strs, UUIDs...).
    Keys of different types (say ints mixed with strs) are grouped by the type's qualified
    name first, so a mix never raises and never depends on insertion order.
    """
    kind = type(key)
    return (kind.__module__, kind.__qualname__, key)


def canonical_order[K](keys: Iterable[K]) -> list[K]:
    """Return ``keys`` sorted by :func:`canonical_key`.

    Raises :class:`AllocationError` if keys of one type cannot be compared with each other.
    """
    try:
        return sorted(keys, key=canonical_key)
    except TypeError as exc:
        raise AllocationError(f"participant keys must be mutually orderable: {exc}") from exc


def _is_int(value: object) -> bool:
    # bool is an int subclass, but True/False as an amount is a bug, never an amount.
    return isinstance(value, int) and not isinstance(value, bool)


def _check_total(total: object) -> int:
    if isinstance(total, bool) or not isinstance(total, int):
        raise AllocationError(
            f"total must be an int number of cents, got {type(total).__name__}: {total!r}"
        )
    return int(total)


def _check_mapping(values: object, what: str) -> None:
    if not isinstance(values, Mapping):
        raise AllocationError(f"{what} must be a mapping, got {type(values).__name__}")
    if not values:
        raise AllocationError(f"{what} must not be empty: there is nobody to split between")


def split_cents[K](total: int, weights: Mapping[K, int]) -> dict[K, int]:
    """Split ``total`` cents between the keys of ``weights``, proportionally to the weights.

    Largest-remainder method (Hamilton's method): every key first gets the floor of its
    exact quota ``total * weight / sum(weights)``; the cents left over (fewer than the
    number of keys) go one each to the keys with the largest fractional remainders. Ties
    between equal remainders go to the key that comes first in canonical (sorted) order.

    Guarantees, for a non-negative ``total``:

    * the parts add up to exactly ``total``;
    * every part is the floor or the ceiling of its exact quota (within one cent);
    * keys with equal weights get parts that differ by at most one cent, and the extra
      cent goes to the key first in sorted order;
    * a larger weight never gets a smaller part;
    * a key with weight ``0`` gets ``0``;
    * the result depends only on the *contents* of ``weights``, never on its order.

    A negative ``total`` (a reversal or refund) is split as ``-split_cents(-total, weights)``
    so that a reversal mirrors the original split cent for cent and they cancel exactly.
    All guarantees above hold for the absolute values.

    >>> split_cents(10_000, {"ann": 1, "bob": 1, "cem": 1})
    {'ann': 3334, 'bob': 3333, 'cem': 3333}
    >>> split_cents(-10_000, {"bob": 1, "cem": 1, "ann": 1})
    {'ann': -3334, 'bob': -3333, 'cem': -3333}

    :raises AllocationError: if ``total`` or a weight is not an ``int`` (``bool`` is
        rejected), a weight is negative, all weights are zero, ``weights`` is empty or not
        a mapping, or its keys cannot be ordered.
    """
    amount = _check_total(total)
    _check_mapping(weights, "weights")
    for key, weight in weights.items():
        if not _is_int(weight):
            raise AllocationError(
                f"weight for {key!r} must be an int, got {type(weight).__name__}: {weight!r}"
            )
        if weight < 0:
            raise AllocationError(f"weight for {key!r} must not be negative, got {weight}")
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        raise AllocationError("at least one weight must be positive; all weights are zero")
    keys = canonical_order(weights)

    if amount < 0:
        mirrored = _largest_remainder(-amount, keys, weights, weight_sum)
        return {key: -part for key, part in mirrored.items()}
    return _largest_remainder(amount, keys, weights, weight_sum)


def _largest_remainder[K](
    amount: int, keys: list[K], weights: Mapping[K, int], weight_sum: int
) -> dict[K, int]:
    """Largest-remainder split of a non-negative ``amount``; ``keys`` in canonical order."""
    parts: dict[K, int] = {}
    remainders: list[tuple[int, int, K]] = []
    for rank, key in enumerate(keys):
        floor, remainder = divmod(amount * int(weights[key]), weight_sum)
        parts[key] = floor
        remainders.append((-remainder, rank, key))
    leftover = amount - sum(parts.values())
    # 0 <= leftover < len(keys). Remainders sum to leftover * weight_sum and each is below
    # weight_sum, so more than `leftover` keys have a non-zero remainder: zero-weight keys
    # (remainder 0) never receive a leftover cent.
    remainders.sort()
    for _, _, key in remainders[:leftover]:
        parts[key] += 1
    return parts


def split_exact[K](total: int, amounts: Mapping[K, int]) -> dict[K, int]:
    """Validate the "exact amounts" split method and return the amounts in canonical order.

    The amounts must be ints (not bools) that add up to exactly ``total``. They must all
    have the sign of ``total``: non-negative for a normal expense, non-positive for a
    reversal (zero amounts are always allowed), so that nobody is *credited* by an expense
    they share.

    >>> split_exact(10_000, {"bob": 2_500, "ann": 7_500})
    {'ann': 7500, 'bob': 2500}

    :raises AmountMismatchError: if the amounts do not add up to ``total``; the message and
        the ``difference`` attribute give the discrepancy in cents.
    :raises AllocationError: for any other invalid input (types, signs, empty mapping,
        unorderable keys).
    """
    expected = _check_total(total)
    _check_mapping(amounts, "amounts")
    for key, amount in amounts.items():
        if not _is_int(amount):
            raise AllocationError(
                f"amount for {key!r} must be an int number of cents, "
                f"got {type(amount).__name__}: {amount!r}"
            )
        if (expected >= 0 and amount < 0) or (expected < 0 and amount > 0):
            sign = "non-negative" if expected >= 0 else "non-positive"
            raise AllocationError(
                f"amount for {key!r} is {amount} cents, but amounts must be {sign} "
                f"for a total of {expected} cents"
            )
    keys = canonical_order(amounts)
    assigned = sum(amounts.values())
    if assigned != expected:
        raise AmountMismatchError(expected, assigned)
    return {key: int(amounts[key]) for key in keys}
