"""The introductions page's unbound forms come from the fragment cache
(kring.core.fragments.form_html): each viewer sees their own saved answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kring.introductions.models import Introduction, Participant, Round

pytestmark = pytest.mark.django_db


def _url(name: str, **kw: Any) -> str:
    return reverse(name, kwargs={"slug": "testnet", **kw})


def test_each_viewer_sees_their_own_answers_in_the_cached_forms(
    client: Any, crowd: dict[str, Any], published: Round
) -> None:
    """The page's unbound forms come from the fragment cache (kring.core.fragments.form_html):
    one member's saved outcome, note and preferences never show in another's forms."""
    intro = Introduction.objects.get(round=published, participants__user=crowd["member"])
    client.force_login(crowd["member"])
    client.post(
        _url("introductions:outcome", intro_id=intro.pk), {"outcome": "met", "note": "Koffie"}
    )
    client.post(_url("introductions:preferences"), {"paused": "on"})
    mine = client.get(_url("introductions:index")).content.decode()
    assert 'value="met" required id="id_outcome_0" checked' in mine and "Koffie</textarea>" in mine
    assert 'name="paused" id="id_paused" checked' in mine
    other = (
        Participant.objects.filter(introduction__round=published)
        .exclude(introduction=intro)
        .first()
        .user
    )
    client.force_login(other)
    theirs = client.get(_url("introductions:index")).content.decode()
    assert "Koffie" not in theirs and 'value="met" required id="id_outcome_0" checked' not in theirs
    assert 'name="paused" id="id_paused" checked' not in theirs
    client.force_login(crowd["member"])
    assert client.get(_url("introductions:index")).content.decode().count("Koffie</textarea>") == 1
