"""Golden cases for the engagement formula and the health scorecard (pure, no database)."""

from __future__ import annotations

import pytest

from kring.commitment import engagement, health
from kring.commitment.engagement import Activity, Targets


def test_all_parts_full_is_100() -> None:
    a = Activity(
        gatherings_held=4,
        gatherings_attended=4,
        agendas_read=4,
        actions_due=2,
        actions_on_time=2,
        introductions=2,
        introductions_met=2,
        contributions=3,
        posts=2,
        comments=1,
    )
    assert engagement.score(a).score == 100


def test_golden_mixed_history() -> None:
    # attendance 3/4=.75*30=22.5, agenda 1/3*15=5, actions 1/2*20=10, intros 1/1*15=15,
    # contributions 0/3*10=0, conversation (1+1)/3*10=6.667 -> 59.17 -> 59
    a = Activity(
        gatherings_held=4,
        gatherings_attended=3,
        agendas_read=1,
        actions_due=2,
        actions_on_time=1,
        introductions=1,
        introductions_met=1,
        contributions=0,
        posts=1,
        comments=1,
    )
    result = engagement.score(a)
    assert result.score == 59
    assert result.missing == []


def test_missing_sources_are_left_out_and_weights_rescaled() -> None:
    # only gatherings: attendance 1/2 (30) and agenda 1/1 (15): (15+15)/45 = 66.7 -> 67
    a = Activity(gatherings_held=2, gatherings_attended=1, agendas_read=1)
    result = engagement.score(a)
    assert result.score == 67
    assert set(result.missing) == {"actions", "introductions", "contributions", "conversation"}


def test_no_gatherings_held_means_no_attendance_part() -> None:
    a = Activity(
        gatherings_held=0, gatherings_attended=0, agendas_read=0, actions_due=1, actions_on_time=0
    )
    result = engagement.score(a)
    assert result.score == 0
    assert "attendance" in result.missing and "agenda" in result.missing


def test_nothing_at_all_is_no_score() -> None:
    assert engagement.score(Activity()).score is None


def test_targets_cap_at_one() -> None:
    a = Activity(contributions=30, posts=50, comments=0)
    assert engagement.score(a, Targets(contributions=3, conversation=3)).score == 100


def test_meets_charter() -> None:
    a = Activity(gatherings_held=3, gatherings_attended=2, agendas_read=0, contributions=1)
    assert engagement.meets_charter(a) == {
        "attendance": True,
        "agenda": False,
        "contributions": False,
    }


@pytest.mark.parametrize(
    ("values", "expected"), [([], None), ([5], 5.0), ([1, 9], 5.0), ([3, 1, 2], 2.0)]
)
def test_median(values: list[int], expected: float | None) -> None:
    assert engagement.median(values) == expected


def test_distribution_bands() -> None:
    assert engagement.distribution([0, 19, 20, 79, 80, 100]) == [2, 1, 0, 1, 2]


def test_scorecard_formulas() -> None:
    cards = {
        c.key: c
        for c in health.scorecard(
            health.HealthInputs(
                external_effort_share=0.8,
                acquaintance_coverage=0.25,
                objectives_on_track_share=0.5,
                intentions_stated_share=1.0,
                agenda_share=1.0,
                minutes_share=0.5,
                follow_up_share=0.0,
                median_engagement=60,
                agenda_read_rate=0.4,
                cost_coverage=None,
                ledger_transparency=None,
                spontaneous_share=0.75,
            )
        )
    }
    assert cards["focus"].score == 80
    assert cards["people"].score == 25 and cards["people"].to_improve
    assert cards["results"].score == 75
    assert cards["online_offline"].score == 50
    assert cards["commitment"].score == 50
    assert cards["organisation"].score is None and not cards["organisation"].to_improve
    assert cards["growth"].score == 75
    assert all(c.formula and c.tip for c in cards.values())
    assert health.overall(list(cards.values())) == round((80 + 25 + 75 + 50 + 50 + 75) / 6)
