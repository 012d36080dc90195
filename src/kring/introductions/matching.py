"""The bridge between the database and the pure engine (``kring.introductions.engine``).

Keys are user ids; a profile's ``name`` is the user id as text so the engine's structured
reasons (``Score.details``) can be rendered later with display names, in the reader's language.
When the engine is not importable (it is developed alongside), a small greedy stand-in keeps the
product usable; it is clearly weaker and says so in its upper bound (a valid but loose one).
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class GroupResult:
    members: tuple[int, ...]
    score: float
    #: Per pair within the group: {"pair": [a, b], "details": [...]}.
    details: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class RoundResult:
    groups: list[GroupResult]
    total: float
    upper_bound: float
    unmatched: tuple[int, ...] = ()


def _engine() -> Any | None:
    try:
        from kring.introductions import engine
    except ImportError:
        return None
    if not all(hasattr(engine, n) for n in ("Profile", "score", "pair_round", "seat_tables")):
        return None
    return engine


def make_profile(user_id: int, tags: Mapping[str, Iterable[str]]) -> Any:
    eng = _engine()
    args = (
        frozenset(tags.get("passion", ())),
        frozenset(tags.get("talent", ())),
        frozenset(tags.get("offer", ())),
        frozenset(tags.get("seek", ())),
    )
    if eng is not None:
        return eng.Profile(*args, name=str(user_id))
    return _FallbackProfile(*args, name=str(user_id))


def pair_details(a: Any, b: Any) -> tuple[float, list[list[Any]]]:
    eng = _engine()
    s = eng.score(a, b) if eng is not None else _fallback_score(a, b)
    return float(s.value), [_jsonable(d) for d in getattr(s, "details", ())]


def group_details(members: Sequence[int], profiles: Mapping[int, Any]) -> tuple[float, list[dict]]:
    total, out = 0.0, []
    ms = list(members)
    for i, a in enumerate(ms):
        for b in ms[i + 1 :]:
            if a in profiles and b in profiles:
                value, details = pair_details(profiles[a], profiles[b])
                total += value
                out.append({"pair": [a, b], "score": value, "details": details})
    return total, out


def _jsonable(value: Any) -> Any:
    if isinstance(value, (tuple, list, frozenset, set)):
        return [_jsonable(v) for v in value]
    return value


def pair_round(
    profiles: Mapping[int, Any],
    *,
    met: Collection[frozenset[int]] = (),
    blocked: Collection[frozenset[int]] = (),
    last_met: Mapping[frozenset[int], int] | None = None,
    seed: int = 0,
) -> RoundResult:
    eng = _engine()
    if eng is None:
        return _fallback_round(profiles, met=met, blocked=blocked, seed=seed)
    kwargs: dict[str, Any] = {"seed": seed}
    params = inspect.signature(eng.pair_round).parameters
    if "blocked" in params:
        kwargs["blocked"] = list(blocked)
    if "last_met" in params and last_met:
        kwargs["last_met"] = dict(last_met)
    result = eng.pair_round(dict(profiles), list(met), **kwargs)
    groups = []
    blocked_set = set(blocked)
    for g in result.groups:
        members = tuple(getattr(g, "members", g))
        value, details = group_details(members, profiles)
        if any(frozenset(p["pair"]) in blocked_set for p in details):
            raise AssertionError("the engine paired a blocked pair")  # pragma: no cover
        groups.append(GroupResult(members=members, score=value, details=details))
    total = float(getattr(result, "total", sum(g.score for g in groups)))
    bound = float(getattr(result, "upper_bound", total))
    return RoundResult(
        groups=groups,
        total=total,
        upper_bound=max(bound, total),
        unmatched=tuple(getattr(result, "unmatched", ()) or ()),
    )


def seat_tables(
    members: Sequence[int],
    table_size: int,
    rotations: int,
    *,
    met: Collection[frozenset[int]] = (),
    profiles: Mapping[int, Any] | None = None,
    seed: int = 0,
) -> list[list[tuple[int, ...]]]:
    eng = _engine()
    if eng is not None:
        try:
            plan = eng.seat_tables(
                list(members), table_size, rotations, list(met), profiles, seed=seed
            )
        except NotImplementedError:
            pass  # the engine's seating is still to come: use the stand-in
        else:
            return [[tuple(t) for t in rot] for rot in plan]
    return _fallback_tables(list(members), table_size, rotations, seed=seed)


# --- the stand-in ------------------------------------------------------------------------


@dataclass(frozen=True)
class _FallbackProfile:
    passions: frozenset[str]
    talents: frozenset[str]
    offers: frozenset[str]
    seeks: frozenset[str]
    name: str = ""


@dataclass(frozen=True)
class _FallbackScore:
    value: float
    details: tuple[tuple[Any, ...], ...] = ()


def _fallback_score(a: Any, b: Any) -> _FallbackScore:
    value, details = 0.0, []
    for g, t in ((a, b), (b, a)):
        common = sorted(g.offers & t.seeks)
        if common:
            value += 3 * len(common)
            details.append(("offers", g.name, t.name, tuple(common)))
    shared = sorted(a.passions & b.passions)
    if shared:
        value += len(shared)
        details.append(("shared_passions", tuple(shared)))
    return _FallbackScore(value=value, details=tuple(details))


def _fallback_round(
    profiles: Mapping[int, Any],
    *,
    met: Collection[frozenset[int]],
    blocked: Collection[frozenset[int]],
    seed: int,
) -> RoundResult:
    keys = sorted(profiles)
    random.Random(seed).shuffle(keys)
    met_set, blocked_set = set(met), set(blocked)
    scores = {}
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if frozenset((a, b)) not in blocked_set:
                scores[(a, b)] = _fallback_score(profiles[a], profiles[b]).value
    taken: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for repeat_ok in (False, True):
        for (a, b), _v in sorted(scores.items(), key=lambda kv: -kv[1]):
            if a in taken or b in taken or (not repeat_ok and frozenset((a, b)) in met_set):
                continue
            pairs.append((a, b))
            taken |= {a, b}
    left = [k for k in keys if k not in taken]
    groups_m: list[tuple[int, ...]] = [p for p in pairs]
    for k in left:  # odd one out: join the best pair it may join
        options = [
            i
            for i, g in enumerate(groups_m)
            if len(g) == 2 and not any(frozenset((k, m)) in blocked_set for m in g)
        ]
        if options:
            i = options[0]
            groups_m[i] = groups_m[i] + (k,)
    groups = []
    for g in groups_m:
        value, details = group_details(g, profiles)
        groups.append(GroupResult(members=g, score=value, details=details))
    total = sum(g.score for g in groups)
    best = {
        k: sorted((v for (a, b), v in scores.items() if k in (a, b)), reverse=True) for k in keys
    }
    bound = sum(sum(best[k][:2]) for k in keys) / 2
    unmatched = tuple(k for k in keys if not any(k in g for g in groups_m))
    return RoundResult(
        groups=groups, total=total, upper_bound=max(bound, total), unmatched=unmatched
    )


def _fallback_tables(
    members: list[int], table_size: int, rotations: int, *, seed: int
) -> list[list[tuple[int, ...]]]:
    rng = random.Random(seed)
    n = len(members)
    tables = max(1, -(-n // table_size))
    plan = []
    for _r in range(rotations):
        order = members[:]
        rng.shuffle(order)
        plan.append([tuple(order[i::tables]) for i in range(tables) if order[i::tables]])
    return plan
