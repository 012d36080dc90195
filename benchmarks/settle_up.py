"""Benchmark kring.ledger.settle.settle_up against the plain greedy and the exact minimum.

Run from the repository root:

    python3 -m uv run python benchmarks/settle_up.py

Everything is seeded, so the transfer counts are reproducible; timings depend on the
machine (best of a few runs, wall clock).

Two kinds of input:

* **mixed** -- a realistic group: about half the people sit in small zero-sum subgroups
  (someone lent someone money: a pair; one person paid for two or three others: a triple
  or a quadruple), the rest have arbitrary balances of up to EUR 500, all in cents.
  ``planted`` is the number of transfers of the plan that settles each planted subgroup
  on its own and the rest greedily: an upper bound on the optimum.
* **uniform** -- balances drawn uniformly from +-EUR 100,000 (no structure to find), the
  last one fixed so that they sum to zero.
* **small** -- balances drawn uniformly from +-EUR 500 in cents, the last one fixed: many
  people, few distinct amounts, so exact opposites, triples and quadruples abound.

``bound`` is :func:`kring.ledger.settle.lower_bound` (people with a non-zero balance, minus
the exact-opposite pairs, minus a third of the rest); ``ratio`` is settle_up / bound. The
goal at n = 10,000 on **small** is a ratio of at most 1.05 in at most 1 s.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from typing import Any

from kring.ledger.settle import EXACT_LIMIT, lower_bound, min_transfers, settle_greedy, settle_up

SEED = 20_260_101
SIZES = (10, 20, 100, 1_000, 10_000)


def mixed_group(n: int, rng: random.Random) -> tuple[dict[str, int], int]:
    """Return (balances, planted plan size) for a realistic group of n people."""
    values: list[int] = []
    planted_groups = 0
    while len(values) < n // 2:
        size = rng.choice((2, 2, 3, 3, 4))
        shares = [rng.randint(100, 20_000) for _ in range(size - 1)]
        values.extend([sum(shares), *(-s for s in shares)])  # one paid for the others
        planted_groups += 1
    rest = [rng.randint(-50_000, 50_000) for _ in range(n - len(values) - 1)]
    rest.append(-sum(rest))
    values.extend(rest)
    rng.shuffle(values)
    nonzero = sum(1 for v in values if v)
    planted = nonzero - planted_groups - (1 if any(rest) else 0)
    return {f"member-{i:05d}": v for i, v in enumerate(values)}, planted


def uniform_group(n: int, rng: random.Random, spread: int = 10_000_000) -> dict[str, int]:
    values = [rng.randint(-spread, spread) for _ in range(n - 1)]
    values.append(-sum(values))
    return {f"member-{i:05d}": v for i, v in enumerate(values)}


def timed(function: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return result, best


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def main() -> None:
    rng = random.Random(SEED)
    header = (
        f"{'input':<8} {'n':>6} | {'settle_up':>9} {'time':>12} | {'greedy':>7} {'time':>12} "
        f"| {'exact min':>9} | {'planted':>7} | {'bound':>6} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for kind in ("mixed", "uniform", "small"):
        for n in SIZES:
            if kind == "mixed":
                balances, planted = mixed_group(n, rng)
                planted_text = f"{planted:>7}"
            elif kind == "uniform":
                balances, planted_text = uniform_group(n, rng), f"{'-':>7}"
            else:
                balances, planted_text = uniform_group(n, rng, 50_000), f"{'-':>7}"
            repeat = 5 if n <= 1_000 else 3
            plan, plan_time = timed(partial(settle_up, balances), repeat)
            greedy, greedy_time = timed(partial(settle_greedy, balances), repeat)
            exact = f"{min_transfers(balances):>9}" if n <= EXACT_LIMIT else f"{'-':>9}"
            bound = lower_bound(balances)
            print(
                f"{kind:<8} {n:>6} | {len(plan):>9} {ms(plan_time)} | {len(greedy):>7} "
                f"{ms(greedy_time)} | {exact} | {planted_text} "
                f"| {bound:>6} {len(plan) / bound if bound else 1:>6.3f}"
            )

    print()
    print("Worst case of the exact path: n distinct balances, no exact opposites to pair off")
    print(f"{'n':>4} | {'transfers':>9} | {'time':>12} | {'peak memory':>11}")
    for n in (12, 16, 18, 20):
        values = [rng.randint(1, 10**6) * 2 + 1 for _ in range(n - 1)]
        values.append(-sum(values))
        balances = {f"member-{i:02d}": v for i, v in enumerate(values)}
        settle_up(balances)  # warm up numpy
        tracemalloc.start()
        plan, elapsed = timed(partial(settle_up, balances), 3)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{n:>4} | {len(plan):>9} | {ms(elapsed)} | {peak / 2**20:>8.1f} MB")


if __name__ == "__main__":
    main()
