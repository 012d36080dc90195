from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kring.people.models import ApiToken

pytestmark = pytest.mark.django_db


def test_token_command_prints_one_token_per_email_in_order(host: Any, member: Any) -> None:
    out = StringIO()
    call_command("token", "create", member.email, host.email, stdout=out)
    lines = out.getvalue().split()
    assert len(lines) == 2
    for raw, user in zip(lines, [member, host], strict=True):
        me = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/me")
        assert me.status_code == 200 and me.json()["email"] == user.email
    # Only hashes are stored.
    assert not ApiToken.objects.filter(key_hash__in=lines).exists()


def test_token_command_unknown_email_fails_before_creating(member: Any) -> None:
    with pytest.raises(CommandError):
        call_command("token", "create", member.email, "nobody@example.org", stdout=StringIO())
    assert ApiToken.objects.count() == 0


def test_create_and_revoke_token_on_profile_page(client: Any, member: Any) -> None:
    client.force_login(member)
    response = client.post("/me/tokens/", {"name": "script"})
    raw = response.context["new_key"]
    assert raw.startswith("kr_")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/v1/me").status_code == 200
    token = ApiToken.objects.get(user=member)
    client.post(f"/me/tokens/{token.pk}/revoke/")
    assert api.get("/api/v1/me").status_code == 401


def test_cannot_revoke_someone_elses_token(client: Any, member: Any, host: Any) -> None:
    from kring.people.services import create_api_token

    token, _raw = create_api_token(user=host)
    client.force_login(member)
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
