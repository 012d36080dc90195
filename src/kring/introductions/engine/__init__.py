"""Pure introductions engine: pair scores, pairing rounds and table seating.

No Django here (an import-linter contract enforces it).  The algorithms, their guarantees
and the proof of the upper bound are in docs/algorithms/introductions.md.
"""

from ._pairing import (
    DEFAULT_TIME_BUDGET,
    EXACT_MAX_N,
    Group,
    Round,
    canonical_order,
    pair_round,
)
from ._scoring import (
    CAP_TALENTS,
    W_OFFER,
    W_PASSION,
    W_TALENT,
    Profile,
    Score,
    ScoreMatrix,
    normalise_tag,
    score,
)
from ._tables import seat_tables

__all__ = [
    "CAP_TALENTS",
    "DEFAULT_TIME_BUDGET",
    "EXACT_MAX_N",
    "W_OFFER",
    "W_PASSION",
    "W_TALENT",
    "Group",
    "Profile",
    "Round",
    "Score",
    "ScoreMatrix",
    "canonical_order",
    "normalise_tag",
    "pair_round",
    "score",
    "seat_tables",
]
