"""The devices page in a real browser: permission, subscribe, store, remove.

What is real: Debian's chromium, the page and its script (``push/devices.js``), the service
worker with the push part it imports (``push/sw-push.js``; the worker must install and be
ready, or nothing below happens), the notification permission (granted in the browser
context, as a person clicking "Allow"), the POST to the API with the session and CSRF token,
the server's validation and storage, the remove form.

What is faked, and why: ``PushManager.subscribe`` and ``getSubscription``. Headless chromium
cannot make a real subscription without reaching Google's push service (FCM) over the
network, which tests must not use. An init script replaces just those two methods: they
return a fixed subscription whose keys are a real P-256 key pair and auth secret made in this
test, and record the ``applicationServerKey`` they were called with (checked to be the 65-byte
key the server serves). Sending through a push service is covered without a browser by
``kring/push/tests/test_standin_service.py``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from playwright.sync_api import expect

FAKE_PUSH = """
(() => {
  const SUB = %(sub)s;
  const fake = {
    endpoint: SUB.endpoint,
    expirationTime: null,
    toJSON() { return JSON.parse(JSON.stringify(SUB)); },
    unsubscribe() {
      localStorage.removeItem("fake-push");
      localStorage.setItem("fake-push-ended", "1");
      return Promise.resolve(true);
    },
  };
  PushManager.prototype.subscribe = function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    const asked = { userVisibleOnly: options.userVisibleOnly, key: Array.from(key) };
    localStorage.setItem("fake-push", JSON.stringify(asked));
    return Promise.resolve(fake);
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem("fake-push") ? fake : null);
  };
})();
"""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_turn_on_notifications_on_this_device_then_remove_it(
    transactional_db: Any, browser: Any, live_server: Any, login: Any
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from kring.networks.tests.factories import MembershipFactory, NetworkFactory
    from kring.people.tests.factories import UserFactory
    from kring.push.models import PushSubscription
    from kring.push.vapid import public_key

    user = UserFactory(email="mila@example.org", profile__display_name="Mila Mulder")
    MembershipFactory(network=NetworkFactory(slug="anno-nu"), user=user)
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    sub = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/browser-test:APA91b",
        "expirationTime": None,
        "keys": {"p256dh": _b64(point), "auth": _b64(bytes(range(16)))},
    }

    context = browser.new_context(locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(FAKE_PUSH % {"sub": json.dumps(sub)})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    login(page, "mila@example.org")
    page.goto(f"{live_server.url}/notifications/devices/")
    expect(page.get_by_role("heading", name="No devices yet")).to_be_visible()
    turn_on = page.get_by_role("button", name="Turn on notifications on this device")
    expect(turn_on).to_be_visible()  # the worker is ready: pushManager is there
    with page.expect_navigation():  # the page reloads once the server stored it
        turn_on.click()

    stored = PushSubscription.objects.get()
    assert (stored.user, stored.endpoint) == (user, sub["endpoint"])
    assert (stored.p256dh, stored.auth) == (sub["keys"]["p256dh"], sub["keys"]["auth"])
    assert stored.device  # from the User-Agent, e.g. "Chrome, Linux"
    asked = json.loads(page.evaluate("localStorage.getItem('fake-push')"))
    assert asked["userVisibleOnly"] is True
    assert _b64(bytes(asked["key"])) == public_key()  # subscribed with the server's key
    expect(page.locator("#push-devices li")).to_have_count(1)
    expect(page.locator("#push-status")).to_have_text("Notifications are on for this device.")
    expect(turn_on).to_be_hidden()

    # Remove: the form posts (the browser's subscription is ended first).
    with page.expect_navigation():
        page.locator("#push-devices").get_by_role("button", name="Remove").click()
    expect(page.get_by_text("The device is removed")).to_be_visible()
    expect(page.get_by_role("heading", name="No devices yet")).to_be_visible()
    assert not PushSubscription.objects.exists()
    assert page.evaluate("localStorage.getItem('fake-push-ended')") == "1"
    assert errors == []
    context.close()


def test_the_service_worker_shows_a_pushed_message(
    transactional_db: Any, browser: Any, live_server: Any
) -> None:
    """The worker's ``push`` handler (``push/sw-push.js``, imported by ``/sw.js``): a push
    message delivered to the registered worker through the DevTools protocol (what the
    browser does when its push service hands it one, minus the network and the decryption,
    which ``test_standin_service.py`` covers) becomes a notification with the title, text,
    language, tag, Kring's icon and the page to open. Clicking it is not simulated here."""
    context = browser.new_context(locale="en-GB")
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/about/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cdp = context.new_cdp_session(page)
    registrations: dict[str, str] = {}
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.update(
            {r["scopeURL"]: r["registrationId"] for r in event["registrations"]}
        ),
    )
    cdp.send("ServiceWorker.enable")  # then the registrations arrive as events
    scope = f"{live_server.url}/"
    for _round_trip in range(500):  # each round trip to the page lets pending events in
        if scope in registrations:
            break
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    registration_id = registrations[scope]
    payload = {
        "title": "Test network: Borrel",
        "body": "Hanna Host schrijft namens de hosts van Test network: Tot vrijdag!",
        "url": f"{live_server.url}/n/testnet/from-the-hosts/#m1",
        "lang": "nl",
        "kind": "host_message",
        "tag": "0123456789abcdef",
    }
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration_id, "data": json.dumps(payload)},
    )
    shown = page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            for (let i = 0; i < 200; i++) {
              const list = await registration.getNotifications();
              if (list.length) {
                const n = list[0];
                return { count: list.length, title: n.title, body: n.body, lang: n.lang, tag: n.tag,
                         icon: n.icon, url: n.data && n.data.url };
              }
              await new Promise((done) => setTimeout(done, 50));
            }
            return null;
        }"""
    )
    assert shown is not None, "no notification was shown"
    assert shown["title"] == payload["title"] and shown["body"] == payload["body"]
    assert (shown["lang"], shown["tag"], shown["url"]) == ("nl", payload["tag"], payload["url"])
    assert shown["icon"].endswith("/static/kring/app/icon-192.png")
    assert errors == []
    context.close()
