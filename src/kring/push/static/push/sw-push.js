/* Web push in Kring's service worker (imported by /sw.js; kring.push, docs/push.md).

   - push: show the notification (title, body, link) the server encrypted for this device;
   - notificationclick: focus a window on that page, or open it (only pages of this site);
   - pushsubscriptionchange: the browser replaced the subscription; send the new one with
     the old endpoint and its auth secret (the worker has no session) to POST /api/v1/push/renew. */
"use strict";

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  const options = {
    body: data.body || "",
    icon: CONFIG.icons.icon,
    badge: CONFIG.icons.badge,
    data: { url: data.url || "/" },
  };
  if (data.lang) options.lang = data.lang;
  if (data.tag) { options.tag = data.tag; options.renotify = true; }
  event.waitUntil(self.registration.showNotification(data.title || "Kring", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  let target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of windows) {
      if (client.url === target.href && "focus" in client) return client.focus();
    }
    return self.clients.openWindow(target.href);
  })());
});

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil((async () => {
    const old = event.oldSubscription;
    if (!old) return;  // nothing proves it is this device: turn it on again on the devices page
    const oldKeys = old.toJSON().keys || {};
    let fresh = event.newSubscription;
    if (!fresh) {
      const key = await (await fetch("/api/v1/push/public-key")).json();
      const raw = atob(key.public_key.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((key.public_key.length + 3) % 4));
      fresh = await self.registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: Uint8Array.from(raw, (c) => c.charCodeAt(0)),
      });
    }
    await fetch("/api/v1/push/renew", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ old_endpoint: old.endpoint, old_auth: oldKeys.auth, subscription: fresh.toJSON() }),
    });
  })());
});
