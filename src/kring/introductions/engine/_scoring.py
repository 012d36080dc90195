"""Profiles, pair scores and the vectorised score matrix.

Pure Python + numpy/scipy; no Django.  See docs/algorithms/introductions.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from kring.core.tags import normalise_tag

__all__ = [
    "CAP_TALENTS",
    "W_OFFER",
    "W_PASSION",
    "W_TALENT",
    "Profile",
    "Score",
    "normalise_tag",
    "score",
]

#: Points for every tag one person offers that the other seeks (counted in both directions).
W_OFFER = 3.0
#: Points for every passion both share.
W_PASSION = 1.0
#: Points per unit of "different talents": min(|A \ B|, |B \ A|), capped at CAP_TALENTS units.
W_TALENT = 0.5
CAP_TALENTS = 2


def _tagset(values: Iterable[str], what: str) -> frozenset[str]:
    if isinstance(values, str):
        raise TypeError(f"Profile.{what} must be a collection of tags, not a single string")
    out = []
    for v in values:
        if not isinstance(v, str):
            raise TypeError(f"Profile.{what} must contain strings, got {type(v).__name__}")
        out.append(v)
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Profile:
    """What a member brings and looks for. Tags are free text; matching is on normalised tags."""

    passions: frozenset[str]
    talents: frozenset[str]
    offers: frozenset[str]
    seeks: frozenset[str]
    name: str = field(default="", kw_only=True)
    # normalised tag -> display spelling (first spelling in sorted order), per field
    _norm: tuple[dict[str, str], ...] = field(
        init=False, repr=False, compare=False, hash=False, default=()
    )

    def __post_init__(self) -> None:
        norms = []
        for what in ("passions", "talents", "offers", "seeks"):
            tags = _tagset(getattr(self, what), what)
            object.__setattr__(self, what, tags)
            d: dict[str, str] = {}
            for t in sorted(tags):
                k = normalise_tag(t)
                if k:
                    d.setdefault(k, t.strip())
            norms.append(d)
        object.__setattr__(self, "_norm", tuple(norms))

    @property
    def normalised(self) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
        """(passions, talents, offers, seeks) as sets of normalised tags."""
        p, t, o, s = (frozenset(d) for d in self._norm)
        return p, t, o, s


@dataclass(frozen=True, slots=True)
class Score:
    """A pair score.

    ``details`` is the structured, translatable form of ``reasons``:

    * ``("offers", giver_name, taker_name, tags)`` -- giver offers ``tags`` that taker seeks;
    * ``("shared_passions", tags)``;
    * ``("different_talents", name_a, tags_only_a, name_b, tags_only_b)``.

    ``tags`` are tuples of display spellings, sorted by normalised form.
    ``reasons`` holds default English sentences, one per detail.
    """

    value: float
    reasons: tuple[str, ...] = ()
    details: tuple[tuple[object, ...], ...] = ()


def _join(tags: Sequence[str]) -> str:
    tags = list(tags)
    if len(tags) <= 1:
        return "".join(tags)
    return ", ".join(tags[:-1]) + " and " + tags[-1]


def _display(d: dict[str, str], keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(d[k] for k in sorted(keys))


def score(a: Profile, b: Profile) -> Score:
    """Score a pair: complementarity both ways, shared passions, different talents.

    value = W_OFFER * (|offers_a & seeks_b| + |offers_b & seeks_a|)
          + W_PASSION * |passions_a & passions_b|
          + W_TALENT * min(CAP_TALENTS, |talents_a - talents_b|, |talents_b - talents_a|)

    Symmetric in value and >= 0.  Names default to "A" and "B" in the English sentences.
    """
    pa, ta, oa, sa = a._norm
    pb, tb, ob, sb = b._norm
    na, nb = a.name or "A", b.name or "B"
    details: list[tuple[object, ...]] = []
    reasons: list[str] = []
    value = 0.0
    for gname, offers, tname, seeks in ((na, oa, nb, sb), (nb, ob, na, sa)):
        common = offers.keys() & seeks.keys()
        if common:
            tags = _display(offers, common)
            value += W_OFFER * len(common)
            details.append(("offers", gname, tname, tags))
            reasons.append(f"{gname} offers {_join(tags)}, which {tname} is looking for")
    shared = pa.keys() & pb.keys()
    if shared:
        tags = _display(pa, shared)
        value += W_PASSION * len(shared)
        details.append(("shared_passions", tags))
        reasons.append(f"you share a passion for {_join(tags)}")
    only_a = ta.keys() - tb.keys()
    only_b = tb.keys() - ta.keys()
    units = min(CAP_TALENTS, len(only_a), len(only_b))
    if units > 0:
        value += W_TALENT * units
        ta_tags, tb_tags = _display(ta, only_a), _display(tb, only_b)
        details.append(("different_talents", na, ta_tags, nb, tb_tags))
        reasons.append(f"{na} brings {_join(ta_tags)} and {nb} brings {_join(tb_tags)}")
    return Score(value=value, reasons=tuple(reasons), details=tuple(details))


# --------------------------------------------------------------------------- matrix


class ScoreMatrix:
    """Incidence matrices of a list of profiles; computes blocks of the score matrix.

    Every entry equals ``score(p[i], p[j]).value`` exactly (all weights are multiples of 1/2,
    exactly representable in float32 and float64).  Cost of one row block of r rows:
    O(r * n + nnz(tags of the block) * n) time and O(r * n) memory.
    """

    def __init__(self, profiles: Sequence[Profile]) -> None:
        n = len(profiles)
        self.n = n
        vocab_skill: dict[str, int] = {}
        vocab_pass: dict[str, int] = {}
        vocab_tal: dict[str, int] = {}

        def incidence(field_index: int, vocab: dict[str, int]) -> tuple[list[int], list[int]]:
            rows: list[int] = []
            cols: list[int] = []
            for i, p in enumerate(profiles):
                for t in p._norm[field_index]:
                    rows.append(i)
                    cols.append(vocab.setdefault(t, len(vocab)))
            return rows, cols

        parts = {
            "P": incidence(0, vocab_pass),
            "T": incidence(1, vocab_tal),
            "O": incidence(2, vocab_skill),
            "S": incidence(3, vocab_skill),
        }
        sizes = {
            "P": len(vocab_pass),
            "T": len(vocab_tal),
            "O": len(vocab_skill),
            "S": len(vocab_skill),
        }
        mats = {}
        for key, (rows, cols) in parts.items():
            mats[key] = sp.csr_matrix(
                (np.ones(len(rows), np.float32), (rows, cols)), shape=(n, max(sizes[key], 1))
            )
        # left factor [O | S | P] (sparse, rows) times right factor [W_OFFER*S ; W_OFFER*O ; P]^T
        self._left = sp.hstack([mats["O"], mats["S"], mats["P"]], format="csr")
        right = sp.hstack(
            [mats["S"] * W_OFFER, mats["O"] * W_OFFER, mats["P"] * W_PASSION], format="csr"
        )
        self._right_t = np.ascontiguousarray(right.T.toarray(), dtype=np.float32)
        self._tal = mats["T"]
        # talent term = W_TALENT * min(CAP, min(|A|,|B|) - |A & B|)
        #             = min(W_TALENT * CAP, h_a min h_b - W_TALENT * |A & B|), h = W_TALENT*|T|
        self._tal_t = np.ascontiguousarray(mats["T"].T.toarray() * W_TALENT, dtype=np.float32)
        self._thalf = np.asarray(mats["T"].sum(axis=1), dtype=np.float32).ravel() * W_TALENT
        self._has_talents = bool(mats["T"].nnz)

    def block(self, r0: int, r1: int, out: np.ndarray | None = None) -> np.ndarray:
        """Scores of rows r0:r1 against all n columns (diagonal included, not masked)."""
        b = np.asarray(self._left[r0:r1] @ self._right_t, dtype=np.float32)
        if out is None:
            out = np.empty_like(b)
        if self._has_talents:
            t = np.minimum(self._thalf[r0:r1, None], self._thalf[None, :])
            t -= np.asarray(self._tal[r0:r1] @ self._tal_t, dtype=np.float32)
            np.minimum(t, np.float32(W_TALENT * CAP_TALENTS), out=t)
            np.add(b, t, out=out)
        else:
            out[...] = b
        return out

    def dense(self, dtype: type = np.float64, chunk: int = 256) -> np.ndarray:
        """The full n x n score matrix with a zero diagonal."""
        out: np.ndarray = np.empty((self.n, self.n), dtype=dtype)
        for r0 in range(0, self.n, chunk):
            r1 = min(self.n, r0 + chunk)
            if dtype == np.float32:
                self.block(r0, r1, out=out[r0:r1])
            else:
                out[r0:r1] = self.block(r0, r1)
        np.fill_diagonal(out, 0.0)
        return out
