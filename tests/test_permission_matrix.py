"""Every URL and every API operation, against four personas, with the expected status.

Personas: ``anon`` (not signed in), ``other`` (member of another network), ``member`` and
``host`` of the network ``testnet``. Codes in the tables: ``L`` = redirect to the login page,
``R`` = another redirect, otherwise the HTTP status. Object ids that a route needs are ids
that do not exist (so that nothing is changed and a missing object answers 404); that
another network's *existing* object answers 404 is checked separately below.

The test FAILS when a route is not in the table: add a row when you add a route.
Regenerate a draft with ``KRING_MATRIX_PRINT=1 pytest tests/test_permission_matrix.py -s``
and review every line before pasting it (an ``other`` column with 200 on a network page
is a leak).
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PERSONAS = ("anon", "other", "member", "host")
MISSING_ID = "999999"
SKIP_PREFIXES = ("admin:",)  # the Django admin has its own staff check
PRINT = os.environ.get("KRING_MATRIX_PRINT") == "1"

# The tables WEB (route name -> "anon other member host", GET) and API ("METHOD /path" ->
# "anon other member host") are at the end of this file.


def _walk(resolver: URLResolver, prefix: str = "", ns: str | None = None) -> Any:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            name = ":".join(x for x in (ns, p.namespace) if x) if p.namespace else ns
            yield from _walk(p, prefix + str(p.pattern), name)
        elif isinstance(p, URLPattern):
            full = f"{ns}:{p.name}" if ns and p.name else (p.name or "")
            yield full, prefix + str(p.pattern), p


def web_routes() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for name, route, _p in _walk(get_resolver()):
        if not name or name.startswith(SKIP_PREFIXES) or route.startswith(("admin/", "api/")):
            continue
        seen.setdefault(name, route)
    return sorted(seen.items())


def _fill(route: str) -> str:
    path = route.replace("^", "").replace("$", "").replace("\\", "")
    path = re.sub(r"<slug:slug>", "testnet", path)
    path = re.sub(r"<int:[a-z_]+>", MISSING_ID, path)
    path = re.sub(r"<(str:)?(token|key)>", "not-a-token", path)
    path = re.sub(r"<str:action>", "nothing", path)
    path = re.sub(r"<str:mode>", "nothing", path)
    path = re.sub(r"<(str|slug|path):[a-z_]+>", "x", path)
    path = re.sub(r"\(\?P<key>[^)]*\)", "not-a-key", path)
    path = re.sub(r"\(\?P<uidb36>[^)]*\)", "zz", path)
    path = re.sub(r"\(\?P<[a-z_]+>[^)]*\)", "x", path)
    return "/" + path


def _code(response: Any) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        return "L" if "/accounts/login/" in response["Location"] else "R"
    return str(response.status_code)


@pytest.fixture
def personas(host: Any, member: Any, other_member: Any) -> dict[str, Client]:
    clients = {"anon": Client(raise_request_exception=False)}
    for name, user in (("other", other_member), ("member", member), ("host", host)):
        c = Client(raise_request_exception=False)
        c.force_login(user)
        clients[name] = c
    return clients


def test_every_web_route_is_in_the_matrix(personas: dict[str, Client]) -> None:
    problems, draft = [], []
    for name, route in web_routes():
        path = _fill(route)
        got = " ".join(_code(personas[p].get(path)) for p in PERSONAS)
        draft.append(f'    "{name}": "{got}",')
        expected = WEB.get(name)
        if expected is None:
            problems.append(f"{name} ({path}) is missing from the matrix; it answers {got}")
        elif expected != got:
            problems.append(f"{name} {path}: expected {expected}, got {got}")
    if PRINT:
        print("WEB = {\n" + "\n".join(draft) + "\n}")
    assert not problems, "\n".join(problems)


def _api_operations(client: Client) -> list[tuple[str, str]]:
    doc = client.get("/api/v1/openapi.json").json()
    ops = []
    for path, item in doc["paths"].items():
        for method in item:
            if method in {"get", "post", "put", "patch", "delete"}:
                ops.append((method.upper(), path))
    return sorted(ops)


def _api_fill(path: str) -> str:
    path = path.replace("{slug}", "testnet")
    return re.sub(r"\{[a-z_]+\}", MISSING_ID, path)


def test_every_api_operation_is_in_the_matrix(
    host: Any, member: Any, other_member: Any, api_client: Any
) -> None:
    clients = {
        "anon": Client(),
        "other": api_client(other_member),
        "member": api_client(member),
        "host": api_client(host),
    }
    problems, draft = [], []
    for method, path in _api_operations(clients["anon"]):
        url = _api_fill(path)
        codes = []
        for p in PERSONAS:
            c = clients[p]
            if method == "GET":
                r = c.get(url)
            else:
                r = c.generic(method, url, "{}", content_type="application/json")
            codes.append(str(r.status_code))
        got = " ".join(codes)
        key = f"{method} {path}"
        draft.append(f'    "{key}": "{got}",')
        expected = API.get(key)
        if expected is None:
            problems.append(f"{key} is missing from the matrix; it answers {got}")
        elif expected != got:
            problems.append(f"{key}: expected {expected}, got {got}")
    if PRINT:
        print("API = {\n" + "\n".join(draft) + "\n}")
    assert not problems, "\n".join(problems)


def test_matrix_never_answers_403_to_another_network() -> None:
    """In the tables, ``other`` never gets 403 (a 403 would confirm the network exists)."""
    for table in (WEB, API):
        for key, codes in table.items():
            assert codes.split()[1] != "403", key


def test_no_network_page_is_open_to_another_network() -> None:
    for name, codes in WEB.items():
        anon, other, _m, _h = codes.split()
        route = dict(web_routes()).get(name, "")
        if route.startswith("n/<slug:slug>/") and anon == "L":
            assert other in {"404", "405"}, name


def test_another_networks_expense_answers_404(
    client: Client, member: Any, other_member: Any, other_network: Any
) -> None:
    from datetime import date

    from kring.ledger import services as ledger

    expense = ledger.record_expense(
        actor=other_member,
        network=other_network,
        payer_id=other_member.pk,
        amount_cents=1000,
        spent_on=date(2026, 11, 1),
        description="Koffie",
        category="other",
        split_method="equal",
        member_ids=[other_member.pk],
    )
    client.force_login(member)
    assert client.get(f"/n/testnet/ledger/expenses/{expense.pk}/").status_code == 404
    assert client.get(f"/n/othernet/ledger/expenses/{expense.pk}/").status_code == 404
    assert client.get("/n/othernet/ledger/").status_code == 404


# --- Query counts stay constant as the data grows ------------------------------------------

MAIN_PAGES = [
    "/n/testnet/home/",
    "/n/testnet/people/",
    "/n/testnet/ledger/",
    "/n/testnet/gatherings/",
    "/n/testnet/results/",
    "/n/testnet/knowledge/",
]


def _grow(network: Any, n: int) -> None:
    from datetime import date

    from kring.ledger import services as ledger
    from kring.networks.tests.factories import MembershipFactory
    from kring.people.services import set_profile_tags

    memberships = [MembershipFactory(network=network) for _ in range(n)]
    for m in memberships:
        set_profile_tags(profile=m.user.profile, tags={"passion": ["koken", f"t{m.pk}"]})
    payer = memberships[0].user
    for _ in range(n // 2):
        ledger.record_expense(
            actor=payer, network=network, payer_id=payer.pk, amount_cents=1000,
            spent_on=date(2026, 11, 1), description="Koffie", category="catering",
            split_method="equal", member_ids=[m.user_id for m in memberships[:4]],
        )  # fmt: skip


def _count(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx)


@pytest.mark.usefixtures("render_every_request")
def test_main_pages_query_counts_do_not_grow(client: Client, host: Any, network: Any) -> None:
    from kring.people.services import ensure_profile

    ensure_profile(host)
    client.force_login(host)
    _grow(network, 4)
    small = {p: _count(client, p) for p in MAIN_PAGES}
    _grow(network, 30)
    large = {p: _count(client, p) for p in MAIN_PAGES}
    grew = {p: (small[p], large[p]) for p in MAIN_PAGES if large[p] > small[p] + 2}
    assert not grew, f"query counts grew with the data (small, large): {grew}"


# --- The matrix ----------------------------------------------------------------------------

WEB: dict[str, str] = {
    "gatherings:guests": "L 404 403 404",
    "gatherings:invite_followers": "L 405 405 405",
    "gatherings:invite_guest": "L 405 405 405",
    "gatherings:join": "L 405 405 405",
    "gatherings:network_guests": "L 404 403 200",
    "gatherings:walk_in": "L 405 405 405",
    "gatherings_global:answer": "400 400 400 400",
    "gatherings_global:guest_join": "405 405 405 405",
    "contacts:invite": "L 405 405 405",
    "contacts:list": "L 404 403 200",
    "contacts:preview": "L 404 403 404",
    "contacts:upload": "L 404 403 200",
    "polls:decide": "L 405 405 405",
    "polls:detail": "L 404 404 404",
    "polls:list": "L 404 200 200",
    "polls:new": "L 404 403 200",
    "polls_global:guest": "404 404 404 404",
    "polls_global:guest_edit": "404 404 404 404",
    "public:embed_buttons": "404 404 404 404",
    "public:embed_gatherings": "404 404 404 404",
    "public:embed_settings": "L 404 403 200",
    "public:follow": "404 404 404 404",
    "public:follow_confirm": "404 404 404 404",
    "public:unfollow": "400 400 400 400",
    "conversations:action": "L 405 405 405",
    "conversations:edit": "L 404 404 404",
    "conversations:inbox": "L 404 200 200",
    "conversations:report": "L 404 404 404",
    "conversations:report_handled": "L 405 405 405",
    "conversations:reports": "L 404 403 200",
    "conversations:send": "L 405 405 405",
    "conversations:start": "L 404 404 404",
    "conversations:thread": "L 404 404 404",
    "conversations:withdraw": "L 405 405 405",
    "account_change_password": "L 200 200 200",
    "account_confirm_email": "404 404 404 404",
    "account_confirm_login_code": "L R R R",
    "account_confirm_reauthentication_code": "L R R R",
    "account_email": "L 200 200 200",
    "account_email_verification_sent": "200 200 200 200",
    "account_inactive": "200 200 200 200",
    "account_login": "200 R R R",
    "account_logout": "R 200 200 200",
    "account_reauthenticate": "L 200 200 200",
    "account_request_login_code": "200 R R R",
    "account_request_reauthentication_code": "L 200 200 200",
    "account_reset_password": "200 200 200 200",
    "account_reset_password_done": "200 200 200 200",
    "account_reset_password_from_key": "R R R R",
    "account_reset_password_from_key_done": "200 200 200 200",
    "account_set_password": "L R R R",
    "account_signup": "200 R R R",
    "commitment:application": "L 404 403 404",
    "commitment:applications": "L 404 403 200",
    "commitment:apply": "404 404 404 404",
    "commitment:apply_sent": "404 404 404 404",
    "commitment:charter": "L 404 200 200",
    "commitment:charter_edit": "L 404 403 200",
    "commitment:growth": "L 404 403 200",
    "commitment:health": "L 404 403 200",
    "commitment:mine": "L 404 200 200",
    "commitment:settings": "L 404 403 200",
    "commitment:team": "L 404 403 200",
    "commitment:verify": "404 404 404 404",
    "core:about": "200 200 200 200",
    "core:design": "404 404 404 404",
    "core:theme": "405 405 405 405",
    "core:healthz": "200 200 200 200",
    "core:manifest": "200 200 200 200",
    "core:service_worker": "200 200 200 200",
    "core:offline": "404 404 404 404",
    "site:home": "200 200 200 200",
    "gatherings:action_add": "L 405 405 405",
    "gatherings:action_toggle": "L 405 405 405",
    "gatherings:agenda": "L 404 403 404",
    "gatherings:agenda_file": "L 404 404 404",
    "gatherings:agenda_item_action": "L 405 405 405",
    "gatherings:agenda_publish": "L 405 405 405",
    "gatherings:agenda_read": "L 405 405 405",
    "gatherings:byo_action": "L 405 405 405",
    "gatherings:byo_add": "L 405 405 405",
    "gatherings:calendar": "L 404 200 200",
    "gatherings:cancel": "L 405 405 405",
    "gatherings:cover": "404 404 404 404",
    "gatherings:cover_edit": "L 405 405 405",
    "gatherings:checkin": "L 404 403 404",
    "gatherings:comment": "L 405 405 405",
    "gatherings:detail": "L 404 404 404",
    "gatherings:discussion_emails": "L 405 405 405",
    "gatherings:edit": "L 404 403 404",
    "gatherings:guest_signup": "404 404 404 404",
    "gatherings:ics": "L 404 404 404",
    "gatherings:list": "L 404 200 200",
    "gatherings:minutes": "L 404 403 404",
    "gatherings:new": "L 404 403 200",
    "gatherings:rsvp": "L 405 405 405",
    "gatherings:self_checkin": "L 405 405 405",
    "gatherings:series_cancel": "L 405 405 405",
    "gatherings:series_extend": "L 405 405 405",
    "gatherings_global:guest_cancel": "404 404 404 404",
    "gatherings_global:guest_confirm": "404 404 404 404",
    "gatherings_global:network_feed": "404 404 404 404",  # testnet's public page is off
    "gatherings_global:private_feed": "404 404 404 404",
    "introductions:acquaintance": "L 404 200 200",
    "introductions:index": "L 404 200 200",
    "introductions:outcome": "L 405 405 405",
    "introductions:person_action": "L 405 405 405",
    "introductions:preferences": "L 405 405 405",
    "introductions:propose": "L 405 405 405",
    "introductions:round": "L 404 403 404",
    "introductions:round_action": "L 405 405 405",
    "introductions:rounds": "L 404 403 200",
    "introductions:schedule": "L 405 405 405",
    "introductions:tables": "L 404 404 404",
    "javascript-catalog": "200 200 200 200",
    "knowledge:comment": "L 405 405 405",
    "knowledge:delete": "L 405 405 405",
    "knowledge:detail": "L 404 404 404",
    "knowledge:edit": "L 404 404 404",
    "knowledge:image": "404 404 404 404",
    "knowledge:image_upload": "L 404 200 200",
    "knowledge:list": "L 404 200 200",
    "knowledge:new": "L 404 200 200",
    "knowledge:search": "L 404 200 200",
    "ledger:bank": "L 404 200 200",
    "ledger:contribution": "L 405 405 405",
    "ledger:coverage": "L 404 200 200",
    "ledger:expense": "L 404 404 404",
    "ledger:expense_new": "L 404 200 200",
    "ledger:expense_reverse": "L 405 405 405",
    "ledger:export": "L 404 R R",
    "ledger:index": "L 404 200 200",
    "ledger:pot": "L 404 200 200",
    "ledger:pot_decide": "L 405 405 405",
    "ledger:receipt": "L 404 404 404",
    "ledger:request": "L 404 404 404",
    "ledger:request_new": "L 405 405 405",
    "ledger:settings": "L 405 405 405",
    "ledger:transfer_decide": "L 405 405 405",
    "ledger:transfer_new": "L 404 200 200",
    "mfa_activate_totp": "L R R R",
    "mfa_add_webauthn": "L R R R",
    "mfa_authenticate": "L R R R",
    "mfa_deactivate_totp": "L 404 404 404",
    "mfa_download_recovery_codes": "L 404 404 404",
    "mfa_edit_webauthn": "L R R R",
    "mfa_generate_recovery_codes": "L R R R",
    "mfa_index": "L 200 200 200",
    "mfa_list_webauthn": "L 200 200 200",
    "mfa_login_webauthn": "L R R R",
    "mfa_reauthenticate": "L R R R",
    "mfa_reauthenticate_webauthn": "L R R R",
    "mfa_remove_webauthn": "L R R R",
    "mfa_view_recovery_codes": "L 404 404 404",
    "net:directory": "L 404 200 200",
    "net:home": "L 404 200 200",
    "net:invitation_action": "L 405 405 405",
    "net:manage": "L 404 403 200",
    "net:more": "L 404 200 200",
    "net:invitations": "L 404 403 200",
    "net:join": "L 404 R R",
    "net:member_update": "L 405 405 405",
    "net:cover": "404 404 404 404",
    "net:cover_edit": "L 405 405 405",
    "net:members": "L 404 403 200",
    "net:my_membership": "L 404 200 200",
    "net:person": "L 404 404 404",
    "net:photo": "L 404 404 404",
    "net:settings": "L 404 403 200",
    "networks:invitation": "404 404 404 404",
    "networks:new": "L 200 200 200",
    "networks:start": "L R R R",
    "people:edit": "L 200 200 200",
    "people:me": "L 200 200 200",
    "people:my_photo": "L 404 404 404",
    "people:revoke_token": "L 405 405 405",
    "people:tokens": "L 200 200 200",
    "privacy:delete": "L 200 200 200",
    "privacy:download": "L 404 404 404",
    "privacy:export": "L 405 405 405",
    "privacy:my_data": "L 200 200 200",
    "privacy:page": "200 200 200 200",
    "privacy:sign_out_everywhere": "L 405 405 405",
    "hostmessages:index": "L 404 200 200",
    "hostmessages:write": "L 404 403 200",
    "notify:preferences": "L 200 200 200",
    "notify:unsubscribe": "400 400 400 400",
    "push:devices": "L 200 200 200",
    "push:remove": "L 405 405 405",
    "push:test": "L 405 405 405",
    "public:feed": "404 404 404 404",
    "public:network": "404 404 R R",
    "public:notifications": "R R R R",
    "public:post": "404 404 404 404",
    "public:share_mastodon": "400 400 400 400",
    "public:sitemap": "200 200 200 200",
    "public:unsubscribe": "400 400 400 400",
    "results:ask": "404 404 404 404",
    "results:ask_sent": "404 404 404 404",
    "results:contribution_confirm": "L 405 405 405",
    "results:contribution_correct": "L 405 405 405",
    "results:contributions": "L 404 200 200",
    "results:export_contributions": "L 404 200 200",
    "results:export_requests": "L 404 403 200",
    "results:index": "L 404 200 200",
    "results:intentions": "L 404 200 200",
    "results:objective": "L 404 404 404",
    "results:objective_edit": "L 404 403 404",
    "results:objective_new": "L 404 403 200",
    "results:referral_update": "L 405 405 405",
    "results:referrals": "L 404 200 200",
    "results:request_answer": "L 405 405 405",
    "results:request_ask": "L 405 405 405",
    "results:request_contribute": "L 405 405 405",
    "results:request_detail": "L 404 404 404",
    "results:request_set_status": "L 405 405 405",
    "results:request_status": "404 404 404 404",
    "results:request_triage": "L 405 405 405",
    "results:request_volunteer": "L 405 405 405",
    "results:requests": "L 404 200 200",
    "set_language": "R R R R",
    "usersessions_list": "L 200 200 200",
    "federation:actor": "404 404 404 404",
    "federation:article": "404 404 404 404",
    "federation:block_add": "L 405 405 405",
    "federation:block_remove": "L 405 405 405",
    "federation:event": "404 404 404 404",
    "federation:follower_action": "L 405 405 405",
    "federation:followers": "404 404 404 404",
    "federation:followers_page": "L 404 403 200",
    "federation:image": "404 404 404 404",
    "federation:inbox": "405 405 405 405",
    "federation:milestone": "404 404 404 404",
    "federation:nodeinfo": "200 200 200 200",
    "federation:nodeinfo_links": "200 200 200 200",
    "federation:outbox": "404 404 404 404",
    "federation:replies": "L 404 403 200",
    "federation:reply_action": "L 405 405 405",
    "federation:rotate_key": "L 405 405 405",
    "federation:settings": "L 404 403 200",
    "federation:shared_inbox": "405 405 405 405",
    "federation:webfinger": "400 400 400 400",
}
API: dict[str, str] = {
    "GET /api/v1/gatherings/{gathering_id}/guests": "401 404 404 404",
    "POST /api/v1/gatherings/{gathering_id}/walk-ins": "401 422 422 422",
    "GET /api/v1/networks/{slug}/followers/challenge": "404 404 404 404",
    "GET /api/v1/polls/{poll_id}": "401 404 404 404",
    "POST /api/v1/networks/{slug}/followers": "422 422 422 422",
    "POST /api/v1/networks/{slug}/polls": "401 422 422 422",
    "POST /api/v1/polls/{poll_id}/decision": "401 422 422 422",
    "PUT /api/v1/polls/{poll_id}/answers": "401 422 422 422",
    "GET /api/v1/conversations": "401 200 200 200",
    "GET /api/v1/conversations/{conversation_id}/messages": "401 404 404 404",
    "POST /api/v1/conversations/{conversation_id}/messages": "401 422 422 422",
    "POST /api/v1/networks/{slug}/conversations": "401 422 422 422",
    "GET /api/v1/gatherings/{gathering_id}": "401 404 404 404",
    "GET /api/v1/gatherings/{gathering_id}/attendees": "401 404 404 404",
    "GET /api/v1/introduction-rounds/{round_id}": "401 404 404 404",
    "GET /api/v1/me": "401 200 200 200",
    "GET /api/v1/me/notifications": "401 200 200 200",
    "GET /api/v1/networks/{slug}/host-messages": "401 404 200 200",
    "POST /api/v1/networks/{slug}/host-messages": "401 422 422 422",
    "PUT /api/v1/me/notifications": "401 422 422 422",
    "GET /api/v1/push/public-key": "200 200 200 200",
    "POST /api/v1/push/renew": "422 422 422 422",
    "GET /api/v1/me/push-subscriptions": "401 200 200 200",
    "POST /api/v1/me/push-subscriptions": "401 422 422 422",
    "DELETE /api/v1/me/push-subscriptions/{subscription_id}": "401 404 404 404",
    "GET /api/v1/networks": "401 200 200 200",
    "GET /api/v1/networks/{slug}": "401 404 200 200",
    "GET /api/v1/networks/{slug}/acquaintance": "401 404 200 200",
    "GET /api/v1/networks/{slug}/applications": "401 404 403 200",
    "GET /api/v1/networks/{slug}/applications/challenge": "200 200 200 200",
    "GET /api/v1/networks/{slug}/balances": "401 404 200 200",
    "GET /api/v1/networks/{slug}/engagement": "401 404 200 200",
    "GET /api/v1/networks/{slug}/expenses": "401 404 200 200",
    "GET /api/v1/networks/{slug}/gatherings": "401 404 200 200",
    "GET /api/v1/networks/{slug}/health": "401 404 403 200",
    "GET /api/v1/networks/{slug}/intentions": "401 404 200 200",
    "GET /api/v1/networks/{slug}/introductions": "401 404 200 200",
    "GET /api/v1/networks/{slug}/members": "401 404 200 200",
    "GET /api/v1/networks/{slug}/objectives": "401 404 200 200",
    "GET /api/v1/networks/{slug}/posts": "401 404 200 200",
    "GET /api/v1/networks/{slug}/requests": "401 404 200 200",
    "GET /api/v1/networks/{slug}/requests/challenge": "404 404 404 404",
    "GET /api/v1/networks/{slug}/settle-up": "401 404 200 200",
    "GET /api/v1/objectives/{objective_id}/contributions": "401 404 404 404",
    "GET /api/v1/posts/{post_id}": "401 404 404 404",
    "PATCH /api/v1/gatherings/{gathering_id}": "401 404 404 404",
    "PATCH /api/v1/requests/{request_id}": "401 422 422 422",
    "POST /api/v1/applications/{app_id}/decision": "401 422 422 422",
    "POST /api/v1/expenses/{expense_id}/reverse": "401 422 422 422",
    "POST /api/v1/gatherings/{gathering_id}/agenda-read": "401 404 404 404",
    "POST /api/v1/gatherings/{gathering_id}/check-ins": "401 422 422 422",
    "POST /api/v1/gatherings/{gathering_id}/check-ins/batch": "401 422 422 422",
    "POST /api/v1/gatherings/{gathering_id}/series/occurrences": "401 422 422 422",
    "POST /api/v1/introduction-rounds/{round_id}/publish": "401 404 404 404",
    "POST /api/v1/introduction-rounds/{round_id}/seats": "401 404 404 404",
    "POST /api/v1/introductions/{intro_id}/met": "401 404 404 404",
    "POST /api/v1/networks/{slug}/applications": "422 422 422 422",
    "POST /api/v1/networks/{slug}/expenses": "401 422 422 422",
    "POST /api/v1/networks/{slug}/gatherings": "401 422 422 422",
    "POST /api/v1/networks/{slug}/introduction-rounds": "401 404 403 201",
    "POST /api/v1/networks/{slug}/objectives": "401 422 422 422",
    "POST /api/v1/networks/{slug}/posts": "401 422 422 422",
    "POST /api/v1/networks/{slug}/requests": "422 422 422 422",
    "POST /api/v1/networks/{slug}/transfers": "401 422 422 422",
    "POST /api/v1/objectives/{objective_id}/contributions": "401 422 422 422",
    "POST /api/v1/posts/{post_id}/comments": "401 422 422 422",
    "POST /api/v1/requests/{request_id}/volunteer": "401 404 404 404",
    "POST /api/v1/transfers/{transfer_id}/confirm": "401 404 404 404",
    "PUT /api/v1/gatherings/{gathering_id}/rsvp": "401 422 422 422",
    "GET /api/v1/networks/{slug}/federation": "401 404 403 200",
    "PATCH /api/v1/networks/{slug}/federation": "401 422 422 422",
}
