"""The bridge between the database and the pure engine (``kring.introductions.engine``).

Keys are user ids; a profile's ``name`` is the user id as text so the engine's structured
reasons (``Score.details``) can be rendered later with display names, in the reader's language.
Guests at a table plan are ``GuestKey``s (their answer's id): people with no history and an
empty profile, seated as the engine's newcomers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kring.introductions import engine
from kring.introductions.engine import Profile


@dataclass(frozen=True, order=True)
class GuestKey:
    """A guest's key for the engine: the id of their answer (``gatherings.Rsvp``), kept apart
    from user ids by its type."""

    rsvp_id: int


#: A seat at a table: a user id or a guest.
Seat = int | GuestKey

#: A guest's profile: no tags, so a score of 0 with everyone (and no reasons).
EMPTY_PROFILE = Profile(frozenset(), frozenset(), frozenset(), frozenset())


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


def make_profile(user_id: int, tags: Mapping[str, Iterable[str]]) -> Profile:
    return Profile(
        frozenset(tags.get("passion", ())),
        frozenset(tags.get("talent", ())),
        frozenset(tags.get("offer", ())),
        frozenset(tags.get("seek", ())),
        name=str(user_id),
    )


def pair_details(a: Profile, b: Profile) -> tuple[float, list[Any]]:
    s = engine.score(a, b)
    return float(s.value), [_jsonable(d) for d in s.details]


def group_details(
    members: Sequence[Seat], profiles: Mapping[int, Profile]
) -> tuple[float, list[dict]]:
    """The score and reasons of a group: over its pairs of members (guests have none)."""
    total, out = 0.0, []
    ms = list(members)
    for i, a in enumerate(ms):
        for b in ms[i + 1 :]:
            if isinstance(a, int) and isinstance(b, int) and a in profiles and b in profiles:
                value, details = pair_details(profiles[a], profiles[b])
                total += value
                out.append({"pair": [a, b], "score": value, "details": details})
    return total, out


def _jsonable(value: Any) -> Any:
    if isinstance(value, (tuple, list, frozenset, set)):
        return [_jsonable(v) for v in value]
    return value


def pair_round(
    profiles: Mapping[int, Profile],
    *,
    met: Collection[frozenset[int]] = (),
    blocked: Collection[frozenset[int]] = (),
    last_met: Mapping[frozenset[int], int] | None = None,
    seed: int = 0,
) -> RoundResult:
    result = engine.pair_round(
        dict(profiles),
        list(met),
        seed=seed,
        blocked=list(blocked),
        last_met=dict(last_met) if last_met else None,
    )
    groups = []
    blocked_set = set(blocked)
    for g in result.groups:
        members = tuple(g.members)
        value, details = group_details(members, profiles)
        if any(frozenset(p["pair"]) in blocked_set for p in details):
            raise AssertionError("the engine paired a blocked pair")  # pragma: no cover
        groups.append(GroupResult(members=members, score=value, details=details))
    total = float(result.total)
    bound = float(result.upper_bound)
    return RoundResult(
        groups=groups,
        total=total,
        upper_bound=max(bound, total),
        unmatched=tuple(result.unmatched),
    )


def seat_tables(
    members: Sequence[int],
    table_size: int,
    rotations: int,
    *,
    guests: Sequence[int] = (),
    met: Collection[frozenset[int]] = (),
    profiles: Mapping[int, Profile] | None = None,
    seed: int = 0,
) -> list[list[tuple[Seat, ...]]]:
    """Tables per rotation for members (user ids) and guests (answer ids, as ``GuestKey``s:
    newcomers to everyone, spread over the tables)."""
    guest_keys = [GuestKey(g) for g in guests]
    people: list[Seat] = [*members, *guest_keys]
    seat_profiles: dict[Seat, Profile] | None = None
    if profiles is not None:  # a guest has no tags: a score of 0 with everyone
        seat_profiles = {key: profile for key, profile in profiles.items()}
        seat_profiles.update(dict.fromkeys(guest_keys, EMPTY_PROFILE))
    plan = engine.seat_tables(
        people,
        table_size,
        rotations,
        [frozenset[Seat](p) for p in met],
        seat_profiles,
        newcomers=guest_keys,
        seed=seed,
    )
    return [[tuple(t) for t in rot] for rot in plan]
