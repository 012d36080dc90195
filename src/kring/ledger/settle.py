"""Settle-up: the fewest transfers that bring every balance in a group to zero.

Pure money core of the ledger (no Django). Balances are integer *cents*, keyed by any
hashable, orderable participant key. A **positive balance means the person is owed money**
(they paid more than their share); a negative balance means they owe money. Every transfer
goes from someone with a negative balance (``payer``) to someone with a positive balance
(``payee``).

Public API:

* :func:`settle_up` -- the transfers to make; exactly minimal in number whenever at most
  :data:`EXACT_LIMIT` people remain after pairing off exact opposites, a bounded heuristic
  otherwise.
* :func:`settle_greedy` -- the plain greedy baseline (largest debtor pays largest creditor).
* :func:`min_transfers` -- the exact minimum number of transfers (small groups only).
* :func:`lower_bound` -- a cheap lower bound on that minimum, for any group size.
* :class:`Transfer`, :class:`SettleError`, :class:`UnbalancedError`.

Algorithm, guarantees, complexity and measured figures: ``docs/algorithms/settle-up.md``.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from kring.ledger.allocation import canonical_key

__all__ = [
    "EXACT_LIMIT",
    "SettleError",
    "Transfer",
    "UnbalancedError",
    "lower_bound",
    "min_transfers",
    "settle_greedy",
    "settle_up",
]

#: Largest number of people (left after pairing off exact opposites) for which
#: :func:`settle_up` computes an exactly minimal plan. The subset DP costs O(n * 2^n)
#: time and O(2^n) memory: measured about 50 ms and 18 MB peak at n = 20.
EXACT_LIMIT = 20

#: Work bound of the triple search in the heuristic: at most this many pair sums are
#: examined per side (creditor = two debtors, debtor = two creditors). That covers every
#: pair for up to ~5,600 people on a side and caps the search at roughly 0.2 s.
TRIPLE_PAIR_BUDGET = 16_000_000

# Hash-table survivors checked in Python per row of the triple search.
_CANDIDATES_PER_ROW = 64

#: Work bound of the quadruple search: debtors and creditors are taken in blocks of at most
#: this many (by amount), and only quadruples inside a block are searched (about 1.1
#: million creditor pair sums per block).
QUAD_BLOCK = 1_500

# Partner sums tried per debtor in the quadruple search.
_QUAD_TRIES = 8

# Above this magnitude subset sums might overflow int64; fall back to Python ints.
_INT64_SAFE = 1 << 62


@dataclass(frozen=True, slots=True)
class Transfer[K]:
    """``payer`` pays ``cents`` (always > 0) to ``payee`` (never the same person)."""

    payer: K
    payee: K
    cents: int


class SettleError(ValueError):
    """Raised when balances cannot be settled because the input is invalid."""


class UnbalancedError(SettleError):
    """Raised when the balances do not add up to zero.

    ``imbalance`` is the sum of the balances in cents (what the group is "off by").
    """

    def __init__(self, imbalance: int) -> None:
        self.imbalance = imbalance
        side = "more owed than owing" if imbalance > 0 else "more owing than owed"
        super().__init__(
            f"balances must sum to zero but sum to {imbalance:+d} cents "
            f"(off by {abs(imbalance)} cents, {side})"
        )


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def settle_up[K](balances: Mapping[K, int], *, exact_limit: int = EXACT_LIMIT) -> list[Transfer[K]]:
    """Return transfers that bring every balance to zero, as few as we can guarantee.

    Let *n* be the number of people with a non-zero balance. The result always has:

    * every balance at exactly zero once the transfers are applied;
    * at most ``n - 1`` transfers, none to oneself, none of zero cents;
    * payers only among people who owe (negative balance), payees only among people who
      are owed, so nobody both pays and receives, and the total moved is the sum of the
      positive balances -- the least money that any plan has to move;
    * a deterministic result that depends only on the contents of ``balances`` (ties are
      broken by the sorted order of the keys, see
      :func:`kring.ledger.allocation.canonical_key`), sorted by ``(payer, payee)``.

    The number of transfers is **exactly minimal** (``n`` minus the largest number of
    disjoint zero-sum subgroups) whenever at most ``exact_limit`` people remain after
    pairing off people whose balances are exact opposites -- in particular whenever
    ``n <= 20``. Larger groups get a bounded heuristic (pairs, triples, quadruples, greedy,
    and never more transfers than :func:`settle_greedy`) that runs in well under a second
    for 10,000 people but is not guaranteed minimal.

    >>> settle_up({"ann": 6000, "bob": -3000, "cem": -3000})
    [Transfer(payer='bob', payee='ann', cents=3000), \
Transfer(payer='cem', payee='ann', cents=3000)]

    :param exact_limit: lower it (0..EXACT_LIMIT) to trade exactness for speed.
    :raises UnbalancedError: if the balances do not sum to zero.
    :raises SettleError: if a balance is not an ``int`` (``bool`` is rejected), the input
        is not a mapping, its keys cannot be ordered, or ``exact_limit`` is out of range.
    """
    if isinstance(exact_limit, bool) or not isinstance(exact_limit, int):
        raise SettleError("exact_limit must be an int")
    if not 0 <= exact_limit <= EXACT_LIMIT:
        raise SettleError(f"exact_limit must be between 0 and {EXACT_LIMIT}")
    people, values = _prepare(balances)
    everyone = list(range(len(values)))
    groups, rest = _pair_off(everyone, values)
    exact = len(rest) <= exact_limit
    if not exact:
        triples, rest = _pull_triples(rest, values, TRIPLE_PAIR_BUDGET)
        groups.extend(triples)
    if len(rest) > exact_limit:
        quads, rest = _pull_quads(rest, values)
        groups.extend(quads)
    if len(rest) <= exact_limit:
        groups.extend(_exact_partition(rest, values))
    elif rest:
        groups.append(rest)
    moves = [move for group in groups for move in _greedy(group, values)]
    if not exact:
        # Pulling out triples can, rarely, leave a remainder on which the greedy does
        # worse than on everyone; the plain greedy is cheap, so never return more.
        baseline = _greedy(everyone, values)
        if len(baseline) < len(moves):
            moves = baseline
    return _as_transfers(moves, people)


def settle_greedy[K](balances: Mapping[K, int]) -> list[Transfer[K]]:
    """Plain greedy baseline: repeatedly the largest debtor pays the largest creditor.

    Same validation, determinism and output order as :func:`settle_up`, at most ``n - 1``
    transfers, O(n log n) time, but no attempt to find zero-sum subgroups. Kept as the
    reference that :func:`settle_up` is measured against.
    """
    people, values = _prepare(balances)
    return _as_transfers(_greedy(list(range(len(values))), values), people)


def min_transfers(balances: Mapping[Any, int]) -> int:
    """Exact minimum number of transfers needed to settle ``balances``.

    Equal to ``n - g`` where ``n`` is the number of non-zero balances and ``g`` the largest
    number of disjoint zero-sum subgroups they can be partitioned into.

    :raises SettleError: as :func:`settle_up`, and also if more than :data:`EXACT_LIMIT`
        people remain after pairing off exact opposites (the problem is NP-hard).
    """
    _, values = _prepare(balances)
    pairs, rest = _pair_off(list(range(len(values))), values)
    if len(rest) > EXACT_LIMIT:
        raise SettleError(
            f"exact minimum is only computed for up to {EXACT_LIMIT} unpaired people, "
            f"got {len(rest)}"
        )
    return len(values) - len(pairs) - len(_exact_partition(rest, values))


# --------------------------------------------------------------------------------------
# Internals. People are referred to by their index ("rank") in canonical key order, so
# every tie-break below (lower index first) is a tie-break on sorted keys.
# --------------------------------------------------------------------------------------


def lower_bound(balances: Mapping[Any, int]) -> int:
    """A lower bound on the number of transfers of any plan, in O(n) for any group size.

    ``n - g`` transfers are needed for n people with a non-zero balance when they split
    into at most g disjoint zero-sum groups. A group of two is an exact-opposite pair
    (x and -x); every other group has at least three people. With P the largest number
    of disjoint exact-opposite pairs, g <= P + (n - 2P) // 3, so the bound is
    ``n - P - (n - 2P) // 3``.

    >>> lower_bound({"a": 5, "b": -5, "c": 3, "d": -1, "e": -2})
    3
    """
    people, values = _prepare(balances)
    pairs, rest = _pair_off(list(range(len(values))), values)
    return len(people) - len(pairs) - len(rest) // 3


def _prepare[K](balances: Mapping[K, int]) -> tuple[list[K], list[int]]:
    """Validate; return the people with a non-zero balance in canonical order, and those
    balances."""
    if not isinstance(balances, Mapping):
        raise SettleError(f"balances must be a mapping, got {type(balances).__name__}")
    for key, value in balances.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettleError(
                f"balance for {key!r} must be an int number of cents, "
                f"got {type(value).__name__}: {value!r}"
            )
    total = sum(int(v) for v in balances.values())
    if total != 0:
        raise UnbalancedError(total)
    try:
        people = sorted((k for k, v in balances.items() if v), key=_rank_key)
    except TypeError as exc:
        raise SettleError(f"participant keys must be mutually orderable: {exc}") from exc
    return people, [int(balances[k]) for k in people]


def _rank_key(key: Hashable) -> tuple[str, str, Any]:
    return canonical_key(key)


def _as_transfers[K](moves: list[tuple[int, int, int]], people: list[K]) -> list[Transfer[K]]:
    moves.sort()
    return [Transfer(people[payer], people[payee], cents) for payer, payee, cents in moves]


def _greedy(group: list[int], values: list[int]) -> list[tuple[int, int, int]]:
    """Largest debtor pays largest creditor until ``group`` (zero-sum) is settled.

    Each transfer zeroes at least one person and the last one zeroes two, so a group of m
    people takes at most m - 1 transfers -- exactly m - 1 when it has no zero-sum proper
    subgroup. Ties on amount go to the lower rank. O(m log m).
    """
    debtors = [(values[i], i) for i in group if values[i] < 0]  # most negative first
    creditors = [(-values[i], i) for i in group if values[i] > 0]  # largest credit first
    heapq.heapify(debtors)
    heapq.heapify(creditors)
    moves: list[tuple[int, int, int]] = []
    while debtors and creditors:
        owes, payer = heapq.heappop(debtors)
        owed, payee = heapq.heappop(creditors)
        cents = min(-owes, -owed)
        moves.append((payer, payee, cents))
        if -owes > cents:
            heapq.heappush(debtors, (owes + cents, payer))
        if -owed > cents:
            heapq.heappush(creditors, (owed + cents, payee))
    if debtors or creditors:  # pragma: no cover - groups are zero-sum by construction
        raise AssertionError("settle-up group does not sum to zero")
    return moves


def _pair_off(people: list[int], values: list[int]) -> tuple[list[list[int]], list[int]]:
    """Match people whose balances are exact opposites (x and -x) into two-person groups.

    Safe for exactness: some minimum plan always settles a maximum matching of exact
    opposites as separate pairs (if x and -x sit in different groups of an optimal
    partition, regrouping them as {x, -x} plus the rest of both groups keeps the group
    count; if they share a bigger group, splitting it off would add a group). The k-th
    creditor of an amount (by rank) is matched with the k-th debtor of that amount.
    O(n).
    """
    debtors: dict[int, deque[int]] = {}
    for i in people:
        if values[i] < 0:
            debtors.setdefault(-values[i], deque()).append(i)
    pairs: list[list[int]] = []
    matched: set[int] = set()
    for i in people:
        if values[i] > 0:
            queue = debtors.get(values[i])
            if queue:
                j = queue.popleft()
                pairs.append([i, j])
                matched.update((i, j))
    return pairs, [i for i in people if i not in matched]


def _pull_triples(
    people: list[int], values: list[int], budget: int
) -> tuple[list[list[int]], list[int]]:
    """Heuristic: pull out disjoint zero-sum triples (one person balancing two others).

    First creditors owed exactly what two debtors owe, then debtors owing exactly what
    two creditors are owed. For one side, the "two" candidates are sorted by (amount,
    rank); for each candidate a, in that order, the sums with every later candidate b
    that do not exceed the largest target amount are computed at once (numpy) and
    filtered through a hash table counting the target amounts still available; the few
    survivors are confirmed in a dict of targets. The first confirmed (a, b, target) is
    accepted, trying the largest b first.

    Bounded work: at most ``budget`` pair sums per side and at most
    ``_CANDIDATES_PER_ROW`` survivors checked per a, so O(n log n + budget) overall even
    on adversarial input (finding triples is 3SUM, quadratic in general).
    """
    if not people or max(abs(values[i]) for i in people) >= _INT64_SAFE // 4:
        return [], people
    groups: list[list[int]] = []
    used: set[int] = set()
    for sign in (1, -1):
        targets: dict[int, deque[int]] = {}
        halves: list[tuple[int, int]] = []
        for i in people:
            if i in used:
                continue
            amount = sign * values[i]
            if amount > 0:
                targets.setdefault(amount, deque()).append(i)
            else:
                halves.append((-amount, i))
        if not targets or len(halves) < 2:
            continue
        halves.sort()
        amounts = np.fromiter((a for a, _ in halves), dtype=np.int64, count=len(halves))
        target_amounts = np.fromiter(targets, dtype=np.int64, count=len(targets))
        # Hash table of the target amounts that still have someone available: a bitmap
        # with ~256 slots per amount (under 0.4 % false positives) and, on the side, how
        # many available amounts share each slot, to clear a slot once all are used up.
        slots = 1 << min(22, max(10, (256 * len(targets)).bit_length()))
        available = np.zeros(slots, dtype=np.bool_)
        available[target_amounts & (slots - 1)] = True
        load: dict[int, int] = {}
        for amount in targets:
            load[amount & (slots - 1)] = load.get(amount & (slots - 1), 0) + 1
        largest = int(target_amounts.max())
        # Row a may only pair with b < limits[a], where amounts[a] + amounts[b] <= largest.
        limits = np.searchsorted(amounts, largest - amounts, side="right")
        examined = 0
        for a in range(len(halves) - 1):
            hi = int(limits[a])
            if hi <= a + 1 or examined >= budget:
                break  # amounts only grow with a, so no later row has candidates either
            first = halves[a][1]
            if first in used:
                continue
            sums = amounts[a + 1 : hi] + amounts[a]
            examined += len(sums)
            candidates = np.flatnonzero(available[sums & (slots - 1)])
            # Largest partner first: the target then is as large as it can be, so small
            # amounts are not used up on each other and large ones are left stranded.
            for offset in candidates[::-1][:_CANDIDATES_PER_ROW].tolist():
                total = int(sums[offset])
                queue = targets.get(total)
                second = halves[a + 1 + offset][1]
                if not queue or second in used:
                    continue
                target = queue.popleft()
                if not queue:
                    load[total & (slots - 1)] -= 1
                    if not load[total & (slots - 1)]:
                        available[total & (slots - 1)] = False
                groups.append([target, first, second])
                used.update((target, first, second))
                break
    return groups, [i for i in people if i not in used]


def _pull_quads(people: list[int], values: list[int]) -> tuple[list[list[int]], list[int]]:
    """Heuristic: pull out disjoint zero-sum quadruples of two debtors and two creditors.

    Once triples are gone, the people left are mostly too large to be one person's sum of
    two others, but two debtors often owe exactly what two creditors are owed together
    (d1 + d2 = c1 + c2). Debtors and creditors are sorted by (amount, rank) and taken in
    blocks of ``QUAD_BLOCK``. Inside a block, the sums of every pair of creditors are
    counted (sorted unique sums with multiplicities); for each debtor a, smallest first,
    the sums with every other free debtor b are looked up at once (numpy) and, largest b
    first (so a small and a large amount go together, as in the triples), the first sum
    that some free pair of creditors makes is taken, with the largest such creditor.
    Taking a creditor removes its pairs from the counts.

    Bounded work: per block O(B^2 log B) numpy work for the pair sums and O(B) numpy
    calls of O(B) each, B = ``QUAD_BLOCK``; at most ``_QUAD_TRIES`` sums tried per debtor.
    """
    if not people or max(abs(values[i]) for i in people) >= _INT64_SAFE // 4:
        return [], people
    debt = sorted((-values[i], i) for i in people if values[i] < 0)
    cred = sorted((values[i], i) for i in people if values[i] > 0)
    groups: list[list[int]] = []
    for start in range(0, min(len(debt), len(cred)), QUAD_BLOCK):
        groups.extend(
            _quads_in_block(debt[start : start + QUAD_BLOCK], cred[start : start + QUAD_BLOCK])
        )
    used = {i for group in groups for i in group}
    return groups, [i for i in people if i not in used]


def _quads_in_block(debt: list[tuple[int, int]], cred: list[tuple[int, int]]) -> list[list[int]]:
    """Quadruples d1 + d2 = c1 + c2 among one block of (amount, person), both sorted."""
    if len(debt) < 2 or len(cred) < 2:
        return []
    d_amounts = np.fromiter((a for a, _ in debt), dtype=np.int64, count=len(debt))
    c_amounts = np.fromiter((a for a, _ in cred), dtype=np.int64, count=len(cred))
    first, second = np.triu_indices(len(cred), k=1)
    sums, counts = np.unique(c_amounts[first] + c_amounts[second], return_counts=True)
    counts = counts.astype(np.int64)
    d_free = np.ones(len(debt), dtype=np.bool_)
    c_free = np.ones(len(cred), dtype=np.bool_)
    by_amount: dict[int, list[int]] = {}
    for k, (amount, _) in enumerate(cred):
        by_amount.setdefault(amount, []).append(k)

    def take(k: int) -> None:
        c_free[k] = False
        others = np.flatnonzero(c_free)
        np.subtract.at(counts, np.searchsorted(sums, c_amounts[others] + c_amounts[k]), 1)
        by_amount[int(c_amounts[k])].remove(k)

    def creditors_for(total: int) -> tuple[int, int] | None:
        free = np.flatnonzero(c_free)
        fits = free[np.isin(total - c_amounts[free], c_amounts[free])]
        for k in fits[::-1].tolist():
            partner = next((x for x in by_amount[total - int(c_amounts[k])] if x != k), None)
            if partner is not None:
                return k, partner
        return None

    groups: list[list[int]] = []
    for a in range(len(debt) - 1):
        if not d_free[a]:
            continue
        d_free[a] = False
        partners = np.flatnonzero(d_free)
        totals = d_amounts[partners] + d_amounts[a]
        where = np.minimum(np.searchsorted(sums, totals), len(sums) - 1)
        hits = np.flatnonzero((sums[where] == totals) & (counts[where] > 0))
        for h in hits[::-1][:_QUAD_TRIES].tolist():
            pair = creditors_for(int(totals[h]))
            if pair is None:
                continue
            b = int(partners[h])
            d_free[b] = False
            take(pair[0])
            take(pair[1])
            groups.append([cred[pair[0]][1], cred[pair[1]][1], debt[a][1], debt[b][1]])
            break
        else:
            d_free[a] = True  # stays available as another debtor's partner
    return groups


def _exact_partition(people: list[int], values: list[int]) -> list[list[int]]:
    """Partition zero-sum ``people`` into the largest number of zero-sum groups.

    Assumes no exact opposites are left (see :func:`_pair_off`), so every group other
    than the whole has at least 3 people and sets of up to 5 are a single group.

    Otherwise a DP over all 2^m subsets: ``best[S]`` is the largest number of nested
    zero-sum subsets in a chain inside S, i.e. ``best[S] = [sum(S) == 0] + max over i in
    S of best[S - {i}]``; ``best[everyone]`` is the largest number of groups. Subsets are
    processed by popcount layers, each layer vectorised with numpy: O(m * 2^m) time and
    O(2^m) memory. Walking back down from the full set along the maxima yields a chain of
    zero-sum subsets whose differences are the groups. The walk removes the lowest rank
    that keeps the maximum, which makes the result deterministic.
    """
    m = len(people)
    if m <= 5:
        return [people] if people else []
    size = 1 << m
    dtype: Any = np.int64
    if max(abs(values[i]) for i in people) * m >= _INT64_SAFE:
        dtype = object  # balances beyond ~10^15 euros: exact, just slower
    sums = np.zeros(size, dtype=dtype)
    for bit, i in enumerate(people):
        low = 1 << bit
        sums[low : 2 * low] = sums[:low] + values[i]
    zero = (sums == 0).astype(np.int8)
    zero[0] = 0
    del sums
    popcount = np.bitwise_count(np.arange(size, dtype=np.uint32))
    order = np.argsort(popcount, kind="stable")
    ends = np.cumsum(np.bincount(popcount, minlength=m + 1)).tolist()
    del popcount
    best = np.zeros(size, dtype=np.int8)
    for layer_size in range(1, m + 1):
        layer = order[ends[layer_size - 1] : ends[layer_size]]
        top = np.zeros(len(layer), dtype=np.int8)
        for bit in range(m):
            # For masks without this bit, `layer & ~bit` is the mask itself, whose value
            # is still 0 (not computed yet), so it never wins the max.
            np.maximum(top, best[layer & ~(1 << bit)], out=top)
        best[layer] = top + zero[layer]

    groups: list[list[int]] = []
    current: list[int] = []
    mask = size - 1
    while mask:
        if zero[mask] and current:
            groups.append(current)
            current = []
        need = int(best[mask]) - int(zero[mask])
        for bit in range(m):
            if mask >> bit & 1 and int(best[mask ^ (1 << bit)]) == need:
                break
        else:  # pragma: no cover - the maximum always comes from some predecessor
            raise AssertionError("settle-up DP walk found no predecessor")
        current.append(people[bit])
        mask ^= 1 << bit
    groups.append(current)
    return groups
