"""Benchmark of the introductions engine (kring.introductions.engine).

    python3 -m uv run python benchmarks/introductions.py [--quick] [--seed N]

Prints markdown tables: pairing quality and speed against networkx.max_weight_matching
(exact blossom) and against certified optima/bounds, successive rounds, and table seating.
Profiles are random with Zipf-distributed tag popularity, so a few skills are in demand by
many people (hubs).  Each large case runs in its own process so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kring.introductions.engine import (
    Profile,
    _matching,
    pair_round,
    score,
    seat_tables,
)
from kring.introductions.engine._scoring import ScoreMatrix


def make_profiles(n: int, seed: int, skills: int = 300, passions: int = 80, zipf: float = 1.1):
    """Tags by Zipf popularity; demand (seeks) follows a different order than supply."""
    rng = np.random.default_rng(seed)

    def pop(v: int) -> np.ndarray:
        p = 1.0 / np.arange(1, v + 1) ** zipf
        return p / p.sum()

    p_skill, p_pass = pop(skills), pop(passions)
    p_seek = p_skill[rng.permutation(skills)]

    def draw(lo: int, hi: int, p: np.ndarray, prefix: str) -> frozenset[str]:
        k = int(rng.integers(lo, hi + 1))
        return frozenset(f"{prefix}{t}" for t in rng.choice(p.size, size=k, replace=False, p=p))

    return {
        i: Profile(
            draw(1, 4, p_pass, "passion-"),
            draw(1, 5, p_skill, "skill-"),
            draw(1, 5, p_skill, "skill-"),
            draw(1, 4, p_seek, "skill-"),
        )
        for i in range(n)
    }


def timed(fn, *args, **kwargs):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - w0, time.process_time() - c0


def in_child(fn, *args):
    """Run fn(*args) in a fresh process; return (result, peak RSS in MB of that process)."""
    ctx = mp.get_context("fork")
    with ctx.Pool(1, maxtasksperchild=1) as pool:
        result = pool.apply(_child_entry, (fn, args))
    return result


def _child_entry(fn, args):
    out = fn(*args)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out, peak_mb


# --------------------------------------------------------------------------- cases


def case_vs_networkx(n: int, seed: int):
    import networkx as nx

    profs = make_profiles(n, seed)
    rnd, wall, cpu = timed(pair_round, profs)
    g = nx.Graph()
    keys = list(profs)
    for a, b in combinations(keys, 2):
        g.add_edge(a, b, weight=score(profs[a], profs[b]).value)
    m, nx_wall, nx_cpu = timed(nx.max_weight_matching, g)
    ref = sum(g[a][b]["weight"] for a, b in m)
    return dict(
        n=n,
        total=rnd.total,
        ref=ref,
        bound=rnd.upper_bound,
        wall=wall,
        cpu=cpu,
        ref_wall=nx_wall,
        ref_cpu=nx_cpu,
        optimal=rnd.optimal,
    )


def exact_optimum(n: int, seed: int, budget: float = 600.0):
    """Certified optimum of one round: engine duals u (feasible for every pair), then an
    exact HiGHS MIP on all pairs with reduced cost < delta = sum(u) - value; every matching
    using another pair weighs <= sum(u) - delta (see docs/algorithms/introductions.md)."""
    profs = make_profiles(n, seed)
    keys = list(profs)
    W = ScoreMatrix([profs[k] for k in keys]).dense()
    np.fill_diagonal(W, -np.inf)
    res = _matching.solve_matching(W, deadline=time.monotonic() + budget, certify_edges=0)
    value = _matching.matching_weight(W, res.mate)
    total_u = float(res.u.sum())
    ia, ja, delta = _matching.edges_below(W, res.u, total_u - value + 1e-9, cap=400_000)
    both = _matching.EdgeSet(n)
    both.add(ia, ja)
    both.add(*_matching._mate_edges(res.mate))
    ea, eb = both.arrays()
    _mate, best, proven = _matching.exact_on_edges(
        n, ea, eb, W[ea, eb], time_limit=budget, nodes=10**7
    )
    opt = max(best, value)
    certified = proven and opt >= total_u - delta - 1e-9
    return dict(opt=opt, lp=total_u, certified=certified, edges=int(ea.size))


def case_round(n: int, seed: int, time_budget: float = 30.0):
    profs = make_profiles(n, seed)
    rnd, wall, cpu = timed(pair_round, profs, time_budget=time_budget)
    return dict(
        n=n,
        total=rnd.total,
        bound=rnd.upper_bound,
        wall=wall,
        cpu=cpu,
        optimal=rnd.optimal,
        timed_out=rnd.timed_out,
    )


def warm_up(seed: int) -> None:
    """One small round through the large-round path: compiles and caches its kernels."""
    from kring.introductions.engine import _pairing

    _pairing.SPARSE_MIN_N = 11  # this child process only
    pair_round(make_profiles(300, seed))


def case_successive(n: int, rounds: int, seed: int):
    profs = make_profiles(n, seed)
    met: list[frozenset[int]] = []
    rows = []
    for r in range(rounds):
        rnd, wall, cpu = timed(pair_round, profs, met, seed=r)
        rows.append(
            dict(
                round=r + 1,
                total=rnd.total,
                bound=rnd.upper_bound,
                repeats=len(rnd.repeats),
                wall=wall,
                cpu=cpu,
            )
        )
        met += [frozenset(p) for g in rnd.groups for p in combinations(g.members, 2)]
    return rows


def case_tables(n: int, size: int, rounds: int, seed: int):
    plan, wall, cpu = timed(seat_tables, list(range(n)), size, rounds, seed=seed)
    counts: dict[frozenset[int], int] = {}
    for rot in plan:
        for t in rot:
            for p in combinations(t, 2):
                counts[frozenset(p)] = counts.get(frozenset(p), 0) + 1
    return dict(
        n=n,
        size=size,
        rounds=rounds,
        wall=wall,
        cpu=cpu,
        max=max(counts.values()),
        repeats=sum(c - 1 for c in counts.values()),
    )


# --------------------------------------------------------------------------- main


def large(seed: int) -> None:
    """Rounds past SPARSE_MIN_N: no n x n matrix; the bound is certified over all pairs.
    500 and 2,000 (the dense path) are listed alongside for comparison.  The first large
    round after an install compiles the numba kernels (seconds, then cached on disk): a
    small warm-up round on the large-round path runs first and is not timed."""
    print("## Sparse large rounds vs their certified upper bound (over all pairs)\n")
    print("| n | engine total | certified bound | % of bound | wall s | CPU s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    in_child(warm_up, seed)
    for n in (500, 2_000, 20_000, 50_000):
        r, peak = in_child(case_round, n, seed, 3600.0)
        print(
            f"| {n:,} | {r['total']:.1f} | {r['bound']:.2f} | "
            f"{100 * r['total'] / r['bound']:.3f} | {r['wall']:.2f} | {r['cpu']:.2f} "
            f"| {peak:.0f} |",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (about a minute)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--large",
        action="store_true",
        help="only the large rounds (500, 2,000, 20,000 and 50,000 people; minutes)",
    )
    args = ap.parse_args()
    seed = args.seed
    quick = args.quick
    if args.large:
        large(seed)
        return

    print("## Pairing vs networkx.max_weight_matching (exact blossom, complete graph)\n")
    print(
        "| n | engine total | networkx total | engine wall s | engine CPU s "
        "| networkx wall s | networkx CPU s | speed-up (wall, CPU) | certified bound "
        "| proven optimal |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in [200] if quick else [200, 500]:
        r, _ = in_child(case_vs_networkx, n, seed)
        print(
            f"| {n} | {r['total']:.1f} | {r['ref']:.1f} | {r['wall']:.3f} | {r['cpu']:.3f} "
            f"| {r['ref_wall']:.1f} | {r['ref_cpu']:.1f} "
            f"| {r['ref_wall'] / r['wall']:.0f}x, {r['ref_cpu'] / r['cpu']:.0f}x "
            f"| {r['bound']:.2f} "
            f"| {r['optimal']} |",
            flush=True,
        )

    print(
        "\n## Pairing vs the certified optimum (engine duals + exact HiGHS MIP on the "
        "pairs within the gap)\n"
    )
    print(
        "| n | engine total | optimum | % of optimum | engine wall s | engine CPU s "
        "| certified bound | optimum certified |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for n in [1000] if quick else [1000, 2000]:
        r, _ = in_child(case_round, n, seed)
        e, _ = in_child(exact_optimum, n, seed)
        print(
            f"| {n} | {r['total']:.1f} | {e['opt']:.1f} | {100 * r['total'] / e['opt']:.3f} "
            f"| {r['wall']:.3f} | {r['cpu']:.3f} | {r['bound']:.2f} | {e['certified']} |",
            flush=True,
        )

    print("\n## Large round vs its certified upper bound\n")
    print("| n | engine total | certified bound | % of bound | wall s | CPU s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for n in [3000] if quick else [10_000]:
        r, peak = in_child(case_round, n, seed)
        print(
            f"| {n} | {r['total']:.1f} | {r['bound']:.2f} | "
            f"{100 * r['total'] / r['bound']:.3f} | {r['wall']:.2f} | {r['cpu']:.2f} "
            f"| {peak:.0f} |",
            flush=True,
        )

    n_rounds = 300 if quick else 1000
    print(f"\n## 10 successive rounds at n = {n_rounds} (each round's pairs fed into `met`)\n")
    print("| round | total | certified bound | % of bound | repeats | wall s | CPU s |")
    print("|---|---|---|---|---|---|---|")
    rows, _ = in_child(case_successive, n_rounds, 10, seed)
    for r in rows:
        print(
            f"| {r['round']} | {r['total']:.1f} | {r['bound']:.2f} "
            f"| {100 * r['total'] / r['bound']:.3f} | {r['repeats']} | {r['wall']:.3f} "
            f"| {r['cpu']:.3f} |",
            flush=True,
        )

    print("\n## Table seating (0 repeated pairs wanted)\n")
    print(
        "| people | table size | rotations | max times a pair met | repeated sittings "
        "| wall s | CPU s |"
    )
    print("|---|---|---|---|---|---|---|")
    instances = [
        (32, 4, 9),
        (20, 4, 5),
        (24, 4, 5),
        (30, 5, 4),
        (36, 6, 3),
        (48, 6, 5),
        (61, 6, 4),
        (90, 6, 5),
        (100, 4, 5),
        (100, 5, 5),
        (100, 6, 5),
        (26, 5, 5),
        (29, 5, 5),
        (30, 5, 5),
        (34, 6, 4),
        (31, 6, 4),
        (34, 6, 5),
    ]
    if quick:
        instances = instances[:6]
    for n, size, rounds in instances:
        r = case_tables(n, size, rounds, seed)
        print(
            f"| {n} | {size} | {rounds} | {r['max']} | {r['repeats']} | {r['wall']:.2f} "
            f"| {r['cpu']:.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
