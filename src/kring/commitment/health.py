"""The network health scorecard: the seven conditions, each 0–100, from plain numbers.

Pure: it takes a :class:`HealthInputs` (every share between 0 and 1, ``None`` for "no data")
and returns one :class:`Condition` per condition with its score, the formula in words and a
concrete tip. Gathering the numbers is :mod:`kring.commitment.health_data`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

#: Below this a condition is shown as "to improve" and its tip is highlighted.
GOOD = 70


@dataclass(frozen=True)
class HealthInputs:
    external_effort_share: float | None = None  # focus
    acquaintance_coverage: float | None = None  # people
    objectives_on_track_share: float | None = None  # results
    intentions_stated_share: float | None = None  # results
    agenda_share: float | None = None  # online-offline
    minutes_share: float | None = None
    follow_up_share: float | None = None
    median_engagement: float | None = None  # commitment (0–100)
    agenda_read_rate: float | None = None
    cost_coverage: float | None = None  # organisation
    ledger_transparency: float | None = None
    spontaneous_share: float | None = None  # growth


@dataclass(frozen=True)
class Condition:
    key: str
    name: str
    score: int | None
    formula: str
    tip: str

    @property
    def to_improve(self) -> bool:
        return self.score is not None and self.score < GOOD


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def _mean(*values: float | None) -> int | None:
    present = [_clamp(v) for v in values if v is not None]
    if not present:
        return None
    return round(100 * sum(present) / len(present))


def scorecard(i: HealthInputs) -> list[Condition]:
    commitment_parts = [
        None if i.median_engagement is None else i.median_engagement / 100,
        i.agenda_read_rate,
    ]
    return [
        Condition(
            "focus",
            str(_("Focus")),
            _mean(i.external_effort_share),
            str(_("Share of the logged effort that went to the external objectives.")),
            str(
                _(
                    "Start each gathering with the objective outside the network; log "
                    "the hours you spend on it."
                )
            ),
        ),
        Condition(
            "people",
            str(_("People")),
            _mean(i.acquaintance_coverage),
            str(_("Share of all pairs of members who have met through an introduction.")),
            str(
                _(
                    "Run an introduction round so that everyone meets two people they "
                    "do not know yet."
                )
            ),
        ),
        Condition(
            "results",
            str(_("Results")),
            _mean(i.objectives_on_track_share, i.intentions_stated_share),
            str(_("Mean of: objectives on track, and members who stated an intention.")),
            str(
                _(
                    "Ask every member to state one intention for the next quarter and "
                    "review the objectives that are behind."
                )
            ),
        ),
        Condition(
            "online_offline",
            str(_("Online and offline")),
            _mean(i.agenda_share, i.minutes_share, i.follow_up_share),
            str(
                _(
                    "Mean of: gatherings with an agenda online, with minutes, and with "
                    "follow-up (action items) online."
                )
            ),
            str(
                _(
                    "Put the agenda online a week before and the minutes within two "
                    "days after each gathering."
                )
            ),
        ),
        Condition(
            "commitment",
            str(_("Commitment")),
            _mean(*commitment_parts),
            str(
                _(
                    "Mean of: the median engagement score, and the share of agendas read "
                    "before the meeting."
                )
            ),
            str(
                _(
                    "Call the members who may need a hand; remind everyone of the "
                    "charter when it changes."
                )
            ),
        ),
        Condition(
            "organisation",
            str(_("Organisation")),
            _mean(i.cost_coverage, i.ledger_transparency),
            str(
                _("Mean of: costs covered by contributions, and costs shared openly in the ledger.")
            ),
            str(_("Record every shared cost in the ledger and settle up after each gathering.")),
        ),
        Condition(
            "growth",
            str(_("Growth")),
            _mean(i.spontaneous_share),
            str(
                _(
                    "Share of the applications of the past year that came spontaneously "
                    "(on their own, the public page, social media or a gathering "
                    "visit)."
                )
            ),
            str(
                _(
                    "Switch on the public page and tell what the network achieved; invite "
                    "guests to a gathering."
                )
            ),
        ),
    ]


def overall(conditions: list[Condition]) -> int | None:
    scores = [c.score for c in conditions if c.score is not None]
    return round(sum(scores) / len(scores)) if scores else None
