"""The shared spam protection: proof of work (no replays), rate limit and honeypot."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.test import RequestFactory

from kring.core import antispam


@pytest.fixture
def small(settings: Any) -> None:
    settings.KRING_ANTISPAM_MAX_NUMBER = 2000


def req(ip: str = "10.0.0.1") -> Any:
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def test_solved_challenge_passes_once_then_replay_is_refused(db: Any, small: Any) -> None:
    payload = antispam.solve_challenge(antispam.create_challenge())
    antispam.verify_challenge(payload)
    with pytest.raises(antispam.SpamRejected) as exc:
        antispam.verify_challenge(payload)
    assert exc.value.code == "challenge_replayed"


def test_forged_signature_and_wrong_number_are_refused(db: Any, small: Any) -> None:
    challenge = antispam.create_challenge()
    payload = json.loads(__import__("base64").b64decode(antispam.solve_challenge(challenge)))
    forged = {**payload, "signature": "0" * 64}
    wrong = {**payload, "number": payload["number"] + 1}
    for bad in (
        antispam.encode_payload(forged),
        antispam.encode_payload(wrong),
        "not base64 json!",
    ):
        with pytest.raises(antispam.SpamRejected) as exc:
            antispam.verify_challenge(bad)
        assert exc.value.code == "challenge_invalid"


def test_missing_and_expired_challenges(db: Any, small: Any) -> None:
    with pytest.raises(antispam.SpamRejected) as exc:
        antispam.verify_challenge("")
    assert exc.value.code == "challenge_missing"
    old = antispam.create_challenge(now=time.time() - antispam.CHALLENGE_TTL - 5)
    with pytest.raises(antispam.SpamRejected) as exc:
        antispam.verify_challenge(antispam.solve_challenge(old))
    assert exc.value.code == "challenge_expired"


def test_salt_cannot_be_extended_without_breaking_the_signature(db: Any, small: Any) -> None:
    challenge = antispam.create_challenge(now=time.time() - antispam.CHALLENGE_TTL - 5)
    data = json.loads(__import__("base64").b64decode(antispam.solve_challenge(challenge)))
    data["salt"] = data["salt"].split("?")[0] + "?expires=9999999999"
    with pytest.raises(antispam.SpamRejected) as exc:
        antispam.verify_challenge(antispam.encode_payload(data))
    assert exc.value.code == "challenge_invalid"


def test_rate_limit_per_email_and_per_ip(db: Any) -> None:
    for _i in range(3):
        antispam.check_rate_limit(req(), scope="t", email="a@x.example")
    with pytest.raises(antispam.SpamRejected) as exc:
        antispam.check_rate_limit(req("10.0.0.2"), scope="t", email="A@x.example ")
    assert exc.value.status == 429
    # another address from a fresh IP is fine; one IP with many addresses is stopped
    for i in range(10):
        antispam.check_rate_limit(req("10.0.0.9"), scope="t", email=f"p{i}@x.example")
    with pytest.raises(antispam.SpamRejected):
        antispam.check_rate_limit(req("10.0.0.9"), scope="t", email="new@x.example")


def test_honeypot_is_a_quiet_drop(db: Any) -> None:
    verdict = antispam.verify_payload(req(), scope="t", honeypot="http://spam", altcha="")
    assert verdict.is_bot and not verdict.ok


def test_form_mixin_and_verify_submission(db: Any, small: Any) -> None:
    from django import forms

    class F(antispam.AntiSpamFormMixin, forms.Form):
        email = forms.EmailField()

    form = F({"email": "a@x.example", "altcha": ""})
    assert form.is_valid()
    assert json.loads(form.antispam_challenge)["algorithm"] == "SHA-256"
    verdict = antispam.verify_submission(req(), form, scope="f")
    assert not verdict.ok and not verdict.is_bot and form.errors["__all__"]
    payload = antispam.solve_challenge(json.loads(form.antispam_challenge))
    form2 = F({"email": "a@x.example", "altcha": payload})
    assert form2.is_valid()
    assert antispam.verify_submission(req(), form2, scope="f").ok


def test_client_ip_behind_trusted_proxies(settings: Any) -> None:
    r = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert antispam.client_ip(r) == "10.0.0.1"  # no proxy configured: the header is ignored
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert antispam.client_ip(r) == "203.0.113.7"  # a spoofed left-most entry is not trusted
