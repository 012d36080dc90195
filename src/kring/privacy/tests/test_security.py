"""Login throttling, rate limits, no-store, MFA for hosts, and revocation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _fail_login(client: Client, email: str) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": "wrong-password-123"})


def test_account_locked_after_five_failures(member: Any) -> None:
    member.set_password("Right-password-9876")
    member.save()
    client = Client()
    statuses = [_fail_login(client, member.email).status_code for _ in range(5)]
    assert all(s in {200, 400} for s in statuses[:4])
    assert statuses[4] == 429  # the fifth failure locks
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "Right-password-9876"}
    )
    assert response.status_code == 429
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username=member.email).exists()


def test_four_failures_then_success_is_allowed(member: Any) -> None:
    member.set_password("Right-password-9876")
    member.save()
    client = Client()
    for _ in range(4):
        _fail_login(client, member.email)
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "Right-password-9876"}
    )
    assert response.status_code == 302


def test_force_login_still_works(client: Client, member: Any) -> None:
    client.force_login(member)
    assert client.get(reverse("people:me")).status_code == 200


def test_api_rate_limit_answers_429(settings: Any, member: Any, api_client: Any) -> None:
    settings.KRING_API_RATE = "3/m"
    client = api_client(member)
    statuses = [client.get("/api/v1/me").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    body = client.get("/api/v1/me").json()
    assert body["code"] == "throttled"


def test_anonymous_posts_rate_limited(settings: Any, db: Any) -> None:
    settings.KRING_FORM_RATE = "2/m"
    client = Client()
    url = reverse("account_signup")
    codes = [client.post(url, {"email": "x"}).status_code for _ in range(3)]
    assert codes[-1] == 429
    assert codes[0] != 429


def test_private_pages_are_no_store(client: Client, member: Any, network: Any) -> None:
    client.force_login(member)
    assert client.get(reverse("people:me"))["Cache-Control"] == "no-store"
    assert client.get(reverse("privacy:my_data"))["Cache-Control"] == "no-store"
    response = client.get(f"/n/{network.slug}/ledger/")
    assert response["Cache-Control"] == "no-store"
    client.logout()  # signed in, every page is no-store; the public statement is not
    assert "no-store" not in client.get(reverse("privacy:page")).get("Cache-Control", "")


def test_csp_and_security_headers(client: Client, db: Any) -> None:
    response = client.get(reverse("privacy:page"))
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_hosts_without_mfa_are_sent_to_setup(
    settings: Any, client: Client, host: Any, member: Any, network: Any
) -> None:
    settings.KRING_REQUIRE_MFA_FOR_HOSTS = True
    client.force_login(host)
    response = client.get(f"/n/{network.slug}/home/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    assert client.get(reverse("mfa_index")).status_code == 200
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=host, type=Authenticator.Type.TOTP, data={})
    assert client.get(f"/n/{network.slug}/home/").status_code == 200
    member_client = Client()
    member_client.force_login(member)
    assert member_client.get(f"/n/{network.slug}/home/").status_code == 200


def test_mfa_not_required_by_default(client: Client, host: Any, network: Any) -> None:
    client.force_login(host)
    assert client.get(f"/n/{network.slug}/home/").status_code == 200


def test_sign_out_everywhere_ends_sessions_and_tokens(member: Any, api_client: Any) -> None:
    laptop, phone = Client(), Client()
    laptop.force_login(member)
    phone.force_login(member)
    assert phone.get(reverse("people:me")).status_code == 200
    api = api_client(member)
    assert api.get("/api/v1/me").status_code == 200
    response = laptop.post(reverse("privacy:sign_out_everywhere"))
    assert response.status_code == 302
    assert phone.get(reverse("people:me")).status_code == 302  # back to login
    assert laptop.get(reverse("people:me")).status_code == 302
    assert api.get("/api/v1/me").status_code == 401


def test_password_change_revokes_other_sessions_and_tokens(member: Any, api_client: Any) -> None:
    member.set_password("Old-password-4321")
    member.save()
    here, elsewhere = Client(), Client()
    here.force_login(member)
    elsewhere.force_login(member)
    elsewhere.get(reverse("people:me"))
    api = api_client(member)
    response = here.post(
        reverse("account_change_password"),
        {
            "oldpassword": "Old-password-4321",
            "password1": "New-password-8765!",
            "password2": "New-password-8765!",
        },
    )
    assert response.status_code == 302, getattr(response, "context", None)
    assert here.get(reverse("people:me")).status_code == 200  # this session stays
    assert elsewhere.get(reverse("people:me")).status_code == 302
    assert api.get("/api/v1/me").status_code == 401


def test_deactivation_revokes_tokens(member: Any, api_client: Any) -> None:
    from kring.people.models import ApiToken

    api = api_client(member)
    member.is_active = False
    member.save()
    assert ApiToken.objects.filter(user=member, revoked_at__isnull=True).count() == 0
    assert api.get("/api/v1/me").status_code == 401


def test_limit_posts_decorator(settings: Any, rf: Any) -> None:
    from django.http import HttpResponse

    from kring.privacy.ratelimit import limit_posts

    settings.KRING_FORM_RATE = "1/m"

    @limit_posts("test-form")
    def view(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    request = rf.post("/x", REMOTE_ADDR="10.1.2.3")
    request.user = None
    assert view(request).status_code == 200
    assert view(rf.post("/x", REMOTE_ADDR="10.1.2.3")).status_code == 429
    assert view(rf.post("/x", REMOTE_ADDR="10.1.2.4")).status_code == 200
    assert view(rf.get("/x", REMOTE_ADDR="10.1.2.3")).status_code == 200


def test_every_signed_in_response_is_no_store_unless_public_on_purpose(
    client: Any, api_client: Any, network: Any, host: Any, member: Any
) -> None:
    """Finding: host pages with personal data (results exports, applications, members, the
    members API) were cacheable. Now every signed-in response is no-store by default."""
    client.force_login(host)
    for url in (
        "/n/testnet/results/export/contributions.csv",
        "/n/testnet/results/export/requests.csv",
        "/n/testnet/commitment/applications/",
        "/n/testnet/members/",
        "/n/testnet/",
    ):
        r = client.get(url)
        assert r.status_code in {200, 302}, url
        if url != "/n/testnet/":
            assert r["Cache-Control"] == "no-store", url
    r = api_client(host).get("/api/v1/networks/testnet/members")
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    # Anonymous pages are untouched.
    client.logout()
    assert "no-store" not in client.get("/healthz").get("Cache-Control", "")


def test_the_public_page_opts_out_and_keeps_its_validators(
    client: Any, network: Any, member: Any
) -> None:
    network.public_page_enabled = True
    network.save()
    client.force_login(member)
    r = client.get("/n/testnet/")
    assert r.status_code == 200
    assert "no-store" not in r["Cache-Control"] and "max-age=0" in r["Cache-Control"]
