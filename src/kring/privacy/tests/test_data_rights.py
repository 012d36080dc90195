"""The registry is complete; export holds everything; erasure keeps every balance."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kring.privacy import services
from kring.privacy.registry import REGISTRY

pytestmark = pytest.mark.django_db


def test_every_model_that_references_a_person_is_in_the_registry() -> None:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    missing = []
    for model in apps.get_models():
        refs = [
            f.name
            for f in model._meta.concrete_fields
            if (f.is_relation and f.related_model is user_model) or isinstance(f, models.EmailField)
        ]
        if refs and model._meta.label not in REGISTRY:
            missing.append(f"{model._meta.label} ({', '.join(refs)})")
    assert not missing, "add these to kring/privacy/registry.py: " + "; ".join(missing)


def test_registry_names_real_fields() -> None:
    for label, model, entry in services.registry_models():
        for name in entry.fields:
            model._meta.get_field(name)  # raises FieldDoesNotExist
        assert entry.strategy in {"delete", "blank", "keep", "pseudonymise"}, label


def test_the_privacy_page_names_everything_in_words_people_use() -> None:
    """Each kind of data and each field has a name of its own in both languages, not a model
    name ("knew alreadys", "byo items") or a column ("last used at", "ip")."""
    from django.utils import translation

    from kring.privacy.registry import NAMES
    from kring.privacy.views import field_words

    assert set(NAMES) == set(REGISTRY), set(REGISTRY) ^ set(NAMES)
    same_in_both = {"status", "tag", "type"}
    untranslated = []
    for label, model, entry in services.registry_models():
        words = {}
        for language in ("en", "nl"):
            with translation.override(language):
                words[language] = [str(NAMES[label])] + [
                    field_words(model, f) for f in entry.fields
                ]
        untranslated += [
            f"{label}: {en}"
            for en, nl in zip(words["en"], words["nl"], strict=True)
            if en == nl and en not in same_in_both
        ]
        assert "_" not in " ".join(words["en"]), words["en"]
    assert not untranslated, untranslated


def test_the_privacy_page_shows_those_words(client: Any) -> None:
    html = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "mensen die je al kende" in html and "laatst gebruikt" in html
    assert "knew alreadys" not in html and "byo items" not in html


def _expense(network: Any, payer: Any, others: list[Any], cents: int) -> Any:
    from kring.ledger import services as ledger

    return ledger.record_expense(
        actor=payer,
        network=network,
        payer_id=payer.pk,
        amount_cents=cents,
        spent_on=date(2026, 11, 1),
        description="Zaalhuur",
        category="venue",
        split_method="equal",
        member_ids=[payer.pk, *[o.pk for o in others]],
    )


def test_export_zip_holds_profile_memberships_and_ledger(
    member: Any, host: Any, network: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _expense(network, member, [host], 3000)
    data = services.build_export(user=member)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert {"json/people.User.json", "csv/people.User.csv", "json/people.Profile.json"} <= names
    assert "json/networks.Membership.json" in names
    assert "json/ledger.Expense.json" in names
    user_rows = json.loads(archive.read("json/people.User.json"))
    assert user_rows[0]["email"] == member.email
    assert "password" not in user_rows[0]
    readme = json.loads(archive.read("README.json"))
    assert readme["tables"]["networks.Membership"] == 1
    # nothing about the host's profile leaks into the member's export
    profiles = json.loads(archive.read("json/people.Profile.json"))
    assert [p["user_id"] for p in profiles] == [member.pk]


def test_export_is_built_in_the_background_and_mailed(
    client: Client, member: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export"))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/privacy/export/" in line)
    path = link.split("127.0.0.1:8000", 1)[-1].strip()
    download = client.get(path)
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"
    body = b"".join(download.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).read("json/people.User.json")
    # someone else cannot use the link
    other = Client()
    from kring.people.tests.factories import UserFactory

    other.force_login(UserFactory())
    assert other.get(path).status_code == 404
    assert client.get(path + "x").status_code == 404


def test_export_links_expire(member: Any) -> None:
    import time_machine

    token = services.store_export(user=member)
    with (
        time_machine.travel(timezone.now() + timedelta(days=8)),
        pytest.raises(services.DomainError),
    ):
        services.open_export(token=token, user=member)


def test_erasure_pseudonymises_and_keeps_balances(
    member: Any, host: Any, network: Any, api_client: Any
) -> None:
    from kring.ledger.selectors import balances
    from kring.people.models import ApiToken, ProfileTag
    from kring.people.services import set_profile_tags

    set_profile_tags(profile=member.profile, tags={"passion": ["koken"]})
    _expense(network, member, [host], 3001)
    _expense(network, host, [member], 1000)
    api_client(member)
    before = balances(network)
    assert sum(before.values()) == 0
    old_email = member.email

    counts = services.erase_account(user=member)

    member.refresh_from_db()
    assert member.email != old_email and member.email.endswith("@invalid.kring")
    assert not member.is_active and not member.has_usable_password()
    assert member.profile.display_name in {"Former member", "Oud-lid"}
    assert member.profile.story == ""
    assert not ProfileTag.objects.filter(profile__user=member).exists()
    assert not ApiToken.objects.filter(user=member).exists()
    assert counts["people.ApiToken"] == 1
    after = balances(network)
    assert after == before and sum(after.values()) == 0
    from kring.people.models import User

    assert not User.objects.filter(email__iexact=old_email).exists()


def test_delete_account_view_needs_password_and_confirmation(client: Client, member: Any) -> None:
    member.set_password("Secret-pass-1234")
    member.save()
    client.force_login(member)
    response = client.post(reverse("privacy:delete"), {"confirm": "no", "password": "x"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.is_active
    response = client.post(
        reverse("privacy:delete"), {"confirm": "DELETE", "password": "Secret-pass-1234"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert client.get(reverse("people:me")).status_code == 302


@pytest.mark.parametrize("language", ["en", "nl"])
def test_privacy_page_lists_the_registry(client: Client, db: Any, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("privacy:page"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<caption>" in text
    from django.utils import translation

    from kring.privacy.registry import NAMES

    with translation.override(language):
        assert (
            str(NAMES["people.Profile"]) in text and str(NAMES["introductions.KnewAlready"]) in text
        )


def test_retention_deletes_old_login_failures_only() -> None:
    from axes.models import AccessAttempt

    from kring.privacy.retention import retention

    now = timezone.now()
    old = AccessAttempt.objects.create(
        username="a@example.org",
        ip_address="10.0.0.1",
        user_agent="x",
        failures_since_start=1,
        attempt_time=now - timedelta(days=181),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
    )
    new = AccessAttempt.objects.create(
        username="b@example.org",
        ip_address="10.0.0.2",
        user_agent="x",
        failures_since_start=1,
        attempt_time=now - timedelta(days=10),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
    )
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=now - timedelta(days=181))
    result = retention(now)
    assert result["login_logs"] >= 1
    assert not AccessAttempt.objects.filter(pk=old.pk).exists()
    assert AccessAttempt.objects.filter(pk=new.pk).exists()
    assert retention(now)["login_logs"] == 0  # idempotent


def test_retention_deletes_closed_help_requests_after_a_year(network: Any) -> None:
    HelpRequest = apps.get_model("results.HelpRequest")
    from kring.privacy.retention import retention

    fields = {
        "network": network,
        "name": "Buurthuis",
        "email": "b@example.org",
        "need": "Hulp",
        "token_hash": "a" * 64,
        "token_salt": "s",
    }
    old = HelpRequest.objects.create(status="closed", **fields)
    fields["token_hash"] = "b" * 64
    open_one = HelpRequest.objects.create(status="open", **fields)
    HelpRequest.objects.update(updated_at=timezone.now() - timedelta(days=400))
    retention(timezone.now())
    assert not HelpRequest.objects.filter(pk=old.pk).exists()
    assert HelpRequest.objects.filter(pk=open_one.pk).exists()
