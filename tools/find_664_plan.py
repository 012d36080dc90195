"""Find the stored 6-6-4 seating plan of ``kring.introductions.engine._tables`` again.

34 people at 6 tables (sizes 6, 6, 6, 6, 5, 5) for 4 rotations with no pair seated twice; the
engine's tabu search does not find one, so the plan is stored (``_GOLFER_6_6_4``). This is the
exact model that found it (docs/algorithms/introductions.md, "Stored 6-6-4 plan"):

* rotations 1 and 2 are the rows and the columns of a 6x6 grid without the diagonal cells
  (4, 4) and (5, 5) (no loss of generality: any two rotations of such a plan can be drawn so);
* binaries ``x[p, r, t]`` seat person ``p`` at table ``t`` in rotation ``r`` (3 or 4); every
  person sits once per rotation, the tables have 6, 6, 6, 6, 5 and 5 seats;
* a table meets every grid row and every grid column at most once (no repeat with rotations
  1 and 2), and two people share a table in at most one of rotations 3 and 4;
* two people in full rows and columns sit only at tables of 6 and never together; they become
  people 32 and 33, so keeping people ``0..n-1`` gives repeat-free plans for 32 and 33 people
  with table sizes within one.

Solved with scipy's HiGHS (``scipy.optimize.milp``), about 70 s on an idle machine. The plan
found may differ from the stored one by a relabelling (any valid plan will do); the script
checks it and prints it in the stored format.

    uv run python tools/find_664_plan.py [--time-limit SECONDS]
"""

from __future__ import annotations

import argparse
import sys
from itertools import combinations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

SIZE = 6
CELLS = [(i, j) for i in range(SIZE) for j in range(SIZE) if (i, j) not in {(4, 4), (5, 5)}]
PEOPLE = len(CELLS)  # 34
SEATS = (6, 6, 6, 6, 5, 5)
FREE_ROTATIONS = 2  # rotations 3 and 4
A, B = CELLS.index((0, 1)), CELLS.index((1, 0))  # full rows and columns; become 33 and 32


def var(p: int, r: int, t: int) -> int:
    return (p * FREE_ROTATIONS + r) * SIZE + t


def solve(time_limit: float) -> list[list[list[int]]]:
    n_vars = PEOPLE * FREE_ROTATIONS * SIZE
    rows: list[tuple[dict[int, float], float, float]] = []
    for p in range(PEOPLE):
        for r in range(FREE_ROTATIONS):
            rows.append(({var(p, r, t): 1 for t in range(SIZE)}, 1, 1))
    for r in range(FREE_ROTATIONS):
        for t, seats in enumerate(SEATS):
            rows.append(({var(p, r, t): 1 for p in range(PEOPLE)}, seats, seats))
            for line in range(SIZE):
                in_row = [p for p, (i, _j) in enumerate(CELLS) if i == line]
                in_col = [p for p, (_i, j) in enumerate(CELLS) if j == line]
                rows.append(({var(p, r, t): 1 for p in in_row}, 0, 1))
                rows.append(({var(p, r, t): 1 for p in in_col}, 0, 1))
            rows.append(({var(A, r, t): 1, var(B, r, t): 1}, 0, 1))
    for p, q in combinations(range(PEOPLE), 2):
        (pi, pj), (qi, qj) = CELLS[p], CELLS[q]
        if pi == qi or pj == qj:
            continue  # met in rotation 1 or 2: the row and column rules keep them apart
        for t in range(SIZE):
            for u in range(SIZE):
                rows.append(
                    ({var(p, 0, t): 1, var(q, 0, t): 1, var(p, 1, u): 1, var(q, 1, u): 1}, 0, 3)
                )
    matrix = lil_matrix((len(rows), n_vars))
    lower, upper = np.empty(len(rows)), np.empty(len(rows))
    for k, (coeffs, lo, hi) in enumerate(rows):
        for v, c in coeffs.items():
            matrix[k, v] = c
        lower[k], upper[k] = lo, hi
    ub = np.ones(n_vars)
    for r in range(FREE_ROTATIONS):  # the two special people only at tables of 6
        for t, seats in enumerate(SEATS):
            if seats < 6:
                ub[var(A, r, t)] = ub[var(B, r, t)] = 0
    result = milp(
        c=np.zeros(n_vars),
        constraints=LinearConstraint(matrix.tocsr(), lower, upper),
        integrality=np.ones(n_vars),
        bounds=Bounds(np.zeros(n_vars), ub),
        options={"time_limit": time_limit, "disp": False},
    )
    if result.x is None:
        sys.exit(f"no plan within {time_limit} s: {result.message}")
    x = np.round(result.x).astype(int)
    grid_rows = [[p for p, (i, _j) in enumerate(CELLS) if i == k] for k in range(SIZE)]
    grid_cols = [[p for p, (_i, j) in enumerate(CELLS) if j == k] for k in range(SIZE)]
    free = [
        [[p for p in range(PEOPLE) if x[var(p, r, t)]] for t in range(SIZE)]
        for r in range(FREE_ROTATIONS)
    ]
    return [grid_rows, grid_cols, *free]


def relabel(plan: list[list[list[int]]]) -> list[list[list[int]]]:
    """People A and B become 33 and 32, the others 0..31 in grid order."""
    others = [p for p in range(PEOPLE) if p not in (A, B)]
    label = {p: k for k, p in enumerate(others)} | {B: 32, A: 33}
    return [sorted(sorted(label[p] for p in table) for table in rnd) for rnd in plan]


def check(plan: list[list[list[int]]]) -> None:
    for n in (32, 33, 34):
        seen: set[frozenset[int]] = set()
        for rnd in plan:
            sizes = [len([p for p in table if p < n]) for table in rnd]
            assert max(sizes) - min(sizes) <= 1, (n, sizes)
            for table in rnd:
                for pair in combinations([p for p in table if p < n], 2):
                    assert frozenset(pair) not in seen, (n, pair)
                    seen.add(frozenset(pair))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=900.0)
    args = parser.parse_args()
    plan = relabel(solve(args.time_limit))
    check(plan)
    print("_GOLFER_6_6_4 = (")
    for rnd in plan:
        print('    "' + " ".join(",".join(map(str, table)) for table in rnd) + '",')
    print(")")


if __name__ == "__main__":
    main()
